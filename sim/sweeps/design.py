"""Sweep designs: reading sweep files, design points and replication seeds."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS, quoted, shown, unknown_key_message
from sim.config.paths import checked_path
from sim.config.scenarios import Scenario, ScenarioError, from_dict, loads, resolve, scenarios_dir
from sim.config.scenarios import load as load_scenario
from sim.config.scenarios import to_toml as scenario_toml
from sim.config.tomlio import read_toml

SWEEP_KEYS = ("grid", "sample", "n", "reps", "root_seed", "steps", "record_every", "set")
FILE_KEYS = ("scenario", "name", "description", "sweep")
ENGINES = ("local", "dask")
ID_COLUMNS = ("sweep", "scenario", "point", "rep", "seed", "run_id")


class SweepError(ScenarioError):
    """A sweep that cannot run as asked; the message says where and why."""


class SweepAborted(RuntimeError):
    """The sweep stopped early (interrupt, dead worker); finished runs are kept.
    ``status``: the command's exit status (130 after Ctrl-C, 143 after SIGTERM)."""

    def __init__(self, message: str, status: int = 130) -> None:
        super().__init__(message)
        self.status = status


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
        """Replication seeds: the analysis layer's one rule (:func:`sim.analysis.stats.replication_seeds`)."""
        from sim.analysis.stats import replication_seeds

        return replication_seeds(self.root_seed, self.reps)

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
    path = checked_path(name_or_path, "sweep", SweepError)
    if path.is_file():
        return path
    if path.exists():
        raise SweepError(f"{path}: not a regular file; give a sweep (.toml) file")
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
        name = check_name(source.name, source.source)
        spec = parse_sweep(source.sweep, source, source.source, name)
    else:
        path = find_sweep_file(source)
        spec = _from_file(read_toml(path, SweepError, "sweep"), path)
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
        return parse_sweep(base.sweep, base, where, check_name(base.name, where))
    for key in data:
        if key not in FILE_KEYS:
            raise SweepError(unknown_key_message(key, FILE_KEYS, where, "key"))
    ref = data.get("scenario")
    misplaced = [k for k in FILE_KEYS if isinstance(data.get("sweep"), dict) and k in data["sweep"]]
    if misplaced:  # written after the [sweep] line, so TOML put it in that table
        raise SweepError(
            f"{where}: {quoted(misplaced[0])} is inside [sweep]; it belongs at the top of the "
            "file, before the [sweep] line (a key written after a table's header is that "
            "table's)"
        )
    if not isinstance(ref, str) or not ref:
        raise SweepError(f"{where}: 'scenario' must name the base scenario (a name or a path)")
    beside = path.parent / ref
    base = load_scenario(beside if beside.is_file() else ref)
    table = data.get("sweep")
    if not isinstance(table, dict):
        raise SweepError(f"{where}: a [sweep] table is required")
    name = data.get("name", path.stem)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise SweepError(f"{where}: 'description' must be a string")
    return parse_sweep(table, base, where, check_name(name, where), description)


def check_name(name: Any, where: str) -> str:
    """A sweep name is the default results folder (results/NAME): one plain folder name."""
    if (
        not isinstance(name, str)
        or not 1 <= len(name) <= 100
        or not name.isprintable()
        or name in (".", "..")
        or any(c in name for c in "/\\:")
        or name != name.strip()
    ):
        raise SweepError(
            f"{where}: 'name' must be a plain folder name (1 to 100 printable characters, no "
            f"/ \\ or :, not . or ..; it names results/NAME) (got {shown(name)})"
        )
    return name


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
    _one_place_each(spec, where)
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


def _overlap(a: str, b: str) -> bool:
    """Whether keys ``a`` and ``b`` set the same value somewhere: the same key, or one
    account parameter for all groups (``*.X``) and for one of them (``GROUP.X``)."""
    if a == b:
        return True
    if "." not in a or "." not in b:
        return False
    (group_a, param_a), (group_b, param_b) = a.split(".", 1), b.split(".", 1)
    return param_a == param_b and "*" in (group_a, group_b)


def _one_place_each(spec: SweepSpec, where: str) -> None:
    """One place for each setting: a key fixed in [sweep.set] and swept, or swept in two
    tables, or set for all groups and for one group in the same table, is refused (else the
    value applied last silently wins)."""
    tables = (("[sweep.set]", spec.fixed), ("[sweep.grid]", spec.grid),
              ("[sweep.sample]", spec.sample))  # fmt: skip
    keyed = [(what, key) for what, table in tables for key in table]
    for i, (what_a, a) in enumerate(keyed):
        for what_b, b in keyed[i + 1 :]:
            if not _overlap(a, b):
                continue
            if a == b and what_a == "[sweep.set]":
                raise SweepError(
                    f"{where}: '{a}' is both fixed in [sweep.set] and swept in {what_b}; "
                    "keep it in one of them"
                )
            both = (
                f"'{a}' in {what_a} and '{b}' in {what_b}"
                if what_a != what_b
                else (f"'{a}' and '{b}' in {what_a}")
            )
            raise SweepError(
                f"{where}: {both} set the same parameter ({'all groups' if '*' in a + b else a}"
                f"{' and one of them' if a != b else ''}); keep it in one place"
            )


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
            f"{where}: '{key}' must be an integer from {low:,} to {high:,} (got {shown(value)})"
        )
    return value


def _check_round_trip(base: Scenario, where: str) -> None:
    # runs are shipped to workers as TOML text; it must mean exactly the base scenario
    again = loads(scenario_toml(base), source=base.source)
    if replace(again, sweep=None) != replace(base, sweep=None):
        raise SweepError(f"{where}: the base scenario does not survive a TOML round trip")
