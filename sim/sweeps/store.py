"""Result storage: written as runs finish, atomically; manifest, failures, resume."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config.scenarios import to_toml as scenario_toml
from sim.config.tomlio import dumps, one_line
from sim.sweeps.design import SweepError, SweepSpec

# what a results directory holds before its first run has finished
SETUP_FILES = frozenset(
    {"sweep.json", "sweep.toml", "scenario.toml", "design.parquet", "manifest.jsonl"}
)
RESULT_DIRS = ("summary", "steps", "failed")

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

    def close(self) -> None:
        """Let go of what the store holds (files, the directory's lock)."""


class ResultStore(MemoryStore):
    """A results directory, written run by run; a run counts as done once its summary file
    has been renamed into place, so an interrupt never leaves a half file counted as done."""

    def __init__(self, out: Path, spec: SweepSpec, resume: bool) -> None:
        self.out, self.spec = _checked_out(out), spec
        self._failures, self._lock_fd, self._manifest = {}, None, None
        self.torn: list[str] = []  # runs whose files were unreadable: run again
        try:
            self._lock()
            self._prepare(resume)
            self.done = self._verified_done()
            for p in (self.out / "failed").glob("*.json"):
                try:
                    self._failures[p.stem] = json.loads(p.read_text(encoding="utf-8"))
                except (ValueError, OSError):
                    p.unlink()  # torn by a kill before the rename existed: that run is redone
            self._rewrite_manifest()
            self._manifest = open(self.out / "manifest.jsonl", "a", encoding="utf-8")  # noqa: SIM115
        except OSError as err:  # e.g. no permission, a file where a folder should be
            self.close()
            raise SweepError(f"--out {out}: cannot write there: {err.strerror or err}") from None
        except BaseException:
            self.close()
            raise

    def _lock(self) -> None:
        """Hold the results directory for this sweep (``flock``; the system lets it go if
        the process dies): a second sweep on the same directory is refused while this runs."""
        import fcntl

        if self.out.exists() and not self.out.is_dir():
            raise SweepError(f"--out {self.out}: a file of that name exists; give a directory")
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SweepError(
                f"--out {self.out}: another sweep is writing there now; wait for it to finish "
                "(then --resume) or choose another --out"
            ) from None

    def close(self) -> None:
        if self._manifest is not None and not self._manifest.closed:
            self._manifest.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    def _verified_done(self) -> set[str]:
        """Runs whose summary file reads back whole and whose steps file has its footer; a
        torn or corrupt pair (a kill mid-write, a bad disk) is removed and runs again."""
        done = set()
        for summary in sorted((self.out / "summary").glob("*.parquet")):
            rid, steps = summary.stem, self.out / "steps" / f"{summary.stem}.parquet"
            if _readable(summary, whole=True) and _readable(steps, whole=False):
                done.add(rid)
                continue
            self.torn.append(rid)
            summary.unlink(missing_ok=True)
            steps.unlink(missing_ok=True)
        return done

    def _prepare(self, resume: bool) -> None:
        out = self.out
        if out.exists() and not out.is_dir():
            raise SweepError(f"--out {out}: a file of that name exists; give a directory")
        busy = out.exists() and any(out.iterdir())
        if busy and not resume and not self._only_setup_of_this_sweep():
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

    def _only_setup_of_this_sweep(self) -> bool:
        """True if ``out`` holds this sweep's set-up files and no run yet (e.g. the engine
        could not start): a plain re-run may then go on there."""
        names = {p.name for p in self.out.iterdir()}
        if not names <= SETUP_FILES | set(RESULT_DIRS):
            return False
        if any(any((self.out / d).iterdir()) for d in RESULT_DIRS if (self.out / d).is_dir()):
            return False
        return self._saved().get("fingerprint") == self.spec.fingerprint()

    def _saved(self) -> dict:
        try:
            saved = json.loads((self.out / "sweep.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return saved if isinstance(saved, dict) else {}

    def _check_same_sweep(self) -> None:
        import sim

        saved = self._saved()
        if not saved:
            raise SweepError(
                f"{self.out} is not empty and holds no readable sweep.json: not a sweep "
                "results directory; choose another --out"
            )
        if saved.get("fingerprint") != self.spec.fingerprint():
            raise SweepError(
                f"{self.out} holds a different sweep (scenario, design, seeds or steps "
                "differ); resume only the same sweep, or choose another --out"
            )
        if saved.get("sim_version") != sim.__version__:
            raise SweepError(
                f"{self.out} was written by sim {saved.get('sim_version')} and this is sim "
                f"{sim.__version__}: resuming would mix results of two versions; "
                "choose another --out"
            )
        reps = saved.get("reps")
        if isinstance(reps, int) and self.spec.reps < reps:
            raise SweepError(
                f"{self.out} holds a sweep of {reps} replications; --reps {self.spec.reps} "
                f"would describe it wrongly: resume with --reps {reps} or more"
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
        """Save one run's files and its manifest line together: an interrupt (Ctrl-C,
        SIGTERM) waits until both are written. (A kill cannot wait; resume then rebuilds
        the manifest from the files.)"""
        with _signals_held():
            self._write(result)

    def _write(self, result: dict) -> None:
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
        self._manifest.write(json.dumps(_manifest_line(result), default=str) + "\n")
        self._manifest.flush()

    def _rewrite_manifest(self) -> None:
        """One line per run whose files exist: drops a torn last line after a kill and adds
        the line of a run whose files were saved just before a kill."""
        path, lines = self.out / "manifest.jsonl", {}
        if path.is_file():
            for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(raw)
                except json.JSONDecodeError:
                    continue
                rid = entry.get("run_id") if isinstance(entry, dict) else None
                if (
                    rid in self.done
                    and entry.get("status") == "ok"
                    or rid in self._failures
                    and entry.get("status") == "failed"
                ):
                    lines[rid] = raw
        for rid in sorted(self.done - set(lines)):
            lines[rid] = json.dumps(self._line_from_summary(rid), default=str)
        for rid in sorted(set(self._failures) - set(lines)):
            record = {**self._failures[rid], "status": "failed"}
            lines[rid] = json.dumps(_manifest_line(record), default=str)
        _atomic_text(path, "".join(line + "\n" for line in lines.values()))

    def _line_from_summary(self, rid: str) -> dict:
        row = pd.read_parquet(self.out / "summary" / f"{rid}.parquet").iloc[0]
        params = {k: _plain(row[k]) for k in self.spec.params if k in row}
        line = _manifest_line(
            {
                "run_id": rid,
                "status": "ok",
                "point": _plain(row["point"]),
                "rep": _plain(row["rep"]),
                "seed": _plain(row["seed"]),
                "params": params,
            }
        )
        line["finished"] = "(rebuilt from the summary file)"
        return line

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


MANIFEST_KEYS = (
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


def _manifest_line(result: dict) -> dict:
    line = {k: result.get(k) for k in MANIFEST_KEYS}
    line["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    return line


def _plain(value):
    """A numpy scalar from a Parquet row as a plain Python value (for JSON)."""
    return value.item() if hasattr(value, "item") else value


@contextmanager
def _signals_held():
    """Defer SIGINT and SIGTERM until the block ends, then deliver them as usual. (Python
    handlers, not a thread's signal mask: a signal sent to the process may reach any of its
    threads, e.g. the process pool's.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    old = {
        sig: signal.signal(sig, lambda signum, frame: caught.append(signum))
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if caught:
            signal.raise_signal(caught[0])


def _failure_record(result: dict) -> dict:
    return {
        k: result.get(k)
        for k in ("run_id", "point", "rep", "seed", "params", "error", "traceback", "host", "pid")
    }


def read_results(out: str | os.PathLike, table: str = "summary") -> pd.DataFrame:
    """A results directory's ``summary`` (run x strategy) or ``steps`` table, sorted; a
    file that cannot be read is a :class:`SweepError` naming it."""
    folder = Path(out) / table
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    parts = []
    for f in files:
        try:
            parts.append(pd.read_parquet(f))
        except Exception as err:  # noqa: BLE001 - pyarrow raises several kinds for a bad file
            raise SweepError(
                f"{f}: not a readable Parquet file ({type(err).__name__}); run the same sweep "
                "with --resume to redo that run"
            ) from None
    return _sorted(pd.concat(parts, ignore_index=True))


def _readable(path: Path, whole: bool) -> bool:
    """Whether ``path`` is a Parquet file that reads back (``whole``) or has its footer."""
    import pyarrow.parquet as pq

    try:
        if whole:
            return pq.read_table(path).num_rows > 0
        return pq.ParquetFile(path).metadata.num_rows > 0
    except Exception:  # noqa: BLE001 - missing, torn, or not Parquet at all
        return False


def read_settings(out: str | os.PathLike) -> dict[str, Any]:
    """A results directory's ``sweep.json``, checked enough to plot from; a missing or
    corrupt file is a :class:`SweepError` saying so."""
    from sim.config.paths import checked_path

    path = checked_path(out, "RESULTS_DIR", SweepError) / "sweep.json"
    if not path.is_file():
        raise SweepError(f"{out}: no sweep.json; not a directory written by `partysim sweep`")
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise SweepError(
            f"{path}: cannot be read as a sweep's settings ({one_line(err)})"
        ) from None
    params = settings.get("params") if isinstance(settings, dict) else None
    table = settings.get("sweep") if isinstance(settings, dict) else None
    if (
        not isinstance(params, list)
        or not all(isinstance(p, str) for p in params)
        or not isinstance(table, dict)
    ):
        raise SweepError(
            f"{path}: not a sweep's settings (no list of swept 'params' or no 'sweep' table); "
            "was it edited? Rewrite it by running the sweep again with --resume"
        )
    return settings


def _checked_out(out: Path) -> Path:
    """``--out`` of a sweep: a path the system can take and a place for results."""
    from sim.analysis.outdir import check_out_path
    from sim.config.errors import OutputError

    try:
        check_out_path(out)
    except OutputError as err:
        raise SweepError(str(err)) from None
    return Path(out)


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in ("point", "rep", "step", "strategy") if k in table]
    return table.sort_values(keys, kind="stable").reset_index(drop=True) if keys else table


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:  # a full disk, an interrupt: no half file left behind
        tmp.unlink(missing_ok=True)
        raise


def _atomic_text(path: Path, text: str) -> None:
    _atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def sweep_toml(spec: SweepSpec) -> str:
    """The resolved sweep as a sweep file next to ``scenario.toml`` (re-runnable as is)."""
    return dumps(
        {
            "name": spec.name,
            "description": spec.description,
            "scenario": "scenario.toml",
            "sweep": spec.table(),
        }
    )
