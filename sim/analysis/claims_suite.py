"""The claims suite (``partysim claims``): every claim of sim/analysis/claims.py measured with
and without its knock-outs over the same seeds, under each root seed; its label computed from
that; its verdict shown only where the root seeds agree.

The effect of a claim is the mean paired difference A - B over seeds with a 95% t-interval
(sim/analysis/stats.py): **shown** when the interval lies above zero, **reversed** when below,
**not shown** otherwise. The posting-rate sweep is judged by a test fixed in advance (negative
curvature in log rate with the vertex inside the range, :func:`curvature_test`), not by
picking its best rate after the fact.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.analysis.claims import (
    CLAIMS,
    CONSTRUCTION,
    CONSTRUCTION_SHARE,
    EMERGENT,
    EMERGENT_SHARE,
    FRAGILE,
    GHOSTS,
    MECHANISM,
    NO_EFFECT,
    NOT_SHOWN,
    REPS,
    REVERSED,
    ROOT_SEEDS,
    SHOWN,
    SWEEP,
    SWEEP_RATES,
    THANKS_SCENARIO,
    Claim,
    rate_strategy,
    scenario_ref,
)
from sim.analysis.claims_outcomes import strategy_outcomes
from sim.analysis.stats import interval, replication_seeds

SHARE = (0.0, 1.0)  # the range of a share: its interval is cut there (sim/analysis/stats.py)


def verdict_of(low: float, high: float) -> str:
    return SHOWN if low > 0 else (REVERSED if high < 0 else NOT_SHOWN)


def diffs(claim: Claim, runs: dict) -> np.ndarray:
    """Per seed, outcome A - outcome B (``runs``: scenario -> per-seed outcomes)."""
    a = np.array([r[claim.a[1]][claim.outcome] for r in runs[claim.a[0]]], dtype=float)
    b = np.array([r[claim.b[1]][claim.outcome] for r in runs[claim.b[0]]], dtype=float)
    return a - b


def judge(claim: Claim, runs: dict, knocked: dict | None = None) -> dict:
    """Paired differences A - B over seeds: effect, 95% interval, verdict; with ``knocked``
    (the same scenarios and seeds with the claim's knock-out) also the knocked-out effect."""
    a = np.array([r[claim.a[1]][claim.outcome] for r in runs[claim.a[0]]], dtype=float)
    b = np.array([r[claim.b[1]][claim.outcome] for r in runs[claim.b[0]]], dtype=float)
    mean, low, high = interval(a - b)  # (a and b kept for the report's paired figure)
    out = {
        "claim": claim,
        "a": a.tolist(),
        "b": b.tolist(),
        "diffs": (a - b).tolist(),
        "effect": mean,
        "interval95": [low, high],
        "relative": mean / abs(b.mean()) if b.mean() else float("nan"),
        "verdict": verdict_of(low, high),
    }
    if knocked is not None:
        d = diffs(claim, knocked)
        k_mean, k_low, k_high = interval(d)
        out["knockout"] = {
            "diffs": d.tolist(),
            "effect": k_mean,
            "interval95": [k_low, k_high],
            "verdict": verdict_of(k_low, k_high),
        }
    return out


def label_of(claim: Claim, verdict: str, diffs_: np.ndarray, knocked: np.ndarray | None) -> dict:
    """The claim's label from its verdict and its paired differences without and with its
    knock-out (pooled over root seeds): see sim/analysis/claims.py for the rule and its
    thresholds. A claim not shown under any root seed has no effect to explain."""
    mean, low, high = interval(diffs_)
    if verdict == NOT_SHOWN or verdict_of(low, high) == NOT_SHOWN:
        return {"label": NO_EFFECT, "survives": float("nan")}
    if claim.restates or knocked is None:
        return {"label": CONSTRUCTION, "survives": float("nan")}
    k_mean, k_low, k_high = interval(knocked)
    survives = k_mean / mean if mean else float("nan")
    same_way = verdict_of(k_low, k_high) == verdict_of(low, high)
    if same_way and survives >= EMERGENT_SHARE:
        label = EMERGENT
    elif (
        len(claim.rules) == 1
        and verdict_of(k_low, k_high) == NOT_SHOWN
        and abs(survives) <= CONSTRUCTION_SHARE
    ):
        label = CONSTRUCTION
    else:
        label = MECHANISM
    return {"label": label, "survives": float(survives)}


def curvature_test(per_rate: dict[float, np.ndarray]) -> dict:
    """The posting-rate test fixed in advance: per seed, net followers fitted by a parabola in
    log(rate). An optimum (inverted U) is **shown** when the curvature's 95% interval lies
    below zero and the parabola's top (from the mean coefficients) lies inside the rates
    swept; **reversed** when there is no such optimum and the highest rate beats the lowest
    (paired, 95%): posting more wins, the advice turned around; **not shown** otherwise."""
    rates = sorted(per_rate)
    x = np.log(rates)
    y = np.array([per_rate[r] for r in rates], dtype=float)  # rates x seeds
    coef = np.polyfit(x, y, 2)  # 3 x seeds: curvature, slope, intercept
    c_mean, c_low, c_high = interval(coef[0])
    b_mean = float(coef[1].mean())
    top = float(np.exp(-b_mean / (2 * c_mean))) if c_mean < 0 else float("nan")
    inside = bool(np.isfinite(top) and rates[0] < top < rates[-1])
    ends = interval(y[-1] - y[0])
    if c_high < 0 and inside:
        verdict = SHOWN
    else:
        verdict = REVERSED if ends[1] > 0 else NOT_SHOWN
    return {
        "curvature": [c_mean, c_low, c_high],
        "top": top if inside else float("nan"),
        "highest_minus_lowest": list(ends),
        "verdict": verdict,
    }


def sweep_result(runs: list[dict]) -> dict:
    """Net followers against posting rate: per rate the mean and interval, the best rate seen
    (for the figure only) and the curvature test."""
    per_rate = {
        r: np.array([run[rate_strategy(r)]["net_followers"] for run in runs]) for r in SWEEP_RATES
    }
    means = {r: list(interval(v)) for r, v in per_rate.items()}
    return {
        "rates": list(SWEEP_RATES),
        "means": means,
        "peak": max(SWEEP_RATES, key=lambda r: means[r][0]),
        **curvature_test(per_rate),
    }


def ghost_result(runs: list[dict], strategy: str = "conversationalist") -> dict:
    """The spread of engaged accounts' net followers; the share that gained nothing."""
    nets = np.concatenate([np.asarray(run[strategy]["nets"], dtype=float) for run in runs])
    share = interval([run[strategy]["share_no_gain"] for run in runs], bounds=SHARE)
    few = interval([np.mean(np.asarray(run[strategy]["nets"]) <= 2) for run in runs], bounds=SHARE)
    q10, q25, q50, q75, q90 = np.percentile(nets, [10, 25, 50, 75, 90])
    verdict = SHOWN if share[1] > 0 and share[0] >= 0.05 else "partly"
    return {
        "nets": nets.tolist(),
        "share_no_gain": list(share),
        "share_at_most_2": list(few),
        "quantiles": [q10, q25, q50, q75, q90],
        "min": float(nets.min()),
        "max": float(nets.max()),
        "verdict": verdict,
    }


def scenarios_needed(claims=CLAIMS) -> list[str]:
    # the sweep, the ghosts and the thanks figures are in every report, whatever the subset
    names = {c.a[0] for c in claims} | {c.b[0] for c in claims} | {SWEEP, GHOSTS, THANKS_SCENARIO}
    return sorted(names)


def _outcomes(name: str, seeds: list[int], steps, overrides: dict) -> list[dict]:
    from sim.engine.model import PartyModel

    return [
        strategy_outcomes(PartyModel(scenario_ref(name), seed=s, **overrides).run(steps))
        for s in seeds
    ]


def run_claims(
    reps: int = REPS,
    root_seed: int = ROOT_SEEDS[0],
    steps: int | None = None,
    claims=CLAIMS,
    progress: Callable[[str], None] | None = None,
    overrides: dict | None = None,
    knockouts: bool = True,
) -> dict:
    """Every claim under one root seed: the scenarios they need run with the same seeds, then
    (``knockouts``) each distinct knock-out's scenarios again with the same seeds; every
    claim judged with and without its knock-out. ``overrides`` (e.g. ``{"feed": "for_you"}``)
    go to every run."""
    seeds = replication_seeds(root_seed, reps)
    overrides = dict(overrides or {})
    runs = {}
    for name in scenarios_needed(claims):
        if progress:
            progress(name)
        runs[name] = _outcomes(name, seeds, steps, overrides)
    knocked: dict[tuple, dict] = {}
    if knockouts:
        for c in claims:
            if not c.knockout:
                continue
            held = knocked.setdefault(c.knockout_key, {})  # claims sharing a knock-out share runs
            for name in sorted({c.a[0], c.b[0]} - set(held)):
                if progress:
                    progress(f"{name} without {', '.join(c.knockout)}")
                held[name] = _outcomes(name, seeds, steps, {**overrides, **c.knockout})
    thanks = [interval([r["thanker"][k] for r in runs[THANKS_SCENARIO]], bounds=SHARE)
              for k in ("thanked_already_following", "thanked_then_followed")]  # fmt: skip
    return {
        "root_seed": root_seed,
        "seeds": seeds,
        "steps": steps,
        "comparisons": [
            judge(c, runs, knocked.get(c.knockout_key) if c.knockout else None) for c in claims
        ],
        "sweep": sweep_result(runs[SWEEP]),
        "ghosts": ghost_result(runs[GHOSTS]),
        "thanks": {"already_following": list(thanks[0]), "then_followed": list(thanks[1])},
    }


def combine(by_root: dict[int, dict]) -> list[dict]:
    """One row per claim over the root seeds: each root's effect and verdict, the knocked-out
    effect, the computed label (differences pooled over the roots) and the verdict: the
    roots' common verdict, or *fragile* when they differ."""
    roots = list(by_root)
    rows = []
    for i, first in enumerate(by_root[roots[0]]["comparisons"]):
        claim = first["claim"]
        per_root = {root: by_root[root]["comparisons"][i] for root in roots}
        pooled = np.concatenate([r["diffs"] for r in per_root.values()])
        has_ko = all("knockout" in r for r in per_root.values())
        pooled_ko = (
            np.concatenate([r["knockout"]["diffs"] for r in per_root.values()]) if has_ko else None
        )
        verdicts = {r["verdict"] for r in per_root.values()}
        verdict = verdicts.pop() if len(verdicts) == 1 else FRAGILE
        mean, low, high = interval(pooled)
        row = {
            "claim": claim,
            "per_root": per_root,
            "effect": mean,
            "interval95": [low, high],
            "verdict": verdict,
            **label_of(claim, verdict, pooled, pooled_ko),
        }
        if pooled_ko is not None:
            k = interval(pooled_ko)
            row["knockout"] = {"effect": k[0], "interval95": [k[1], k[2]],
                               "verdict": verdict_of(k[1], k[2])}  # fmt: skip
        rows.append(row)
    return rows


def run_suite(
    reps: int = REPS,
    root_seeds=ROOT_SEEDS,
    steps: int | None = None,
    claims=CLAIMS,
    progress: Callable[[str], None] | None = None,
    overrides: dict | None = None,
) -> dict:
    """:func:`run_claims` under every root seed, and the combined rows (:func:`combine`)."""
    by_root = {
        root: run_claims(
            reps=reps,
            root_seed=root,
            steps=steps,
            claims=claims,
            progress=(lambda name, r=root: progress(f"root seed {r}: {name}"))
            if progress
            else None,
            overrides=overrides,
        )
        for root in root_seeds
    }
    sweeps = {root: result["sweep"]["verdict"] for root, result in by_root.items()}
    common = set(sweeps.values())
    return {
        "reps": reps,
        "root_seeds": list(root_seeds),
        "steps": steps,
        "by_root": by_root,
        "claims": combine(by_root),
        "sweep_verdict": common.pop() if len(common) == 1 else FRAGILE,
    }


def flipped(row: dict) -> bool:
    """A claim has flipped when its verdict or its computed label is not the one recorded:
    "shown" becoming "not shown" or "fragile" counts, not only a reversed sign."""
    c = row["claim"]
    return row["verdict"] != c.expected or row.get("label", c.expected_label) != c.expected_label


def behaviour_verdicts(suite: dict) -> dict[int, str]:
    """One verdict per behaviour: shown (all its comparisons, under every root seed), partly
    (some), fragile (none shown under both root seeds, one under one of them), not shown."""
    by: dict[int, list[bool]] = {}
    for row in suite["claims"]:
        by.setdefault(row["claim"].behaviour, []).append(row["verdict"] == SHOWN)
    fragile = {row["claim"].behaviour for row in suite["claims"] if row["verdict"] == FRAGILE}
    out = {
        b: SHOWN if all(v) else ("partly" if any(v) else (FRAGILE if b in fragile else NOT_SHOWN))
        for b, v in by.items()
    }
    sweep = suite["sweep_verdict"]
    if out.get(5) == SHOWN and sweep == SHOWN:
        out[5] = SHOWN
    elif SHOWN in (out.get(5), sweep) or out.get(5) == "partly":
        out[5] = "partly"
    else:
        out[5] = FRAGILE if FRAGILE in (out.get(5), sweep) else NOT_SHOWN
    ghosts = {r["ghosts"]["verdict"] for r in suite["by_root"].values()}
    out[8] = ghosts.pop() if len(ghosts) == 1 else FRAGILE
    out[13] = "rule (tested exactly)"
    return dict(sorted(out.items()))
