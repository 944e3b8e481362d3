"""Per-session settings: the base scenario, the user's overrides, links and uploads.

Everything here lives in ``st.session_state`` (one browser session each); nothing is shared
between sessions except immutable cached data.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from sim.config import tomlio
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.config.scenarios import Scenario, ScenarioError, load, loads, scenario_names, to_toml
from ui import MAX_ACCOUNTS, MAX_STEPS, MAX_UPLOAD_BYTES

DEFAULT_PRESET = "default"


class SettingsError(ValueError):
    """Settings the app refuses (too many accounts, a bad upload); the message says why."""


@st.cache_resource(show_spinner=False, ttl=60)
def preset(name: str) -> Scenario:
    """A shipped scenario, loaded once a minute per server (frozen and never mutated here:
    safe to share between sessions); a platform-scale one at MAX_ACCOUNTS."""
    return app_scenario(name)


def platform_scale(name: str) -> bool:
    """A shipped population the app opens resized (the town square), not as large as its file."""
    from sim.analysis.check import population_of

    return load(name).n_accounts > MAX_ACCOUNTS and population_of(name) == "town_square"


def app_scenario(name: str) -> Scenario:
    """The shipped scenario as the app runs it: a platform-scale population resized to
    MAX_ACCOUNTS accounts in the same shares (as ``--accounts`` does on the command line),
    any other as its file says."""
    if platform_scale(name):
        from sim.analysis.town_square import resize

        return resize(name, MAX_ACCOUNTS)
    return load(name)


@st.cache_resource(show_spinner=False, ttl=60)
def presets() -> list[str]:
    """The shipped scenarios the app runs live (the default first), read once a minute."""
    return app_presets()


def app_presets() -> list[str]:
    """The shipped scenarios within MAX_ACCOUNTS and the platform-scale ones (resized to
    it), the default first; larger files run from the command line."""
    names = [n for n in scenario_names()
             if load(n).n_accounts <= MAX_ACCOUNTS or platform_scale(n)]  # fmt: skip
    return sorted(names, key=lambda n: (n != DEFAULT_PRESET, n))


def state() -> Any:
    """The session state, initialised on first use (from the link's query parameters)."""
    ss = st.session_state
    if "base" not in ss:
        ss.gen = 0
        ss.link_error = ""
        set_base(presets()[0] if DEFAULT_PRESET not in presets() else DEFAULT_PRESET)
        restore_from_query(dict_of_lists(st.query_params))
    return ss


def set_base(name: str | None, scenario: Scenario | None = None) -> None:
    """Start from a preset (by name) or an uploaded scenario; forget the overrides."""
    ss = st.session_state
    ss.base = scenario if scenario is not None else preset(name)
    ss.base_preset = name  # None for an uploaded scenario (no link possible)
    ss.overrides = {}
    ss.gen = ss.get("gen", 0) + 1  # new widget keys: widgets show the new values


def current(ss=None) -> Scenario:
    """The base scenario with the user's overrides (raises ScenarioError / SettingsError)."""
    ss = ss or st.session_state
    scenario = ss.base.with_overrides(ss.overrides, where="app settings")
    check_limits(scenario)
    return scenario


def check_limits(scenario: Scenario) -> None:
    """Refuse what would not stay interactive; the message names the limit."""
    n = scenario.n_accounts
    if n > MAX_ACCOUNTS:
        raise SettingsError(
            f"{n:,} accounts is more than this app runs interactively (limit: "
            f"{MAX_ACCOUNTS:,} accounts). Lower a group's count, or run it from the command "
            f"line: partysim run FILE"
        )
    if n < 2:
        raise SettingsError(f"A party needs at least 2 accounts (the groups add up to {n}).")
    if scenario.steps > MAX_STEPS:
        raise SettingsError(f"{scenario.steps} hours is above the app's limit of {MAX_STEPS}.")


# ----------------------------------------------------------------------------- links


def dict_of_lists(qp) -> dict[str, list[str]]:
    return {k: qp.get_all(k) for k in qp}


def link_params(ss=None) -> dict[str, Any]:
    """Query parameters that restore the settings: scenario, seed and key=value overrides."""
    ss = ss or st.session_state
    if ss.base_preset is None:
        return {}
    params: dict[str, Any] = {"scenario": ss.base_preset}
    sets = []
    for key, value in ss.overrides.items():
        if key == "seed":
            params["seed"] = str(value)
        else:
            sets.append(f"{key}={format_value(value)}")
    if sets:
        params["set"] = sets
    return params


def format_value(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def parse_value(raw: str) -> Any:
    """A value as TOML reads it (numbers, quoted strings), else the bare text (the same
    reading as ``--set``)."""
    return tomlio.parse_value(raw)


def restore_from_query(query: dict[str, list[str]]) -> None:
    """Apply ``?scenario=NAME&seed=S&set=key=value...``; a bad link is reported, not fatal."""
    ss = st.session_state
    if not query:
        return
    try:
        name = (query.get("scenario") or [ss.base_preset])[-1]
        if name not in presets():
            raise SettingsError(f"unknown scenario '{name}' (known: {', '.join(presets())})")
        overrides: dict[str, Any] = {}
        for item in query.get("set", []):
            key, sep, raw = item.partition("=")
            if not sep:
                raise SettingsError(f"'set' expects key=value (got {item!r})")
            overrides[key.strip()] = parse_value(raw)
        if query.get("seed"):
            overrides["seed"] = parse_value(query["seed"][-1])
        scenario = preset(name).with_overrides(overrides, where="link")
        check_limits(scenario)
    except (ScenarioError, SettingsError) as err:
        ss.link_error = f"The link's settings were not applied: {err}"
        return
    set_base(name)
    ss.overrides = overrides


# ----------------------------------------------------------------------------- overrides


def set_override(key: str, value: Any, base_value: Any) -> None:
    """Record ``key=value`` if it differs from the base scenario, else forget it."""
    overrides = st.session_state.overrides
    if value == base_value:
        overrides.pop(key, None)
    else:
        overrides[key] = value


def base_value(base: Scenario, key: str) -> Any:
    """The base scenario's value for an override key."""
    if key in ("seed", "steps"):
        return getattr(base, key)
    if "." not in key:
        return base.model_params()[key]
    group, name = key.split(".", 1)
    g = next(g for g in base.groups if g.name == group)
    return g.count if name == "count" else g.values[name]


def cli_command(ss=None) -> str | None:
    """The `partysim run` command that reproduces the current party (None for an upload)."""
    ss = ss or st.session_state
    if ss.base_preset is None:
        return None
    seed = ss.overrides.get("seed", ss.base.seed)
    parts = ["partysim run", ss.base_preset, "--seed", str(seed)]
    if "steps" in ss.overrides:
        parts += ["--steps", str(ss.overrides["steps"])]
    if platform_scale(ss.base_preset):  # the app runs it resized: so does the command
        in_file = {g.name: g.count for g in load(ss.base_preset).groups}
        for g in ss.base.groups:
            key = f"{g.name}.count"
            if g.count != in_file[g.name] and key not in ss.overrides:
                parts += ["--set", f"{key}={g.count}"]
    for key, value in ss.overrides.items():
        if key not in ("seed", "steps"):
            parts += ["--set", f"{key}={format_value(value)}"]
    return " ".join(parts) + " --json"


def describe_overrides(overrides: dict[str, Any]) -> list[str]:
    """Each override in words with its unit."""
    out = []
    for key, value in overrides.items():
        name = key.split(".", 1)[-1]
        param = MODEL_PARAMS.get(name) or ACCOUNT_PARAMS.get(name)
        unit = f" {param.unit}" if param and param.unit else ""
        out.append(f"{key} = {format_value(value)}{unit}")
    return out


# ----------------------------------------------------------------------------- files


def parse_upload(data: bytes, filename: str = "uploaded.toml") -> Scenario:
    """Check an uploaded scenario file: bounded size, TOML parsed as data, strict validation,
    the interactive account limit. Raises SettingsError or ScenarioError with the reason."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SettingsError(
            f"{filename}: {len(data):,} bytes is too large for a scenario file "
            f"(limit: {MAX_UPLOAD_BYTES // 1024} KiB)"
        )
    scenario = loads(data, source=filename)  # the loader's checks: UTF-8, BOM, depth, TOML
    check_limits(scenario)
    return scenario


def saved_variant(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """What "Save" writes: with changes, the scenario is named after its preset plus
    '_variant' and its description lists the changed settings."""
    if not overrides:
        return scenario
    changes = "; ".join(describe_overrides(overrides))
    return replace(
        scenario,
        name=f"{scenario.name}_variant",
        description=f"{scenario.description.strip()}\n\nVariant of {scenario.name} with: "
        f"{changes}.",
    )


def scenario_file(scenario: Scenario, overrides: dict[str, Any] | None = None) -> tuple[str, str]:
    """The TOML text of ``scenario`` (a named variant if ``overrides``) and a file name."""
    scenario = saved_variant(scenario, overrides or {})
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in scenario.name) or "scenario"
    return to_toml(scenario), f"{safe}.toml"


def sync_link(ss=None) -> None:
    """Keep the address bar's query parameters equal to the settings (a shareable link)."""
    wanted = link_params(ss)
    have = dict_of_lists(st.query_params)
    norm = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if have != norm:
        st.query_params.from_dict(wanted)
