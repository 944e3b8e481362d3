"""Executing runs: one run as data, a local process pool, a Dask cluster."""

from __future__ import annotations

import os
import socket
import time
import traceback
from collections.abc import Iterator
from typing import Any

import pandas as pd

from sim.config.scenarios import loads
from sim.config.tomlio import one_line
from sim.engine import kernels
from sim.engine.warm import warm
from sim.sweeps.design import RunTask, SweepAborted, SweepError

# --------------------------------------------------------------------------------- one run


def simulate(task: RunTask) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run one task: (summary rows per strategy, recorded step rows per strategy)."""
    from sim.analysis import metrics
    from sim.engine.model import PartyModel

    scenario = loads(task.scenario_toml, source=f"sweep {task.sweep}").with_overrides(
        task.overrides, where=f"sweep {task.sweep} point {task.point}"
    )
    model = PartyModel(scenario, seed=task.seed, agents=False)
    model.run()
    result = metrics.summary(model)
    extra = {f"network_{k}": v for k, v in result["network"].items()}
    extra |= {f"cascades_{k}": v for k, v in result["cascades"].items()}
    summary = pd.DataFrame(
        [
            {"strategy": s, "steps": result["steps"], **row, **extra}
            for s, row in result["strategies"].items()
        ]
    )
    steps = metrics.tidy_steps(model).drop(columns=["scenario", "seed"])
    last = steps["step"].max()
    steps = steps[(steps["step"] % task.record_every == 0) | (steps["step"] == last)]
    return _label(summary, task, scenario.name), _label(
        steps.reset_index(drop=True), task, scenario.name
    )


def _label(table: pd.DataFrame, task: RunTask, scenario: str) -> pd.DataFrame:
    import sim

    ids = {
        "sweep": task.sweep,
        "scenario": scenario,
        "point": task.point,
        "rep": task.rep,
        "seed": task.seed,
        "run_id": task.run_id,
        **task.params,
    }
    front = pd.DataFrame({k: [v] * len(table) for k, v in ids.items()})
    table = table.drop(columns=[c for c in ids if c in table])  # e.g. a swept `steps`
    out = pd.concat([front, table.reset_index(drop=True)], axis=1)
    out["sim_version"] = sim.__version__
    return out


def execute(task: RunTask) -> dict[str, Any]:
    """Run a task and never raise: a failure comes back as data (error text, traceback)."""
    start = time.perf_counter()
    info = {
        "run_id": task.run_id,
        "point": task.point,
        "rep": task.rep,
        "seed": task.seed,
        "params": task.params,
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }
    try:
        summary, steps = simulate(task)
    except Exception as err:  # a failed run is a result too; the sweep goes on
        return {
            **info,
            "status": "failed",
            "error": f"{type(err).__name__}: {err}",
            "traceback": traceback.format_exc(),
            "elapsed_s": time.perf_counter() - start,
        }
    return {
        **info,
        "status": "ok",
        "summary": summary,
        "steps": steps,
        "elapsed_s": time.perf_counter() - start,
    }


def failed(task: RunTask, err: BaseException) -> dict[str, Any]:
    """A failure record for a run whose worker died or could not run it."""
    return {
        "run_id": task.run_id,
        "point": task.point,
        "rep": task.rep,
        "seed": task.seed,
        "params": task.params,
        "status": "failed",
        "error": f"{type(err).__name__}: {err}",
        "traceback": "",
        "elapsed_s": 0.0,
    }


# ------------------------------------------------------------------------------- engines


def run_local(tasks: list[RunTask], jobs: int) -> Iterator[dict]:
    """Results as they finish: in this process (jobs=1) or a process pool."""
    if jobs == 1:
        if kernels.mode() == "auto":  # loops from the first run of a long sweep
            kernels.expect(_work(tasks))
        for task in tasks:
            yield execute(task)
        return
    items = [(t,) for t in tasks]
    for _, result in map_local(execute, items, jobs, warm=_warm_workers(tasks, jobs),
                               died="finished runs are saved, rerun with --resume"):  # fmt: skip
        yield result


def map_local(
    fn, items: list, jobs: int, warm: bool | None = None, died: str = ""
) -> Iterator[tuple[int, Any]]:
    """``(index, fn(*item))`` for each item as it finishes: in this process (``jobs`` 1) or in
    a pool of ``jobs`` processes (a fork server with the engine and, if ``warm``, the compiled
    loops loaded; by default unless the loops are off). Ctrl-C is handled by the parent, which
    stops the workers without waiting for the runs in flight; workers exit with the parent; a
    worker that dies raises :class:`SweepAborted` ("a worker process died", then ``died``).
    ``fn`` must be importable by name (a module's function)."""
    if jobs == 1:
        for i, item in enumerate(items):
            yield i, fn(*item)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    warm = kernels.mode() != "off" if warm is None else warm
    pool = ProcessPoolExecutor(
        jobs, mp_context=_mp_context(warm), initializer=_init_worker, initargs=(os.getpid(), warm)
    )
    futures = {pool.submit(fn, *item): i for i, item in enumerate(items)}
    finished = False
    try:
        for future in as_completed(futures):
            yield futures[future], future.result()
        finished = True
    except BrokenProcessPool:
        raise SweepAborted("; ".join(["a worker process died", *filter(None, [died])])) from None
    finally:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        results = getattr(pool, "_result_queue", None)  # shutdown forgets it
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished:  # interrupted: do not wait for runs in flight
            _stop_workers(procs, getattr(results, "_writer", None))


def _stop_workers(procs: list, writer) -> None:
    """End the pool's workers now. A worker ended while it sends a result leaves half a
    message in the result pipe, and the pool's manager thread (which the interpreter joins
    at exit) would wait for the rest for ever; the parent holds the pipe's other writing
    end, so closing it once the workers are gone lets that read end (EOF)."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.join(timeout=10)
    if writer is not None and not any(proc.is_alive() for proc in procs):
        try:
            writer.close()
        except OSError:
            pass


def _work(tasks: list[RunTask]) -> int:
    """Account-hours the runs will simulate (each design point's scenario read once; a point that cannot be read counts nothing here: its runs will fail
    and be recorded as failed runs, as without this estimate)."""
    size: dict[int, int] = {}
    for task in tasks:
        if task.point not in size:
            try:
                scenario = loads(task.scenario_toml).with_overrides(task.overrides)
            except Exception:  # noqa: BLE001 - reported by the run itself (execute)
                size[task.point] = 0
                continue
            size[task.point] = scenario.n_accounts * scenario.steps
    return sum(size[t.point] for t in tasks)


def _warm_workers(tasks: list[RunTask], jobs: int) -> bool:
    """Whether pool workers should start with the compiled loops loaded: with
    ``PARTYSIM_KERNELS=on``, or with ``auto`` when each worker's share of the runs reaches what
    ``auto`` waits for (:data:`sim.engine.kernels.AUTO_AFTER`)."""
    mode = kernels.mode()
    if mode == "off":
        return False
    return mode == "on" or _work(tasks) / jobs >= kernels.AUTO_AFTER


def _mp_context(warm: bool = False):
    """Workers fork from a server that imported the engine once (and, if ``warm``, loaded
    the compiled loops: :mod:`sim.sweeps.warm`), so each starts ready instead of importing
    and loading them itself."""
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        preload = ["sim.sweeps", "sim.engine.model"]
        if kernels.mode() != "off":  # numba imported once, in the server the workers fork from
            preload += kernels.LOOP_MODULES
        if warm:
            preload.append("sim.sweeps.warm")
        ctx.set_forkserver_preload(preload)
        return ctx
    return mp.get_context("spawn")


def _init_worker(parent: int, warm: bool = False) -> None:
    """Pool worker set-up: Ctrl-C is handled once, by the parent (which saves what finished
    and stops the pool); a worker exits on its own if the parent is killed; with ``warm`` it
    uses the compiled loops from its first run (already loaded if its fork server was started
    for this sweep; a server started earlier in the process keeps its first preload list)."""
    import signal
    import threading

    if warm:
        kernels.expect(kernels.AUTO_AFTER)

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while _alive(parent):
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="partysim-parent-watch").start()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a killed parent may linger as a zombie, so on Linux
    read its state rather than only probing it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return not os.path.isdir("/proc/self") and _signal_probe(pid)
    except (OSError, IndexError):
        return _signal_probe(pid)


def _signal_probe(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_version() -> str:
    """The ``sim`` version a worker imports (checks a Dask worker can run sweeps)."""
    import sim

    return sim.__version__


WORKER_WAIT_S = 60.0  # how long to wait for a first worker, or for workers to come back


def run_dask(tasks: list[RunTask], jobs: int, address: str | None) -> Iterator[dict]:
    """Results as they finish on a Dask cluster (``address``) or a LocalCluster of ``jobs``.

    If every worker leaves the scheduler for ``WORKER_WAIT_S`` seconds, the sweep stops with
    :class:`SweepAborted` (finished runs are kept) instead of waiting for ever."""
    import uuid

    from dask.distributed import Client, LocalCluster

    cluster, futures = None, []
    if address:
        try:
            client = Client(address, timeout="20s")
        except OSError as err:
            raise SweepError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    else:
        # every server (scheduler, workers, their HTTP servers) on this machine only, explicitly
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )
        client = Client(cluster)
    try:
        _check_workers(client)
        _warm_dask_workers(client, tasks)
        token = uuid.uuid4().hex[:8]
        futures = client.map(
            execute, tasks, key=[f"partysim-{token}-{t.run_id}" for t in tasks], pure=False
        )
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for future in _as_completed(client, futures):
            if future.status == "finished":
                yield _result(future)
            else:  # e.g. KilledWorker: the run took down workers more than allowed
                yield failed(by_key[future.key], future.exception())
            future.release()
    finally:
        if futures:
            client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()


def _warm_dask_workers(client, tasks: list[RunTask]) -> None:
    """Workers load the compiled loops before the first run when the sweep is long enough
    (:func:`_warm_workers`, per worker present now): under ``auto`` a worker would otherwise
    run its first two default weeks of work on numpy. A worker that fails to load them, or
    joins later, loads them itself under ``auto``."""
    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    if not _warm_workers(tasks, workers):
        return
    try:
        client.run(_warm_dask_worker)
    except Exception:  # noqa: BLE001 - only a speed-up: the runs work without it
        pass


def _warm_dask_worker() -> None:
    """On a Dask worker (``client.run``): load the compiled loops and use them from now on
    (:func:`sim.engine.warm.warm` switches them on unless ``PARTYSIM_KERNELS=off``)."""
    warm()


def _result(future) -> dict:
    """A finished run's result; its worker may leave before the result is fetched (then
    Dask would wait for a worker to run it again, for ever if none comes)."""
    try:
        return future.result(timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise SweepAborted(
            f"no Dask worker left with a finished run's result for {WORKER_WAIT_S:.0f} s; "
            "start workers, then rerun with --resume"
        ) from None


def _as_completed(client, futures: list) -> Iterator:
    """Futures as they finish; raises SweepAborted when no worker is left to run the rest."""
    from dask.distributed import wait

    pending, alone_since = set(futures), None
    while pending:
        try:
            done, pending = wait(pending, timeout=5, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        yield from sorted(done, key=lambda f: str(f.key))
        if done or client.scheduler_info().get("workers"):
            alone_since = None
            continue
        alone_since = alone_since or time.monotonic()
        if time.monotonic() - alone_since > WORKER_WAIT_S:
            raise SweepAborted(
                f"no Dask worker left at the scheduler for {WORKER_WAIT_S:.0f} s "
                f"({len(pending)} runs waiting); start workers, then rerun with --resume"
            )


def _check_workers(client) -> None:
    import sim

    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise SweepError(
            f"no Dask worker joined the scheduler at {client.scheduler_info().get('address')} within "
            f"{WORKER_WAIT_S:.0f} s; start workers (`dask worker ADDRESS`) and try again"
        ) from None
    try:
        versions = client.run(worker_version)
    except Exception as err:
        raise SweepError(
            f"the Dask workers cannot run partysim (install it on every worker): {one_line(err)}"
        ) from None
    wrong = {w: v for w, v in versions.items() if v != sim.__version__}
    if wrong:
        raise SweepError(
            f"Dask workers run another partysim version than {sim.__version__}: {wrong}"
        )
