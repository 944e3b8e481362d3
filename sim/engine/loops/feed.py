"""Compiled loops of :mod:`sim.engine.feed`: notifications, the home feed, room browsing.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine.loops.base import is_edge, sort_few
from sim.engine.loops.rng import generator


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
                    if t == r or not is_edge(follows, n, r, t):
                        continue
                elif fm == retweet_form:
                    oa = orig_author[p]
                    if oa == r or is_edge(blocks, n, r, oa):
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
        sort_few(picked, c)
        for j in range(c):
            p = picked[j]
            if j > 0 and p == picked[j - 1]:
                continue
            a = author[p]
            if a == r or is_edge(follows, n, r, a) or is_edge(blocks, n, r, a):
                continue
            out_reader[m] = r
            out_post[m] = p
            m += 1
    return out_reader[:m], out_post[:m]


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
    rng = generator(rng_handle)
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
            if j - per_reader[s] < attention[r] and not is_edge(blocks, n, r, author[p]):
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
