"""Scenario files (TOML) <-> checked parameters.

A scenario names a party: its population groups (strategy preset + overrides + count), model
parameters, rooms, steps and seed, and says what it demonstrates. Loading is strict: an
unknown key, a wrong type or an out-of-range value raises :class:`ScenarioError` naming the
file, the key and what is allowed, with a "did you mean" where a close name exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.config.errors import ScenarioError
from sim.config.params import (
    ACCOUNT_PARAMS,
    FAME_CHOICES,
    MODEL_PARAMS,
    SCENARIO_TOP_KEYS,
    ParamError,
    model_defaults,
    quoted,
    shown,
    unknown_key_message,
)
from sim.config.paths import checked_path, printable
from sim.config.scenario_parts import (  # noqa: F401
    GROUP_KEYS,
    MAX_ACCOUNTS,
    Group,
    custom_strategies,
    group,
)
from sim.config.scenario_parts import (
    check_int as _check_int,
)
from sim.config.strategies import STRATEGIES, Strategy
from sim.config.tomlio import dumps, parse_toml, parse_value, read_toml

TOP_KEYS = SCENARIO_TOP_KEYS  # declared beside the parameters (sim.config.params)
MAX_STEPS = 100_000
MAX_SEED = 2**63 - 1  # what a TOML file can hold; the Python API takes the same range


def checked_int(value: Any, key: str, low: int, high: int, where: str) -> int:
    """``value`` as a plain int if it is an integer (a numpy integer too; never a bool, a
    float or text) from ``low`` to ``high``; else one ScenarioError naming ``key`` and the
    range (for the Python API: ``PartyModel(seed=...)``, ``run(steps)``)."""
    import operator

    try:
        number = None if isinstance(value, bool) else operator.index(value)
    except TypeError:
        number = None
    if number is None or not low <= number <= high:
        raise ScenarioError(
            f"{where}: {key!r} must be an integer from {low:,} to {high:,} (got {shown(value)}"
            f"{'' if number is not None or isinstance(value, bool) else ', a ' + type(value).__name__})"
        )
    return int(number)


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
        groups). The result is held to the same rules as a file (e.g. 2 accounts or more)."""
        sc = self
        for key, value in overrides.items():
            sc = sc._override(key, value, where)
        if overrides:
            _check_population(sc.groups, where)
        return sc

    def _override(self, key: str, value: Any, where: str) -> Scenario:
        if not isinstance(key, str):
            raise ScenarioError(f"{where}: a parameter name must be text (got {shown(key)})")
        try:
            if key == "steps":
                return replace(self, steps=_check_int(key, value, where, 1, MAX_STEPS))
            if key == "seed":
                return replace(self, seed=_check_int(key, value, where, 0, MAX_SEED))
            if key == "n_rooms" and self.rooms:
                raise ScenarioError(
                    f"{where}: 'n_rooms' cannot be set: {self.source} lists its "
                    f"{len(self.rooms)} rooms by name ('rooms'); edit that list instead"
                )
            if "." not in key:
                param = MODEL_PARAMS.get(key)
                if param is None:
                    message = unknown_key_message(
                        key, [*MODEL_PARAMS, "steps", "seed"], where, "parameter"
                    )
                    if key not in ACCOUNT_PARAMS:  # else the message says where it goes
                        message += " (account parameters take a group: GROUP.PARAM or *.PARAM)"
                    raise ScenarioError(message)
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


def _check_population(groups: list[Group], where: str) -> None:
    total = sum(g.count for g in groups)
    if not 2 <= total <= MAX_ACCOUNTS:
        raise ScenarioError(
            f"{where}: the groups add up to {total:,} accounts; allowed: 2 to {MAX_ACCOUNTS:,}"
        )
    # rule sign-up suggestions (MODEL.md 7.30): the list is the accounts famous before the
    # party; without one, the sign-up follows asked for would silently not be made
    there = [g for g in groups if g.count]
    signing = [
        g for g in there
        if g.values.get("signup_follows", 0) > 0
        and (g.values.get("join_prob", 0) > 0 or g.values.get("quit_prob", 0) > 0)
    ]  # fmt: skip
    if signing and not any(g.values.get("start_fame") == FAME_CHOICES[1] for g in there):
        g = signing[0]
        raise ScenarioError(
            f"{where}: group {quoted(g.name)} has signup_follows = {g.values['signup_follows']} "
            "(accounts that sign up or left follow the suggested list), but no group is "
            'famous before the party (start_fame = "top"), so the list is empty: set '
            'start_fame = "top" for the accounts to follow, or signup_follows = 0'
        )


# ---------------------------------------------------------------- finding and loading files


def scenarios_dir() -> Path:
    """Where named scenarios live: $PARTYSIM_SCENARIOS, else the project's scenarios/."""
    env = os.environ.get("PARTYSIM_SCENARIOS")
    if env:
        folder = checked_path(env, "PARTYSIM_SCENARIOS", ScenarioError)
        if not folder.is_dir():
            raise ScenarioError(
                f"PARTYSIM_SCENARIOS={printable(env)}: "
                f"{'not a directory' if folder.exists() else 'no such directory'}; point it "
                "at a folder of scenario files, or unset it to use the project's scenarios/"
            )
        return folder
    here = Path(__file__).resolve().parents[2] / "scenarios"
    return here if here.is_dir() else Path.cwd() / "scenarios"


def scenario_names() -> list[str]:
    """Names of the scenario files shipped in :func:`scenarios_dir`."""
    return sorted(p.stem for p in scenarios_dir().glob("*.toml"))


def resolve(name_or_path: str | os.PathLike) -> Path:
    """A scenario file from a path or the name of a file in :func:`scenarios_dir`."""
    path = checked_path(name_or_path, "scenario", ScenarioError)
    if path.is_file():
        return path
    if path.exists():
        raise ScenarioError(f"{path}: not a regular file; give a scenario (.toml) file")
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
    return from_dict(read_toml(path, ScenarioError), source=str(path))


def loads(text: str | bytes, source: str = "<uploaded scenario>") -> Scenario:
    """Parse and check a scenario from TOML text (data only; nothing is executed)."""
    return from_dict(parse_toml(text, source, ScenarioError), source=source)


def from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Check a parsed scenario table; every problem names ``source`` and the key."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario is a table of keys (got {shown(data)})")
    try:
        return _from_dict(data, source)
    except ParamError as err:
        raise ScenarioError(str(err)) from None
    except RecursionError:
        raise ScenarioError(f"{source}: values nested too deeply") from None


def _from_dict(data: dict[str, Any], source: str) -> Scenario:
    if "scenario" in data and "groups" not in data:  # sim/sweeps/design.py: FILE_KEYS
        raise ScenarioError(
            f"{source}: a sweep file (a base 'scenario' and no [[groups]]), not a scenario: "
            "run it with `partysim sweep`; a sweep's 'scenario' names a scenario file"
        )
    _reject_unknown(data, TOP_KEYS, source, "key")
    text = {k: _string(data, k, source) for k in ("name", "description", "claim", "population")}
    steps = _check_int("steps", data.get("steps", 168), source, 1, MAX_STEPS)
    seed = _check_int("seed", data.get("seed", 1), source, 0, MAX_SEED)
    rooms = _rooms(data.get("rooms"), source)
    params_table = _table(data, "params", source)
    _reject_unknown(params_table, MODEL_PARAMS, source, "model parameter", "params")
    params = {k: MODEL_PARAMS[k].coerce(v, f"{source}: [params]") for k, v in params_table.items()}
    if rooms and params.get("n_rooms", len(rooms)) != len(rooms):
        raise ScenarioError(
            f"{source}: [params] 'n_rooms' = {params['n_rooms']} but 'rooms' lists "
            f"{len(rooms)} names; drop n_rooms (the list sets it)"
        )
    strategies = custom_strategies(_table(data, "strategies", source), source)
    known = {**STRATEGIES, **strategies}
    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list) or not raw_groups:
        raise ScenarioError(
            f"{source}: 'groups' must be a non-empty array of tables "
            "([[groups]] with strategy and count)"
        )
    groups = [group(g, i, known, source) for i, g in enumerate(raw_groups)]
    names = [g.name for g in groups]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScenarioError(
            f"{source}: group names must be unique ({', '.join(map(quoted, twice))} "
            "appears twice); give repeated strategies a 'name'"
        )
    _check_population(groups, source)
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


def _rooms(rooms: Any, source: str) -> list[str] | None:
    if rooms is None:
        return None
    if (
        not isinstance(rooms, list)
        or not 1 <= len(rooms) <= MODEL_PARAMS["n_rooms"].high
        or not all(isinstance(r, str) and r.strip() and r.isprintable() for r in rooms)
    ):
        raise ScenarioError(
            f"{source}: 'rooms' must be a list of 1 to {MODEL_PARAMS['n_rooms'].high:g} "
            f"room names (non-empty text; got {shown(rooms)})"
        )
    padded = [r for r in rooms if r != r.strip()]
    if padded:  # "#a" and "#a " would be two rooms that print alike
        raise ScenarioError(
            f"{source}: 'rooms': {quoted(padded[0])} starts or ends with a space; write "
            f"{quoted(padded[0].strip())}"
        )
    twice = sorted({r for r in rooms if rooms.count(r) > 1})
    if twice:
        raise ScenarioError(f"{source}: 'rooms' lists {quoted(twice[0])} twice")
    return rooms


def _reject_unknown(table: dict, allowed, source: str, what: str, section: str = "") -> None:
    where = f"{source}: [{section}]" if section else source
    for key in table:
        if key not in allowed:
            raise ScenarioError(unknown_key_message(key, allowed, where, what))


def _string(data: dict, key: str, source: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ScenarioError(f"{source}: '{key}' must be a string (got {shown(value)})")
    return value.strip()


def _table(data: dict, key: str, source: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{source}: '{key}' must be a table ([{key}])")
    return value


# ------------------------------------------------------------------------------ writing


def to_toml(sc: Scenario) -> str:
    """The scenario as a TOML file that :func:`loads` reads back to the same scenario.

    Groups list only the values that differ from their strategy preset; custom strategies
    are written on the base ``regular`` with every value that differs from it.
    """
    doc: dict[str, Any] = {
        k: getattr(sc, k) for k in ("name", "description", "claim", "population", "steps", "seed")
    }
    if sc.rooms:
        doc["rooms"] = list(sc.rooms)
    if sc.params:
        doc["params"] = dict(sc.params)
    regular = STRATEGIES["regular"].values()
    if sc.strategies:
        doc["strategies"] = {
            name: {
                "base": "regular",
                "description": strategy.description,
                **{k: v for k, v in strategy.values().items() if v != regular[k]},
            }
            for name, strategy in sc.strategies.items()
        }
    known = {**STRATEGIES, **sc.strategies}
    groups = []
    for g in sc.groups:
        preset = known[g.strategy].values()
        changed = {k: v for k, v in g.values.items() if v != preset[k]}
        groups.append({"name": g.name, "strategy": g.strategy, "count": g.count, **changed})
    return dumps(doc, {"groups": groups})


def parse_overrides(items: list[str] | None, where: str = "--set") -> dict[str, Any]:
    """``key=value`` pairs, as ``partysim run --set`` and the app's variant box take them;
    values are read as TOML (numbers, strings, booleans), anything else as a string."""
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"{where} expects key=value (got {item!r})")
        out[key.strip()] = parse_value(raw)
    return out
