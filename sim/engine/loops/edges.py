"""Compiled loops of :mod:`sim.engine.edges`: adding and removing edges in place.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine.loops.base import distinct_in, first_at_least, has_key, is_edge, move


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
        move(buf, pos[t] + t + 1, pos[t], hi)
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
        move(buf, pos[t] - t, pos[t] + 1, hi)


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
        if has_key(flags, bits, keys, reverse):
            i = first_at_least(changed, 0, len(changed), reverse)
            both = i < len(changed) and changed[i] == reverse
            total += 1 if both else 2
    return total


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
        if not (is_edge(unless, n, src[i], dst[i]) or is_edge(unless, n, dst[i], src[i])):
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
