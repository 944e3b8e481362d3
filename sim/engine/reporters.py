"""The model's named reporters: per-strategy counters read by Mesa's DataCollector.

Module-level functions (picklable; usable by the DataCollector, the app and the sweep runner).
Counters are cumulative since the start of the run. Analysis of whole runs lives in
:mod:`sim.analysis.metrics`. The reporters take the Mesa model (a
:class:`~sim.engine.model.PartyModel`, which passes the party's state through: ``model.count``
is ``model.party.count``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

SUM_METRICS = (
    "followers_gained",
    "unfollows_received",
    "blocks_received",
    "retweets_received",
    "replies_received",
    "impressions",
    "clicks",
    "posts",
    "followers_lost_to_blocks",
)
STEP_METRICS = ("followers_mean", *SUM_METRICS)
SEP = "|"  # DataCollector column names are "metric|strategy"


def strategy_totals(model: Any) -> dict[str, np.ndarray]:
    """Every step metric per strategy (index = position in ``model.strategy_names``),
    computed once per step and cached."""
    cached = getattr(model, "_totals_cache", None)
    if cached is not None and cached[0] == model.steps:
        return cached[1]
    k = len(model.strategy_names)
    sid = model.strategy_id
    accounts = np.bincount(sid, minlength=k)
    totals = {
        name: np.bincount(sid, weights=model.count[name], minlength=k) for name in SUM_METRICS
    }
    followers = np.bincount(sid, weights=model.follows.in_degree, minlength=k)
    totals["followers_mean"] = followers / np.maximum(accounts, 1)
    totals["accounts"] = accounts
    model._totals_cache = (model.steps, totals)
    return totals


def strategy_metric(model: Any, metric: str, strategy: str) -> float:
    """One metric for one strategy (a DataCollector reporter)."""
    return float(strategy_totals(model)[metric][model.strategy_names.index(strategy)])


def reciprocity(model: Any) -> float:
    """Edge-based reciprocity of the follower graph (as ``networkx.reciprocity``)."""
    return model.follows.reciprocity()


def follow_edges(model: Any) -> int:
    return len(model.follows)


def reporters(strategies: list[str]) -> dict[str, Any]:
    """DataCollector model reporters: every step metric per strategy, plus network ones."""
    out: dict[str, Any] = {
        f"{metric}{SEP}{s}": partial(strategy_metric, metric=metric, strategy=s)
        for metric in STEP_METRICS
        for s in strategies
    }
    out["follow_edges"] = follow_edges
    out["reciprocity"] = reciprocity
    return out
