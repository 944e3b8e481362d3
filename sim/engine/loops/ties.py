"""Compiled loops of :mod:`sim.engine.ties`: follow-backs, flood and promotional unfollows, counts.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine.loops.base import ascending, is_edge
from sim.engine.loops.rng import generator


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
    rng = generator(rng_handle)
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
    order = np.arange(f) if ascending(keys, f) else np.argsort(keys[:f], kind="mergesort")
    out_r = np.empty(2 * m, dtype=np.int64)
    out_b = np.empty(2 * m, dtype=np.int64)
    fields = np.zeros((4, 2 * m))
    c = 0
    for j in range(f):
        if j > 0 and keys[order[j]] == keys[order[j - 1]]:
            continue
        i = flooded[order[j]]
        r, b = reader[i], author[post[i]]
        n_rel = (1 if edge_ack[i] else 0) + (1 if is_edge(follows, n, b, r) else 0)
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
            n_rel = (1 if edge_ack[i] else 0) + (1 if is_edge(follows, n, b, r) else 0)
            if rng.random() < promo_prob * (boost_by_relations[n_rel] * pruning[r]):
                out_r[c], out_b[c] = r, b
                fields[0, c] = promo_share[b]
                fields[1, c] = promo_tolerance[r]
                c += 1
    is_flood = np.zeros(c, dtype=np.bool_)
    is_flood[:n_flood] = True
    return out_r[:c], out_b[:c], is_flood, fields[:, :c]


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
            back[i] = is_edge(follows, n, a, b)
    return back, reason


@njit(cache=True, error_model="numpy")
def count_each(counter, who):
    """``counter += np.bincount(who, minlength=len(counter))`` without the bincount: one
    for each value in ``who`` (:func:`sim.engine.ties.count_each`)."""
    for a in who:
        counter[a] += 1
