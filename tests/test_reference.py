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


def copy_state(fast: sim.PartyModel) -> ReferencePartyModel:
    """A reference model holding the fast model's current ties, items and reading marks."""
    from sim.reference.agents import Item

    ref = ReferencePartyModel(fast.spec, seed=fast.seed)
    ref.graph.clear_edges()
    seen, ack = fast.follows.attrs["seen"], fast.follows.attrs["ack"]
    for k, (u, v) in enumerate(
        zip(fast.follows.src.tolist(), fast.follows.dst.tolist(), strict=True)
    ):
        ref.graph.add_edge(u, v, ack=bool(ack[k]), seen=float(seen[k]))
    ref.blocks = set(zip(fast.blocks.src.tolist(), fast.blocks.dst.tolist(), strict=True))
    cols = {name: fast.posts[name] for name in fast.posts.cols}
    ref.items = [
        Item(
            index=i,
            **{
                name: cols[name][i].item()
                for name in (
                    "author",
                    "form",
                    "kind",
                    "quality",
                    "link",
                    "room",
                    "target",
                    "step",
                    "automated",
                    "orig",
                    "orig_author",
                    "content",
                    "retweets",
                    "replies",
                )
            },
        )
        for i in range(len(fast.posts))
    ]
    ref.first_item_of_hour = list(fast.posts._step_start)
    for a in ref.accounts:
        a.seen_upto = int(fast.seen_upto[a.index])
    ref.steps = fast.steps
    return ref


def test_home_feed_candidates_are_identical_for_a_given_state():
    """No randomness: with a budget above any candidate count both engines must list the
    same visible fresh items for every reader (followees' items since the last look, reply
    visibility, own retweets excluded, one item per content)."""
    from sim.feed import home_feed

    fast = sim.PartyModel("default", seed=4, **SMALL).run(30)
    fast.steps += 1  # the next hour, as read_phase would see it
    ref = copy_state(fast)
    lo = ref.first_item_since(ref.hour - ref.p["feed_window_steps"] + 1)
    ref.window = {}
    for it in ref.items[lo:]:
        ref.window.setdefault(it.author, []).append(it)
    readers = np.arange(fast.n)
    big = np.full(fast.n, 10**6)
    reader, post, _ = home_feed(fast, readers, big)
    fast_pairs = set(zip(reader.tolist(), post.tolist(), strict=True))
    ref_pairs = {(a.index, it.index) for a in ref.accounts for it in ref.home_feed(a, 10**6)}
    assert len(fast_pairs) > 100
    assert fast_pairs == ref_pairs


def test_follow_back_decisions_and_trust_agree_for_a_given_state():
    from sim.reactions import trust
    from sim.ties import follow_back_decisions

    fast = sim.PartyModel("default", seed=6, **SMALL).run(30)
    ref = copy_state(fast)
    for a in ref.accounts:  # profiles as they are now in the fast engine
        a.promo_share = float(fast.promo_share[a.index])
        a.automated_share = float(fast.automated_share[a.index])
        a.has_posted = bool(fast.has_posted[a.index])
    rng = np.random.default_rng(0)
    u, v = rng.integers(0, fast.n, 400), rng.integers(0, fast.n, 400)
    back, _ = follow_back_decisions(fast, u, v)
    assert back.tolist() == [
        ref.accounts[e].follows_back(ref.accounts[f])
        for f, e in zip(u.tolist(), v.tolist(), strict=True)
    ]
    t = trust(fast, u, v)
    assert np.allclose(
        t,
        [
            ref.accounts[r].trust(ref.accounts[a])
            for r, a in zip(u.tolist(), v.tolist(), strict=True)
        ],
    )
