"""The live party of one session: the model, play/pause/step/reset, and a tick that keeps
the simulated clock at the chosen speed.

Speed is simulated hours per *wall-clock second*: each refresh advances the hours that are
due since play was pressed (never more than one second's worth behind), so the speed does
not depend on how often the browser manages to refresh. ``measured_speed`` reports what
really happened over the last few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sim.analysis.metrics import WEEKDAYS
from sim.config.scenarios import Scenario, to_toml
from sim.engine.model import PartyModel

TICK_SECONDS = 0.7  # how often the live view refreshes while playing
TICK_BUDGET_SECONDS = 0.25  # never compute longer than this per refresh (a click waits for it)
SPEEDS = (1, 3, 6, 12, 24, 48)  # simulated hours per second
DEFAULT_SPEED = 12  # the default week (168 h) plays in 14 s
STOP_TIMER_AFTER_SECONDS = 1.5  # after a pause; see timer_can_stop
MAX_DEBT_SECONDS = 3.0  # behind by more: a slow machine plays slower, never sprints
RATE_WINDOW_SECONDS = 4.0


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
    return True


def reset(ss) -> None:
    ss.model = PartyModel(ss.model.spec, seed=ss.model.seed)
    pause(ss)


def play(ss) -> None:
    """Start playing from now: the clock's anchor is this moment and this hour."""
    ss.playing = True
    anchor(ss)
    ss.rate_samples = [(time.monotonic(), ss.model.steps)]


def pause(ss) -> None:
    ss.playing = False
    ss.paused_at = time.monotonic()  # the live view stops its timer a little later


def timer_can_stop(ss) -> bool:
    """Paused long enough ago that the page has surely received the paused view: stopping
    the timer reruns the whole app, and a run that starts clears the messages the server
    has not sent yet (the Play button among them)."""
    return time.monotonic() - ss.get("paused_at", 0.0) >= STOP_TIMER_AFTER_SECONDS


def anchor(ss) -> None:
    ss.play_anchor = (time.monotonic(), ss.model.steps)


def advance(
    model: PartyModel,
    hours: int,
    budget: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Step up to ``hours`` hours, fewer if ``budget`` seconds run out or ``stop()`` turns
    true (checked before each hour); returns the hours done."""
    start = time.perf_counter()
    for done in range(hours):
        if stop is not None and stop():
            return done
        model.step()
        if budget is not None and time.perf_counter() - start > budget:
            return done + 1
    return max(hours, 0)


def hours_due(ss, now: float) -> int:
    """Hours the clock owes at ``now`` (speed x seconds since the anchor, minus hours done)."""
    t0, s0 = ss.get("play_anchor", (now, ss.model.steps))
    return int((now - t0) * ss.play_speed) - (ss.model.steps - s0)


def tick(ss, stop: Callable[[], bool] | None = None) -> bool:
    """One refresh while playing: advance the hours due, stop at the scenario's end.
    ``stop()`` turning true (a click is waiting) ends the refresh's simulating early; the
    hours it still owes are done by the next refresh. Returns True when the party has just
    reached its end (the caller stops the timer)."""
    model = ss.model
    now = time.monotonic()
    if "play_anchor" not in ss:
        anchor(ss)
    due = hours_due(ss, now)
    debt = ss.play_speed * MAX_DEBT_SECONDS
    if due > debt:  # too far behind: forget the debt rather than sprint
        t0, s0 = ss.play_anchor
        ss.play_anchor = (now - debt / ss.play_speed, model.steps)
        due = int(debt)
    remaining = model.spec.steps - model.steps
    if due > 0:
        advance(model, min(due, remaining), TICK_BUDGET_SECONDS, stop)
    samples = [s for s in ss.get("rate_samples", []) if now - s[0] <= RATE_WINDOW_SECONDS]
    ss.rate_samples = [*samples, (now, model.steps)]
    if model.steps >= model.spec.steps:
        pause(ss)
        return True
    return False


def measured_speed(ss) -> float | None:
    """Simulated hours per second over the last few seconds of play (None before 1 s)."""
    samples = ss.get("rate_samples", [])
    if len(samples) < 2 or samples[-1][0] - samples[0][0] < 1.0:
        return None
    (t0, s0), (t1, s1) = samples[0], samples[-1]
    return (s1 - s0) / (t1 - t0)


def at_end(model: PartyModel) -> bool:
    return model.steps >= model.spec.steps


def clock(step: int) -> str:
    """Simulated time after ``step`` hours, e.g. 'Tue 14:00' (UTC; a party starts on a Monday
    at 00:00, and the weekend runs later: docs/MODEL.md 7.2)."""
    return f"{WEEKDAYS[(step // 24) % 7]} {step % 24:02d}:00"


def clock_label(step: int) -> str:
    """The clock's label with the day number, e.g. 'Clock · day 2'."""
    return f"Clock · day {step // 24 + 1}"
