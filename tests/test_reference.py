"""The reference engine (sim/reference/, one account at a time) against the fast engine.

In distribution: on a small party (about 90 accounts, 36 hours), 20 seeds per engine, every
outcome of the JSON contract is compared with Welch's two-sample t-test; the test fails if
any p-value is below 0.01 / (number of outcomes) (Bonferroni, family-wise alpha 0.01).
Outcomes that are constant in both engines must be equal. The initial state is the same for
both engines for a given seed (the reference copies it), so only the hourly dynamics differ
in their random draws.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL
from scipy import stats

import sim
from sim import metrics
from sim.reference import ReferencePartyModel, summary

SEEDS = range(1, 21)
STEPS = 36
OUTCOMES = ("followers_mean", *metrics.SUM_METRICS)


def flatten(result: dict) -> dict[str, float]:
    out = {f"{s}.{k}": float(row[k]) for s, row in result["strategies"].items() for k in OUTCOMES}
    out.update({f"network.{k}": float(v) for k, v in result["network"].items()})
    out.update({f"cascades.{k}": float(v) for k, v in result["cascades"].items()})
    return out


def test_reference_and_fast_engine_start_from_the_same_state():
    ref = ReferencePartyModel("default", seed=5, **SMALL)
    fast = sim.PartyModel("default", seed=5, **SMALL)
    assert ref.graph.number_of_edges() == len(fast.follows)
    assert ref.followers_at_start == fast.followers_at_start.tolist()


def test_the_reference_engine_runs_and_keeps_its_books():
    model = ReferencePartyModel("default", seed=2, **SMALL).run(24)
    result = summary(model)
    g = model.graph
    assert not any(u == v for u, v in g.edges)
    for a in model.accounts:
        expected = (
            model.followers_at_start[a.index]
            + a.count["followers_gained"]
            - a.count["unfollows_received"]
            - a.count["followers_lost_to_blocks"]
        )
        assert g.in_degree(a.index) == expected
    for u, v in model.blocks:
        assert not g.has_edge(u, v) and not g.has_edge(v, u)
    assert result["network"]["follow_edges"] == g.number_of_edges()


@pytest.mark.slow
def test_engines_agree_in_distribution_on_every_outcome():
    fast = [
        flatten(metrics.summary(sim.PartyModel("default", seed=s, **SMALL).run(STEPS)))
        for s in SEEDS
    ]
    ref = [
        flatten(summary(ReferencePartyModel("default", seed=s, **SMALL).run(STEPS))) for s in SEEDS
    ]
    keys = sorted(fast[0])
    alpha = 0.01 / len(keys)
    disagree = {}
    for key in keys:
        a = np.array([r[key] for r in fast])
        b = np.array([r[key] for r in ref])
        if a.std() == 0 and b.std() == 0:
            if a[0] != b[0]:
                disagree[key] = (a[0], b[0])
            continue
        p = stats.ttest_ind(a, b, equal_var=False).pvalue
        if p < alpha:
            disagree[key] = (round(a.mean(), 3), round(b.mean(), 3), p)
    assert disagree == {}, disagree
