"""Scenario files (TOML) <-> checked parameters.

A scenario names a party: its population groups (strategy preset + overrides + count), model
parameters, rooms, steps and seed, and says what it demonstrates. Loading is strict: an
unknown key, a wrong type or an out-of-range value raises :class:`ScenarioError` naming the
file, the key and what is allowed, with a "did you mean" where a close name exists.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.params import (
    ACCOUNT_PARAMS,
    MODEL_PARAMS,
    ParamError,
    model_defaults,
    unknown_key_message,
)
from sim.population import Group
from sim.strategies import STRATEGIES, Strategy

MAX_ACCOUNTS = 2_000_000
TOP_KEYS = (
    "name",
    "description",
    "claim",
    "population",
    "steps",
    "seed",
    "rooms",
    "params",
    "strategies",
    "groups",
    "sweep",
)
GROUP_KEYS = ("strategy", "count", "name")
STRATEGY_KEYS = ("base", "description")


class ScenarioError(ValueError):
    """A scenario that cannot be used as written; the message says where and why."""


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: everything a :class:`sim.PartyModel` needs."""

    name: str
    description: str = ""
    claim: str = ""
    population: str = ""
    steps: int = 168
    seed: int = 1
    params: dict[str, Any] = field(default_factory=dict)  # model-scope overrides only
    strategies: dict[str, Strategy] = field(default_factory=dict)  # scenario-defined only
    groups: list[Group] = field(default_factory=list)
    rooms: list[str] | None = None
    sweep: dict[str, Any] | None = None
    source: str = "<scenario>"

    @property
    def n_accounts(self) -> int:
        return sum(g.count for g in self.groups)

    def model_params(self) -> dict[str, Any]:
        """Every model parameter: registry defaults overlaid with this scenario's values."""
        values = {**model_defaults(), **self.params}
        if self.rooms:
            values["n_rooms"] = len(self.rooms)
        return values

    def with_overrides(self, overrides: dict[str, Any], where: str = "--set") -> Scenario:
        """A copy with ``key=value`` overrides: a model parameter, ``steps``, ``seed``,
        ``GROUP.PARAM`` (a group's account parameter or ``count``) or ``*.PARAM`` (all
        groups)."""
        sc = self
        for key, value in overrides.items():
            sc = sc._override(key, value, where)
        return sc

    def _override(self, key: str, value: Any, where: str) -> Scenario:
        try:
            if key in ("steps", "seed"):
                return replace(self, **{key: _check_int(key, value, where, 0, 2**63 - 1)})
            if "." not in key:
                param = MODEL_PARAMS.get(key)
                if param is None:
                    raise ScenarioError(
                        unknown_key_message(
                            key, [*MODEL_PARAMS, "steps", "seed"], where, "parameter"
                        )
                        + " (account parameters take a group: GROUP.PARAM or *.PARAM)"
                    )
                return replace(self, params={**self.params, key: param.coerce(value, where)})
            group_name, param_name = key.split(".", 1)
            names = [g.name for g in self.groups]
            if group_name != "*" and group_name not in names:
                raise ScenarioError(unknown_key_message(group_name, names, where, "group"))
            groups = [
                _override_group(g, param_name, value, where) if group_name in ("*", g.name) else g
                for g in self.groups
            ]
            return replace(self, groups=groups)
        except ParamError as err:
            raise ScenarioError(str(err)) from None


def _override_group(group: Group, name: str, value: Any, where: str) -> Group:
    if name == "count":
        return replace(group, count=_check_int("count", value, where, 0, MAX_ACCOUNTS))
    if name not in ACCOUNT_PARAMS:
        raise ScenarioError(
            unknown_key_message(name, [*ACCOUNT_PARAMS, "count"], where, "account parameter")
        )
    return replace(group, values={**group.values, name: ACCOUNT_PARAMS[name].coerce(value, where)})


def _check_int(key: str, value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(
            f"{where}: '{key}' must be an integer from {low} to {high} (got {value!r})"
        )
    return value


# ---------------------------------------------------------------- finding and loading files


def scenarios_dir() -> Path:
    """Where named scenarios live: $PARTYSIM_SCENARIOS, else the project's scenarios/."""
    env = os.environ.get("PARTYSIM_SCENARIOS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent / "scenarios"
    return here if here.is_dir() else Path.cwd() / "scenarios"


def scenario_names() -> list[str]:
    """Names of the scenario files shipped in :func:`scenarios_dir`."""
    return sorted(p.stem for p in scenarios_dir().glob("*.toml"))


def resolve(name_or_path: str | os.PathLike) -> Path:
    """A scenario file from a path or the name of a file in :func:`scenarios_dir`."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    named = scenarios_dir() / f"{name_or_path}.toml"
    if named.is_file():
        return named
    names = scenario_names()
    raise ScenarioError(
        unknown_key_message(str(name_or_path), names, "", "scenario (not a file either)")
        + f"; known scenarios: {', '.join(names)}"
    )


def load(name_or_path: str | os.PathLike | Scenario) -> Scenario:
    """Load and check a scenario file (or pass a :class:`Scenario` through)."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    path = resolve(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: not valid TOML: {err}") from None
    return from_dict(data, source=str(path))


def loads(text: str, source: str = "<uploaded scenario>") -> Scenario:
    """Parse and check a scenario from TOML text (data only; nothing is executed)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{source}: not valid TOML: {err}") from None
    return from_dict(data, source=source)


def from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Check a parsed scenario table; every problem names ``source`` and the key."""
    try:
        return _from_dict(data, source)
    except ParamError as err:
        raise ScenarioError(str(err)) from None


def _from_dict(data: dict[str, Any], source: str) -> Scenario:
    _reject_unknown(data, TOP_KEYS, source, "key")
    text = {k: _string(data, k, source) for k in ("name", "description", "claim", "population")}
    steps = _check_int("steps", data.get("steps", 168), source, 1, 100_000)
    seed = _check_int("seed", data.get("seed", 1), source, 0, 2**63 - 1)
    rooms = data.get("rooms")
    if rooms is not None and (
        not isinstance(rooms, list)
        or not rooms
        or len(rooms) > 64
        or not all(isinstance(r, str) for r in rooms)
    ):
        raise ScenarioError(f"{source}: 'rooms' must be a list of 1 to 64 room names")
    params_table = _table(data, "params", source)
    _reject_unknown(params_table, MODEL_PARAMS, source, "model parameter", "params")
    params = {k: MODEL_PARAMS[k].coerce(v, f"{source}: [params]") for k, v in params_table.items()}
    strategies = _custom_strategies(_table(data, "strategies", source), source)
    known = {**STRATEGIES, **strategies}
    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list) or not raw_groups:
        raise ScenarioError(
            f"{source}: 'groups' must be a non-empty array of tables "
            "([[groups]] with strategy and count)"
        )
    groups = [_group(g, i, known, source) for i, g in enumerate(raw_groups)]
    names = [g.name for g in groups]
    if len(set(names)) != len(names):
        raise ScenarioError(
            f"{source}: group names must be unique (got {names}); give repeated strategies a 'name'"
        )
    total = sum(g.count for g in groups)
    if not 2 <= total <= MAX_ACCOUNTS:
        raise ScenarioError(
            f"{source}: the groups add up to {total} accounts; allowed: 2 to {MAX_ACCOUNTS}"
        )
    sweep = data.get("sweep")
    if sweep is not None and not isinstance(sweep, dict):
        raise ScenarioError(f"{source}: 'sweep' must be a table")
    name = text["name"] or Path(source).stem
    return Scenario(
        name=name,
        description=text["description"],
        claim=text["claim"],
        population=text["population"],
        steps=steps,
        seed=seed,
        params=params,
        strategies=strategies,
        groups=groups,
        rooms=rooms,
        sweep=sweep,
        source=source,
    )


def _reject_unknown(table: dict, allowed, source: str, what: str, section: str = "") -> None:
    where = f"{source}: [{section}]" if section else source
    for key in table:
        if key not in allowed:
            raise ScenarioError(unknown_key_message(key, allowed, where, what))


def _string(data: dict, key: str, source: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ScenarioError(f"{source}: '{key}' must be a string (got {value!r})")
    return value.strip()


def _table(data: dict, key: str, source: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{source}: '{key}' must be a table ([{key}])")
    return value


def _custom_strategies(table: dict, source: str) -> dict[str, Strategy]:
    """Strategies defined in the file: ``[strategies.NAME]`` with ``base`` + overrides."""
    custom: dict[str, Strategy] = {}
    for name, spec in table.items():
        where = f"{source}: [strategies.{name}]"
        if not isinstance(spec, dict):
            raise ScenarioError(f"{where} must be a table")
        base_name = spec.get("base", "regular")
        known = {**STRATEGIES, **custom}
        if base_name not in known:
            raise ScenarioError(unknown_key_message(base_name, known, where, "base strategy"))
        overrides = {k: v for k, v in spec.items() if k not in STRATEGY_KEYS}
        _reject_unknown(
            overrides, ACCOUNT_PARAMS, source, "account parameter", f"strategies.{name}"
        )
        description = spec.get("description", f"{base_name} with changes")
        custom[name] = known[base_name].derive(name, str(description), overrides, where)
    return custom


def _group(spec: Any, i: int, known: dict[str, Strategy], source: str) -> Group:
    where = f"{source}: [[groups]] #{i + 1}"
    if not isinstance(spec, dict):
        raise ScenarioError(f"{where} must be a table")
    strategy = spec.get("strategy")
    if strategy not in known:
        raise ScenarioError(unknown_key_message(str(strategy), known, where, "strategy"))
    count = _check_int("count", spec.get("count"), where, 0, MAX_ACCOUNTS)
    overrides = {k: v for k, v in spec.items() if k not in GROUP_KEYS}
    _reject_unknown(overrides, ACCOUNT_PARAMS, where, "account parameter")
    values = known[strategy].values()
    values.update({k: ACCOUNT_PARAMS[k].coerce(v, where) for k, v in overrides.items()})
    return Group(
        name=str(spec.get("name", strategy)), strategy=strategy, count=count, values=values
    )


# ------------------------------------------------------------------------------ writing


def to_toml(sc: Scenario) -> str:
    """The scenario as a TOML file that :func:`loads` reads back to the same scenario.

    Groups list only the values that differ from their strategy preset.
    """
    lines = [
        f"{k} = {_toml_value(getattr(sc, k))}"
        for k in ("name", "description", "claim", "population", "steps", "seed")
    ]
    if sc.rooms:
        lines.append(f"rooms = {_toml_value(sc.rooms)}")
    if sc.params:
        lines += ["", "[params]"] + [f"{k} = {_toml_value(v)}" for k, v in sc.params.items()]
    known = {**STRATEGIES, **sc.strategies}
    for name, strategy in sc.strategies.items():
        lines += [
            "",
            f"[strategies.{name}]",
            'base = "regular"',
            f"description = {_toml_value(strategy.description)}",
        ]
        lines += [
            f"{k} = {_toml_value(v)}"
            for k, v in strategy.values().items()
            if v != STRATEGIES["regular"].values()[k]
        ]
    for g in sc.groups:
        lines += [
            "",
            "[[groups]]",
            f"name = {_toml_value(g.name)}",
            f"strategy = {_toml_value(g.strategy)}",
            f"count = {g.count}",
        ]
        preset = known[g.strategy].values()
        lines += [f"{k} = {_toml_value(v)}" for k, v in g.values.items() if v != preset[k]]
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return str(value)
