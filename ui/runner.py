"""The live party of one session: the model, play/pause/step/reset, a bounded tick."""

from __future__ import annotations

import time

import streamlit as st

from sim.config.scenarios import Scenario, to_toml
from sim.engine.model import PartyModel

TICK_SECONDS = 1.0  # how often the live view refreshes while playing
TICK_BUDGET_SECONDS = 0.7  # never compute longer than this per refresh
SPEEDS = (1, 2, 3, 6, 12, 24)  # simulated hours per refresh
DEFAULT_SPEED = 6  # the default week (168 h) plays in about 30 s


def fingerprint(scenario: Scenario) -> str:
    return to_toml(scenario)


def ensure_model(ss, scenario: Scenario) -> bool:
    """Build a new party when the settings changed; True if it was (re)built."""
    key = fingerprint(scenario)
    if ss.get("model_key") == key and ss.get("model") is not None:
        return False
    ss.model = PartyModel(scenario, seed=scenario.seed)
    ss.model_key = key
    ss.playing = False
    ss.last_tick = 0.0
    return True


def reset(ss) -> None:
    ss.model = PartyModel(ss.model.spec, seed=ss.model.seed)
    ss.playing = False


def advance(model: PartyModel, hours: int, budget: float | None = None) -> int:
    """Step up to ``hours`` hours (fewer if ``budget`` seconds run out); returns hours done."""
    start = time.perf_counter()
    for done in range(1, hours + 1):
        model.step()
        if budget is not None and time.perf_counter() - start > budget:
            return done
    return hours


def tick(ss) -> None:
    """One refresh while playing: advance by the chosen speed, stop at the scenario's end."""
    model = ss.model
    now = time.monotonic()
    if now - ss.get("last_tick", 0.0) < 0.6 * TICK_SECONDS:
        return  # a full-page rerun right after a tick: do not advance twice
    ss.last_tick = now
    remaining = model.spec.steps - model.steps
    advance(model, max(0, min(ss.speed, remaining)), TICK_BUDGET_SECONDS)
    if model.steps >= model.spec.steps:
        ss.playing = False
        st.rerun(scope="app")  # stop the timer


def at_end(model: PartyModel) -> bool:
    return model.steps >= model.spec.steps


def clock(step: int) -> str:
    """Simulated time after ``step`` hours, e.g. 'day 2 14:00' (UTC)."""
    return f"day {step // 24 + 1} {step % 24:02d}:00"
