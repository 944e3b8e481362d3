"""Checking a scenario file's ``[strategies.NAME]`` tables and ``[[groups]]`` (strict)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sim.config.errors import ScenarioError
from sim.config.params import ACCOUNT_PARAMS, quoted, shown, unknown_key_message
from sim.config.strategies import STRATEGIES, Strategy

MAX_ACCOUNTS = 2_000_000
MAX_BASE_CHAIN = 64  # strategies built on strategies, this deep at most
GROUP_KEYS = ("strategy", "count", "name")
STRATEGY_KEYS = ("base", "description")
# a group is addressed as GROUP.PARAM by --set, links and sweeps: no '.', '=', '*', quotes
# or white space in its name
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
GROUP_NAME = re.compile(r"[^\s.=*\"'\[\]]{1,64}")


@dataclass(frozen=True)
class Group:
    """A population group: ``count`` accounts of one strategy with parameter values."""

    name: str
    strategy: str
    count: int
    values: dict[str, Any] = field(default_factory=dict)  # every account parameter


def toml_key(name: str) -> str:
    """``name`` as a TOML key: bare when it can be, else quoted (e.g. ``"my strategy"``)."""
    return name if BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def custom_strategies(table: dict, source: str) -> dict[str, Strategy]:
    """Strategies defined in the file: ``[strategies.NAME]`` with ``base`` + overrides.

    A base may be a built-in strategy or another strategy of the file, defined before or
    after; a cycle of bases is refused with the cycle named."""
    for name, spec in table.items():
        where = f"{source}: [strategies.{toml_key(name)}]"
        if not name.strip() or not name.isprintable() or len(name) > 64:
            raise ScenarioError(f"{where}: a strategy name must be 1 to 64 printable characters")
        if name in STRATEGIES:
            raise ScenarioError(
                f"{where}: {quoted(name)} is a built-in strategy; give yours another name "
                f'(e.g. "my_{name}") with base = "{name}"'
            )
        if not isinstance(spec, dict):
            raise ScenarioError(f"{where} must be a table (got {shown(spec)})")
        for key in STRATEGY_KEYS:
            if key in spec and not isinstance(spec[key], str):
                raise ScenarioError(f"{where}: '{key}' must be a string (got {shown(spec[key])})")
        overrides = {k: v for k, v in spec.items() if k not in STRATEGY_KEYS}
        for key in overrides:
            if key not in ACCOUNT_PARAMS:
                raise ScenarioError(
                    unknown_key_message(key, ACCOUNT_PARAMS, where, "account parameter")
                )
    custom: dict[str, Strategy] = {}
    for name in table:
        _derive(name, table, custom, [], source)
    return {name: custom[name] for name in table}


def _derive(
    name: str, table: dict, custom: dict[str, Strategy], chain: list[str], source: str
) -> Strategy:
    if name in custom:
        return custom[name]
    where = f"{source}: [strategies.{toml_key(name)}]"
    spec = table[name]
    base_name = spec.get("base", "regular")
    if base_name == name:
        raise ScenarioError(f"{where}: a strategy cannot be its own base")
    if len(chain) >= MAX_BASE_CHAIN:
        shown_chain = " -> ".join(quoted(n) for n in chain[:3])
        raise ScenarioError(
            f"{source}: [strategies] a chain of more than {MAX_BASE_CHAIN} bases "
            f"({shown_chain} -> ... -> {quoted(name)} -> {quoted(base_name)}); base a "
            "strategy on a built-in one or a shorter chain"
        )
    if base_name in chain or base_name == (chain[0] if chain else None):
        cycle = " -> ".join(quoted(n) for n in [*chain, name, base_name])
        raise ScenarioError(f"{source}: [strategies] bases form a cycle: {cycle}")
    if base_name in STRATEGIES:
        base = STRATEGIES[base_name]
    elif base_name in table:
        base = _derive(base_name, table, custom, [*chain, name], source)
    else:
        known = [*STRATEGIES, *table]
        raise ScenarioError(unknown_key_message(base_name, known, where, "base strategy"))
    overrides = {k: v for k, v in spec.items() if k not in STRATEGY_KEYS}
    description = spec.get("description", f"{base_name} with changes")
    custom[name] = base.derive(name, description, overrides, where)
    return custom[name]


def group(spec: Any, i: int, known: dict[str, Strategy], source: str) -> Group:
    """One ``[[groups]]`` table, checked: strategy, count, name and account overrides."""
    where = f"{source}: [[groups]] #{i + 1}"
    if not isinstance(spec, dict):
        raise ScenarioError(f"{where} must be a table (got {shown(spec)})")
    if "strategy" not in spec:
        raise ScenarioError(
            f"{where}: 'strategy' is missing; name one of {', '.join(map(quoted, known))}"
        )
    strategy = spec["strategy"]
    if not isinstance(strategy, str):
        raise ScenarioError(f"{where}: 'strategy' must be a string (got {shown(strategy)})")
    if strategy not in known:
        raise ScenarioError(unknown_key_message(strategy, known, where, "strategy"))
    count = check_int("count", spec.get("count"), where, 0, MAX_ACCOUNTS)
    name = spec.get("name", strategy)
    if not isinstance(name, str) or not GROUP_NAME.fullmatch(name) or not name.isprintable():
        given = "'name'" if "name" in spec else f"the strategy name {quoted(strategy)}"
        raise ScenarioError(
            f"{where}: the group name ({given}: {shown(name)}) must be 1 to 64 printable "
            "characters without spaces, quotes or . = * [ ] (--set addresses it as GROUP.PARAM)"
            + ("" if "name" in spec else "; give the group a 'name'")
        )
    overrides = {k: v for k, v in spec.items() if k not in GROUP_KEYS}
    for key in overrides:
        if key not in ACCOUNT_PARAMS:
            raise ScenarioError(
                unknown_key_message(key, ACCOUNT_PARAMS, where, "account parameter")
            )
    values = known[strategy].values()
    values.update({k: ACCOUNT_PARAMS[k].coerce(v, where) for k, v in overrides.items()})
    return Group(name=name, strategy=strategy, count=count, values=values)


def check_int(key: str, value: Any, where: str, low: int, high: int) -> int:
    """``value`` if it is an integer from ``low`` to ``high``, else a ScenarioError."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(
            f"{where}: {quoted(key)} must be an integer from {low:,} to {high:,} "
            f"(got {shown(value)})"
        )
    return value
