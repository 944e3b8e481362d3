"""Directional claims of the brief, over several seeds, with a stated tolerance.

Each claim compares two strategies inside the same runs (common random numbers: both groups
share every seed). The rule used throughout: over the seeds (5, or 10 for outcomes driven by
a few large retweet cascades, like impressions), the mean of the paired differences must
exceed the one-sided 95% Student t quantile times its standard error (2.13 with 5 seeds, 1.83
with 10), so a claim passes only when the effect is clearly larger than the seed-to-seed
noise, and fails when it flips or vanishes.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from scipy import stats

import sim
from sim.analysis import metrics
from sim.analysis.check import claim_scenario

SEEDS = (1, 2, 3, 4, 5)
MORE_SEEDS = tuple(range(1, 11))  # for heavy-tailed outcomes

pytestmark = pytest.mark.slow


@cache
def run(scenario: str, seed: int) -> dict:
    return metrics.summary(sim.PartyModel(scenario, seed=seed).run())


def per_seed(scenario: str, strategy: str, outcome, seeds=SEEDS) -> np.ndarray:
    rows = [run(scenario, s)["strategies"][strategy] for s in seeds]
    return np.array([outcome(row) for row in rows], dtype=float)


def net(row):
    return row["net_followers_mean"]


def assert_clearly_greater(a: np.ndarray, b: np.ndarray) -> None:
    diff = a - b
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    t_crit = stats.t.ppf(0.95, len(diff) - 1)  # 2.13 for 5 seeds
    assert diff.mean() > t_crit * se and diff.mean() > 0, (
        f"mean difference {diff.mean():.3f} is not > {t_crit:.2f} x SE {se:.3f}; per seed {diff}"
    )


def test_conversing_beats_broadcasting_at_the_default_party():
    assert_clearly_greater(
        per_seed("default", "conversationalist", net), per_seed("default", "broadcaster", net)
    )
    # and in the end state, not only in the change
    assert_clearly_greater(
        per_seed("default", "conversationalist", lambda r: r["followers_mean"]),
        per_seed("default", "broadcaster", lambda r: r["followers_mean"]),
    )


def test_over_posters_lose_more_followers_per_follower_than_conversationalists():
    def unfollows_per_follower(row):
        return row["unfollows_received"] / (row["accounts"] * max(row["followers_start_mean"], 1))

    over = per_seed("default", "over_poster", unfollows_per_follower)
    conv = per_seed("default", "conversationalist", unfollows_per_follower)
    assert_clearly_greater(over, conv)
    # by a wide margin: pooled over the seeds more than 3 times (5 times per seed before
    # everyday unfollows and pruning readers, which now also cost conversationalists some)
    assert over.sum() > 3 * conv.sum(), (over, conv)


def test_a_curator_out_gains_a_broadcaster_where_the_audience_wants_information():
    assert_clearly_greater(
        per_seed("niche_newspaper", "curator", net), per_seed("niche_newspaper", "broadcaster", net)
    )


def test_the_curators_success_depends_on_the_audience():
    assert_clearly_greater(
        per_seed("niche_newspaper", "curator", net), per_seed("chatty_audience", "curator", net)
    )


def test_a_broadcaster_wins_where_the_audience_wants_its_content():
    hunters = per_seed("bargain_hunters", "broadcaster", net)
    assert (hunters > 0).all(), f"broadcasters should gain followers here: {hunters}"
    assert_clearly_greater(hunters, per_seed("default", "broadcaster", net))


def test_blasting_gets_you_blocked():
    def blocks(row):
        return row["blocks_received"] / row["accounts"]

    assert_clearly_greater(
        per_seed("blasting", "blaster", blocks), per_seed("blasting", "broadcaster", blocks)
    )


def test_posting_rate_peaks_inside_the_range_and_flooding_loses():
    """Net followers peak at a moderate rate (means over 10 seeds of the claims suite's finer
    sweep, 0.05 to 4 posts an hour) and the peak clearly beats flooding (4 an hour). The
    coarser scenario's 1 vs 4 an hour (claim 5) and 1 vs 0.05 (claim 5b) are recorded "not
    shown" since Realism IV: right sign, intervals touching zero (docs/CALIBRATION.md)."""
    rates = ["rate_0_05", "rate_0_15", "rate_0_3", "rate_0_6", "rate_1", "rate_1_5",
             "rate_2_5", "rate_4"]  # fmt: skip
    sweep = claim_scenario("posting_rate_sweep")
    means = {r: per_seed(sweep, r, net, MORE_SEEDS) for r in rates}
    best = max(rates, key=lambda r: means[r].mean())
    assert best not in (rates[0], rates[-1]), {r: m.mean() for r, m in means.items()}
    assert_clearly_greater(means[best], means[rates[-1]])


def test_hashtag_rooms_expose_you_beyond_your_followers():
    def impressions(row):
        return row["impressions"] / row["accounts"]

    assert_clearly_greater(
        per_seed("hashtag_rooms", "tagger", impressions, MORE_SEEDS),
        per_seed("hashtag_rooms", "untagged", impressions, MORE_SEEDS),
    )
    # net followers of two groups of 20 over 10 seeds: since pruning is concentrated on a few
    # readers (Realism IV) a group's net change hangs on whom those few follow, and 5 seeds
    # (0.61, t = 2.07 against 2.13) are too few; over 10 seeds 0.93, t = 3.7
    assert_clearly_greater(
        per_seed("hashtag_rooms", "tagger", net, MORE_SEEDS),
        per_seed("hashtag_rooms", "untagged", net, MORE_SEEDS),
    )


def test_questions_draw_replies():
    def replies(row):
        return row["replies_received"] / row["accounts"]

    assert_clearly_greater(
        per_seed("questions", "asker", replies), per_seed("questions", "teller", replies)
    )


@cache
def outcomes(scenario: str, seed: int) -> dict:
    from sim.analysis.claims import strategy_outcomes

    return strategy_outcomes(sim.PartyModel(scenario, seed=seed).run())


def test_screeners_do_not_follow_back_sales_only_accounts():
    """Follow-backs themselves: the share of each account's own follows that are returned."""

    def followed_back(strategy):
        return np.array([outcomes("screening", s)[strategy]["followed_back_share"] for s in SEEDS])

    conv, sales = followed_back("conversationalist"), followed_back("broadcaster")
    assert_clearly_greater(conv, sales)
    assert sales.mean() < 0.5 * conv.mean(), (sales, conv)


def test_run_claims_on_any_subset_of_claims():
    """A subset without the thanks scenario's own claims still gets every figure."""
    from sim.analysis import claims as claims_module

    subset = [c for c in claims_module.CLAIMS if "retweets_and_thanks" not in (c.a[0], c.b[0])]
    result = claims_module.run_claims(reps=1, steps=6, claims=subset[:1])
    assert len(result["comparisons"]) == 1 and set(result["thanks"]) == {
        "already_following",
        "then_followed",
    }
