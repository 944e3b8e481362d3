"""The edge set's building blocks on large graphs, each against the plain numpy way:

1. membership of a batch of keys: binary search in the sorted keys against the hash table
   (``sim.engine.edges.KeyTable``), half the asked keys present;
2. stable order of integers wider than 16 bits: numpy's stable argsort against two 16-bit
   radix passes (``stable_order``);
3. inserting a batch into sorted keys: a boolean-mask merge against slices.

Edge counts 270,000 / 2.7 million / 27 million are those of parties of about 10,000 /
100,000 / 1,000,000 accounts. The machine is printed first; each time is the best of
``--reps``. Usage:

    python benchmarks/bench_edges.py [--reps 3] [--max 27000000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import print_machine  # noqa: E402

from sim.engine.edges import KeyTable, insert_sorted, stable_order  # noqa: E402


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
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--max", type=int, default=27_000_000, help="largest edge count")
    args = parser.parse_args()
    print_machine()
    rng = np.random.default_rng(0)
    print(f"{'keys':>12} {'asked':>10} {'search ms':>10} {'hash ms':>8} {'ratio':>6}")
    for n_keys in (270_000, 2_700_000, 27_000_000):
        if n_keys > args.max:
            break
        keys = np.unique(rng.integers(0, n_keys * 40, n_keys))
        table = KeyTable(keys)
        for n_asked in (1_000, 100_000, 1_000_000):
            present = rng.random(n_asked) < 0.5
            asked = np.where(
                present, rng.choice(keys, n_asked), rng.integers(0, n_keys * 40, n_asked)
            )

            def search(asked=asked, keys=keys):
                return keys.take(keys.searchsorted(asked), mode="clip") == asked

            assert np.array_equal(search(), table.contains(asked))
            s = best(search, args.reps)
            h = best(lambda asked=asked, table=table: table.contains(asked), args.reps)
            print(f"{len(keys):>12,} {n_asked:>10,} {s:>10.2f} {h:>8.2f} {s / h:>6.1f}", flush=True)
    print(f"\n{'values':>12} {'range':>10} {'argsort ms':>11} {'radix ms':>9} {'ratio':>6}")
    for n_values, n_accounts in ((300_000, 100_000), (3_000_000, 1_000_000)):
        values = rng.integers(0, n_accounts, n_values)
        a = best(lambda values=values: values.argsort(kind="stable"), args.reps)
        r = best(lambda values=values, n=n_accounts: stable_order(values, n), args.reps)
        print(f"{n_values:>12,} {n_accounts:>10,} {a:>11.2f} {r:>9.2f} {a / r:>6.1f}", flush=True)
    print(f"\n{'keys':>12} {'inserted':>10} {'mask ms':>8} {'slices ms':>10}")
    keys = np.sort(rng.integers(0, 10**12, min(8_000_000, args.max)))
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
