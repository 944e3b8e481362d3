"""Scenario sweeps: designs, replication seeds, executors, tidy outputs, resume.

A sweep runs one base scenario at many design points (a full factorial ``[sweep.grid]``, a
Latin hypercube ``[sweep.sample]``, or both crossed), each ``reps`` times. Inputs (the design),
outcomes (:mod:`sim.analysis.metrics`) and the execution engine (in-process, a local process pool, a
Dask cluster) are separate, so the same sweep runs anywhere and gives the same rows.

Seeds: replication ``r`` uses seed ``r`` of ``SeedSequence(root_seed).spawn(reps)`` at EVERY
design point (common random numbers: differences between points are not seed noise). Raising
``reps`` later keeps the earlier seeds. Every row carries its point, parameters, rep, seed and
the ``sim`` version that made it.

The package: :mod:`sim.sweeps.design` (files, points, seeds), :mod:`sim.sweeps.engines`
(one run, process pool, Dask), :mod:`sim.sweeps.store` (results on disk).

Files under ``out`` (written as runs finish, each file atomically: temp file + rename)::

    sweep.json  sweep.toml  scenario.toml  design.parquet     the resolved sweep (re-runnable)
    summary/<run>.parquet   one row per strategy at the end of the run   (a Parquet dataset)
    steps/<run>.parquet     one row per recorded step x strategy         (a Parquet dataset)
    failed/<run>.json       a run that raised: parameters, seed, error, traceback
    manifest.jsonl          one line per finished run (ok or failed)
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sim.config.params import shown, unknown_key_message
from sim.config.scenarios import Scenario
from sim.sweeps.design import (
    ENGINES,
    ID_COLUMNS,
    RunTask,
    SweepAborted,
    SweepError,
    SweepSpec,
    _int,
    find_sweep_file,
    load_sweep,
    parse_sweep,
)

if TYPE_CHECKING:
    import pandas as pd

# pandas, the engines and the store are imported on first use, so that checking a sweep file
# (and reporting its errors) does not wait for the scientific stack
_LAZY = {
    "execute": "sim.sweeps.engines",
    "run_dask": "sim.sweeps.engines",
    "run_local": "sim.sweeps.engines",
    "simulate": "sim.sweeps.engines",
    "MemoryStore": "sim.sweeps.store",
    "ResultStore": "sim.sweeps.store",
    "read_results": "sim.sweeps.store",
    "sweep_toml": "sim.sweeps.store",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim.sweeps' has no attribute {name!r}")


__all__ = [
    "ENGINES",
    "ID_COLUMNS",
    "RunTask",
    "SweepAborted",
    "SweepError",
    "SweepSpec",
    "execute",
    "find_sweep_file",
    "load_sweep",
    "parse_sweep",
    "read_results",
    "report",
    "run_dask",
    "run_local",
    "simulate",
    "sweep",
    "sweep_toml",
]


# ----------------------------------------------------------------------------- the sweep


def sweep(
    file_or_scenario: str | os.PathLike | Scenario | SweepSpec,
    reps: int | None = None,
    jobs: int = 1,
    engine: str = "local",
    address: str | None = None,
    out: str | os.PathLike | None = None,
    resume: bool = False,
    progress: bool = True,
    csv: bool = False,
    confirm: bool = False,
) -> pd.DataFrame:
    """Run a sweep and return one row per run x strategy (final outcomes).

    Args:
        file_or_scenario: a sweep file (path or name in ``scenarios/sweeps/``), a scenario
            file or :class:`Scenario` with a ``[sweep]`` table, or a :class:`SweepSpec`.
        reps: replications per design point (default: the file's ``reps``).
        jobs: worker processes (1 = in this process); with ``engine="dask"`` and no
            ``address``, the size of a LocalCluster.
        engine: ``"local"`` (process pool) or ``"dask"`` (``dask.distributed``).
        address: a Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
        out: results directory; written as runs finish. None keeps results in memory only.
        resume: continue a sweep in ``out``: run only what is missing (and failed runs).
        progress: a progress bar on stderr.
        csv: also write ``summary.csv``, ``steps.csv`` (and ``failures.csv``) in ``out``.
        confirm: start a sweep of more than 10,000 runs or estimated over an hour
            (:mod:`sim.sweeps.bounds`; more than 1,000,000 runs is always refused).

    Before any run, the runs, time and memory are estimated (printed with ``progress``) and
    local workers are capped by the cores, the memory and the runs to do.

    The DataFrame's ``attrs`` hold ``runs``, ``done``, ``failed`` (records), ``elapsed_s``
    and ``out``. Interrupting (Ctrl-C) keeps every finished run; rerun with ``resume=True``.
    """
    spec = load_sweep(file_or_scenario, reps=reps)
    if engine not in ENGINES:
        raise SweepError(unknown_key_message(str(engine), ENGINES, "--engine", "engine"))
    if address and engine != "dask":
        raise SweepError("--address names a Dask scheduler; add --engine dask")
    jobs = _int(jobs, "jobs", "--jobs", 1, 4096)
    if engine == "dask" and address is not None:
        address = check_address(address)
    from sim.sweeps.bounds import plan_sweep

    plan = plan_sweep(spec, jobs, remote=engine == "dask" and bool(address), confirm=confirm)
    from sim.sweeps.engines import run_dask, run_local
    from sim.sweeps.store import MemoryStore, ResultStore

    store = ResultStore(Path(out), spec, resume) if out is not None else MemoryStore(resume)
    try:
        tasks = spec.tasks()
        todo = [t for t in tasks if t.run_id not in store.done]
        if progress:
            torn = getattr(store, "torn", [])
            if torn:
                print(f"partysim: {len(torn)} unreadable result files (e.g. {torn[0]}) are "
                      "run again", file=sys.stderr)  # fmt: skip
            print(f"partysim: {plan.describe(spec.name, len(todo))}", file=sys.stderr)
        jobs = max(1, min(plan.jobs, len(todo)))
        results = run_dask(todo, jobs, address) if engine == "dask" else run_local(todo, jobs)
        table = _collect(spec, store, tasks, todo, results, progress, csv)
    finally:
        store.close()
    return table


def _collect(spec, store, tasks, todo, results, progress: bool, csv: bool) -> pd.DataFrame:
    """Save each result as it comes; the table of every finished run at the end."""
    start = time.perf_counter()
    bar = _bar(spec, len(tasks), len(tasks) - len(todo), progress)
    try:
        for result in results:
            store.write(result)
            bar.update(1)
            if result["status"] != "ok":
                bar.set_postfix(failed=len(store.failures()))
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM raised by the command line
        from sim.engine.interrupts import Terminated

        how, status = ("terminated", 143) if isinstance(err, Terminated) else ("interrupted", 130)
        raise SweepAborted(store.stopped_message(len(tasks), how), status) from None
    except SweepAborted as err:
        raise SweepAborted(f"{err}; {store.stopped_message(len(tasks), 'stopped')}") from None
    except OSError as err:  # the disk is full, a file-size limit: what is saved stays saved
        why = f"{err.strerror or err}" + (f": {err.filename}" if err.filename else "")
        raise SweepError(
            f"cannot save a run's results ({why}); "
            f"{store.stopped_message(len(tasks), 'stopped')} once there is room"
        ) from None
    finally:
        bar.close()
        close = getattr(results, "close", None)
        close() if close else None
    table = store.finish(csv)
    table.attrs.update(
        runs=len(tasks),
        done=len(tasks) - len(store.failures()),
        ran=len(todo),
        failed=store.failures(),
        elapsed_s=time.perf_counter() - start,
        out=str(store.out) if getattr(store, "out", None) is not None else None,
    )
    return table


ADDRESS = re.compile(
    r"^(?:(?:tcp|tls|ucx|ws|wss)://)?[A-Za-z0-9._\-\[\]:]+:\d{1,5}$"  # [PROTOCOL://]HOST:PORT
    r"|^inproc://\S+$"  # a scheduler in this process (LocalCluster(processes=False))
)


def check_address(address: str) -> str:
    """A Dask scheduler address: ``[tcp://]HOST:PORT`` (or tls://, ucx://, ws://), or an
    ``inproc://`` one."""
    if not isinstance(address, str) or not ADDRESS.match(address.strip()):
        raise SweepError(
            f"--address {shown(address)}: not a Dask scheduler address; give "
            "tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)"
        )
    return address.strip()


def _bar(spec: SweepSpec, total: int, initial: int, progress: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="run",
        desc=spec.name,
        file=sys.stderr,
        disable=not progress,
        smoothing=0.1,
        dynamic_ncols=True,
    )


def report(table: pd.DataFrame) -> str:
    """The end-of-sweep summary in words: runs done, failed, time, where the files are."""
    a = table.attrs
    lines = [
        f"sweep: {a['done']} of {a['runs']} runs done ({a['ran']} ran now, "
        f"{a['runs'] - a['ran']} finished earlier), {len(a['failed'])} failed, "
        f"{a['elapsed_s']:.1f} s"
    ]
    for f in a["failed"][:5]:
        lines.append(f"  failed {f['run_id']} (seed {f['seed']}, {f['params']}): {f['error']}")
    if len(a["failed"]) > 5:
        lines.append(f"  ... and {len(a['failed']) - 5} more (see failures in the manifest)")
    if a["out"]:
        lines.append(
            f"results: {a['out']}/summary (per run x strategy), {a['out']}/steps "
            f"(per step), {a['out']}/manifest.jsonl; plot with `partysim plot {a['out']}`"
        )
    return "\n".join(lines)
