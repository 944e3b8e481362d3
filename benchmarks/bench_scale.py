"""Scale: the fast engine against the per-agent reference engine, and the fast engine up to a
million accounts. Each measurement runs in a fresh process (peak memory per size).

    python benchmarks/bench_scale.py                     # 1k, 10k (both), 100k, 1M (fast)
    python benchmarks/bench_scale.py --plot scale.png    # also draw us/account-step vs size
    python benchmarks/bench_scale.py --scenario town_square --hours 168   # the town square's
        # week at 10k, 100k and 1M (fast engine), resized in the file's shares, with the
        # cost at each size against the 10,000-account cost and the wall time; 10k and
        # 100k run 4 times (--repeats), around the 1M run, and their medians are compared;
        # then the work per account-step at each size and the cost per item read

Every measurement covers a whole simulated day (24 hours from 00:00 UTC): a shorter run
from midnight would mostly measure sleeping accounts.

The machine is printed first. Times per account-step are the CPU time of the measuring
process (on a shared machine wall time includes waiting for a core); the speed-up of the fast
engine over the reference engine is the ratio of the two measured in the same run.

Set-up (building the population and the initial follower graph) is timed separately from the
hours simulated, for both engines (the reference engine builds its own party, one account
at a time: sim/reference/population.py).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import scaled_default  # noqa: E402
from machine import print_machine  # noqa: E402

# (engine, accounts, hours)
PLAN = [
    ("fast", 320, 24),  # the default party
    ("reference", 320, 24),
    ("fast", 1_000, 24),
    ("fast", 10_000, 24),
    ("fast", 100_000, 24),
    ("fast", 1_000_000, 24),
    ("reference", 1_000, 24),
    ("reference", 10_000, 24),
]


TOWN_PLAN = [("fast", 10_000), ("fast", 100_000), ("fast", 1_000_000)]


def town_plan(hours: int, largest: int, repeats: int) -> list[tuple[str, int, int]]:
    """The town square's runs: each size below the largest ``repeats`` times, half before the
    largest and half after it, interleaved, the largest once. One 10,000-account week is
    about 2 s of CPU, and on a shared virtual machine such a run's cost per account-step
    varies by up to 1.7x from run to run (0.99-1.70 µs in five runs of the same code): one
    run of it is no base for a ratio."""
    sizes = [n for _, n in TOWN_PLAN if n <= largest]
    if not sizes:
        return []
    small, big = sizes[:-1], sizes[-1]
    before = [("fast", n, hours) for _ in range((repeats + 1) // 2) for n in small]
    after = [("fast", n, hours) for _ in range(repeats // 2) for n in small]
    return [*before, ("fast", big, hours), *after]


def medians(rows: list[dict]) -> list[dict]:
    """One row per (engine, accounts): the median run's figures, each the median over that
    size's runs, with the range of the cost per account-step and the number of runs."""
    out = []
    for key in dict.fromkeys((r["engine"], r["accounts"]) for r in rows):
        runs = [r for r in rows if (r["engine"], r["accounts"]) == key]
        row = {k: float(np.median([r[k] for r in runs])) if isinstance(v, float) else v
               for k, v in runs[0].items()}  # fmt: skip
        cost = [r["us_per_account_step"] for r in runs]
        out.append({**row, "runs": len(runs), "us_min": min(cost), "us_max": max(cost)})
    return out


def measure(engine: str, n: int, steps: int, scenario: str = "default") -> dict:
    if scenario == "default":
        sc = scaled_default(n)
    else:  # a population with shares in its file (the town square): every group resized
        from sim.analysis.town_square import resize

        sc = resize(scenario, n)
    if engine == "fast":
        from sim.engine.warm import warm

        warm()  # loaded before timing (the peak memory includes numba, ~110 MB)
    t0 = time.perf_counter()
    if engine == "fast":
        from sim import PartyModel

        model = PartyModel(sc, seed=1, agents=False)
    else:
        from sim.reference import ReferencePartyModel

        model = ReferencePartyModel(sc, seed=1)
    t1, c1 = time.perf_counter(), time.process_time()
    model.run(steps)
    t2, c2 = time.perf_counter(), time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    work = _work(model, steps)
    return {
        "engine": engine,
        "accounts": model.n,
        "steps": steps,
        "setup_s": t1 - t0,
        "run_s": t2 - t1,
        "cpu_s": c2 - c1,
        "us_per_account_step": (c2 - c1) / (model.n * steps) * 1e6,
        "peak_bytes_per_account": peak / model.n,
        "peak_gib": peak / 2**30,
        **work,
    }


def _work(model, steps: int) -> dict:
    """What the run did per account-step besides its cost: items read (each read item goes
    through the reaction rules), items posted, and follow edges at the end; the fast engine
    only (the reference engine keeps no such totals)."""
    party = getattr(model, "party", None)
    if party is None or not hasattr(party, "n_items_read"):
        return {}
    per = model.n * steps
    return {
        "reads_per_account_step": float(party.n_items_read.sum()) / per,
        "posts_per_account_step": len(party.posts) / per,
        "follows_per_account": len(party.follows) / model.n,
    }


def _print_work(rows: list[dict]) -> None:
    """The work per account-step at each size and the cost per item read: where the work
    per account grows with size (as in the town square, whose readers follow more of the
    popular accounts, who post a lot, when there are more of them), the cost per
    account-step mixes the engine's scaling with that growth; the cost per item read
    separates them (reads, not only, but mostly, drive the hour: reading and reacting)."""
    fast = [r for r in rows if r["engine"] == "fast" and "reads_per_account_step" in r]
    if not fast:
        return
    print(f"{'accounts':>10} {'reads/acct-step':>16} {'posts/acct-step':>16} "
          f"{'follows/acct':>13} {'us/item read':>13}")  # fmt: skip
    for r in fast:
        per_read = r["us_per_account_step"] / max(r["reads_per_account_step"], 1e-12)
        print(f"{r['accounts']:>10,} {r['reads_per_account_step']:16.3f} "
              f"{r['posts_per_account_step']:16.4f} {r['follows_per_account']:13.1f} "
              f"{per_read:13.2f}")  # fmt: skip
    base = next((r for r in fast if r["accounts"] == 10_000), None)
    for r in fast:
        if base and r["accounts"] > 10_000:
            reads = r["reads_per_account_step"] / base["reads_per_account_step"]
            cost = r["us_per_account_step"] / base["us_per_account_step"]
            print(f"at {r['accounts']:,} accounts: {reads:.2f}x the 10,000's reads per "
                  f"account-step, {cost / reads:.2f}x its cost per item read")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plot", help="write a PNG of us/account-step against accounts")
    parser.add_argument("--max", type=int, default=1_000_000, help="largest party measured")
    parser.add_argument("--engine", choices=("fast", "reference"), help="measure one engine only")
    parser.add_argument(
        "--scenario", default="default",
        help="default (the default party scaled, both engines) or town_square (the fast "
        "engine at 10k, 100k and 1M, resized in the file's shares)",
    )  # fmt: skip
    parser.add_argument("--hours", type=int, default=24, help="hours of each run (default 24)")
    parser.add_argument(
        "--repeats", type=int, default=4,
        help="town square: runs of each size below the largest, half before it and half "
        "after (default 4; the largest runs once); each size's median is compared",
    )  # fmt: skip
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.one:
        engine, n, steps, scenario = args.one
        print(json.dumps(measure(engine, int(n), int(steps), scenario)))
        return
    if args.scenario == "default":
        plan = [(e, n, args.hours) for e, n, _ in PLAN]
    else:
        plan = town_plan(args.hours, args.max, max(args.repeats, 1))
    rows = []
    print_machine()
    print(
        f"{'engine':<10} {'accounts':>10} {'hours':>6} {'set-up s':>9} {'run s':>9} {'cpu s':>8} "
        f"{'us/acct-step':>13} {'peak GiB':>9} {'bytes/acct':>11}"
    )
    for engine, n, steps in plan:
        if n > args.max or (args.engine and engine != args.engine):
            continue
        out = subprocess.run(
            [sys.executable, __file__, "--one", engine, str(n), str(steps), args.scenario],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        rows.append(r)
        setup = f"{r['setup_s']:9.1f}"
        print(
            f"{engine:<10} {r['accounts']:>10,} {steps:>6} {setup} {r['run_s']:9.1f} "
            f"{r['cpu_s']:8.1f} "
            f"{r['us_per_account_step']:13.2f} {r['peak_gib']:9.2f} "
            f"{r['peak_bytes_per_account']:11,.0f}",
            flush=True,
        )
    by = {(r["engine"], r["accounts"]): r["us_per_account_step"] for r in rows}
    for n in (320, 1_000, 10_000):
        keys = [k for k in by if k[1] in range(n - 50, n + 50)]
        ref = [by[k] for k in keys if k[0] == "reference"]
        fast = [by[k] for k in keys if k[0] == "fast"]
        if ref and fast:
            print(f"fast engine at {n:,} accounts: {ref[0] / fast[0]:.1f}x the reference")
    summary = medians(rows)
    if any(r["runs"] > 1 for r in summary):
        print("median of each size's runs (range of us/acct-step):")
        for r in summary:
            print(f"{r['engine']:<10} {r['accounts']:>10,} x{r['runs']}  "
                  f"{r['us_per_account_step']:.2f} us/acct-step ({r['us_min']:.2f}-"
                  f"{r['us_max']:.2f})")  # fmt: skip
    base = {(r["engine"], r["accounts"]): r["us_per_account_step"] for r in summary}.get(
        ("fast", 10_000)
    )
    for r in summary:
        if base and r["engine"] == "fast" and r["accounts"] > 10_000:
            print(f"{args.scenario} at {r['accounts']:,} accounts x {r['steps']} h: "
                  f"{r['us_per_account_step'] / base:.2f}x the 10,000 cost per account-step; "
                  f"wall time {(r['setup_s'] + r['run_s']) / 60:.1f} min "
                  f"(set-up {r['setup_s']:.0f} s)")  # fmt: skip
    if args.scenario != "default":
        _print_work(summary)
    print_machine()  # the load average after the run, too
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4), dpi=110)
        for engine in ("fast", "reference"):
            pts = sorted(
                (r["accounts"], r["us_per_account_step"]) for r in rows if r["engine"] == engine
            )
            ax.plot(*zip(*pts, strict=True), "o-", label=engine)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("accounts")
        ax.set_ylabel("µs per account-step")
        ax.set_title("cost per account-step (flat = linear in accounts x steps)")
        ax.grid(alpha=0.3, which="both")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.plot)


if __name__ == "__main__":
    main()
