"""Sweep engines: parallel efficiency and Dask overhead per run.

A 40-run sweep (the default party, 168 hours; 4 design points x 10 replications) is run
  1. on the local engine with 1 worker (in-process) and with 2 worker processes;
  2. on the Dask engine (a LocalCluster of 2 single-threaded worker processes, started once
     and reused, so start-up is reported separately).
Prints wall times, speed-up and parallel efficiency (speed-up / workers), and the overhead per
run of Dask versus the local pool. Usage: python benchmarks/bench_sweep.py [--reps 10]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import sim

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


def timed(**kwargs) -> float:
    start = time.perf_counter()
    table = sim.sweep(progress=False, **kwargs)
    assert not table.attrs["failed"], table.attrs["failed"]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "bench.toml"
        file.write_text(SWEEP.format(reps=args.reps))
        runs = 4 * args.reps
        print(
            f"{runs} runs of the default party (320 accounts, 168 h); {os.cpu_count()} cores; "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        one = timed(file_or_scenario=file, jobs=1, out=Path(tmp) / "one")
        two = timed(file_or_scenario=file, jobs=2, out=Path(tmp) / "two")
        speedup = one / two
        print(f"local, 1 worker : {one:7.2f} s  ({one / runs * 1000:.0f} ms per run)")
        print(
            f"local, 2 workers: {two:7.2f} s  speed-up {speedup:.2f}, "
            f"parallel efficiency {speedup / 2:.0%}"
        )

        from dask.distributed import Client, LocalCluster

        start = time.perf_counter()
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        client.wait_for_workers(2)
        boot = time.perf_counter() - start
        try:
            timed(
                file_or_scenario=file,
                engine="dask",
                address=cluster.scheduler_address,
                out=Path(tmp) / "warm",
            )  # first use imports sim on the workers
            dask = timed(
                file_or_scenario=file,
                engine="dask",
                address=cluster.scheduler_address,
                out=Path(tmp) / "dask",
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
