"""Scenario sweeps: designs, replication seeds, executors, tidy outputs, resume.

A sweep runs one base scenario at many design points (a full factorial ``[sweep.grid]``, a
Latin hypercube ``[sweep.sample]``, or both crossed), each ``reps`` times. Inputs (the design),
outcomes (:mod:`sim.metrics`) and the execution engine (in-process, a local process pool, a
Dask cluster) are separate, so the same sweep runs anywhere and gives the same rows.

Seeds: replication ``r`` uses seed ``r`` of ``SeedSequence(root_seed).spawn(reps)`` at EVERY
design point (common random numbers: differences between points are not seed noise). Raising
``reps`` later keeps the earlier seeds. Every row carries its point, parameters, rep, seed and
the ``sim`` version that made it.

Files under ``out`` (written as runs finish, each file atomically: temp file + rename)::

    sweep.json  sweep.toml  scenario.toml  design.parquet     the resolved sweep (re-runnable)
    summary/<run>.parquet   one row per strategy at the end of the run   (a Parquet dataset)
    steps/<run>.parquet     one row per recorded step x strategy         (a Parquet dataset)
    failed/<run>.json       a run that raised: parameters, seed, error, traceback
    manifest.jsonl          one line per finished run (ok or failed)
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import sys
import time
import tomllib
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.params import ACCOUNT_PARAMS, MODEL_PARAMS, unknown_key_message
from sim.scenarios import Scenario, ScenarioError, from_dict, loads, resolve, scenarios_dir
from sim.scenarios import load as load_scenario
from sim.scenarios import to_toml as scenario_toml

SWEEP_KEYS = ("grid", "sample", "n", "reps", "root_seed", "steps", "record_every", "set")
FILE_KEYS = ("scenario", "name", "description", "sweep")
ENGINES = ("local", "dask")
ID_COLUMNS = ("sweep", "scenario", "point", "rep", "seed", "run_id")


class SweepError(ScenarioError):
    """A sweep that cannot run as asked; the message says where and why."""


class SweepAborted(RuntimeError):
    """The sweep stopped early (interrupt, dead worker); finished runs are kept."""


# ----------------------------------------------------------------------------- the design


@dataclass(frozen=True)
class SweepSpec:
    """A checked sweep: base scenario, design, replications and seeds."""

    name: str
    base: Scenario  # as loaded, before `set` and `steps`
    fixed: dict[str, Any]  # [sweep.set]: overrides applied at every point
    steps: int
    grid: dict[str, list] = field(default_factory=dict)
    sample: dict[str, list] = field(default_factory=dict)  # key -> [low, high]
    n: int = 0
    reps: int = 1
    root_seed: int = 1
    record_every: int = 1
    source: str = "<sweep>"
    description: str = ""

    @property
    def params(self) -> list[str]:
        """The swept parameter names, grid first."""
        return [*self.grid, *self.sample]

    def seeds(self) -> list[int]:
        """Replication seeds: ``SeedSequence(root_seed).spawn(reps)`` as plain ints < 2**63."""
        children = np.random.SeedSequence(self.root_seed).spawn(self.reps)
        return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]

    def points(self) -> list[dict[str, Any]]:
        """Design points in a stable order: grid points x sample points."""
        grid = [
            dict(zip(self.grid, vals, strict=True))
            for vals in itertools.product(*self.grid.values())
        ]
        return [{**g, **s} for g in grid for s in self._sample_points()]

    def _sample_points(self) -> list[dict[str, Any]]:
        if not self.sample:
            return [{}]
        from scipy.stats import qmc

        lows = [lo for lo, _ in self.sample.values()]
        highs = [hi for _, hi in self.sample.values()]
        unit = qmc.LatinHypercube(d=len(self.sample), rng=self.root_seed).random(self.n)
        values = qmc.scale(unit, lows, highs)
        out = []
        for row in values:
            point = {}
            for key, v in zip(self.sample, row, strict=True):
                point[key] = int(np.rint(v)) if _kind(key) is int else float(v)
            out.append(point)
        return out

    def scenario_at(self, point: dict[str, Any]) -> Scenario:
        return self.base.with_overrides({**self.fixed, "steps": self.steps, **point})

    def tasks(self) -> list[RunTask]:
        """One task per design point x replication (same seeds at every point)."""
        text = scenario_toml(self.base)
        seeds = self.seeds()
        return [
            RunTask(
                run_id=f"p{point:05d}-r{rep:04d}",
                sweep=self.name,
                point=point,
                rep=rep,
                seed=seed,
                params=values,
                overrides={**self.fixed, "steps": self.steps, **values},
                scenario_toml=text,
                record_every=self.record_every,
            )
            for point, values in enumerate(self.points())
            for rep, seed in enumerate(seeds)
        ]

    def table(self) -> dict[str, Any]:
        """The resolved ``[sweep]`` table (what ``sweep.toml`` and ``sweep.json`` hold)."""
        table: dict[str, Any] = {
            "reps": self.reps,
            "root_seed": self.root_seed,
            "steps": self.steps,
            "record_every": self.record_every,
        }
        if self.sample:
            table["n"] = self.n
        for key in ("set", "grid", "sample"):
            value = self.fixed if key == "set" else getattr(self, key)
            if value:
                table[key] = value
        return table

    def fingerprint(self) -> str:
        """What must match to resume into a results directory (everything but ``reps``)."""
        import hashlib

        table = {k: v for k, v in self.table().items() if k != "reps"}
        blob = json.dumps([scenario_toml(self.base), table], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RunTask:
    """One run: everything a worker needs, as plain picklable data."""

    run_id: str
    sweep: str
    point: int
    rep: int
    seed: int
    params: dict[str, Any]
    overrides: dict[str, Any]
    scenario_toml: str
    record_every: int


def _kind(key: str) -> type:
    """The value type of an override key (already checked to exist)."""
    if key in ("steps", "seed") or key.endswith(".count"):
        return int
    name = key.split(".", 1)[1] if "." in key else key
    param = ACCOUNT_PARAMS.get(name) if "." in key else MODEL_PARAMS.get(name)
    return str if param is None or param.choices else param.kind


# ---------------------------------------------------------------------- reading sweep files


def find_sweep_file(name_or_path: str | os.PathLike) -> Path:
    """A sweep file from a path, a name in ``scenarios/sweeps/`` or a scenario name."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    named = scenarios_dir() / "sweeps" / f"{name_or_path}.toml"
    if named.is_file():
        return named
    try:
        return resolve(name_or_path)
    except ScenarioError:
        known = sorted(p.stem for p in (scenarios_dir() / "sweeps").glob("*.toml"))
        raise SweepError(
            unknown_key_message(str(name_or_path), known, "", "sweep (not a file either)")
            + f"; sweeps in {scenarios_dir() / 'sweeps'}: {', '.join(known) or 'none'}"
        ) from None


def load_sweep(
    source: str | os.PathLike | Scenario | SweepSpec, reps: int | None = None
) -> SweepSpec:
    """Read and check a sweep (a sweep file, a scenario with a ``[sweep]`` table, a Scenario
    or a SweepSpec); every parameter and value is checked here, before any run."""
    if isinstance(source, SweepSpec):
        spec = source
    elif isinstance(source, Scenario):
        if source.sweep is None:
            raise SweepError(f"{source.source}: the scenario has no [sweep] table")
        spec = parse_sweep(source.sweep, source, source.source, source.name)
    else:
        path = find_sweep_file(source)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise SweepError(f"{path}: not valid TOML: {err}") from None
        spec = _from_file(data, path)
    if reps is not None:
        spec = replace(spec, reps=_int(reps, "reps", "--reps", 1, 1_000_000))
    return spec


def _from_file(data: dict, path: Path) -> SweepSpec:
    where = str(path)
    if "groups" in data:  # a scenario file with its own [sweep] table
        base = from_dict(data, source=where)
        if base.sweep is None:
            raise SweepError(
                f"{where}: no [sweep] table; add one, or write a sweep file in "
                f'{scenarios_dir() / "sweeps"} with scenario = "{path.stem}" and a [sweep] table'
            )
        return parse_sweep(base.sweep, base, where, base.name)
    for key in data:
        if key not in FILE_KEYS:
            raise SweepError(unknown_key_message(key, FILE_KEYS, where, "key"))
    ref = data.get("scenario")
    if not isinstance(ref, str) or not ref:
        raise SweepError(f"{where}: 'scenario' must name the base scenario (a name or a path)")
    beside = path.parent / ref
    base = load_scenario(beside if beside.is_file() else ref)
    table = data.get("sweep")
    if not isinstance(table, dict):
        raise SweepError(f"{where}: a [sweep] table is required")
    name = data.get("name", path.stem)
    return parse_sweep(table, base, where, str(name), str(data.get("description", "")))


def parse_sweep(
    table: dict, base: Scenario, where: str, name: str, description: str = ""
) -> SweepSpec:
    """Check a ``[sweep]`` table against the parameter registry and the base scenario."""
    for key in table:
        if key not in SWEEP_KEYS:
            raise SweepError(unknown_key_message(key, SWEEP_KEYS, f"{where}: [sweep]", "sweep key"))
    fixed = _subtable(table, "set", where)
    _no_seed(fixed, f"{where}: [sweep.set]")
    base_set = base.with_overrides(fixed, where=f"{where}: [sweep.set]")
    steps = _int(table.get("steps", base_set.steps), "steps", f"{where}: [sweep]", 1, 100_000)
    spec = SweepSpec(
        name=name,
        base=base,
        fixed=fixed,
        steps=steps,
        grid=_grid(table, base_set, where),
        sample=_sample(table, base_set, where),
        n=0,
        reps=_int(table.get("reps", 1), "reps", f"{where}: [sweep]", 1, 1_000_000),
        root_seed=_int(
            table.get("root_seed", base.seed), "root_seed", f"{where}: [sweep]", 0, 2**63 - 1
        ),
        record_every=_int(
            table.get("record_every", 1), "record_every", f"{where}: [sweep]", 1, steps
        ),
        source=where,
        description=description,
    )
    if spec.sample:
        spec = replace(
            spec,
            n=_int(
                table.get("n"), "n", f"{where}: [sweep] (points of [sweep.sample])", 1, 1_000_000
            ),
        )
    elif "n" in table:
        raise SweepError(
            f"{where}: [sweep] 'n' is the number of sampled points; it needs a [sweep.sample] table"
        )
    if not spec.grid and not spec.sample:
        raise SweepError(
            f"{where}: [sweep] has no design: add [sweep.grid] (KEY = [value, ...]) "
            "or [sweep.sample] (KEY = [low, high]) with n"
        )
    _check_round_trip(base, where)
    return spec


def _grid(table: dict, base: Scenario, where: str) -> dict[str, list]:
    if "grid" not in table:
        return {}
    grid = _subtable(table, "grid", where)
    here = f"{where}: [sweep.grid]"
    if not grid:
        raise SweepError(
            f"{here} is empty: list at least one parameter, e.g. reply_base_prob = [0.01, 0.02]"
        )
    _no_seed(grid, here)
    out = {}
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise SweepError(
                f"{here}: '{key}' must be a non-empty list of values (got {values!r}); the grid would have no points"
            )
        coerced = [_coerced(base.with_overrides({key: v}, where=here), key) for v in values]
        if len(set(map(repr, coerced))) != len(coerced):
            raise SweepError(f"{here}: '{key}' lists a value twice ({values!r})")
        out[key] = coerced
    return out


def _sample(table: dict, base: Scenario, where: str) -> dict[str, list]:
    if "sample" not in table:
        return {}
    sample = _subtable(table, "sample", where)
    here = f"{where}: [sweep.sample]"
    if not sample:
        raise SweepError(f"{here} is empty: give at least one KEY = [low, high]")
    _no_seed(sample, here)
    out = {}
    for key, bounds in sample.items():
        if key in table.get("grid", {}):
            raise SweepError(f"{here}: '{key}' is also in [sweep.grid]; sweep it in one of them")
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise SweepError(f"{here}: '{key}' must be [low, high] (got {bounds!r})")
        low, high = (_coerced(base.with_overrides({key: b}, where=here), key) for b in bounds)
        if isinstance(low, str):
            raise SweepError(
                f"{here}: '{key}' takes named choices; sweep it in [sweep.grid] instead"
            )
        if not low < high:
            raise SweepError(f"{here}: '{key}' needs low < high (got {bounds!r})")
        out[key] = [low, high]
    return out


def _coerced(sc: Scenario, key: str) -> Any:
    """The checked value of ``key`` in a scenario that has just been overridden with it."""
    if key == "steps":
        return sc.steps
    if "." not in key:
        return sc.params[key]
    group, name = key.split(".", 1)
    g = next(g for g in sc.groups if group in ("*", g.name))
    return g.count if name == "count" else g.values[name]


def _subtable(table: dict, key: str, where: str) -> dict:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise SweepError(f"{where}: 'sweep.{key}' must be a table ([sweep.{key}])")
    return value


def _no_seed(table: dict, where: str) -> None:
    if "seed" in table:
        raise SweepError(
            f"{where}: 'seed' cannot be set or swept; seeds come from [sweep] root_seed and reps"
        )


def _int(value: Any, key: str, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SweepError(
            f"{where}: '{key}' must be an integer from {low} to {high} (got {value!r})"
        )
    return value


def _check_round_trip(base: Scenario, where: str) -> None:
    # runs are shipped to workers as TOML text; it must mean exactly the base scenario
    again = loads(scenario_toml(base), source=base.source)
    if replace(again, sweep=None) != replace(base, sweep=None):
        raise SweepError(f"{where}: the base scenario does not survive a TOML round trip")


# --------------------------------------------------------------------------------- one run


def simulate(task: RunTask) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run one task: (summary rows per strategy, recorded step rows per strategy)."""
    from sim import metrics
    from sim.model import PartyModel

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
        for task in tasks:
            yield execute(task)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(
        jobs, mp_context=_mp_context(), initializer=_init_worker, initargs=(os.getpid(),)
    )
    futures = [pool.submit(execute, t) for t in tasks]
    finished = False
    try:
        for future in as_completed(futures):
            yield future.result()
        finished = True
    except BrokenProcessPool:
        raise SweepAborted(
            "a worker process died; finished runs are saved, rerun with --resume"
        ) from None
    finally:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished:  # interrupted: do not wait for runs in flight
            for proc in procs:
                proc.terminate()


def _mp_context():
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["sim.sweeps", "sim.model"])
        return ctx
    return mp.get_context("spawn")


def _init_worker(parent: int) -> None:
    """Pool worker set-up: Ctrl-C is handled once, by the parent (which saves what finished
    and stops the pool); and a worker exits on its own if the parent is killed."""
    import signal
    import threading

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


def run_dask(tasks: list[RunTask], jobs: int, address: str | None) -> Iterator[dict]:
    """Results as they finish on a Dask cluster (``address``) or a LocalCluster of ``jobs``."""
    import uuid

    from dask.distributed import Client, LocalCluster, as_completed

    cluster, futures = None, []
    if address:
        try:
            client = Client(address, timeout="20s")
        except OSError as err:
            raise SweepError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    else:
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        _check_workers(client)
        token = uuid.uuid4().hex[:8]
        futures = client.map(
            execute, tasks, key=[f"partysim-{token}-{t.run_id}" for t in tasks], pure=False
        )
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for future in as_completed(futures):
            if future.status == "finished":
                yield future.result()
            else:  # e.g. KilledWorker: the run took down workers more than allowed
                yield failed(by_key[future.key], future.exception())
            future.release()
    finally:
        if futures:
            client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()


def _check_workers(client) -> None:
    import sim

    try:
        client.wait_for_workers(1, timeout=60)
        versions = client.run(worker_version)
    except Exception as err:
        raise SweepError(
            f"the Dask workers cannot run partysim (install it on every worker): {err}"
        ) from None
    wrong = {w: v for w, v in versions.items() if v != sim.__version__}
    if wrong:
        raise SweepError(
            f"Dask workers run another partysim version than {sim.__version__}: {wrong}"
        )


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

    The DataFrame's ``attrs`` hold ``runs``, ``done``, ``failed`` (records), ``elapsed_s``
    and ``out``. Interrupting (Ctrl-C) keeps every finished run; rerun with ``resume=True``.
    """
    spec = load_sweep(file_or_scenario, reps=reps)
    if engine not in ENGINES:
        raise SweepError(unknown_key_message(str(engine), ENGINES, "--engine", "engine"))
    if address and engine != "dask":
        raise SweepError("--address names a Dask scheduler; add --engine dask")
    jobs = _int(jobs, "jobs", "--jobs", 1, 4096)
    tasks = spec.tasks()
    store = ResultStore(Path(out), spec, resume) if out is not None else MemoryStore(resume)
    todo = [t for t in tasks if t.run_id not in store.done]
    results = run_dask(todo, jobs, address) if engine == "dask" else run_local(todo, jobs)
    start = time.perf_counter()
    bar = _bar(spec, len(tasks), len(tasks) - len(todo), progress)
    try:
        for result in results:
            store.write(result)
            bar.update(1)
            if result["status"] != "ok":
                bar.set_postfix(failed=len(store.failures()))
    except KeyboardInterrupt:
        raise SweepAborted(store.stopped_message(len(tasks), "interrupted")) from None
    except SweepAborted as err:
        raise SweepAborted(f"{err}; {store.stopped_message(len(tasks), 'stopped')}") from None
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
        out=str(out) if out else None,
    )
    return table


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
        f"sweep: {a['done']} of {a['runs']} runs done ({a['ran']} run now, "
        f"{a['runs'] - a['ran']} already finished), {len(a['failed'])} failed, "
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


# ------------------------------------------------------------------------------ storage


class MemoryStore:
    """Results kept in memory (``out=None``)."""

    def __init__(self, resume: bool = False) -> None:
        if resume:
            raise SweepError("--resume needs the results directory (--out DIR) to continue")
        self.done: set[str] = set()
        self.summaries: list[pd.DataFrame] = []
        self._failures: dict[str, dict] = {}

    def write(self, result: dict) -> None:
        if result["status"] == "ok":
            self.summaries.append(result["summary"])
            self.done.add(result["run_id"])
        else:
            self._failures[result["run_id"]] = _failure_record(result)

    def failures(self) -> list[dict]:
        return sorted(self._failures.values(), key=lambda f: f["run_id"])

    def stopped_message(self, total: int, how: str) -> str:
        return f"sweep {how}: {len(self.done)} of {total} runs finished (kept in memory only)"

    def finish(self, csv: bool) -> pd.DataFrame:
        return _sorted(
            pd.concat(self.summaries, ignore_index=True) if self.summaries else pd.DataFrame()
        )


class ResultStore(MemoryStore):
    """A results directory, written run by run; a run counts as done once its summary file
    has been renamed into place, so an interrupt never leaves a half file counted as done."""

    def __init__(self, out: Path, spec: SweepSpec, resume: bool) -> None:
        self.out, self.spec = out, spec
        self._failures = {}
        self._prepare(resume)
        self.done = {p.stem for p in (out / "summary").glob("*.parquet")}
        for p in (out / "failed").glob("*.json"):
            self._failures[p.stem] = json.loads(p.read_text())
        self._rewrite_manifest()
        self._manifest = open(out / "manifest.jsonl", "a", encoding="utf-8")  # noqa: SIM115

    def _prepare(self, resume: bool) -> None:
        out = self.out
        busy = out.exists() and any(out.iterdir())
        if busy and not resume:
            raise SweepError(
                f"{out} is not empty; add --resume to continue the sweep saved there, "
                "or choose another --out"
            )
        if busy:
            self._check_same_sweep()
        for sub in ("summary", "steps", "failed"):
            (out / sub).mkdir(parents=True, exist_ok=True)
            for tmp in (out / sub).glob(".*.tmp"):
                tmp.unlink()  # left by an interrupted write; that run is not done
        points = pd.DataFrame([{"point": i, **p} for i, p in enumerate(self.spec.points())])
        _atomic(out / "design.parquet", lambda p: points.to_parquet(p, index=False))
        _atomic_text(out / "scenario.toml", scenario_toml(self.spec.base))
        _atomic_text(out / "sweep.toml", sweep_toml(self.spec))
        _atomic_text(out / "sweep.json", json.dumps(self._settings(), indent=2, default=str))

    def _check_same_sweep(self) -> None:
        path = self.out / "sweep.json"
        if not path.is_file():
            raise SweepError(
                f"{self.out} is not empty and holds no sweep.json: not a sweep "
                "results directory; choose another --out"
            )
        saved = json.loads(path.read_text()).get("fingerprint")
        if saved != self.spec.fingerprint():
            raise SweepError(
                f"{self.out} holds a different sweep (scenario, design, seeds or steps "
                "differ); resume only the same sweep, or choose another --out"
            )

    def _settings(self) -> dict[str, Any]:
        import sim

        spec = self.spec
        return {
            "name": spec.name,
            "description": spec.description,
            "source": spec.source,
            "scenario": spec.base.name,
            "scenario_file": "scenario.toml",
            "sweep": spec.table(),
            "params": spec.params,
            "n_points": len(spec.points()),
            "reps": spec.reps,
            "seeds": spec.seeds(),
            "n_runs": len(spec.points()) * spec.reps,
            "common_random_numbers": True,
            "fingerprint": spec.fingerprint(),
            "sim_version": sim.__version__,
            "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }

    def write(self, result: dict) -> None:
        rid = result["run_id"]
        if result["status"] == "ok":
            _atomic(
                self.out / "steps" / f"{rid}.parquet",
                lambda p: result["steps"].to_parquet(p, index=False),
            )
            _atomic(
                self.out / "summary" / f"{rid}.parquet",
                lambda p: result["summary"].to_parquet(p, index=False),
            )
            (self.out / "failed" / f"{rid}.json").unlink(missing_ok=True)
            self._failures.pop(rid, None)
            self.done.add(rid)
        else:
            record = _failure_record(result)
            _atomic_text(self.out / "failed" / f"{rid}.json", json.dumps(record, default=str))
            self._failures[rid] = record
        self._log(result)

    def _log(self, result: dict) -> None:
        line = {
            k: result.get(k)
            for k in (
                "run_id",
                "status",
                "point",
                "rep",
                "seed",
                "params",
                "elapsed_s",
                "host",
                "pid",
                "error",
            )
        }
        line["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self._manifest.write(json.dumps(line, default=str) + "\n")
        self._manifest.flush()

    def _rewrite_manifest(self) -> None:
        """Keep one line per run whose files exist (drops a torn last line after a kill)."""
        path, lines = self.out / "manifest.jsonl", {}
        if path.is_file():
            for raw in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(raw)
                except json.JSONDecodeError:
                    continue
                rid = entry.get("run_id")
                if (
                    rid in self.done
                    and entry.get("status") == "ok"
                    or rid in self._failures
                    and entry.get("status") == "failed"
                ):
                    lines[rid] = raw
        _atomic_text(path, "".join(line + "\n" for line in lines.values()))

    def stopped_message(self, total: int, how: str) -> str:
        return (
            f"sweep {how}: {len(self.done)} of {total} runs finished and saved in {self.out}; "
            f"run the same command with --resume to finish the rest"
        )

    def finish(self, csv: bool) -> pd.DataFrame:
        self._manifest.close()
        table = read_results(self.out)
        if csv:
            table.to_csv(self.out / "summary.csv", index=False)
            read_results(self.out, "steps").to_csv(self.out / "steps.csv", index=False)
        failures = pd.DataFrame(self.failures())
        for name in ("failures.csv", "failures.parquet"):
            (self.out / name).unlink(missing_ok=True)
        if len(failures):
            failures.assign(params=failures["params"].map(json.dumps)).to_csv(
                self.out / "failures.csv", index=False
            )
        return table


def _failure_record(result: dict) -> dict:
    return {
        k: result.get(k)
        for k in ("run_id", "point", "rep", "seed", "params", "error", "traceback", "host", "pid")
    }


def read_results(out: str | os.PathLike, table: str = "summary") -> pd.DataFrame:
    """A results directory's ``summary`` (run x strategy) or ``steps`` table, sorted."""
    folder = Path(out) / table
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return _sorted(pd.concat([pd.read_parquet(f) for f in files], ignore_index=True))


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in ("point", "rep", "step", "strategy") if k in table]
    return table.sort_values(keys, kind="stable").reset_index(drop=True) if keys else table


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _atomic_text(path: Path, text: str) -> None:
    _atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def sweep_toml(spec: SweepSpec) -> str:
    """The resolved sweep as a sweep file next to ``scenario.toml`` (re-runnable as is)."""
    lines = [
        f"name = {json.dumps(spec.name)}",
        f"description = {json.dumps(spec.description)}",
        'scenario = "scenario.toml"',
        "",
        "[sweep]",
    ]
    table = spec.table()
    lines += [f"{k} = {json.dumps(v)}" for k, v in table.items() if not isinstance(v, dict)]
    for key in ("set", "grid", "sample"):
        if key in table:
            lines += ["", f"[sweep.{key}]"] + [
                f"{json.dumps(k)} = {json.dumps(v)}" for k, v in table[key].items()
            ]
    return "\n".join(lines) + "\n"
