"""Compiled loop of :mod:`sim.engine.recorder`: one recorded row.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit


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
