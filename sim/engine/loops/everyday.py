"""Compiled loops of :mod:`sim.engine.everyday`: tie worth and the everyday unfollows.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine.loops.base import ascending, edge_at, is_edge
from sim.engine.loops.rng import generator


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
    rng = generator(rng_handle)
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
        mutual = 1.0 if is_edge(follows, n, b, r) else 0.0
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
            at = edge_at(offsets, keys, n, reader[i], author[post[i]])
            if at >= 0:
                pos[c] = at
                v[c] = value[i]
                c += 1
    # in edge order, each edge's rows in reading order (the same sums as np.bincount's): the
    # chronological feed's rows come so already (by reader, then by follow edge); else a sort
    # of edge x rows + row (faster here than numba's stable argsort)
    order = np.arange(c)
    if not ascending(pos, c):
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
def move_worth(worth, touched, keep, mean):
    """``worth[touched]`` moves to ``mean`` by 1 - ``keep`` (:func:`sim.engine.everyday.
    update_worth`; ``keep`` from numpy's power), in place."""
    for j in range(len(touched)):
        e = touched[j]
        worth[e] = keep[j] * worth[e] + (1.0 - keep[j]) * mean[j]
