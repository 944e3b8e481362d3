"""The reference engine: the same rules as sim/, one account and one item at a time.

``ReferencePartyModel`` is for reading (each rule in plain Python, see agents.py and model.py),
for checking the fast engine (tests/test_reference.py) and as its speed baseline
(benchmarks/bench_scale.py). ``summary(model)`` gives the JSON contract of ``partysim run``.
"""

from __future__ import annotations

import numpy as np

from sim.engine.posts import ORIGINAL
from sim.engine.reasons import EVENT_KINDS
from sim.engine.reporters import SUM_METRICS
from sim.reference.model import ReferencePartyModel

__all__ = ["ReferencePartyModel", "summary"]


def summary(model: ReferencePartyModel) -> dict:
    """The same structure as :func:`sim.analysis.metrics.summary`, from the reference model."""
    by_strategy: dict[str, list] = {name: [] for name in model.strategy_names}
    for a in model.accounts:
        by_strategy[a.strategy].append(a)
    strategies = {}
    for name, accts in by_strategy.items():
        n = len(accts)
        followers = [model.graph.in_degree(a.index) for a in accts]
        start = [model.followers_at_start[a.index] for a in accts]
        row = {
            "accounts": n,
            "posts": sum(a.count["posts"] for a in accts),
            "followers_mean": float(np.mean(followers)) if n else 0.0,
            "followers_start_mean": float(np.mean(start)) if n else 0.0,
        }
        row["net_followers_mean"] = row["followers_mean"] - row["followers_start_mean"]
        for key in (k for k in SUM_METRICS if k != "posts"):
            row[key] = sum(a.count[key] for a in accts)
        strategies[name] = row
    g = model.graph
    mutual = sum(1 for u, v in g.edges if g.has_edge(v, u))
    followers = np.array([g.in_degree(i) for i in range(model.n)])
    retweets = np.array([it.retweets for it in model.items if it.form == ORIGINAL])
    return {
        "scenario": model.spec.name,
        "seed": model.seed,
        "steps": int(model.steps),
        "strategies": strategies,
        "network": {
            "accounts": model.n,
            "follow_edges": g.number_of_edges(),
            "reciprocity": mutual / g.number_of_edges() if g.number_of_edges() else 0.0,
            "followers_median": float(np.median(followers)),
            "followers_max": int(followers.max()),
        },
        "cascades": {
            "originals": len(retweets),
            "share_zero_retweets": float((retweets == 0).mean()) if len(retweets) else 0.0,
            "max_size": int(retweets.max()) if len(retweets) else 0,
        },
        "events": {k.plural: model.events[k.name] for k in EVENT_KINDS},
    }
