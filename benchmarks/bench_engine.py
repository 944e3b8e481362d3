"""Engine speed: the default party against the reference engine, then microseconds per
account-step and peak memory at several party sizes.

1. The default party (320 accounts, 168 hours) on the fast engine and on the per-agent
   reference engine (sim/reference), both in this process, ``--reps`` pairs: each pair runs
   a reference week in slices with a fast week before each slice (both sampled over the
   same seconds); the ratio of their costs per account-step is the machine-independent
   figure.
2. The default party's rules and population mix, scaled to N accounts, for ``--steps`` hours,
   each size in a fresh process (so peak memory is per size).

The machine (CPU, cores, load, Python, numpy, Mesa) is printed first. Usage:

    python benchmarks/bench_engine.py                 # 1,000 / 10,000 / 100,000 accounts
    python benchmarks/bench_engine.py --sizes 1000 10000 --steps 48 --reps 5
    python benchmarks/bench_engine.py --reps 0        # sizes only, no reference engine

Costs per account-step are CPU time of the measuring process (wall time on a shared machine
includes waiting for a core).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import print_machine  # noqa: E402


def scaled_default(n_accounts: int):
    """The default scenario with every group scaled so the party has ``n_accounts``."""
    from sim.config.scenarios import load

    sc = load("default")
    total = sc.n_accounts
    groups = [replace(g, count=max(1, round(g.count * n_accounts / total))) for g in sc.groups]
    return replace(sc, groups=groups)


def measure(n_accounts: int, steps: int) -> dict:
    """Time set-up and ``steps`` hours of a party of ``n_accounts`` in this process."""
    from sim import PartyModel
    from sim.engine.warm import warm

    sc = scaled_default(n_accounts)
    warm()  # loaded before timing (the peak memory includes numba, ~110 MB)
    t0 = time.perf_counter()
    model = PartyModel(sc, seed=1, agents=False)
    t1, c1 = time.perf_counter(), time.process_time()
    model.run(steps)
    t2, c2 = time.perf_counter(), time.process_time()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "accounts": model.n,
        "steps": steps,
        "setup_s": round(t1 - t0, 3),
        "run_s": round(t2 - t1, 3),
        "cpu_s": round(c2 - c1, 3),
        "us_per_account_step": round((c2 - c1) / (model.n * steps) * 1e6, 3),  # CPU time
        "peak_mib": round(peak_kib / 1024, 1),
        "follow_edges": len(model.follows),
        "posts": len(model.posts),
    }


def timed_run(engine: str, scenario, steps: int, seed: int = 1) -> dict:
    """Run ``steps`` hours on one engine (set-up not timed): wall and CPU seconds, accounts.

    On a shared machine wall time includes waiting for a core; the CPU time of this
    (single-threaded) process does not, so ratios are taken from CPU time."""
    if engine == "fast":
        from sim import PartyModel

        model = PartyModel(scenario, seed=seed, agents=False)
    else:
        from sim.reference import ReferencePartyModel

        model = ReferencePartyModel(scenario, seed=seed)
    wall, cpu = time.perf_counter(), time.process_time()
    model.run(steps)
    return {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "accounts": model.n,
    }


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.2f} (range {min(values):.2f}-{max(values):.2f})"


def against_reference(reps: int, steps: int = 168, slices: int = 8) -> dict:
    """The default party on both engines in this process. Each of ``reps`` pairs runs one
    reference-engine week in ``slices`` slices of hours with a fast-engine week (the same
    seed) before each slice, so both engines are sampled over the same seconds: a shared
    machine's speed drifts over seconds, and a fast week (~0.2 s) timed once beside a
    reference week (~8 s) caught a different moment. Ratio per pair: the reference's cost
    per account-step over the median of its fast weeks'."""
    from sim.config.scenarios import load
    from sim.engine.warm import warm
    from sim.reference import ReferencePartyModel

    sc = load("default")
    warm()  # the compiled loops in use from the first timed hour (PARTYSIM_KERNELS)
    timed_run("fast", sc, 24)  # warm-up: imports, first-call costs
    per = {"fast": [], "reference": [], "fast_wall": []}
    ratios = []
    cuts = [round(steps * k / slices) for k in range(slices + 1)]
    for rep in range(reps):
        reference = ReferencePartyModel(sc, seed=1 + rep)
        n = reference.n
        ref_cpu, fast = 0.0, []
        for k in range(slices):
            r = timed_run("fast", sc, steps, seed=1 + rep)
            fast.append(r["cpu_s"] / (n * steps) * 1e6)
            per["fast_wall"].append(r["wall_s"])
            cpu = time.process_time()
            reference.run(cuts[k + 1] - cuts[k])
            ref_cpu += time.process_time() - cpu
        per["fast"] += fast
        per["reference"].append(ref_cpu / (n * steps) * 1e6)
        ratios.append(per["reference"][-1] / statistics.median(fast))
    # on a shared machine other jobs slow some runs down (cache, memory bandwidth): the
    # fastest run of each engine is the least disturbed, so their ratio is printed too
    fastest = min(per["reference"]) / min(per["fast"])
    print(
        f"default party ({n} accounts, {steps} h), {reps} pairs in one process: a reference "
        f"week in {slices} slices, a fast week before each; CPU time:\n"
        f"  fast      us/account-step {_spread(per['fast'])}; "
        f"wall per week {statistics.median(per['fast_wall']):.2f} s\n"
        f"  reference us/account-step {_spread(per['reference'])}\n"
        f"  fast engine {statistics.median(ratios):.1f}x the reference per account-step "
        f"(pairs: {', '.join(f'{x:.1f}' for x in sorted(ratios))}); "
        f"fastest runs {fastest:.1f}x",
        flush=True,
    )
    return {"ratio_median": statistics.median(ratios), "ratio_fastest": fastest, **per}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--steps", type=int, default=168)
    parser.add_argument("--reps", type=int, default=3, help="default-party pairs (0: none)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.steps)))
        return
    print_machine()
    if args.reps:
        against_reference(args.reps)
    if not args.sizes:
        return
    print(
        f"{'accounts':>10} {'steps':>6} {'setup s':>8} {'run s':>8} {'cpu s':>8} "
        f"{'us/acct-step':>13} "
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
            f"{r['cpu_s']:>8} "
            f"{r['us_per_account_step']:>13} {r['peak_mib']:>9} {r['follow_edges']:>10,} "
            f"{r['posts']:>10,}",
            flush=True,
        )


if __name__ == "__main__":
    main()
