"""Compiled loops (numba) for the hour's busiest rules; see :mod:`sim.engine.kernels`.

Each function does what the numpy code named in its docstring does, in the same order, so
runs are bit-identical with and without it. Random numbers come from the model's own numpy
generator, drawn by the caller or inside a loop (through :func:`generator_handle`: numba's
uniform, normal and Weibull draws give numpy's values, one libm call per draw like numpy's).
Poisson draws use :func:`_poisson`, numpy's algorithm (numba 0.68's own rounds a step toward
zero where numpy floors, at rates of 10 and more: rarely, but from then on the stream
differs). Functions of whole arrays such as ``np.exp`` and ``**`` stay in the numpy code:
their vectorised versions may differ from libm in the last bit. The rules are stated in
those functions' docstrings and, one account at a time, in the reference engine
(``sim/reference``). numba caches the machine code next to
this file (``cache=True``): the first process on a machine compiles, later ones load it.

The small helpers taking arrays are inlined (``inline="always"``): a compiled call that passes
arrays counts references to them, about 50 ns a call, more than the look-up itself.
"""

from __future__ import annotations

import ctypes

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

# ----------------------------------------------------------------- the model's random numbers

# the last generator used and its handle, as one tuple (replaced whole: safe between threads)
_last_handle: tuple = (None, None)
_HANDLE_FIELDS = (  # numba's bit generator struct, in the order of generator_handle's values
    "state_address",
    "state",
    "fnptr_next_uint64",
    "fnptr_next_uint32",
    "fnptr_next_double",
    "bit_generator",
)


def generator_handle(rng: np.random.Generator) -> np.ndarray:
    """The addresses a compiled loop needs to draw from ``rng`` itself (its bit generator's
    state and next-value functions, as numpy's ``bit_generator.ctypes`` gives them), for
    :func:`_generator`. Passing the Generator object instead costs ~45 µs a call (numba
    rebuilds this from Python objects every time); the last generator's handle is kept (a
    copied or unpickled model has a new bit generator, so a new handle)."""
    global _last_handle
    bit_generator = rng.bit_generator
    last, handle = _last_handle
    if last is not bit_generator:
        c = bit_generator.ctypes
        address = lambda f: ctypes.cast(f, ctypes.c_void_p).value  # noqa: E731
        handle = np.array(
            [
                c.state_address,
                c.state.value,
                address(c.next_uint64),
                address(c.next_uint32),
                address(c.next_double),
                c.bit_generator.value,
            ],
            dtype=np.uint64,
        )
        _last_handle = (bit_generator, handle)  # the generator kept: its addresses stay valid
    return handle


@intrinsic
def _generator(typingctx, handle):
    """The model's numpy Generator inside a compiled loop, from :func:`generator_handle`:
    numba's own Generator value (its methods give numpy's draws and advance the model's
    generator), built from the addresses instead of from the Python object."""
    gen_type = types.NumPyRandomGeneratorType("numpy_random_generator")
    bit_type = types.NumPyRandomBitGeneratorType("bit_generator")

    def codegen(context, builder, signature, args):
        values = context.make_array(handle)(context, builder, args[0]).data
        bit = cgutils.create_struct_proxy(bit_type)(context, builder)
        for i, name in enumerate(_HANDLE_FIELDS):
            setattr(bit, name, builder.load(builder.gep(values, [ir.Constant(ir.IntType(64), i)])))
        gen = cgutils.create_struct_proxy(gen_type)(context, builder)  # no parent, no meminfo
        gen.bit_generator = bit._getvalue()
        return gen._getvalue()

    return gen_type(handle), codegen


# numpy's log-gamma for the Poisson draws (random_loggam in numpy/random/src/distributions)
_LOGGAM = np.array(
    [
        8.333333333333333e-02,
        -2.777777777777778e-03,
        7.936507936507937e-04,
        -5.952380952380952e-04,
        8.417508417508418e-04,
        -1.917526917526918e-03,
        6.410256410256410e-03,
        -2.955065359477124e-02,
        1.796443723688307e-01,
        -1.39243221690590e00,
    ]
)


@njit(cache=True, error_model="numpy")
def _loggam(x):
    """log(gamma(x)) as numpy's random_loggam computes it (Stirling's series; the same
    operations in the same order)."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = np.int64(7 - x) if x < 7.0 else 0
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = _LOGGAM[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += _LOGGAM[k]
    gl = gl0 / x0 + 0.5 * 1.8378770664093453 + (x0 - 0.5) * np.log(x0) - x0
    for _ in range(n):
        gl -= np.log(x0 - 1.0)
        x0 -= 1.0
    return gl


@njit(cache=True, error_model="numpy")
def _poisson(rng, lam):
    """One Poisson(``lam``) draw as numpy's ``Generator.poisson`` makes it (random_poisson:
    the multiplication method below 10, PTRS from 10 with numpy's floor where numba 0.68's
    own rounds toward zero), from the same uniforms, so the stream stays numpy's. A rate below
    0 or not a number is an error, as in numpy (the rules' rates are checked before)."""
    if not lam >= 0:
        raise ValueError("poisson: the rate must be a number >= 0")
    if lam == 0:
        return 0
    if lam < 10:
        enlam = np.exp(-lam)
        x = 0
        prod = 1.0
        while True:
            prod *= rng.random()
            if prod > enlam:
                x += 1
            else:
                return x
    slam = np.sqrt(lam)
    loglam = np.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - np.fabs(u)
        k = np.int64(np.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b) <= (
            -lam + k * loglam - _loggam(np.float64(k + 1))
        ):
            return k


@intrinsic
def _move(typingctx, values, to, start, stop):
    """``values[to : to + stop - start] = values[start:stop]``, the two ranges may overlap
    (one memmove: numba's slice assignment copies overlapping ranges through a new array,
    and an element loop moving right is not turned into a memmove)."""

    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])
        itemsize = context.get_abi_sizeof(context.get_data_type(signature.args[0].dtype))
        dst = builder.gep(array.data, [args[1]])
        src = builder.gep(array.data, [args[2]])
        cgutils.raw_memmove(builder, dst, src, builder.sub(args[3], args[2]), itemsize)
        return context.get_dummy_value()

    return types.none(values, to, start, stop), codegen


# ----------------------------------------------------------------------------- the loops


@njit(cache=True, inline="always", error_model="numpy")
def _first_at_least(a, lo, hi, x):
    """The first position in the sorted ``a[lo:hi]`` holding a value >= ``x`` (``hi`` if
    none): ``np.searchsorted`` for one value. A binary search down to 32 values, then a
    count of the smaller ones (no unpredictable branches: a node's run of edges is mostly
    that short)."""
    while hi - lo > 32:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    smaller = 0
    for i in range(lo, hi):
        smaller += a[i] < x
    return lo + smaller


@njit(cache=True, inline="always", error_model="numpy")
def _ascending(a, n):
    """Whether ``a[:n]`` never decreases."""
    for i in range(1, n):
        if a[i] < a[i - 1]:
            return False
    return True


@njit(cache=True, inline="always", error_model="numpy")
def _sort_few(a, n):
    """Sort ``a[:n]`` in place (an insertion sort: for the few values of one reader)."""
    for i in range(1, n):
        v = a[i]
        j = i - 1
        while j >= 0 and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v


@njit(cache=True, inline="always", error_model="numpy")
def _edge_at(offsets, keys, n, u, v):
    """Position of the edge ``u -> v`` in ``keys`` (a search of u's own run), -1 if none."""
    k = u * n + v
    at = _first_at_least(keys, offsets[u], offsets[u + 1], k)
    if at < offsets[u + 1] and keys[at] == k:
        return at
    return -1


@njit(cache=True, inline="always", error_model="numpy")
def _is_edge(edges, n, u, v):
    """Is ``u -> v`` an edge of the edge set whose :meth:`~sim.engine.edges.EdgeSet.
    lookup_arrays` are ``edges``? One look-up in its flags or bits where it keeps them."""
    flags, bits, offsets, keys = edges
    if len(keys) == 0:
        return False
    k = u * n + v
    if len(flags):
        return flags[k]
    if len(bits):
        return (bits[k >> 3] >> (k & 7)) & 1 == 1
    return _edge_at(offsets, keys, n, u, v) >= 0


@njit(cache=True, error_model="numpy")
def home_items(
    readers,
    seen_upto,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    b_flags,
    b_bits,
    b_offsets,
    b_keys,
    n,
    lo,
    end,
    author,
    form,
    target,
    orig,
    orig_author,
    retweets,
    addressed_form,
    retweet_form,
    mark,
    stamp,
):
    """The chronological home feed's candidates (:func:`sim.engine.feed.home_feed` before
    :func:`~sim.engine.feed.newest_first`): each reader's followees' items in posts
    ``[max(lo, seen_upto[reader]), end)``, grouped by reader, then by follow edge, oldest
    first; a reply, mention or thanks only if the reader is not its target and follows the
    target; a retweet only if its content is not the reader's and the reader has not blocked
    the content's author; then one item per (reader, content) where a post and its retweets
    meet (the first). Returns (slot in ``readers``, follow-edge position, post).

    ``mark`` (at least ``end`` values, all below ``stamp``) remembers which content each
    reader has been shown: reader slot ``s`` writes ``stamp + s``; the caller advances
    ``stamp`` by ``len(readers)`` after the call, so the buffer is never cleared."""
    # the edge sets' look-up arrays (passed one by one: a tuple costs ~15 µs per array to pass)
    follows = (f_flags, f_bits, f_offsets, f_keys)
    blocks = (b_flags, b_bits, b_offsets, b_keys)
    offsets, follow_keys = follows[2], follows[3]
    # the window's items by author, oldest first (a counting sort)
    start = np.zeros(n + 1, dtype=np.int64)
    for p in range(lo, end):
        start[author[p] + 1] += 1
    for a in range(n):
        start[a + 1] += start[a]
    fill = start[:-1].copy()
    by_author = np.empty(end - lo, dtype=np.int64)
    for p in range(lo, end):
        a = author[p]
        by_author[fill[a]] = p
        fill[a] += 1
    # where each followee's items new to the reader start (a scan back from the newest: the
    # items are few, fewer than the window's), and an upper bound of the output
    n_visits = 0
    for s in range(len(readers)):
        n_visits += offsets[readers[s] + 1] - offsets[readers[s]]
    new_from = np.empty(n_visits, dtype=np.int64)
    total = 0
    k = 0
    for s in range(len(readers)):
        r = readers[s]
        first = max(lo, seen_upto[r])
        for e in range(offsets[r], offsets[r + 1]):
            f = follow_keys[e] - r * n  # the followee (keys are r * n + followee)
            i = start[f + 1]
            while i > start[f] and by_author[i - 1] >= first:
                i -= 1
            new_from[k] = i
            total += start[f + 1] - i
            k += 1
    out_slot = np.empty(total, dtype=np.int64)
    out_edge = np.empty(total, dtype=np.int64)
    out_post = np.empty(total, dtype=np.int64)
    m = 0
    k = 0
    for s in range(len(readers)):
        r = readers[s]
        for e in range(offsets[r], offsets[r + 1]):
            f = follow_keys[e] - r * n
            i = new_from[k]
            k += 1
            for j in range(i, start[f + 1]):
                p = by_author[j]
                fm = form[p]
                if addressed_form[fm]:
                    t = target[p]
                    if t == r or not _is_edge(follows, n, r, t):
                        continue
                elif fm == retweet_form:
                    oa = orig_author[p]
                    if oa == r or _is_edge(blocks, n, r, oa):
                        continue
                if fm == retweet_form or retweets[p] > 0:
                    c = orig[p]
                    if mark[c] == stamp + s:
                        continue
                    mark[c] = stamp + s
                out_slot[m] = s
                out_edge[m] = e
                out_post[m] = p
                m += 1
    return out_slot[:m], out_edge[:m], out_post[:m]


@njit(cache=True, error_model="numpy")
def newest_first(slot, age, budget, u):
    """Mask of the items each reader reads (:func:`sim.engine.feed.newest_first`): whole
    hours newest first while they fit in its budget, then of the hour where the budget runs
    out each item with probability (budget left / items of that hour)."""
    n_readers = len(budget)
    n_ages = 0
    for a in age:
        n_ages = max(n_ages, a + 1)
    counts = np.zeros((n_readers, n_ages), dtype=np.int64)
    for k in range(len(slot)):
        counts[slot[k], age[k]] += 1
    full = np.zeros(n_readers, dtype=np.int64)
    frac = np.zeros(n_readers)
    for r in range(n_readers):
        before = 0  # items younger than `full` hours
        a = 0
        while a < n_ages and before + counts[r, a] <= budget[r]:
            before += counts[r, a]
            a += 1
        full[r] = a
        if a < n_ages and counts[r, a] > 0:
            frac[r] = (budget[r] - before) / counts[r, a]
    keep = np.zeros(len(slot), dtype=np.bool_)
    for k in range(len(slot)):
        cut = full[slot[k]]
        keep[k] = age[k] < cut or (age[k] == cut and u[k] < frac[slot[k]])
    return keep


@njit(cache=True, inline="always", error_model="numpy")
def _own_words_quality(rng, chosen, reader, quality_mean):
    """The quality, before clipping, of the items written for the rows ``chosen``: the
    writer's ``quality_mean`` + N(0, 0.15), drawn in row order (``reactions.own_words``)."""
    rows = np.nonzero(chosen)[0]
    out = np.empty(len(rows))
    for k in range(len(rows)):
        out[k] = quality_mean[reader[rows[k]]] + rng.normal(0.0, 0.15)
    return out


# the parameters react_items reads, in the order of its ``p`` argument
REACT_PARAMS = (
    "offtopic_relevance",
    "personal_boost",
    "stranger_social_value",
    "one_way_social_value",
    "notice_value",
    "click_base_prob",
    "trust_base",
    "trust_ack",
    "trust_person",
    "trust_promo_penalty",
    "retweet_base_prob",
    "know_retweet_boost",
    "acquainted_retweet_boost",
    "reply_base_prob",
    "question_reply_boost",
    "follow_base_prob",
    "follow_saturation",
    "profile_promo_penalty",
    "profile_flood_penalty",
    "notice_follow_boost",
)


@njit(cache=True, inline="always", error_model="numpy")
def _promo_excess(promo_share, promo_tolerance, reader, author):
    tolerance = promo_tolerance[reader]
    over = promo_share[author] - tolerance
    return min(max(over / max(1.0 - tolerance, 1e-9), 0.0), 1.0)


@njit(cache=True, error_model="numpy")
def react_items(
    rng_handle,
    reader,
    item,
    author,
    orig_author,
    form,
    kind,
    room,
    quality,
    appeal,
    link,
    target,
    interest_mask,
    appetite,
    promo_share,
    automated_share,
    daily_items,
    promo_tolerance,
    profile_tolerance,
    retweet_propensity,
    reply_propensity,
    thank_prob,
    follow_propensity,
    quality_mean,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    ack,
    out_degree,
    b_flags,
    b_bits,
    b_offsets,
    b_keys,
    n,
    p,
    passable,
    impressions,
    reads,
    social,
    question,
    original,
    retweet_form,
    mention,
    promo,
    source,
    room_source,
    follow_codes,
    home_source,
    edge_ack,
):
    """The reaction rules' decisions for every item read (:func:`sim.engine.reactions.
    react_phase` up to the state changes): the value of each item (``item_value``), the
    impressions and reads counted (``count_impressions``, in place), and which items are
    clicked, retweeted, replied to, thanked for and whose author is followed, with the random
    numbers drawn from ``rng`` in the numpy code's order (clicks, retweets, replies and their
    quality, thanks and their quality, follows). Also the rows that are promotional mentions
    addressed to the reader (the block rule looks at them after this hour's follows).
    ``author``, ``orig_author``, ``form``, ``kind`` and ``source`` are per row read; the
    other item columns are the post store's; ``edge_ack`` is the Reading's (whether the home
    feed's follow edge was acknowledged). For the follows, also whom each follows and why
    (``reactions._follows``: ``follow_codes`` are the reasons FOLLOW_FEED, FOLLOW_ROOM,
    FOLLOW_RETWEET, FOLLOW_NOTICE; the reason's field: the room, the retweeter, the form)."""
    rng = _generator(rng_handle)
    # the edge sets' look-up arrays (passed one by one: a tuple costs ~15 µs per array to pass)
    follows = (f_flags, f_bits, f_offsets, f_keys)
    blocks = (b_flags, b_bits, b_offsets, b_keys)
    m = len(reader)
    value = np.empty(m)
    rt_notice = np.zeros(m, dtype=np.bool_)
    addressed = np.zeros(m, dtype=np.bool_)
    follows_orig = np.zeros(m, dtype=np.bool_)
    related = np.zeros(m, dtype=np.bool_)
    acquainted = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r, it, oa = reader[i], item[i], orig_author[i]
        rt_notice[i] = form[i] == retweet_form and oa == r
        addressed[i] = target[it] == r and not rt_notice[i]
        if source[i] == home_source and form[i] != retweet_form:
            # read at home from its author: the follow edge the feed read it through (the
            # reader's ties have not changed since)
            follows_orig[i] = True
            acquainted[i] = edge_ack[i]
        elif _is_edge(follows, n, r, oa):
            follows_orig[i] = True
            acquainted[i] = ack[_edge_at(follows[2], follows[3], n, r, oa)]
        related[i] = acquainted[i] or _is_edge(follows, n, oa, r)
        # rule value
        rm = room[it]
        in_rooms = (interest_mask[r] >> np.uint64(max(rm, 0))) & np.uint64(1)
        relevance = 1.0 if (rm < 0 or in_rooms == 1) else p[0]
        v = quality[it] * appetite[r, kind[i]] * relevance
        v = v * (p[1] if addressed[i] else 1.0)
        if kind[i] == social and not addressed[i] and not rt_notice[i]:
            if not follows_orig[i]:
                if p[2] != 1.0:
                    v *= p[2]
            elif not related[i] and p[3] != 1.0:
                v *= p[3]
        if rt_notice[i]:
            v = p[4] * (1.0 - promo_share[author[i]])
        value[i] = v
        if not rt_notice[i]:  # an impression for the content's author, a read of the item
            impressions[oa] += 1
            reads[it] += 1
    # rule click
    clicked = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r, oa = reader[i], orig_author[i]
        if link[item[i]] and oa != r:
            acked = 1.0 if related[i] else 0.0
            t = (
                p[6]
                + p[7] * acked
                + p[8] * (1.0 - automated_share[oa])
                - p[9] * _promo_excess(promo_share, promo_tolerance, r, oa)
            )
            t = min(max(t, 0.0), 1.0)
            clicked[i] = rng.random() < p[5] * value[i] * t
    # rule retweet
    retweeted = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r, oa = reader[i], orig_author[i]
        if passable[form[i]] and oa != r:
            prob = (
                p[10]
                * value[i]
                * retweet_propensity[r]
                * (p[11] if follows_orig[i] else 1.0)
                * (p[12] if acquainted[i] else 1.0)
                * appeal[item[i]]
            )
            retweeted[i] = rng.random() < min(prob, 1.0)
    # rule reply, then the replies' quality
    replied = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r = reader[i]
        if not rt_notice[i] and orig_author[i] != r:
            q = p[14] if (kind[i] == question and form[i] == original) else 1.0
            prob = p[13] * value[i] * reply_propensity[r] * q
            replied[i] = rng.random() < min(prob, 1.0)
    reply_quality = _own_words_quality(rng, replied, reader, quality_mean)
    # rule thanks, then the thanks' quality
    thanked = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        if rt_notice[i]:
            thanked[i] = rng.random() < thank_prob[reader[i]]
    thank_quality = _own_words_quality(rng, thanked, reader, quality_mean)
    # rule follow: the content's author (or whoever retweeted my post)
    followed = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r = reader[i]
        c = author[i] if rt_notice[i] else orig_author[i]
        if c == r or not follow_propensity[r] > 0:
            continue
        if follows_orig[i] if c == orig_author[i] else _is_edge(follows, n, r, c):
            continue
        if _is_edge(blocks, n, r, c) or _is_edge(blocks, n, c, r):
            continue
        saturation = 1.0 / (1.0 + out_degree[r] / p[16])
        rate = daily_items[c]
        tolerance = profile_tolerance[r]  # rule 7.16 (reactions.update_profile_tolerance)
        flood = max(1.0 - tolerance / max(rate, 1e-12), 0.0)
        profile = (1.0 - p[17] * _promo_excess(promo_share, promo_tolerance, r, c)) * (
            1.0 - p[18] * flood
        )
        noticed = addressed[i] or rt_notice[i]
        prob = (
            p[15]
            * value[i]
            * follow_propensity[r]
            * saturation
            * profile
            * (p[19] if noticed else 1.0)
        )
        followed[i] = rng.random() < min(prob, 1.0)
    mentions = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        mentions[i] = addressed[i] and form[i] == mention and kind[i] == promo
    # whom each follow is of, and why: the first that applies of noticed, a retweet, read in
    # a room, else from the feed
    follow_rows = followed.nonzero()[0]
    whom = np.empty(len(follow_rows), dtype=np.int64)
    why = np.empty(len(follow_rows), dtype=np.int64)
    field = np.zeros(len(follow_rows), dtype=np.int64)
    for j in range(len(follow_rows)):
        i = follow_rows[j]
        whom[j] = author[i] if rt_notice[i] else orig_author[i]
        if addressed[i] or rt_notice[i]:
            why[j], field[j] = follow_codes[3], form[i]
        elif form[i] == retweet_form:
            why[j], field[j] = follow_codes[2], author[i]
        elif source[i] == room_source:
            why[j], field[j] = follow_codes[1], room[item[i]]
        else:
            why[j] = follow_codes[0]
    return (
        value,
        clicked.nonzero()[0],
        retweeted.nonzero()[0],
        replied.nonzero()[0],
        reply_quality,
        thanked.nonzero()[0],
        thank_quality,
        follow_rows,
        whom,
        why,
        field,
        mentions.nonzero()[0],
        rt_notice,
        addressed,
    )


@njit(cache=True, inline="always", error_model="numpy")
def _has_key(flags, bits, keys, k):
    """Is ``k`` one of the sorted ``keys``? (its flag or bit where they are kept, else a
    binary search of all the keys)"""
    if len(flags):
        return flags[k]
    if len(bits):
        return (bits[k >> 3] >> (k & 7)) & 1 == 1
    i = _first_at_least(keys, 0, len(keys), k)
    return i < len(keys) and keys[i] == k


@njit(cache=True, error_model="numpy")
def distinct_in(k, keys):
    """The distinct values of ``k`` in increasing order, the index of each one's first
    occurrence in ``k``, its position among the sorted ``keys`` (``np.searchsorted``) and
    whether it is one of them (``unique_first`` and a search, as the numpy code does)."""
    m = len(k)
    order = np.argsort(k, kind="mergesort")  # stable: the first occurrence first
    values = np.empty(m, dtype=np.int64)
    first = np.empty(m, dtype=np.int64)
    pos = np.empty(m, dtype=np.int64)
    found = np.empty(m, dtype=np.bool_)
    c = 0
    at = 0
    for j in range(m):
        i = order[j]
        if j > 0 and k[i] == k[order[j - 1]]:
            continue
        at = _first_at_least(keys, at, len(keys), k[i])
        values[c], first[c], pos[c] = k[i], i, at
        found[c] = at < len(keys) and keys[at] == k[i]
        c += 1
    return values[:c], first[:c], pos[:c], found[:c]


@njit(cache=True, error_model="numpy")
def plan_add(keys, n, src, dst):
    """What :meth:`sim.engine.edges.EdgeSet.add` adds: the distinct keys ``src * n + dst``
    that are not self-loops and not edges yet, sorted; the index of each one's first
    occurrence in the inputs; and where each goes among the current ``keys``."""
    new, first, pos, found = distinct_in(src * n + dst, keys)
    keep = ~found & (new // n != new % n)
    return new[keep], first[keep], pos[keep]


@njit(cache=True, error_model="numpy")
def plan_remove(keys, n, src, dst):
    """What :meth:`sim.engine.edges.EdgeSet.remove` removes: the distinct keys
    ``src * n + dst`` that are edges, sorted; the index of each one's first occurrence in
    the inputs; and the position of each in ``keys``."""
    gone, first, pos, found = distinct_in(src * n + dst, keys)
    return gone[found], first[found], pos[found]


@njit(cache=True, error_model="numpy")
def insert_at(values, pos, new):
    """``np.insert(values, pos, new)`` for increasing ``pos``."""
    out = np.empty(len(values) + len(pos), dtype=values.dtype)
    prev = 0
    for t in range(len(pos)):
        out[prev + t : pos[t] + t] = values[prev : pos[t]]
        out[pos[t] + t] = new[t]
        prev = pos[t]
    out[prev + len(pos) :] = values[prev:]
    return out


@njit(cache=True, inline="always", error_model="numpy")
def _open_gaps(buf, m, pos):
    """Move the values of ``buf[:m]`` right, in place, so that ``buf[pos[t] + t]`` is free
    for a new value for each of the increasing ``pos`` (``buf`` has room for them)."""
    hi = m
    for t in range(len(pos) - 1, -1, -1):
        _move(buf, pos[t] + t + 1, pos[t], hi)
        hi = pos[t]


@njit(cache=True, error_model="numpy")
def insert_into(buf, m, pos, new):
    """:func:`insert_at` in place: ``buf[:m]`` holds the values and has room after them for
    ``len(pos)`` more; afterwards ``buf[:m + len(pos)]`` holds the result."""
    _open_gaps(buf, m, pos)
    for t in range(len(pos)):
        buf[pos[t] + t] = new[t]


@njit(cache=True, error_model="numpy")
def insert_filled_into(buf, m, pos, value):
    """:func:`insert_into` with one value for every new place."""
    _open_gaps(buf, m, pos)
    for t in range(len(pos)):
        buf[pos[t] + t] = value


@njit(cache=True, error_model="numpy")
def delete_from(buf, m, pos):
    """``np.delete(buf[:m], pos)`` in place, for increasing distinct ``pos``: afterwards
    ``buf[:m - len(pos)]`` holds the result."""
    k = len(pos)
    for t in range(k):
        hi = pos[t + 1] if t + 1 < k else m
        _move(buf, pos[t] - t, pos[t] + 1, hi)


@njit(cache=True, error_model="numpy")
def set_members(flags, bits, changed, on):
    """Set (``on``) or clear the membership flag or bit of each key in ``changed``."""
    for k in changed:
        if len(flags):
            flags[k] = on
        elif len(bits):
            if on:
                bits[k >> 3] |= np.uint8(1 << (k & 7))
            else:
                bits[k >> 3] &= np.uint8(~(1 << (k & 7)) & 0xFF)


@njit(cache=True, error_model="numpy")
def count_degrees(out_degree, in_degree, changed, n, sign, offsets):
    """Add ``sign`` to the out-degree of each key's source and the in-degree of its target;
    ``offsets`` (:attr:`sim.engine.edges.EdgeSet.offsets`) becomes the running sum of the
    out-degrees again."""
    for k in changed:
        out_degree[k // n] += sign
        in_degree[k % n] += sign
    for u in range(n):
        offsets[u + 1] = offsets[u] + out_degree[u]


@njit(cache=True, error_model="numpy")
def mutual_change(flags, bits, keys, n, changed):
    """:meth:`sim.engine.edges.EdgeSet._mutual_change`: mutual edges gained by adding (or
    lost by removing) the sorted keys ``changed``, all of them present in ``keys``."""
    total = 0
    for k in changed:
        reverse = (k % n) * n + k // n
        if _has_key(flags, bits, keys, reverse):
            i = _first_at_least(changed, 0, len(changed), reverse)
            both = i < len(changed) and changed[i] == reverse
            total += 1 if both else 2
    return total


@njit(cache=True, error_model="numpy")
def room_items(
    readers,
    browse_n,
    u_room,
    u_pick,
    n_interests,
    interests,
    lo,
    end,
    room,
    form,
    author,
    n_rooms,
    original,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    b_flags,
    b_bits,
    b_offsets,
    b_keys,
    n,
):
    """Room browsing (:func:`sim.engine.feed.room_browse`) with its random numbers given:
    ``u_room`` (one per reader) picks the room among the reader's interests, ``u_pick``
    (``browse_n`` per reader, in turn) the original posts tagged there in posts ``[lo,
    end)``; each reader's distinct picks in post order, without its own posts, its
    followees' and blocked authors'. Returns (reader, post)."""
    # the edge sets' look-up arrays (passed one by one: a tuple costs ~15 µs per array to pass)
    follows = (f_flags, f_bits, f_offsets, f_keys)
    blocks = (b_flags, b_bits, b_offsets, b_keys)
    counts = np.zeros(n_rooms, dtype=np.int64)
    for p in range(lo, end):
        if room[p] >= 0 and form[p] == original:
            counts[room[p]] += 1
    first = np.empty(n_rooms, dtype=np.int64)
    total = 0
    for rm in range(n_rooms):
        first[rm] = total
        total += counts[rm]
    by_room = np.empty(total, dtype=np.int64)  # the room's posts, oldest first
    fill = first.copy()
    for p in range(lo, end):
        if room[p] >= 0 and form[p] == original:
            by_room[fill[room[p]]] = p
            fill[room[p]] += 1
    out_reader = np.empty(len(u_pick), dtype=np.int64)
    out_post = np.empty(len(u_pick), dtype=np.int64)
    picked = np.empty(len(u_pick), dtype=np.int64)
    m = 0
    k = 0
    for s in range(len(readers)):
        r = readers[s]
        rm = interests[r, np.int64(np.floor(u_room[s] * n_interests[r]))]
        avail = counts[rm]
        c = 0
        for _ in range(browse_n[s]):
            if avail > 0:
                picked[c] = by_room[first[rm] + np.int64(np.floor(u_pick[k] * avail))]
                c += 1
            k += 1
        _sort_few(picked, c)
        for j in range(c):
            p = picked[j]
            if j > 0 and p == picked[j - 1]:
                continue
            a = author[p]
            if a == r or _is_edge(follows, n, r, a) or _is_edge(blocks, n, r, a):
                continue
            out_reader[m] = r
            out_post[m] = p
            m += 1
    return out_reader[:m], out_post[:m]


@njit(cache=True, error_model="numpy")
def flood_and_promo_unfollows(
    rng_handle,
    reader,
    post,
    source,
    home,
    edge_seen,
    edge_ack,
    author,
    kind,
    promo,
    flood_tolerance,
    promo_tolerance,
    pruning,
    promo_share,
    feed_total,
    boost_by_relations,
    flood_prob,
    promo_prob,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    n,
):
    """The flood and too-promotional unfollows (:func:`sim.engine.ties.unfollow_phase`):
    one chance per flooded (reader, followee) pair, in key order, then one with each
    promotional item from a too promotional followee, in reading order; the chance x the
    tie's relationship factor (``boost_by_relations[number of relationships]``) x the
    reader's pruning propensity. Returns (reader, followee, is flood, the four reason
    fields), floods first."""
    rng = _generator(rng_handle)
    # the follow edges' look-up arrays (passed one by one: a tuple costs ~15 µs per array)
    follows = (f_flags, f_bits, f_offsets, f_keys)
    rows = np.nonzero(source == home)[0]
    m = len(rows)
    keys = np.empty(m, dtype=np.int64)
    flooded = np.empty(m, dtype=np.int64)
    f = 0
    for i in rows:
        r = reader[i]
        if edge_seen[i] > flood_tolerance[r]:
            keys[f] = r * n + author[post[i]]
            flooded[f] = i
            f += 1
    # key order (the chronological feed's rows come so already; else a stable sort)
    order = np.arange(f) if _ascending(keys, f) else np.argsort(keys[:f], kind="mergesort")
    out_r = np.empty(2 * m, dtype=np.int64)
    out_b = np.empty(2 * m, dtype=np.int64)
    fields = np.zeros((4, 2 * m))
    c = 0
    for j in range(f):
        if j > 0 and keys[order[j]] == keys[order[j - 1]]:
            continue
        i = flooded[order[j]]
        r, b = reader[i], author[post[i]]
        n_rel = (1 if edge_ack[i] else 0) + (1 if _is_edge(follows, n, b, r) else 0)
        if rng.random() < flood_prob * (boost_by_relations[n_rel] * pruning[r]):
            out_r[c], out_b[c] = r, b
            fields[0, c] = edge_seen[i] / max(feed_total[r], 1e-12)
            fields[1, c] = edge_seen[i]
            fields[2, c] = feed_total[r]
            fields[3, c] = flood_tolerance[r]
            c += 1
    n_flood = c
    for i in rows:
        r, b = reader[i], author[post[i]]
        if kind[post[i]] == promo and promo_share[b] > promo_tolerance[r]:
            n_rel = (1 if edge_ack[i] else 0) + (1 if _is_edge(follows, n, b, r) else 0)
            if rng.random() < promo_prob * (boost_by_relations[n_rel] * pruning[r]):
                out_r[c], out_b[c] = r, b
                fields[0, c] = promo_share[b]
                fields[1, c] = promo_tolerance[r]
                c += 1
    is_flood = np.zeros(c, dtype=np.bool_)
    is_flood[:n_flood] = True
    return out_r[:c], out_b[:c], is_flood, fields[:, :c]


@njit(cache=True, error_model="numpy")
def everyday_unfollows(
    rng_handle,
    online,
    pruning,
    review_prob,
    hour,
    last_item_step,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    worth,
    ack,
    out_degree,
    n,
    silence_steps,
    relationship_value,
    feed_capacity,
    cleanup_floor,
    unfollow_floor,
    silent,
    irrelevant,
    cleanup,
):
    """The everyday unfollows (:func:`sim.engine.everyday.everyday_unfollow_phase`): each
    online account with followees looks again at one of them with ``review_prob`` x its
    pruning propensity (a random number for every online account, then one for each that
    looks, in account order) and drops the tie if its value is below the floor. Returns
    (reader, followee, reason, the three reason fields)."""
    rng = _generator(rng_handle)
    # the follow edges' look-up arrays (passed one by one: a tuple costs ~15 µs per array)
    follows = (f_flags, f_bits, f_offsets, f_keys)
    offsets, keys = follows[2], follows[3]
    readers = np.nonzero(online)[0]
    looking = np.empty(len(readers), dtype=np.int64)
    c = 0
    for r in readers:
        has = offsets[r + 1] > offsets[r]
        if rng.random() < review_prob * pruning[r] and has:
            looking[c] = r
            c += 1
    out_r = np.empty(c, dtype=np.int64)
    out_b = np.empty(c, dtype=np.int64)
    why = np.empty(c, dtype=np.int64)
    fields = np.zeros((3, c))
    d = 0
    for j in range(c):
        r = looking[j]
        start, end = offsets[r], offsets[r + 1]
        pos = start + np.int64(np.floor(rng.random() * (end - start)))
        b = keys[pos] % n
        hours = hour - last_item_step[b]
        items = 0.0 if hours > silence_steps else worth[pos]
        mutual = 1.0 if _is_edge(follows, n, b, r) else 0.0
        value = items + relationship_value * (mutual + (1.0 if ack[pos] else 0.0))
        following = out_degree[r]
        floor = cleanup_floor if following > feed_capacity else unfollow_floor
        if not value < floor:
            continue
        out_r[d], out_b[d] = r, b
        if hours > silence_steps:
            why[d] = silent
            fields[0, d], fields[1, d] = hours, value
        elif value < unfollow_floor:
            why[d] = irrelevant
            fields[0, d], fields[1, d] = value, unfollow_floor
        else:
            why[d] = cleanup
            fields[0, d], fields[1, d], fields[2, d] = following, feed_capacity, value
        d += 1
    return out_r[:d], out_b[:d], why[:d], fields[:, :d]


@njit(cache=True, error_model="numpy")
def worth_updates(reader, post, source, home, value, author, f_flags, f_bits, f_offsets, f_keys, n):
    """The follow edges read from at home this hour (:func:`sim.engine.everyday.
    update_worth`), in edge order, with the number of items read from each and their mean
    value (summed in reading order, as ``np.bincount`` sums)."""
    offsets, keys = f_offsets, f_keys
    m = len(reader)
    pos = np.empty(m, dtype=np.int64)
    v = np.empty(m)
    c = 0
    for i in range(m):
        if source[i] == home:
            at = _edge_at(offsets, keys, n, reader[i], author[post[i]])
            if at >= 0:
                pos[c] = at
                v[c] = value[i]
                c += 1
    # in edge order, each edge's rows in reading order (the same sums as np.bincount's): the
    # chronological feed's rows come so already (by reader, then by follow edge); else a sort
    # of edge x rows + row (faster here than numba's stable argsort)
    order = np.arange(c)
    if not _ascending(pos, c):
        order = pos[:c] * c + order
        order.sort()
        order %= max(c, 1)
    touched = np.empty(c, dtype=np.int64)
    count = np.empty(c, dtype=np.int64)
    mean = np.empty(c)
    t = -1
    for j in range(c):
        i = order[j]
        if t < 0 or pos[i] != touched[t]:
            t += 1
            touched[t], count[t], mean[t] = pos[i], 0, 0.0
        count[t] += 1
        mean[t] += v[i]
    t += 1
    for j in range(t):
        mean[j] = mean[j] / count[j]
    return touched[:t], count[:t], mean[:t]


@njit(cache=True, error_model="numpy")
def count_each(counter, who):
    """``counter += np.bincount(who, minlength=len(counter))`` without the bincount: one
    for each value in ``who`` (:func:`sim.engine.ties.count_each`)."""
    for a in who:
        counter[a] += 1


@njit(cache=True, error_model="numpy")
def move_worth(worth, touched, keep, mean):
    """``worth[touched]`` moves to ``mean`` by 1 - ``keep`` (:func:`sim.engine.everyday.
    update_worth`; ``keep`` from numpy's power), in place."""
    for j in range(len(touched)):
        e = touched[j]
        worth[e] = keep[j] * worth[e] + (1.0 - keep[j]) * mean[j]


@njit(cache=True, error_model="numpy")
def react_outcomes(
    reader,
    item,
    author,
    orig_author,
    kind,
    clicked,
    retweeted,
    replied,
    reply_quality,
    thanked,
    thank_quality,
    orig,
    content,
    quality,
    appeal,
    link,
    room,
    retweets,
    replies,
    col_author,
    col_form,
    col_kind,
    col_orig_author,
    col_target,
    col_step,
    col_parent,
    retweet_log,
    shift,
    clicks,
    retweets_received,
    replies_received,
    retweets_made,
    replies_made,
    start,
    hour,
    retweet_form,
    reply_form,
    thanks_form,
    social,
):
    """What the reaction rules' decisions change (:func:`sim.engine.reactions.click`,
    ``retweet``, ``reply`` and ``thank`` after their draws): the counters and the items'
    retweet and reply counts (in place), the retweets that pass (a reader retweets a post
    once: ``retweet_log`` holds reader x ``shift`` + post, sorted) and the new items, in the
    order the numpy code appends them (retweets, replies, thanks), written into the post
    store's columns from row ``start`` on (the columns have room for them; the caller counts
    them in: :meth:`sim.engine.posts.PostStore.commit`). Returns (the log keys to add, where
    they go, the number of new items)."""
    for i in clicked:
        clicks[orig_author[i]] += 1
    # retweets: the first of each (reader, post) in this batch, if not in the log before
    h = len(retweeted)
    rk = np.empty(h, dtype=np.int64)
    for j in range(h):
        i = retweeted[j]
        rk[j] = reader[i] * shift + orig[item[i]]
    keys, first, where, found = distinct_in(rk, retweet_log)
    log_new, log_pos = keys[~found], where[~found]
    once = np.zeros(h, dtype=np.bool_)
    once[first[~found]] = True
    c = len(log_new)
    w = start  # the next new item's row
    for j in range(h):
        if not once[j]:
            continue
        i = retweeted[j]
        it, o = item[i], orig[item[i]]
        retweets[o] += 1
        retweets_made[reader[i]] += 1
        retweets_received[orig_author[i]] += 1
        col_author[w], col_form[w], col_kind[w] = reader[i], retweet_form, kind[i]
        orig[w], col_orig_author[w], content[w] = o, orig_author[i], content[it]
        room[w], quality[w], appeal[w] = room[it], quality[it], appeal[it]
        link[w], col_target[w], col_step[w] = link[it], orig_author[i], hour
        col_parent[w] = it  # the item read: the post itself or a retweet of it
        w += 1
    for j in range(len(replied)):
        i = replied[j]
        replies[item[i]] += 1
        replies_made[reader[i]] += 1
        replies_received[orig_author[i]] += 1
        col_author[w], col_form[w], col_kind[w] = reader[i], reply_form, social
        orig[w], col_orig_author[w], content[w] = w, reader[i], w
        room[w], quality[w] = room[item[i]], min(max(reply_quality[j], 0.0), 1.0)
        appeal[w], link[w], col_target[w], col_step[w] = 1.0, False, orig_author[i], hour
        w += 1
    for j in range(len(thanked)):
        i = thanked[j]
        col_author[w], col_form[w], col_kind[w] = reader[i], thanks_form, social
        orig[w], col_orig_author[w], content[w] = w, reader[i], w
        room[w], quality[w] = -1, min(max(thank_quality[j], 0.0), 1.0)
        appeal[w], link[w], col_target[w], col_step[w] = 1.0, False, author[i], hour
        w += 1
    return log_new[:c], log_pos[:c], w - start


@njit(cache=True, error_model="numpy")
def add_edges(flags, bits, buf, m, n, src, dst, out_degree, in_degree, offsets):
    """:meth:`sim.engine.edges.EdgeSet.add` for the keys, in place: ``buf[:m]`` holds the
    sorted keys and has room for ``len(src)`` more. Returns the index of each added edge's
    first occurrence in the inputs, where each went among the old keys, and the mutual edges
    gained; afterwards ``buf[:m + len(added)]`` holds the keys; flags or bits, degrees and
    ``offsets`` are updated in place."""
    new, first, pos = plan_add(buf[:m], n, src, dst)
    if len(new) == 0:
        return first, pos, 0
    set_members(flags, bits, new, True)
    insert_into(buf, m, pos, new)
    count_degrees(out_degree, in_degree, new, n, 1, offsets)
    return first, pos, mutual_change(flags, bits, buf[: m + len(new)], n, new)


@njit(cache=True, error_model="numpy")
def add_edges_unless(
    u_flags,
    u_bits,
    u_offsets,
    u_keys,
    flags,
    bits,
    buf,
    m,
    n,
    src,
    dst,
    out_degree,
    in_degree,
    offsets,
):
    """:func:`add_edges` for the pairs that are not edges of the set whose look-up arrays are
    the ``u_`` ones, either way (:meth:`sim.engine.edges.EdgeSet.add` with ``unless``); the
    indices returned are into the given ``src``/``dst``."""
    unless = (u_flags, u_bits, u_offsets, u_keys)
    if len(u_keys) == 0:
        return add_edges(flags, bits, buf, m, n, src, dst, out_degree, in_degree, offsets)
    ok = np.empty(len(src), dtype=np.int64)
    k = 0
    for i in range(len(src)):
        if not (_is_edge(unless, n, src[i], dst[i]) or _is_edge(unless, n, dst[i], src[i])):
            ok[k] = i
            k += 1
    ok = ok[:k]
    first, pos, mutual = add_edges(
        flags, bits, buf, m, n, src[ok], dst[ok], out_degree, in_degree, offsets
    )
    return ok[first], pos, mutual


@njit(cache=True, error_model="numpy")
def remove_edges(flags, bits, buf, m, n, src, dst, out_degree, in_degree, offsets):
    """:meth:`sim.engine.edges.EdgeSet.remove` for the keys ``buf[:m]``, in place: the index
    of each removed edge's first occurrence in the inputs, the positions removed and the
    mutual edges lost; afterwards ``buf[:m - len(removed)]`` holds the keys; flags or bits,
    degrees and ``offsets`` are updated in place."""
    gone, first, at = plan_remove(buf[:m], n, src, dst)
    if len(gone) == 0:
        return first, at, 0
    lost = mutual_change(flags, bits, buf[:m], n, gone)  # counted while all are present
    set_members(flags, bits, gone, False)
    count_degrees(out_degree, in_degree, gone, n, -1, offsets)
    delete_from(buf, m, at)
    return first, at, lost


@njit(cache=True, error_model="numpy")
def original_posts(
    authors,
    automated,
    u_kind,
    noise,
    u_link,
    u_tag,
    u_room,
    appeal,
    u_repost,
    content_cum,
    quality_mean,
    link_prob,
    hashtag_prob,
    n_interests,
    interests,
    repost_prob,
    last_original,
    post_step,
    post_kind,
    post_quality,
    post_link,
    post_appeal,
    post_content,
    post_author,
    post_form,
    post_orig,
    post_orig_author,
    post_target,
    post_room,
    post_automated,
    hour,
    min_gap,
    size,
    promo,
    info,
    original,
):
    """New original posts' columns (:func:`sim.engine.posting.publish_originals`) from its
    random numbers, drawn by the caller in the numpy code's order: the kind (``u_kind``
    against the author's cumulative content shares), quality (+ ``noise``, clipped), a link
    (promotional, or informational with ``link_prob``), a room (with ``hashtag_prob``, one of
    the author's interests), ``appeal``; and re-posts of the author's last original, at least
    ``min_gap`` hours old (its kind, quality, link, appeal and content id). The items are
    written into the post store's columns (``post_``) from row ``size`` on, which have room
    for them (the caller counts them in: :meth:`sim.engine.posts.PostStore.commit`), and
    each author's ``last_original`` becomes its last new one."""
    m = len(authors)
    for i in range(m):
        a = authors[i]
        w = size + i
        k = 0
        for j in range(content_cum.shape[1] - 1):
            k += u_kind[i] > content_cum[a, j]
        quality = min(max(quality_mean[a] + noise[i], 0.0), 1.0)
        link = k == promo or (k == info and u_link[i] < link_prob[a])
        pick = interests[a, np.int64(np.floor(u_room[i] * n_interests[a]))]
        post_room[w] = pick if u_tag[i] < hashtag_prob[a] else -1
        post_appeal[w], post_content[w] = appeal[i], w
        last = last_original[a]  # (as the hour began: updated below)
        if u_repost[i] < repost_prob[a] and last >= 0 and post_step[last] <= hour - min_gap:
            k, quality, link = post_kind[last], post_quality[last], post_link[last]
            post_appeal[w], post_content[w] = post_appeal[last], post_content[last]
        post_kind[w], post_quality[w], post_link[w] = k, quality, link
        post_author[w], post_form[w], post_orig[w], post_orig_author[w] = a, original, w, a
        post_target[w], post_step[w], post_automated[w] = -1, hour, automated[i]
    for i in range(m):
        last_original[authors[i]] = size + i  # the last one wins for authors with several


@njit(cache=True, error_model="numpy")
def hour_items(
    author,
    form,
    target,
    kind,
    automated,
    n,
    hour,
    posts_count,
    last_item_step,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    ack,
    mention,
    retweet_form,
    promo,
    daily_items,
    decay,
):
    """This hour's items (``PartyModel._close_hour``): items per author (added to
    ``posts_count`` and, after ``daily_items`` x ``decay``, to ``daily_items``), the hour of
    each author's last item, acknowledgements (a reply, retweet or thanks marks the target's
    follow of its author as acknowledged), the items addressed to someone (their positions in
    this hour's items), and for the authors who posted (in account order) their number of
    items, of promotional originals and of automated items (for :func:`profile_shares`)."""
    n_items = np.zeros(n, dtype=np.int64)
    n_promo = np.zeros(n)
    n_auto = np.zeros(n)
    addressed = np.empty(len(author), dtype=np.int64)
    c = 0
    for i in range(len(author)):
        a, t = author[i], target[i]
        n_items[a] += 1
        last_item_step[a] = hour
        if t >= 0:
            addressed[c] = i
            c += 1
            if form[i] != mention:
                at = _edge_at(f_offsets, f_keys, n, t, a)
                if at >= 0:
                    ack[at] = True
        if kind[i] == promo and form[i] != retweet_form:
            n_promo[a] += 1.0
        if automated[i]:
            n_auto[a] += 1.0
    n_posted = 0
    for a in range(n):
        posts_count[a] += n_items[a]
        daily_items[a] *= decay  # (then + the items: two steps, as numpy's *= and +=)
        daily_items[a] += n_items[a]
        n_posted += n_items[a] > 0
    posted = np.empty(n_posted, dtype=np.int64)
    items, promos, autos = (
        np.empty(n_posted, dtype=np.int64),
        np.empty(n_posted),
        np.empty(n_posted),
    )
    j = 0
    for a in range(n):
        if n_items[a] > 0:
            posted[j], items[j], promos[j], autos[j] = a, n_items[a], n_promo[a], n_auto[a]
            j += 1
    return addressed[:c], posted, items, promos, autos


@njit(cache=True, error_model="numpy")
def profile_shares(
    posted, n_items, keep, n_promo, n_auto, promo_share, automated_share, has_posted
):
    """``PartyModel._update_profiles`` for the accounts ``posted`` (with ``n_items`` items this
    hour, ``n_promo`` promotional originals and ``n_auto`` automated ones): their running
    promotional and automated shares move to this hour's by 1 - ``keep`` (``keep`` computed by
    numpy's power: its vectorised results may differ from libm's in the last bit)."""
    for j in range(len(posted)):
        a = posted[j]
        promo_share[a] = keep[j] * promo_share[a] + (1 - keep[j]) * (n_promo[j] / n_items[j])
        automated_share[a] = keep[j] * automated_share[a] + (1 - keep[j]) * (n_auto[j] / n_items[j])
        has_posted[a] = True


@njit(cache=True, error_model="numpy")
def online_hour(
    rng_handle,
    hour_of_day,
    tz,
    activity,
    curve,
    curve_peak,
    share,
    was,
    stay_prob,
    away_left,
    absence_scale,
    away_shape,
):
    """:func:`sim.engine.posting.online_now` up to the new sessions' intensity: who goes on,
    who comes back, the absences (``away_left``, updated in place) of the sessions that end.
    The same draws in the same order: ``random(n)`` for staying, ``random(n)`` for coming back,
    ``weibull`` for the ended sessions, ``standard_normal`` for the new sessions' intensity
    (numba's Generator methods give numpy's values). Returns (online, the accounts whose
    session starts, their normal draws for :func:`sim.engine.posting.mean_one_from_normal`)."""
    rng = _generator(rng_handle)
    n = len(activity)
    base = np.empty(n)
    for i in range(n):
        local = (hour_of_day + tz[i]) % 24
        if local < 0:
            local += 24
        base[i] = min(activity[i] * curve[local], 1.0)
    u_stay = rng.random(n)
    going_on = np.empty(n, dtype=np.bool_)
    for i in range(n):
        going_on[i] = was[i] and u_stay[i] < stay_prob
        if not was[i] and share[i] > 0:  # an hour away counts base / share waking hours
            away_left[i] -= base[i] / share[i]
    u_back = rng.random(n)
    online = np.empty(n, dtype=np.bool_)
    n_started = 0
    n_ended = 0
    for i in range(n):
        back = (
            not was[i]
            and away_left[i] <= 0
            and u_back[i] * min(activity[i] * curve_peak, 1.0) < base[i]
        )
        online[i] = going_on[i] or back
        n_started += back
        n_ended += was[i] and not going_on[i]
    weibull = rng.weibull(away_shape, n_ended)
    started = np.empty(n_started, dtype=np.int64)
    k = 0
    j = 0
    for i in range(n):
        if was[i] and not going_on[i]:
            away_left[i] = absence_scale[i] * weibull[k]
            k += 1
        elif online[i] and not was[i]:
            started[j] = i
            j += 1
    return online, started, rng.standard_normal(n_started)


@njit(cache=True, error_model="numpy")
def hour_authors(rng_handle, online, posts_per_hour, intensity, n_sched):
    """The hour's new originals' authors and whether each is scheduled
    (:func:`sim.engine.posting.post_phase`): Poisson(``posts_per_hour`` x ``intensity``)
    posts by hand (drawn for every account in turn, kept for those online), then its
    scheduled ones, in account order."""
    rng = _generator(rng_handle)
    n = len(online)
    n_drawn = np.empty(n, dtype=np.int64)
    for i in range(n):
        n_drawn[i] = _poisson(rng, posts_per_hour[i] * intensity[i])
    total = 0
    for i in range(n):
        total += (n_drawn[i] if online[i] else 0) + n_sched[i]
    authors = np.empty(total, dtype=np.int64)
    automated = np.empty(total, dtype=np.bool_)
    m = 0
    for i in range(n):
        n_own = n_drawn[i] if online[i] else 0
        for j in range(n_own + n_sched[i]):
            authors[m] = i
            automated[m] = j >= n_own
            m += 1
    return authors, automated


@njit(cache=True, error_model="numpy")
def blast_counts(rng_handle, rate, online):
    """:func:`sim.engine.posting.blast`'s number of mentions per account: Poisson(``rate``)
    for each account with a rate above 0, in turn (online or not), kept for those online."""
    rng = _generator(rng_handle)
    count = np.zeros(len(rate), dtype=np.int64)
    for i in range(len(rate)):
        if rate[i] != 0:
            drawn = _poisson(rng, rate[i])
            if online[i]:
                count[i] = drawn
    return count


@njit(cache=True, error_model="numpy")
def blast_items(
    rng_handle,
    count,
    n_interests,
    interests,
    room_size,
    room_first,
    room_members,
    quality_mean,
    quality_sd,
    post_author,
    post_form,
    post_kind,
    post_orig,
    post_orig_author,
    post_content,
    post_room,
    post_quality,
    post_appeal,
    post_link,
    post_target,
    post_step,
    size,
    hour,
    mention,
    promo,
):
    """:func:`sim.engine.posting.blast`'s new mentions, ``count`` per account
    (:func:`blast_counts`): a random interest room per mention (``pick_rooms``), a random
    member of it as target (``random_room_member``), mentions of oneself dropped, then quality
    = clip(quality_mean + N(0, ``quality_sd``), 0, 1); promotional, with a link, tagged with
    the room. Written into the post store's columns (``post_``) from row ``size`` on (room for
    ``count.sum()`` rows; the caller counts them in); returns their number."""
    rng = _generator(rng_handle)
    total = 0
    for i in range(len(count)):
        total += count[i]
    authors = np.empty(total, dtype=np.int64)
    m = 0
    for i in range(len(count)):
        for _ in range(count[i]):
            authors[m] = i
            m += 1
    u_room = rng.random(total)
    room = np.empty(total, dtype=np.int64)
    for k in range(total):
        a = authors[k]
        room[k] = interests[a, int(np.floor(u_room[k] * n_interests[a]))]
    u_member = rng.random(total)
    targets = np.empty(total, dtype=np.int64)
    keep = 0
    for k in range(total):
        r = room[k]
        target = room_members[room_first[r] + int(np.floor(u_member[k] * room_size[r]))]
        if target != authors[k]:  # no mentions of oneself
            authors[keep] = authors[k]
            room[keep] = r
            targets[keep] = target
            keep += 1
    noise = rng.normal(0.0, quality_sd, keep)
    for k in range(keep):
        a, w = authors[k], size + k
        post_quality[w] = min(max(quality_mean[a] + noise[k], 0.0), 1.0)
        post_author[w], post_form[w], post_kind[w], post_orig[w] = a, mention, promo, w
        post_orig_author[w], post_content[w], post_room[w] = a, w, room[k]
        post_appeal[w], post_link[w], post_target[w], post_step[w] = 1.0, True, targets[k], hour
    return keep


@njit(cache=True, error_model="numpy")
def read_hour(
    rng_handle,
    online,
    attention,
    browse_share,
    pending,
    hour,
    ttl,
    seen_upto,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    b_flags,
    b_bits,
    b_offsets,
    b_keys,
    n,
    feed_lo,
    browse_lo,
    end,
    author,
    form,
    target,
    orig,
    orig_author,
    retweets,
    step,
    room,
    addressed_form,
    retweet_form,
    original,
    n_rooms,
    n_interests,
    interests,
    mark,
    stamp,
    seen,
    ack,
    feed_total,
    decay,
):
    """:func:`sim.engine.feed.read_phase` under the chronological feed, in one loop:
    notifications, the browsing share, the home feed (:func:`home_items`,
    :func:`newest_first`), the flood memory (``record_feed_shares``: ``seen`` and
    ``feed_total`` in place), room browsing (:func:`room_items`) and ``seen_upto``; the same
    draws in the same order (browsing shares, the newest-first cut, the rooms, the picks).
    Returns (pending notifications left, then the Reading's reader, post, source - 0, 1, 2 for
    ``feed.NOTIFICATION``, ``HOME``, ``ROOM`` - edge_seen, edge_ack)."""
    rng = _generator(rng_handle)
    n_readers = 0
    for i in range(n):
        n_readers += online[i]
    readers = np.empty(n_readers, dtype=np.int64)
    slot_of = np.full(n, -1, dtype=np.int64)
    s = 0
    for i in range(n):
        if online[i]:
            readers[s] = i
            slot_of[i] = s
            s += 1
    # rule notifications: pending items for online targets, oldest first, at most attention
    left = np.empty(len(pending), dtype=np.int64)
    n_left = 0
    per_reader = np.zeros(n_readers + 1, dtype=np.int64)
    for p in pending:
        t = target[p]
        if online[t]:
            per_reader[slot_of[t] + 1] += 1
        elif step[p] >= hour - ttl:
            left[n_left] = p
            n_left += 1
    for s in range(n_readers):
        per_reader[s + 1] += per_reader[s]
    delivered = np.empty(per_reader[n_readers], dtype=np.int64)  # by reader, pending order
    fill = per_reader[:-1].copy()
    for p in pending:
        t = target[p]
        if online[t]:
            delivered[fill[slot_of[t]]] = p
            fill[slot_of[t]] += 1
    blocks = (b_flags, b_bits, b_offsets, b_keys)
    n_r = np.empty(len(delivered), dtype=np.int64)
    n_p = np.empty(len(delivered), dtype=np.int64)
    read_notifs = np.zeros(n_readers, dtype=np.int64)
    k = 0
    for s in range(n_readers):
        r = readers[s]
        for j in range(per_reader[s], per_reader[s + 1]):
            p = delivered[j]
            if j - per_reader[s] < attention[r] and not _is_edge(blocks, n, r, author[p]):
                n_r[k] = r
                n_p[k] = p
                read_notifs[s] += 1
                k += 1
    n_r, n_p = n_r[:k], n_p[:k]
    # the share of attention spent browsing rooms, the rest at home
    u_browse = rng.random(n_readers)
    browse_n = np.empty(n_readers, dtype=np.int64)
    home_budget = np.empty(n_readers, dtype=np.int64)
    for s in range(n_readers):
        a = np.int64(attention[readers[s]])
        browse_n[s] = np.int64(np.floor(browse_share[readers[s]] * a + u_browse[s]))
        home_budget[s] = max(a - read_notifs[s] - browse_n[s], 0)
        browse_n[s] = min(browse_n[s], a - read_notifs[s])
    # rule home feed
    slot, e_pos, post = home_items(
        readers,
        seen_upto,
        f_flags,
        f_bits,
        f_offsets,
        f_keys,
        b_flags,
        b_bits,
        b_offsets,
        b_keys,
        n,
        feed_lo,
        end,
        author,
        form,
        target,
        orig,
        orig_author,
        retweets,
        addressed_form,
        retweet_form,
        mark,
        stamp,
    )
    n_home = 0
    chosen = np.empty(len(post), dtype=np.bool_)
    if len(post):
        u = rng.random(len(post))
        if home_budget.min() >= len(post):
            chosen[:] = True
        else:
            age = np.empty(len(post), dtype=np.int64)
            for j in range(len(post)):
                age[j] = hour - step[post[j]]
            chosen = newest_first(slot, age, home_budget, u)
        for j in range(len(post)):
            n_home += chosen[j]
    # the flood memory: counts read per follow edge and per reader, decaying (each count
    # added once, as a whole: the items come grouped by reader, then by follow edge)
    for e in range(len(seen)):
        seen[e] *= decay
    for i in range(n):
        feed_total[i] *= decay
    j = 0
    while j < len(post):
        s = slot[j]
        in_reader = 0
        while j < len(post) and slot[j] == s:
            e = e_pos[j]
            in_edge = 0
            while j < len(post) and e_pos[j] == e:
                in_edge += chosen[j]
                j += 1
            seen[e] += in_edge
            in_reader += in_edge
        feed_total[readers[s]] += in_reader
    # rule room browsing
    u_room = rng.random(n_readers)
    u_pick = rng.random(browse_n.sum())
    b_r, b_p = room_items(
        readers,
        browse_n,
        u_room,
        u_pick,
        n_interests,
        interests,
        browse_lo,
        end,
        room,
        form,
        author,
        n_rooms,
        original,
        f_flags,
        f_bits,
        f_offsets,
        f_keys,
        b_flags,
        b_bits,
        b_offsets,
        b_keys,
        n,
    )
    for s in range(n_readers):
        seen_upto[readers[s]] = end
    # the Reading: notifications, then home, then rooms
    total = len(n_r) + n_home + len(b_r)
    reader = np.empty(total, dtype=np.int64)
    item = np.empty(total, dtype=np.int64)
    source = np.empty(total, dtype=np.int8)
    edge_seen = np.zeros(total)
    edge_ack = np.zeros(total, dtype=np.bool_)
    k = 0
    for j in range(len(n_r)):
        reader[k], item[k], source[k] = n_r[j], n_p[j], 0
        k += 1
    for j in range(len(post)):
        if chosen[j]:
            reader[k], item[k], source[k] = readers[slot[j]], post[j], 1
            edge_seen[k], edge_ack[k] = seen[e_pos[j]], ack[e_pos[j]]
            k += 1
    for j in range(len(b_r)):
        reader[k], item[k], source[k] = b_r[j], b_p[j], 2
        k += 1
    return left[:n_left], reader, item, source, edge_seen, edge_ack


@njit(cache=True, error_model="numpy")
def follow_back_decisions(
    follower,
    followee,
    policy,
    promo_share,
    interest_mask,
    has_posted,
    promo_tolerance,
    in_degree,
    max_followers,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    n,
    auto,
    screen,
    reason_auto,
    reason_screen,
):
    """:func:`sim.engine.ties.follow_back_decisions` for each (follower, followee), and
    whether the follower still follows (``follow_back_phase``): (back, reason)."""
    follows = (f_flags, f_bits, f_offsets, f_keys)
    m = len(follower)
    back = np.zeros(m, dtype=np.bool_)
    reason = np.empty(m, dtype=np.int64)
    for i in range(m):
        a, b = follower[i], followee[i]
        is_auto = policy[b] == auto
        reason[i] = reason_auto if is_auto else reason_screen
        screened = (
            policy[b] == screen
            and has_posted[a]
            and (interest_mask[a] & interest_mask[b]) != 0
            and promo_share[a] <= promo_tolerance[b]
        )
        if (is_auto or screened) and not in_degree[b] > max_followers:
            back[i] = _is_edge(follows, n, a, b)
    return back, reason


@njit(cache=True, error_model="numpy")
def recorded_row(in_degree, counts, starts, run_strategy, accounts, row, n_edges, n_mutual):
    """:meth:`sim.engine.recorder.Recorder.collect` for the standard layout: per strategy the
    mean in-degree, then each counter of ``counts`` (one row per counter) summed over its
    accounts (runs of accounts from ``starts``, run ``g`` belonging to strategy
    ``run_strategy[g]``), metric-major; then the follow edges and the reciprocity."""
    k, n, n_runs = len(accounts), len(in_degree), len(starts)
    sums = np.zeros((counts.shape[0] + 1, k), dtype=np.int64)
    for g in range(n_runs):
        lo, hi, j = starts[g], starts[g + 1] if g + 1 < n_runs else n, run_strategy[g]
        for i in range(lo, hi):
            sums[0, j] += in_degree[i]
        for c in range(counts.shape[0]):
            for i in range(lo, hi):
                sums[c + 1, j] += counts[c, i]
    for j in range(k):
        row[j] = sums[0, j] / accounts[j]
    for c in range(counts.shape[0]):
        for j in range(k):
            row[(c + 1) * k + j] = sums[c + 1, j]
    row[len(row) - 2] = n_edges
    row[len(row) - 1] = n_mutual / n_edges if n_edges else 0.0
