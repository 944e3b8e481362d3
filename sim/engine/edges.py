"""A dynamic set of directed edges held in numpy arrays.

Edges are kept as sorted int64 keys ``u * n + v``, so the edges leaving ``u`` form one
contiguous run, membership is a binary search, and a batch of inserts or removals costs one
array copy. Per-edge attributes (e.g. "acknowledged") live in arrays aligned with the keys.
"""

from __future__ import annotations

import numpy as np


def expand_ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``[starts[i], ends[i])``, return (i repeated per element, element positions)."""
    lengths = np.maximum(ends - starts, 0)
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(starts)), lengths)
    if total == 0:
        return owner, np.zeros(0, dtype=np.int64)
    first = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) - np.repeat(first - starts, lengths)
    return owner, positions


class EdgeSet:
    """Directed edges ``u -> v`` on ``n`` nodes, with aligned per-edge attribute arrays."""

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

    def reciprocity(self) -> float:
        """Share of edges whose reverse edge also exists (networkx's ``reciprocity``)."""
        return self.n_mutual / len(self.keys) if len(self.keys) else 0.0

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def src(self) -> np.ndarray:
        return self.keys // self.n

    @property
    def dst(self) -> np.ndarray:
        return self.keys % self.n

    def key(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        return np.asarray(src, dtype=np.int64) * self.n + np.asarray(dst, dtype=np.int64)

    def find(self, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the edges ``src -> dst`` and whether each exists."""
        k = self.key(src, dst)
        pos = np.searchsorted(self.keys, k)
        found = np.zeros(len(k), dtype=bool)
        inside = pos < len(self.keys)
        found[inside] = self.keys[pos[inside]] == k[inside]
        return pos, found

    def contains(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Whether each edge ``src -> dst`` exists."""
        if len(self.keys) * 4 < self.n:  # sparse (e.g. blocks): search only plausible pairs
            src, dst = np.asarray(src), np.asarray(dst)
            out = np.zeros(len(src), dtype=bool)
            maybe = np.flatnonzero((self.out_degree[src] > 0) & (self.in_degree[dst] > 0))
            out[maybe] = self.find(src[maybe], dst[maybe])[1]
            return out
        return self.find(src, dst)[1]

    def add(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Add edges (ignoring self-loops, duplicates and existing ones).

        Returns the index into the inputs of each edge actually added, in key order.
        """
        k = self.key(src, dst)
        new_keys, first = np.unique(k, return_index=True)
        keep = (new_keys // self.n) != (new_keys % self.n)
        pos = np.searchsorted(self.keys, new_keys)
        exists = np.zeros(len(new_keys), dtype=bool)
        inside = pos < len(self.keys)
        exists[inside] = self.keys[pos[inside]] == new_keys[inside]
        keep &= ~exists
        new_keys, first, pos = new_keys[keep], first[keep], pos[keep]
        if len(new_keys):
            self.keys = np.insert(self.keys, pos, new_keys)
            for name, arr in self.attrs.items():
                self.attrs[name] = np.insert(arr, pos, np.zeros(1, dtype=arr.dtype))
            self._count(new_keys, +1)
            self.n_mutual += self._mutual_change(new_keys)
        return first

    def remove(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Remove the edges that exist; returns the index into the inputs of each removed one."""
        k = self.key(src, dst)
        uniq, first = np.unique(k, return_index=True)
        pos, found = self.find(uniq // self.n, uniq % self.n)
        if found.any():
            self.n_mutual -= self._mutual_change(uniq[found])
            self.keys = np.delete(self.keys, pos[found])
            for name, arr in self.attrs.items():
                self.attrs[name] = np.delete(arr, pos[found])
            self._count(uniq[found], -1)
        return first[found]

    def out_ranges(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each node, the [start, end) positions of its outgoing edges in ``keys``: the
        running sum of out-degrees (computed once per change of the edges, not searched)."""
        nodes = np.asarray(nodes, dtype=np.int64)
        if self._offsets is None:
            self._offsets = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(self.out_degree, out=self._offsets[1:])
        return self._offsets[nodes], self._offsets[nodes + 1]

    def _mutual_change(self, changed: np.ndarray) -> int:
        """Mutual edges gained by adding (or lost by removing) the sorted keys ``changed``,
        counted while all of them are present: a pair with one changed edge counts 2, a
        pair with both edges changed counts 1 per edge."""
        src, dst = changed // self.n, changed % self.n
        reverse = dst * self.n + src
        present = self.contains(dst, src)
        if len(changed) == len(self.keys):  # every edge changed (e.g. the initial graph)
            return int(present.sum())
        pos = np.minimum(np.searchsorted(changed, reverse), len(changed) - 1)
        both_changed = changed[pos] == reverse
        return int(2 * (present & ~both_changed).sum() + (present & both_changed).sum())

    def _count(self, keys: np.ndarray, sign: int) -> None:
        self._offsets = None
        self.out_degree += sign * np.bincount(keys // self.n, minlength=self.n)
        self.in_degree += sign * np.bincount(keys % self.n, minlength=self.n)
