"""A dynamic set of directed edges held in numpy arrays.

Edges are kept as sorted int64 keys ``u * n + v``, so the edges leaving ``u`` form one
contiguous run, membership is a binary search, and a batch of inserts or removals costs one
array copy. Per-edge attributes (e.g. "acknowledged") live in arrays aligned with the keys.
On graphs of up to :data:`DENSE_NODES` nodes membership is also kept as one flag per possible
edge (n^2 bytes: 100 kB for 320 accounts, 4 MiB for 2,048), so "is u -> v an edge?" is one
array look-up (a binary search costs ~17 ns a key, mostly mispredicted branches); up to
:data:`BIT_NODES` nodes as one bit per possible edge (n^2 / 8 bytes: 12 MiB for 10,000; a
look-up of 3,000 keys costs 12 against 85 µs for the binary searches at 10,000 accounts,
``benchmarks/bench_edges.py``). Larger graphs use binary searches: a hash table of the keys
answered 2x faster at 2.7 million keys, but took 35% more memory for a 300,000-account
party and its gain in whole runs was lost in the noise of the machine (not kept).
"""

from __future__ import annotations

import numpy as np

from sim.engine import kernels


# Small helpers: at a few hundred accounts most arrays hold tens to hundreds of values and a
# numpy call costs more than its work; these skip the Python-level wrappers of np.flatnonzero
# and np.ones (about 1.5 µs each, against 0.3 µs for the array methods they use).
def flatnonzero(mask: np.ndarray) -> np.ndarray:
    """Indices where the 1-d ``mask`` is true (``np.flatnonzero`` without its wrapper)."""
    return mask.nonzero()[0]


def trues(n: int) -> np.ndarray:
    """A boolean array of ``n`` True values (``np.ones(n, dtype=bool)``)."""
    out = np.empty(n, dtype=bool)
    out.fill(True)
    return out


def expand_ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``[starts[i], ends[i])``, return (i repeated per element, element positions)."""
    lengths = np.maximum(ends - starts, 0)
    total = int(lengths.sum())
    owner = np.arange(len(starts)).repeat(lengths)
    if total == 0:
        return owner, np.zeros(0, dtype=np.int64)
    first = lengths.cumsum() - lengths
    positions = np.arange(total, dtype=np.int64) - (first - starts).repeat(lengths)
    return owner, positions


def stable_order(values: np.ndarray, n_values: int) -> np.ndarray:
    """``values.argsort(kind="stable")`` for integers in ``[0, n_values)``: as 16-bit
    integers when they fit, which numpy sorts by radix (several times faster than its merge
    sort of wider integers, e.g. 30 against 290 µs for 4,000 values); the order is the same.
    Wider integers (up to 2^32, e.g. account numbers of a party of more than 65,536) are
    sorted in two such passes, by the low 16 bits and then, stably, by the high 16 (a radix
    sort: 0.24 against 0.69 s for 3 million values)."""
    if n_values <= 1 << 16:
        return values.astype(np.uint16).argsort(kind="stable")
    if n_values > 1 << 32 or len(values) < 1 << 12:
        return values.argsort(kind="stable")
    values = values.astype(np.int64, copy=False)
    low = (values & 0xFFFF).astype(np.uint16).argsort(kind="stable")
    return low[(values[low] >> 16).astype(np.uint16).argsort(kind="stable")]


DENSE_NODES = 2048
BIT_NODES = 16_384  # up to this many nodes, a bit per possible edge (32 MiB at most)
_BIT = (1 << np.arange(8)).astype(np.uint8)  # the bit of a key within its byte
_NO_FLAGS, _NO_BITS = np.zeros(0, dtype=bool), np.zeros(0, dtype=np.uint8)

# Up to this many inserted or deleted elements, or one per 2,048 elements of a large array,
# an array is rebuilt from slices (one concatenate; cheaper than a boolean mask over the
# whole array: e.g. 25 against 44 ms for 500 inserts into 8 million keys). Most hours' batches
# of new or lost ties are this small.
FEW = 4


# Batches of tie changes of up to this many (or up to an eighth of the edges) go through the
# compiled loops when they are on (EdgeSet._by_loops)
LOOP_BATCH = 4096


def _few(n_changes: int, n_values: int) -> bool:
    return n_changes <= max(FEW, n_values >> 11)


def insert_sorted(values: np.ndarray, pos: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``np.insert(values, pos, new)`` for increasing ``pos`` (without np.insert's per-call
    overhead: slices for a few, else one boolean-mask merge)."""
    if _few(len(pos), len(values)):
        cuts = [0, *pos.tolist(), len(values)]
        new = new.astype(values.dtype, copy=False)
        parts = [values[: cuts[1]]]
        for i in range(len(pos)):
            parts += (new[i : i + 1], values[cuts[i + 1] : cuts[i + 2]])
        return np.concatenate(parts)
    at = pos + np.arange(len(pos))
    old = trues(len(values) + len(pos))
    old[at] = False
    out = np.empty(len(old), dtype=values.dtype)
    out[at] = new
    out[old] = values
    return out


def delete_sorted(values: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """``np.delete(values, pos)`` for increasing distinct ``pos`` (slices for a few, else a
    boolean mask)."""
    if _few(len(pos), len(values)):
        starts, ends = [0, *(pos + 1).tolist()], [*pos.tolist(), len(values)]
        return np.concatenate([values[s:e] for s, e in zip(starts, ends, strict=True)])
    keep = trues(len(values))
    keep[pos] = False
    return values[keep]


def unique_first(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct values of ``k`` and the index of each one's first occurrence
    (``np.unique(k, return_index=True)`` without its per-call overhead)."""
    order = k.argsort(kind="stable")
    sk = k[order]
    first = trues(len(sk))
    first[1:] = sk[1:] != sk[:-1]
    return sk[first], order[first]


class EdgeSet:
    """Directed edges ``u -> v`` on ``n`` nodes, with aligned per-edge attribute arrays."""

    # (keys, offsets, lookup_arrays(), loop_arrays()) as last made (see _loop_tuples)
    _loop_cache: tuple | None = None

    def __init__(self, n: int, attrs: dict[str, np.dtype] | None = None) -> None:
        self.n = n
        self.keys = np.zeros(0, dtype=np.int64)
        self.attrs: dict[str, np.ndarray] = {
            name: np.zeros(0, dtype=dtype) for name, dtype in (attrs or {}).items()
        }
        self.out_degree = np.zeros(n, dtype=np.int64)
        self.in_degree = np.zeros(n, dtype=np.int64)
        self.n_mutual = 0  # edges whose reverse edge exists too, kept up to date
        self._offsets: np.ndarray | None = None  # start of each node's run in keys
        # the compiled loops insert and remove in place: keys and each attribute are then the
        # first len(self) values of a longer array (see _room)
        self._room_for: dict[str, np.ndarray] = {}
        # membership flag of every key u * n + v on small graphs (see the module text)
        self._dense = np.zeros(n * n, dtype=bool) if n <= DENSE_NODES else None
        # ... or one bit per possible edge on mid-sized graphs (n^2 / 8 bytes: 12 MiB for
        # 10,000 accounts), where a binary search in the keys would miss the cache
        self._bits = (
            np.zeros((n * n + 7) // 8, dtype=np.uint8) if DENSE_NODES < n <= BIT_NODES else None
        )

    def reciprocity(self) -> float:
        """Share of edges whose reverse edge also exists (networkx's ``reciprocity``)."""
        return self.n_mutual / len(self.keys) if len(self.keys) else 0.0

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def src(self) -> np.ndarray:
        """Each edge's source node (``keys // n``): the nodes repeated by their out-degrees,
        since the keys are sorted (an integer division of every key costs about twice as
        much)."""
        return np.arange(self.n, dtype=np.int64).repeat(self.out_degree)

    @property
    def dst(self) -> np.ndarray:
        """Each edge's target node (``keys % n``): the key less its source's part (numpy's
        integer remainder of every key costs about four times as much: 80 against 20 µs at
        9,000 edges, asked every hour)."""
        part = self.src
        part *= self.n
        return np.subtract(self.keys, part, out=part)

    def key(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        return np.asarray(src, dtype=np.int64) * self.n + np.asarray(dst, dtype=np.int64)

    def find(self, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the edges ``src -> dst`` and whether each exists."""
        return self._find_keys(self.key(src, dst))

    def _find_keys(self, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the keys ``k`` and whether each exists: one binary search, then the
        membership flags (small graphs) or a look at the key there (a key past the last one
        is compared with the last key, which is smaller, so it is not found)."""
        pos = self.keys.searchsorted(k)
        if self._dense is not None:
            return pos, self._dense[k]
        if self._bits is not None:
            return pos, self._bit(k)
        if len(self.keys) == 0:
            return pos, np.zeros(len(k), dtype=bool)
        return pos, self.keys.take(pos, mode="clip") == k

    def _has(self, k: np.ndarray) -> np.ndarray:
        """Whether each key in ``k`` is an edge (:meth:`_find_keys` without positions)."""
        if self._dense is not None:
            return self._dense[k]
        if self._bits is not None:
            return self._bit(k)
        if len(self.keys) == 0:
            return np.zeros(len(k), dtype=bool)
        return self.keys.take(self.keys.searchsorted(k), mode="clip") == k

    def _bit(self, k: np.ndarray) -> np.ndarray:
        """The membership bit of each key (mid-sized graphs)."""
        return (self._bits[k >> 3] & _BIT[k & 7]).astype(bool)

    def find_both_ways(
        self, src: np.ndarray, dst: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions of the edges ``src -> dst`` (those that exist; 0 for the others),
        whether each exists, and whether each reverse edge ``dst -> src`` exists."""
        src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
        k = src * self.n + dst
        found, back = self._has(k), self._has(dst * self.n + src)
        pos = np.zeros(len(k), dtype=np.int64)
        at = found.nonzero()[0]
        pos[at] = self.keys.searchsorted(k[at])
        return pos, found, back

    def contains(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Whether each edge ``src -> dst`` exists (nodes in [0, n))."""
        return self._has(np.asarray(src, dtype=np.int64) * self.n + np.asarray(dst, dtype=np.int64))

    def add(
        self,
        src: np.ndarray,
        dst: np.ndarray,
        unless: EdgeSet | None = None,
        start: dict[str, float] | None = None,
    ) -> np.ndarray:
        """Add edges (ignoring self-loops, duplicates and existing ones; with ``unless``,
        also those whose pair is an edge of ``unless`` either way, e.g. blocked). The new
        edges' attributes are 0, or ``start[name]``.

        Returns the index into the inputs of each edge actually added, in key order.
        """
        if len(src) == 0:
            return np.zeros(0, dtype=np.int64)
        start = start or {}
        if self._by_loops(len(src)):
            return self._add_compiled(src, dst, unless, start)
        if unless is not None and len(unless):
            src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
            ok = flatnonzero(~unless.contains(src, dst) & ~unless.contains(dst, src))
            return ok[self.add(src[ok], dst[ok], start=start)]
        new_keys, first = unique_first(self.key(src, dst))
        keep = ~self._has(new_keys) & ((new_keys // self.n) != (new_keys % self.n))
        new_keys, first = new_keys[keep], first[keep]
        if len(new_keys):
            pos = self.keys.searchsorted(new_keys)
            if self._dense is not None:
                self._dense[new_keys] = True
            elif self._bits is not None:
                np.bitwise_or.at(self._bits, new_keys >> 3, _BIT[new_keys & 7])
            # the keys and every attribute grow at the same places (new attributes: 0)
            self.keys = insert_sorted(self.keys, pos, new_keys)
            for name, arr in self.attrs.items():
                self.attrs[name] = insert_sorted(arr, pos, np.full(len(pos), start.get(name, 0)))
            self._count(new_keys, +1)
            self.n_mutual += self._mutual_change(new_keys)
        return first

    def remove(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Remove the edges that exist; returns the index into the inputs of each removed one."""
        if len(src) == 0 or len(self.keys) == 0:
            return np.zeros(0, dtype=np.int64)
        if self._by_loops(len(src)):
            return self._remove_compiled(src, dst)
        uniq, first = unique_first(self.key(src, dst))
        pos, found = self._find_keys(uniq)
        if found.any():
            gone = uniq[found]
            self.n_mutual -= self._mutual_change(gone)
            if self._dense is not None:
                self._dense[gone] = False
            elif self._bits is not None:
                np.bitwise_and.at(self._bits, gone >> 3, ~_BIT[gone & 7])
            at = pos[found]
            self.keys = delete_sorted(self.keys, at)
            for name, arr in self.attrs.items():
                self.attrs[name] = delete_sorted(arr, at)
            self._count(gone, -1)
        return first[found]

    def _by_loops(self, batch: int) -> bool:
        """Whether a batch of ``batch`` changes goes through the compiled loops: when they are
        on and the batch is small against the edges (an hour's few new or lost ties, changed
        in place); a large one (the initial graph) is faster through numpy's sorts and
        merges (set-up of 100,000 accounts: 2.9 against 4.9 s CPU)."""
        return kernels.enabled() and (batch <= LOOP_BATCH or batch * 8 <= len(self.keys))

    def _add_compiled(self, src, dst, unless, start: dict[str, float]) -> np.ndarray:
        """:meth:`add` in compiled loops (:mod:`sim.engine.loops`; the same result), in
        place (:meth:`_room`)."""
        from sim.engine.loops import edges as c

        m = len(self.keys)
        room = self._room(len(src))
        unless = _NOTHING if unless is None else unless
        first, pos, mutual = c.add_edges_unless(
            unless.lookup_arrays(), *self._loop_args(room, m, src, dst)
        )
        if len(pos):
            for name, arr in self.attrs.items():
                c.insert_filled_into(room[name], m, pos, arr.dtype.type(start.get(name, 0)))
            self._cut_to(m + len(pos))
            self.n_mutual += mutual
        return first

    def _remove_compiled(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """:meth:`remove` in compiled loops (the same result), in place."""
        from sim.engine.loops import edges as c

        m = len(self.keys)
        room = self._room(0)
        first, at, lost = c.remove_edges(*self._loop_args(room, m, src, dst))
        if len(at):
            for name in self.attrs:
                c.delete_from(room[name], m, at)
            self._cut_to(m - len(at))
            self.n_mutual -= lost
        return first

    def _loop_args(self, room: dict[str, np.ndarray], m: int, src, dst) -> tuple:
        """What the compiled add and remove loops take (after ``unless``): the membership
        flags and bits, the keys' array and their number, the pairs, degrees and offsets."""
        flags, bits = self._membership()
        src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
        return (
            flags,
            bits,
            room["keys"],
            m,
            self.n,
            src,
            dst,
            self.out_degree,
            self.in_degree,
            self.offsets,
        )

    def _room(self, extra: int) -> dict[str, np.ndarray]:
        """The arrays the keys and attributes are the beginning of, with room for ``extra``
        more edges: kept from the last change while the keys and attributes are still views of
        them (after the numpy code, a copy or unpickling they are not: they are copied into
        new ones, with an eighth more room than needed, so that inserting the hour's few new
        edges moves the values after them instead of copying every array)."""
        m, room = len(self.keys), self._room_for
        arrays = {"keys": self.keys, **self.attrs}
        for name, arr in arrays.items():
            kept = room.get(name)
            if kept is None or arr.base is not kept or len(kept) < m + extra:
                break
        else:
            return room
        size = m + extra + max(m >> 3, 64)
        self._room_for = room = {}
        for name, arr in arrays.items():
            room[name] = np.empty(size, dtype=arr.dtype)
            room[name][:m] = arr
        self._cut_to(m)
        return room

    def _cut_to(self, m: int) -> None:
        """Keys and attributes: the first ``m`` values of the arrays of :meth:`_room` (the
        compiled loops keep :attr:`offsets` up to date themselves)."""
        room = self._room_for
        self.keys = room["keys"][:m]
        for name in self.attrs:
            self.attrs[name] = room[name][:m]

    def out_ranges(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each node, the [start, end) positions of its outgoing edges in ``keys``."""
        nodes = np.asarray(nodes, dtype=np.int64)
        offsets = self.offsets
        return offsets[nodes], offsets[nodes + 1]

    def lookup_arrays(self) -> tuple:
        """What a compiled loop needs to look edges up (:mod:`sim.engine.loops`), as one
        argument: the fields of :data:`sim.engine.state.Lookup` as a plain tuple (the loop names them again
        with ``Lookup(*look)``). Kept until the edges change (:meth:`loop_arrays`)."""
        return self._loop_tuples()[0]

    def loop_arrays(self) -> tuple:
        """The :meth:`lookup_arrays`, the out- and in-degrees and the attributes (in their
        declared order) as one plain tuple: a whole edge set as a compiled loop takes it
        (:data:`sim.engine.state.Ties` for the follow edges). Kept until the edges change: every
        change gives new keys (or, in the numpy code, resets the offsets); the attributes
        are replaced only together with the keys."""
        return self._loop_tuples()[1]

    def _loop_tuples(self) -> tuple[tuple, tuple]:
        cache = self._loop_cache
        if cache is None or cache[0] is not self.keys or cache[1] is not self._offsets:
            offsets = self.offsets
            look = (*self._membership(), offsets, self.keys)
            every = (*look, self.out_degree, self.in_degree, *self.attrs.values())
            cache = self._loop_cache = (self.keys, offsets, look, every)
        return cache[2], cache[3]

    def __getstate__(self) -> dict:
        """A copy or pickle leaves out the loops' tuples (made again when asked)."""
        state = self.__dict__.copy()
        state.pop("_loop_cache", None)
        return state

    def _membership(self) -> tuple[np.ndarray, np.ndarray]:
        """The membership flags and bits, each empty where this edge set does not keep it."""
        flags = self._dense if self._dense is not None else _NO_FLAGS
        return flags, self._bits if self._bits is not None else _NO_BITS

    @property
    def offsets(self) -> np.ndarray:
        """Where each node's run of outgoing edges starts in ``keys`` (n + 1 values, the last
        one ``len(keys)``): the running sum of out-degrees, computed once per change of the
        edges, not searched."""
        if self._offsets is None:
            self._offsets = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(self.out_degree, out=self._offsets[1:])
        return self._offsets

    def _mutual_change(self, changed: np.ndarray) -> int:
        """Mutual edges gained by adding (or lost by removing) the sorted keys ``changed``,
        counted while all of them are present: a pair with one changed edge counts 2, a
        pair with both edges changed counts 1 per edge."""
        reverse = (changed % self.n) * self.n + changed // self.n
        present = self._has(reverse)
        if len(changed) == len(self.keys):  # every edge changed (e.g. the initial graph)
            return int(np.count_nonzero(present))
        both_changed = changed.take(changed.searchsorted(reverse), mode="clip") == reverse
        return 2 * int(np.count_nonzero(present)) - int(np.count_nonzero(present & both_changed))

    def _count(self, keys: np.ndarray, sign: int) -> None:
        self._offsets = None
        src, dst = keys // self.n, keys % self.n
        if len(keys) * 4 < self.n:  # a small batch: add where it changed (bincount is O(n))
            np.add.at(self.out_degree, src, sign)
            np.add.at(self.in_degree, dst, sign)
        else:
            self.out_degree += sign * np.bincount(src, minlength=self.n)
            self.in_degree += sign * np.bincount(dst, minlength=self.n)


class PairLog:
    """A growing set of (account, item) pairs, e.g. who has retweeted which original post
    (sorted keys account * 2^40 + item)."""

    SHIFT = np.int64(1) << np.int64(40)

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)

    def has(self, account: int, item: int) -> bool:
        """Whether the pair (``account``, ``item``) is in the set."""
        key = np.int64(account) * self.SHIFT + np.int64(item)
        pos = int(self.keys.searchsorted(key))
        return pos < len(self.keys) and int(self.keys[pos]) == int(key)

    def first_time(self, account: np.ndarray, item: np.ndarray) -> np.ndarray:
        """Mask of the (account, item) pairs not in the set before (the first of repeats
        within the batch); those pairs are added (inserted in order: no re-sort)."""
        key = account.astype(np.int64) * self.SHIFT + item.astype(np.int64)
        uniq, first = unique_first(key)
        pos = self.keys.searchsorted(uniq)
        new = self.keys.take(pos, mode="clip") != uniq if len(self.keys) else trues(len(uniq))
        self.keys = insert_sorted(self.keys, pos[new], uniq[new])
        mask = np.zeros(len(key), dtype=bool)
        mask[first[new]] = True
        return mask


_NOTHING = EdgeSet(1)  # no edges: what EdgeSet.add checks against when not told otherwise
