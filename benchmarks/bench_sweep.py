"""Sweep throughput: default-week runs per core-minute, parallel efficiency, Dask overhead.

A 40-run sweep (the default party, 168 hours; 4 design points x 10 replications) is run
  1. on the local engine with 1 worker (in-process) and with 2 worker processes;
  2. on the Dask engine (a LocalCluster of 2 single-threaded worker processes, started once
     and reused, so start-up is reported separately).
Prints the machine, wall times, default-week runs per core-minute (runs / (workers x wall
minutes); with 1 worker also per CPU-minute of this process, which a shared machine's other
jobs do not inflate), speed-up and parallel efficiency (speed-up / workers), the overhead per
run of Dask versus the local pool, and the cost of a sweep run against one default week on the
reference engine measured in the same run (CPU time). Usage:

    python benchmarks/bench_sweep.py [--reps 10] [--no-dask] [--no-reference]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import sim
from sim.engine.warm import warm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import print_machine  # noqa: E402

SWEEP = """
name = "bench"
scenario = "default"

[sweep]
reps = {reps}
root_seed = 3
steps = 168
record_every = 12

[sweep.grid]
follow_base_prob = [0.02, 0.04]
reply_base_prob = [0.015, 0.035]
"""


def timed(**kwargs) -> tuple[float, float]:
    """Wall and CPU seconds (this process) of one sweep."""
    start, cpu = time.perf_counter(), time.process_time()
    table = sim.sweep(progress=False, **kwargs)
    assert not table.attrs["failed"], table.attrs["failed"]
    return time.perf_counter() - start, time.process_time() - cpu


def reference_week_cpu_s() -> float:
    """CPU seconds of one default week (168 h) on the reference engine, set-up not timed."""
    from sim.reference import ReferencePartyModel

    model = ReferencePartyModel("default", seed=3)
    cpu = time.process_time()
    model.run(168)
    return time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask engine")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference run")
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "bench.toml"
        file.write_text(SWEEP.format(reps=args.reps))
        runs = 4 * args.reps
        print(f"{runs} runs of the default party (320 accounts, 168 h); {os.cpu_count()} cores")
        # the 1-worker sweep runs in this process: its compiled loops loaded first, as in a
        # worker past its first runs (PARTYSIM_KERNELS=auto loads them after two weeks)
        loading = warm()
        print(f"compiled loops loaded in {loading:.2f} s (once per process)")
        one, one_cpu = timed(file_or_scenario=file, jobs=1, out=Path(tmp) / "one")
        two, _ = timed(file_or_scenario=file, jobs=2, out=Path(tmp) / "two")
        speedup = one / two
        print(
            f"local, 1 worker : {one:7.2f} s  ({one / runs * 1000:.0f} ms per run; "
            f"{runs / (one / 60):.0f} runs per core-minute, "
            f"{runs / (one_cpu / 60):.0f} per CPU-minute)"
        )
        print(
            f"local, 2 workers: {two:7.2f} s  ({runs / (2 * two / 60):.0f} runs per core-minute) "
            f"speed-up {speedup:.2f}, parallel efficiency {speedup / 2:.0%}",
            flush=True,
        )
        if not args.no_reference:
            ref = reference_week_cpu_s()
            print(
                f"reference engine, one default week: {ref:.2f} s CPU; a sweep run (1 worker, "
                f"with its outputs) costs 1/{ref / (one_cpu / runs):.1f} of it",
                flush=True,
            )
        if not args.no_dask:
            dask_overhead(file, Path(tmp), runs, two)
    print_machine()  # the load average after the run, too


def dask_overhead(file: Path, tmp: Path, runs: int, two: float) -> None:
    """The same sweep on a 2-worker Dask LocalCluster (start-up reported separately)."""
    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )
    client = Client(cluster)
    client.wait_for_workers(2)
    boot = time.perf_counter() - start
    try:
        timed(
            file_or_scenario=file,
            engine="dask",
            address=cluster.scheduler_address,
            out=tmp / "warm",
        )  # first use imports sim on the workers
        dask, _ = timed(
            file_or_scenario=file,
            engine="dask",
            address=cluster.scheduler_address,
            out=tmp / "dask",
        )
    finally:
        client.close()
        cluster.close()
    print(f"dask, 2 workers : {dask:7.2f} s  (cluster start-up {boot:.1f} s, not included)")
    print(
        f"dask overhead vs local pool: {(dask - two) / runs * 1000:+.0f} ms per run "
        f"({dask / two - 1:+.0%} wall time)"
    )


if __name__ == "__main__":
    main()
