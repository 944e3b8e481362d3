"""Small helpers the compiled loops share: searches, edge look-ups, in-place moves.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def move(typingctx, values, to, start, stop):
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


@njit(cache=True, inline="always", error_model="numpy")
def first_at_least(a, lo, hi, x):
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
def ascending(a, n):
    """Whether ``a[:n]`` never decreases."""
    for i in range(1, n):
        if a[i] < a[i - 1]:
            return False
    return True


@njit(cache=True, inline="always", error_model="numpy")
def sort_few(a, n):
    """Sort ``a[:n]`` in place (an insertion sort: for the few values of one reader)."""
    for i in range(1, n):
        v = a[i]
        j = i - 1
        while j >= 0 and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v


@njit(cache=True, inline="always", error_model="numpy")
def edge_at(offsets, keys, n, u, v):
    """Position of the edge ``u -> v`` in ``keys`` (a search of u's own run), -1 if none."""
    k = u * n + v
    at = first_at_least(keys, offsets[u], offsets[u + 1], k)
    if at < offsets[u + 1] and keys[at] == k:
        return at
    return -1


@njit(cache=True, inline="always", error_model="numpy")
def is_edge(edges, n, u, v):
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
    return edge_at(offsets, keys, n, u, v) >= 0


@njit(cache=True, inline="always", error_model="numpy")
def has_key(flags, bits, keys, k):
    """Is ``k`` one of the sorted ``keys``? (its flag or bit where they are kept, else a
    binary search of all the keys)"""
    if len(flags):
        return flags[k]
    if len(bits):
        return (bits[k >> 3] >> (k & 7)) & 1 == 1
    i = first_at_least(keys, 0, len(keys), k)
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
        at = first_at_least(keys, at, len(keys), k[i])
        values[c], first[c], pos[c] = k[i], i, at
        found[c] = at < len(keys) and keys[at] == k[i]
        c += 1
    return values[:c], first[:c], pos[:c], found[:c]
