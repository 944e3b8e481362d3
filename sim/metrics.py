"""Named outcome functions: per-strategy reporters, the run summary, tidy tables.

Reporters are module-level functions (picklable, usable by Mesa's DataCollector, the app and
the sweep runner). Counters are cumulative since the start of the run.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.posts import ORIGINAL

if TYPE_CHECKING:
    from sim.model import PartyModel

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


def strategy_totals(model: PartyModel) -> dict[str, np.ndarray]:
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


def strategy_metric(model: PartyModel, metric: str, strategy: str) -> float:
    """One metric for one strategy (a DataCollector reporter)."""
    return float(strategy_totals(model)[metric][model.strategy_names.index(strategy)])


def reciprocity(model: PartyModel) -> float:
    """Edge-based reciprocity of the follower graph (as ``networkx.reciprocity``)."""
    return model.follows.reciprocity()


def follow_edges(model: PartyModel) -> int:
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


def tidy_steps(model: PartyModel) -> pd.DataFrame:
    """One row per step x strategy from the DataCollector, with seed and scenario."""
    if hasattr(model.datacollector, "tidy"):  # sim.recorder.Recorder: straight from its array
        return model.datacollector.tidy(model)
    wide = model.datacollector.get_model_vars_dataframe()
    wide.index.name = "step"
    rows = []
    accounts = strategy_totals(model)["accounts"]
    for i, s in enumerate(model.strategy_names):
        part = pd.DataFrame({m: wide[f"{m}{SEP}{s}"] for m in STEP_METRICS})
        part.insert(0, "accounts", int(accounts[i]))
        part.insert(0, "strategy", s)
        rows.append(part.reset_index())
    table = pd.concat(rows, ignore_index=True).sort_values(["step", "strategy"])
    for m in SUM_METRICS:
        table[m] = table[m].astype(np.int64)
    table.insert(0, "seed", model.seed)
    table.insert(0, "scenario", model.spec.name)
    return table.reset_index(drop=True)


def cascades(model: PartyModel) -> dict[str, Any]:
    """Retweet cascades of original posts: how many, share never retweeted, the largest."""
    posts = model.posts
    originals = posts["form"] == ORIGINAL
    retweets = posts["retweets"][originals]
    n = int(originals.sum())
    return {
        "originals": n,
        "share_zero_retweets": float((retweets == 0).mean()) if n else 0.0,
        "max_size": int(retweets.max()) if n else 0,
    }


def network_summary(model: PartyModel) -> dict[str, Any]:
    followers = model.follows.in_degree
    return {
        "accounts": model.n,
        "follow_edges": len(model.follows),
        "reciprocity": reciprocity(model),
        "followers_median": float(np.median(followers)),
        "followers_max": int(followers.max()) if model.n else 0,
    }


def summary(model: PartyModel) -> dict[str, Any]:
    """The run's outcomes as the JSON contract of ``partysim run --json``."""
    totals = strategy_totals(model)
    strategies = {}
    for i, s in enumerate(model.strategy_names):
        entry: dict[str, Any] = {"accounts": int(totals["accounts"][i])}
        entry["posts"] = int(totals["posts"][i])
        entry["followers_mean"] = float(totals["followers_mean"][i])
        mine = model.strategy_id == i
        start = float(model.followers_at_start[mine].mean()) if mine.any() else 0.0
        entry["followers_start_mean"] = start
        entry["net_followers_mean"] = entry["followers_mean"] - start
        for m in SUM_METRICS:
            if m != "posts":
                entry[m] = int(totals[m][i])
        strategies[s] = entry
    return {
        "scenario": model.spec.name,
        "seed": model.seed,
        "steps": int(model.steps),
        "strategies": strategies,
        "network": network_summary(model),
        "cascades": cascades(model),
        "events": {
            "follows": model.events.count(0),
            "unfollows": model.events.count(1),
            "blocks": model.events.count(2),
        },
    }


def account_table(model: PartyModel) -> pd.DataFrame:
    """One row per account: who it is and how it fared."""
    table = pd.DataFrame(
        {
            "account": np.arange(model.n),
            "handle": [model.handle(i) for i in range(model.n)],
            "strategy": [model.strategy_names[s] for s in model.strategy_id],
            "group": [model.group_names[g] for g in model.group_id],
            "followers_start": model.followers_at_start,
            "followers": model.follows.in_degree,
            "following": model.follows.out_degree,
            **{name: model.count[name] for name in SUM_METRICS},
        }
    )
    table.insert(0, "seed", model.seed)
    return table
