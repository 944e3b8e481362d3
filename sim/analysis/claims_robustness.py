"""How robust are the headline claims to the shared parameters? (``partysim claims
--robustness``)

Each headline claim is re-run with one key shared parameter scaled for every group: reading
attention, follow probability and flood tolerance at x0.5 and x2, the number of rooms at
x0.5 and x2, and the party at four times its size; and with each rule whose value was tuned
while the claims were built neutralised in turn (``TUNED``: the profile flood check, flood
unfollows, concentrated pruning, the notice boost, the discount of a stranger's chat). A cell
holds the claim's verdict there (shown, not shown, reversed) from ``reps`` replications (20
by default, as the suite: a "not shown" cell then means a small effect, not too few runs);
an unchanged "shown" means the claim does not hinge on that parameter's value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sim.analysis.claims import CLAIMS, REPS, ROOT_SEEDS, scenario_ref
from sim.analysis.claims_outcomes import strategy_outcomes
from sim.analysis.claims_suite import judge
from sim.analysis.stats import replication_seeds
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS

HEADLINE = ("1", "1b", "2b", "5", "5b", "6", "7", "7e")  # the net-follower claims
FACTORS = (0.5, 2.0)
# (label, what is scaled): an account parameter for every group, a model parameter, the
# number of rooms, or the number of accounts in every group
SCALED = (
    ("attention", "account"),
    ("follow_base_prob", "model"),
    ("flood_tolerance", "account"),
    ("rooms", "rooms"),
)
SIZE_FACTOR = 4
BASELINE = "as is"
# (label, the setting that neutralises a rule tuned while the claims were built)
TUNED = (
    ("no profile flood check", {"profile_flood_penalty": 0.0}),
    ("no flood unfollows", {"unfollow_flood_prob": 0.0}),
    ("pruning not concentrated", {"pruning_spread": 0.0}),
    ("no notice boost", {"notice_follow_boost": 1.0}),
    ("stranger's chat full value", {"stranger_social_value": 1.0}),
)


def _clip(param, value: float):
    lo = param.low if param.low is not None else value
    hi = param.high if param.high is not None else value
    value = min(max(value, lo), hi)
    return int(round(value)) if param.kind is int else float(value)


def scaled(spec, what: str, kind: str, factor: float):
    """The scenario ``spec`` with ``what`` scaled by ``factor`` (kept inside its range)."""
    if kind == "model":
        value = spec.model_params()[what] * factor
        return spec.with_overrides({what: _clip(MODEL_PARAMS[what], value)}, where="robustness")
    if kind == "account":
        param = ACCOUNT_PARAMS[what]
        overrides = {f"{g.name}.{what}": _clip(param, g.values[what] * factor) for g in spec.groups}
        return spec.with_overrides(overrides, where="robustness")
    if kind == "rooms":
        n = int(spec.model_params()["n_rooms"])
        k = _clip(MODEL_PARAMS["n_rooms"], max(1, round(n * factor)))
        if spec.rooms:
            names = [*spec.rooms, *(f"#room{i + 1}" for i in range(len(spec.rooms), k))]
            return replace(spec, rooms=names[:k])
        return spec.with_overrides({"n_rooms": k}, where="robustness")
    if kind == "set":
        return spec.with_overrides(dict(what), where="robustness")
    if kind == "size":
        counts = {f"{g.name}.count": int(g.count * factor) for g in spec.groups}
        return spec.with_overrides(counts, where="robustness")
    raise ValueError(f"unknown kind of scaling: {kind}")


def cells() -> list[tuple[str, object, str, float]]:
    """(label, what, kind, factor) of every cell, the unscaled baseline first."""
    out: list[tuple[str, object, str, float]] = [(BASELINE, "", "", 1.0)]
    out += [(f"{what} x{f:g}", what, kind, f) for what, kind in SCALED for f in FACTORS]
    out.append((f"party size x{SIZE_FACTOR}", "accounts", "size", float(SIZE_FACTOR)))
    out += [(label, tuple(settings.items()), "set", 1.0) for label, settings in TUNED]
    return out


def run_robustness(
    reps: int = REPS,
    root_seed: int = ROOT_SEEDS[0],
    steps: int | None = None,
    numbers=HEADLINE,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Every headline claim in every cell, over ``reps`` replications with the same seeds."""
    from sim.config.scenarios import load
    from sim.engine.model import PartyModel

    claims = [c for c in CLAIMS if c.number in numbers]
    names = sorted({c.a[0] for c in claims} | {c.b[0] for c in claims})
    seeds = replication_seeds(root_seed, reps)
    table: dict[str, dict[str, dict]] = {c.number: {} for c in claims}
    for label, what, kind, factor in cells():
        if progress:
            progress(label)
        runs = {}
        for name in names:
            spec = load(scenario_ref(name))
            if kind:
                spec = scaled(spec, what, kind, factor)
            runs[name] = [strategy_outcomes(PartyModel(spec, seed=s).run(steps)) for s in seeds]
        for c in claims:
            r = judge(c, runs)
            table[c.number][label] = {
                "verdict": r["verdict"],
                "effect": r["effect"],
                "interval95": r["interval95"],
            }
    return {
        "reps": reps,
        "root_seed": root_seed,
        "seeds": seeds,
        "steps": steps,
        "cells": [label for label, *_ in cells()],
        "claims": {c.number: c.text for c in claims},
        "table": table,
    }
