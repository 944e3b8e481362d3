"""The edge set's building blocks, each against the plain numpy way:

1. membership of a batch of keys on a mid-sized graph (27 follows per account, half the
   asked keys present): binary search in the sorted keys against one bit per possible edge
   (what ``EdgeSet`` keeps for 2,048 < n <= 16,384 accounts);
2. stable order of integers wider than 16 bits: numpy's stable argsort against two 16-bit
   radix passes (``stable_order``);
3. inserting a batch into 8 million sorted keys (a party of about 300,000 accounts): a
   boolean-mask merge against ``insert_sorted`` (slices up to one insert per 2,048 keys).

The machine is printed first; each time is the best of ``--reps``. Usage:

    python benchmarks/bench_edges.py [--reps 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import print_machine  # noqa: E402

from sim.engine.edges import EdgeSet, insert_sorted, stable_order  # noqa: E402


def best(fn, reps: int) -> float:
    """Best wall time of ``reps`` calls, in milliseconds."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5, help="timings per figure (best counts)")
    args = parser.parse_args()
    if args.reps < 1:
        parser.error(f"--reps must be at least 1 (got {args.reps})")
    print_machine()
    rng = np.random.default_rng(0)
    print(
        f"{'accounts':>10} {'keys':>10} {'asked':>7} {'search µs':>10} {'bits µs':>8} {'ratio':>6}"
    )
    for n in (3_000, 10_000, 16_384):
        keys = np.unique(rng.integers(0, n * n, 27 * n))
        keys = keys[keys // n != keys % n]  # no self-follows
        edges = EdgeSet(n)
        edges.add(keys // n, keys % n)
        assert edges._bits is not None
        for n_asked in (300, 3_000, 30_000):
            present = rng.random(n_asked) < 0.5
            asked = np.where(present, rng.choice(keys, n_asked), rng.integers(0, n * n, n_asked))

            def search(asked=asked, keys=keys):
                return keys.take(keys.searchsorted(asked), mode="clip") == asked

            assert np.array_equal(search(), edges._has(asked))
            s = best(search, args.reps) * 1e3
            b = best(lambda asked=asked, edges=edges: edges._has(asked), args.reps) * 1e3
            print(f"{n:>10,} {len(keys):>10,} {n_asked:>7,} {s:>10.1f} {b:>8.1f} {s / b:>6.1f}")
    print(f"\n{'values':>12} {'range':>10} {'argsort ms':>11} {'radix ms':>9} {'ratio':>6}")
    for n_values, n_accounts in ((300_000, 100_000), (3_000_000, 1_000_000)):
        values = rng.integers(0, n_accounts, n_values)
        a = best(lambda values=values: values.argsort(kind="stable"), args.reps)
        r = best(lambda values=values, n=n_accounts: stable_order(values, n), args.reps)
        print(f"{n_values:>12,} {n_accounts:>10,} {a:>11.2f} {r:>9.2f} {a / r:>6.1f}", flush=True)
    print(f"\n{'keys':>12} {'inserted':>10} {'mask ms':>8} {'slices ms':>10}")
    keys = np.sort(rng.integers(0, 10**12, 8_000_000))
    for n_new in (500, 5_000):
        new = np.sort(rng.integers(0, 10**12, n_new))
        pos = keys.searchsorted(new)
        at = pos + np.arange(len(pos))

        def mask(keys=keys, at=at, new=new):
            old = np.ones(len(keys) + len(new), dtype=bool)
            old[at] = False
            out = np.empty(len(old), dtype=keys.dtype)
            out[at], out[old] = new, keys
            return out

        m = best(mask, args.reps)
        s = best(lambda keys=keys, pos=pos, new=new: insert_sorted(keys, pos, new), args.reps)
        print(f"{len(keys):>12,} {n_new:>10,} {m:>8.2f} {s:>10.2f}  (insert_sorted)", flush=True)


if __name__ == "__main__":
    main()
