"""Widgets generated from the parameter registry (sim.config.params): label, unit, help, bounds and
default all come from the declaration, so a new parameter appears here without app code."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS, Param
from ui import MAX_ACCOUNTS, MAX_STEPS
from ui.settings import base_value, set_override

# a tab's widgets keep their values while the tab is not drawn (only the open tab is drawn
# while the party plays: without this, Play then Pause on the live tab reset the story's
# account, the comparison's menus, the lab's group... to their defaults)
KEEP = "page"
SLIDER_MAX_TICKS = 2_000
SEED_MAX = 2**63 - 1  # what scenario files and `partysim run --seed` accept
WORDS = {"prob": "probability", "n": "number of", "tz": "time zone", "promo": "promotion",
         "init": "initial", "ack": "acknowledged", "sd": "spread", "ttl": "lifetime",
         "fof": "friends-of-friends"}  # fmt: skip


def human_label(name: str) -> str:
    """A registry name in words: 'follow_back_screen_prob' -> 'Follow back screen
    probability' (the registry name itself is in the widget's help)."""
    words = [WORDS.get(w, w) for w in name.split("_")]
    if words[-1] == "steps":
        words[-1] = "(hours)"
    text = " ".join(words)
    return text[:1].upper() + text[1:]


UNITLESS = ("", "x", "probability")  # a label says these already, or they say nothing


def param_label(param: Param) -> str:
    """The widget's label: the name in words and the unit, once ('Feed window (hours)', not
    'Feed window (hours) (hours)')."""
    label = human_label(param.name)
    if param.unit in UNITLESS or f"({param.unit})" in label:
        return label
    return f"{label} ({param.unit})"


def _decimals(x: float) -> int:
    text = f"{x:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def float_step(param: Param, *values: float) -> float:
    """A step that divides the range finely and represents every given value exactly."""
    span = param.high - param.low
    step = 10.0 ** math.floor(math.log10(span / 100)) if span > 0 else 0.01
    finest = max([_decimals(param.low), *(_decimals(v) for v in values)])
    return min(step, 10.0**-finest) if finest else step


def param_widget(param: Param, value: Any, key: str, default: Any, **keep: Any) -> Any:
    """One labelled widget for ``param`` showing ``value``; returns the chosen value
    (``keep``: e.g. ``persist_state``, passed to the widget)."""
    label = param_label(param)
    help_text = (
        f"{param.help}\n\nSetting: `{key.split(':', 1)[-1]}` (`--set` and scenario files). "
        f"Allowed: {param.describe_range()}. Registry default: {default}."
    )
    if param.choices:
        options = list(param.choices)
        return st.selectbox(label, options, index=options.index(value), key=key, help=help_text,
                            **keep)  # fmt: skip
    if param.kind is int:
        low, high = int(param.low), int(param.high)
        if high - low <= 200:
            return st.slider(label, low, high, int(value), 1, key=key, help=help_text, **keep)
        return st.number_input(label, low, high, int(value), 1, key=key, help=help_text, **keep)
    step = float_step(param, float(value), float(param.default))
    fmt = f"%.{max(_decimals(step), 1)}f"
    low, high, value = float(param.low), float(param.high), float(value)
    if (high - low) / step <= SLIDER_MAX_TICKS:
        return st.slider(label, low, high, value, step, format=fmt, key=key, help=help_text,
                         **keep)  # fmt: skip
    return st.number_input(label, low, high, value, step, format=fmt, key=key, help=help_text,
                           **keep)  # fmt: skip


def _by_section(params: dict[str, Param]) -> dict[str, list[Param]]:
    sections: dict[str, list[Param]] = {}
    for p in params.values():
        sections.setdefault(p.section, []).append(p)
    return sections


def _widget_for(key: str, param: Param, value: Any, ss) -> None:
    chosen = param_widget(param, value, f"w{ss.gen}:{key}", param.default)
    set_override(key, chosen, base_value(ss.base, key))


def parse_seed(raw: str) -> int | None:
    """A seed as the command line accepts it, else None."""
    try:
        seed = int(str(raw).strip().replace("_", "").replace(",", ""))
    except ValueError:
        return None
    return seed if 0 <= seed <= SEED_MAX else None


def run_settings(ss, scenario) -> None:
    """Seed and length of the run."""
    c1, c2 = st.columns(2)
    with c1:
        raw = st.text_input(
            "Seed",
            str(scenario.seed),
            key=f"w{ss.gen}:seed",
            help="Same scenario + seed: same party, here and with `partysim run --seed` "
            f"(any whole number from 0 to {SEED_MAX:,}).",
        )
        seed = parse_seed(raw)
        if seed is None:
            st.error(f"seed: '{raw}' is not a whole number from 0 to {SEED_MAX} (kept "
                     f"{scenario.seed})")  # fmt: skip
        else:
            set_override("seed", seed, ss.base.seed)
    with c2:
        # no upper bound on the widget: the browser would keep a longer value red and
        # send nothing, so the change was silently ignored; here it is explained
        steps = st.number_input(
            "Steps (hours)",
            1,
            None,
            min(int(scenario.steps), MAX_STEPS),
            1,
            key=f"w{ss.gen}:steps",
            help=f"Length of the party in simulated hours (168 = one week; at most "
            f"{MAX_STEPS:,} here).",
        )
        if steps > MAX_STEPS:
            st.error(steps_error(int(steps), int(scenario.steps)))
        else:
            set_override("steps", int(steps), ss.base.steps)


def steps_error(asked: int, kept: int) -> str:
    """Why a Steps value is refused, and where a longer party runs."""
    return (
        f"Steps: {asked:,} hours is more than the app runs ({MAX_STEPS:,} hours, about "
        f"{MAX_STEPS // 168} weeks), so the party keeps {kept:,} hours. A longer party runs "
        f"from the command line: partysim run SCENARIO --steps {asked}"
    )


def group_settings(ss, scenario) -> None:
    """Every account parameter of one chosen group, by section."""
    names = [g.name for g in scenario.groups]
    group_name = st.selectbox(
        "Population group",
        names,
        key=f"w{ss.gen}:group",
        persist_state=KEEP,
        help="Each group is a number of accounts following one strategy; "
        "its values start from the strategy preset.",
    )
    group = next(g for g in scenario.groups if g.name == group_name)
    st.caption(f"strategy: **{group.strategy}**")
    count = st.number_input(
        "Accounts in this group",
        0,
        MAX_ACCOUNTS,
        min(group.count, MAX_ACCOUNTS),
        1,
        key=f"w{ss.gen}:{group_name}.count",
        help=f"Accounts in this group (the whole party may have at most {MAX_ACCOUNTS:,}).",
    )
    set_override(f"{group_name}.count", int(count), base_value(ss.base, f"{group_name}.count"))
    for i, (section, params) in enumerate(_by_section(ACCOUNT_PARAMS).items()):
        with st.expander(f"{section} ({len(params)})", expanded=i == 0):
            cols = st.columns(2)
            for j, param in enumerate(params):
                with cols[j % 2]:
                    key = f"{group_name}.{param.name}"
                    _widget_for(key, param, group.values[param.name], ss)


def model_settings(ss, scenario) -> None:
    """Every model parameter, by section."""
    values = scenario.model_params()
    for section, params in _by_section(MODEL_PARAMS).items():
        with st.expander(f"{section} ({len(params)})"):
            cols = st.columns(2)
            for j, param in enumerate(params):
                with cols[j % 2]:
                    if param.name == "n_rooms" and scenario.rooms:
                        st.caption(f"n_rooms: {len(scenario.rooms)} (the scenario names its rooms)")
                        continue
                    _widget_for(param.name, param, values[param.name], ss)
