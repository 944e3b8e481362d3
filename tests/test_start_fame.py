"""Rule *start fame* (docs/MODEL.md section 5, item 4): accounts famous before the party hold
the largest attractiveness draws of the initial network, in both engines; the draws are
unchanged and nobody is famous by default."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.engine.network import with_fame
from sim.reference import ReferencePartyModel


@pytest.mark.parametrize("seed", range(5))
def test_the_famous_hold_the_largest_draws_and_the_draws_are_unchanged(seed):
    rng = np.random.default_rng(seed)
    attract = rng.pareto(1.3, 200) + 1.0
    famous = np.sort(rng.choice(200, size=7, replace=False))
    out = with_fame(attract, famous)
    assert np.array_equal(np.sort(out), np.sort(attract)), "the same draws"
    assert np.array_equal(np.sort(out[famous]), np.sort(attract)[-7:]), "the top 7 go to them"
    moved = np.flatnonzero(out != attract)
    assert set(moved) <= set(famous) | set(np.argsort(-attract)[:7]), "only swaps with the top"
    assert np.array_equal(with_fame(attract, np.array([], dtype=np.int64)), attract)
    top = np.argsort(-attract)[:3]
    assert np.array_equal(with_fame(attract, np.sort(top)), attract), "already on top: no swap"


FAMOUS = {"broadcaster.start_fame": "top"}  # the default party's 20 broadcasters


def start_followers(model, strategy: str) -> tuple[float, float]:
    followers = np.asarray(model.followers_at_start, dtype=float)
    mine = np.array([model.strategy_names[i] == strategy for i in model.strategy_id])
    return followers[mine].mean(), followers[~mine].mean()


def reference_start_followers(model, strategy: str) -> tuple[float, float]:
    followers = np.asarray(model.followers_at_start, dtype=float)
    mine = np.array([a.strategy == strategy for a in model.accounts])
    return followers[mine].mean(), followers[~mine].mean()


def test_famous_accounts_start_with_the_most_followers_in_both_engines():
    for seed in (1, 2):
        fast = sim.PartyModel("default", seed=seed, agents=False, **FAMOUS)
        famous, others = start_followers(fast, "broadcaster")
        plain = sim.PartyModel("default", seed=seed, agents=False)
        before, _ = start_followers(plain, "broadcaster")
        assert famous > 2 * others and famous > 1.5 * before, (famous, others, before)
        ref = ReferencePartyModel("default", seed=seed, **FAMOUS)
        r_famous, r_others = reference_start_followers(ref, "broadcaster")
        assert r_famous > 2 * r_others, (r_famous, r_others)


def test_nobody_is_famous_by_default():
    """The default party's start is the one before the rule (the golden values hold it too):
    no account is famous, and naming every account famous changes nobody's draw."""
    a = sim.PartyModel("default", seed=3, agents=False)
    b = sim.PartyModel("default", seed=3, agents=False, **{"*.start_fame": "top"})
    assert np.array_equal(a.follows.keys, b.follows.keys)
