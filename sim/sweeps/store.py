"""Result storage: written as runs finish, atomically; manifest, failures, resume."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd

from sim.scenarios import to_toml as scenario_toml
from sim.sweeps.design import SweepError, SweepSpec

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
