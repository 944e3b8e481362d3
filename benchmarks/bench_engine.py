"""Engine speed: microseconds per account-step and peak memory at several party sizes.

Runs the default party's rules and population mix, scaled to N accounts, for a number of
hours, each size in a fresh process (so peak memory is per size). Usage:

    python benchmarks/bench_engine.py                 # 1,000 / 10,000 / 100,000 accounts
    python benchmarks/bench_engine.py --sizes 1000 10000 --steps 48
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace


def scaled_default(n_accounts: int):
    """The default scenario with every group scaled so the party has ``n_accounts``."""
    from sim.scenarios import load

    sc = load("default")
    total = sc.n_accounts
    groups = [replace(g, count=max(1, round(g.count * n_accounts / total))) for g in sc.groups]
    return replace(sc, groups=groups)


def measure(n_accounts: int, steps: int) -> dict:
    """Time set-up and ``steps`` hours of a party of ``n_accounts`` in this process."""
    from sim import PartyModel

    sc = scaled_default(n_accounts)
    t0 = time.perf_counter()
    model = PartyModel(sc, seed=1, agents=False)
    t1 = time.perf_counter()
    model.run(steps)
    t2 = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "accounts": model.n,
        "steps": steps,
        "setup_s": round(t1 - t0, 3),
        "run_s": round(t2 - t1, 3),
        "us_per_account_step": round((t2 - t1) / (model.n * steps) * 1e6, 3),
        "peak_mib": round(peak_kib / 1024, 1),
        "follow_edges": len(model.follows),
        "posts": len(model.posts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--steps", type=int, default=168)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.steps)))
        return
    print(
        f"{'accounts':>10} {'steps':>6} {'setup s':>8} {'run s':>8} {'us/acct-step':>13} "
        f"{'peak MiB':>9} {'edges':>10} {'posts':>10}"
    )
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--steps", str(args.steps)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        print(
            f"{r['accounts']:>10,} {r['steps']:>6} {r['setup_s']:>8} {r['run_s']:>8} "
            f"{r['us_per_account_step']:>13} {r['peak_mib']:>9} {r['follow_edges']:>10,} "
            f"{r['posts']:>10,}",
            flush=True,
        )


if __name__ == "__main__":
    main()
