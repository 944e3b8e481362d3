"""The town square (issue 28): the scenario at 10,000 accounts, its facts' metrics on hand-made
inputs, the tail fit on synthetic power laws, and (slow) its facts measured on a short run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.analysis import check, tails
from sim.analysis import town_square as ts
from sim.config.scenarios import load
from sim.engine.posts import RETWEET

SMALL = 10_000  # the size tests use (docs: large runs belong in benchmarks)


# ---------------------------------------------------------------------- the scenario
def test_the_town_square_resizes_in_its_shares_from_10000_to_2000000():
    full = load("town_square")
    assert full.n_accounts == 100_000
    shares = {g.name: g.count / full.n_accounts for g in full.groups}
    for n in (SMALL, 12_345, 1_000_000, 2_000_000):
        sc = ts.resize("town_square", n)
        assert sc.n_accounts == n
        for g in sc.groups:
            assert g.count >= 1 and abs(g.count / n - shares[g.name]) < 1e-3, (n, g.name)
    assert {g.name: g.count for g in ts.resize("town_square", SMALL).groups} == {
        "reader": 8808,
        "poster": 975,
        "popular": 13,
        "spam": 82,
        "bot": 82,
        "conversationalist": 10,
        "broadcaster": 10,
        "over_poster": 10,
        "curator": 10,
    }  # fmt: skip  (the --set lines at the end of scenarios/town_square.toml)


def test_a_small_town_square_keeps_every_group_and_a_too_small_one_is_refused():
    """Resized below 10,000, every group still has an account (the popular ones too: they
    are the sign-up list, so losing them refused the scenario with a wrong reason), and
    fewer accounts than groups is refused with the minimum."""
    from sim.config.errors import ScenarioError

    for n in (9, 10, 100, 500, 1_000):
        sc = ts.resize("town_square", n)
        counts = {g.name: g.count for g in sc.groups}
        assert sc.n_accounts == n and min(counts.values()) == 1 and counts["popular"] >= 1, n
    with pytest.raises(ScenarioError, match=r"--accounts 8: town_square has 9 groups .* 9 acc"):
        ts.resize("town_square", 8)


def test_the_town_square_builds_at_10000_accounts():
    from sim.engine.model import PartyModel

    model = PartyModel(ts.resize("town_square", SMALL), seed=1)
    assert model.n == SMALL
    followers = model.follows.in_degree
    # the generative process's tail: a few accounts start with far more followers than most
    assert followers.max() > 20 * np.median(followers[model.present])
    popular = model.group_id == model.group_names.index("popular")
    assert model.follows.out_degree[popular].mean() < 15  # they follow few
    # rule leaving: about 60% of the readers and posters left before the week, after
    # following 20 of the popular accounts (the suggested list), and nobody follows them
    signed = np.isin(model.group_id, [model.group_names.index(g) for g in ("reader", "poster")])
    gone = model.quits & (model.join_hour == 0)
    assert 0.55 < gone[signed].sum() / (signed & (model.join_hour == 0)).sum() < 0.65
    assert not gone[~signed].any() and not model.present[gone].any()
    assert (model.follows.out_degree[gone] == popular.sum()).all()  # 13 < 20: all of them
    assert followers[gone].sum() == 0
    # popular accounts, spam and bots never appear as readers who rarely post
    reader = model.strategy_names.index("reader")
    assert model.acct["posts_per_hour"][model.strategy_id == reader].max() < 0.01


def test_the_check_selects_a_population_by_the_scenario_name():
    assert check.population_of("default") == "default"
    assert check.population_of("billboard_vs_party") == "default"
    assert check.population_of("town_square") == "town_square"
    assert check.population_of(ts.resize("town_square", SMALL)) == "town_square"
    assert check.facts_of("default") is check.FACTS
    names = [f.name for f in check.facts_of("town_square")]
    assert names[0] == "ts_mutual_pairs" and len(names) == len(set(names)) == 10
    assert not set(names) & {f.name for f in check.FACTS}
    with pytest.raises(ValueError, match="known populations: default, town_square"):
        check.facts_of("nowhere")
    for fact in check.facts_of("town_square"):  # every band inside what its measure can take
        low, high = fact.value_range
        assert low <= fact.low and (fact.high <= high or fact.high == check.INF), fact.name
        assert fact.source and not fact.long_run and not fact.scenario


# ---------------------------------------------------------------------- metrics, by hand
def test_retweet_new_recipients_count_who_the_authors_followers_did_not_cover():
    # 0 is the author, followed by 1 and 2; 1 retweets, and 1 is followed by 2, 3 and 4;
    # 4 retweets too, followed by 0 (the author) and 5. New: 3, 4 (follows 1), 5 -> 3
    src = [1, 2, 2, 3, 4, 0, 5]
    dst = [0, 0, 1, 1, 1, 4, 4]
    r = ts.retweet_new_recipients(src, dst, 6, orig=[10, 10], retweeter=[1, 4],
                                  orig_author=[0, 0])  # fmt: skip
    assert r["orig"].tolist() == [10] and r["author"].tolist() == [0]
    assert r["new"].tolist() == [3]
    # author 0 has 2 followers, at most the median: reach 3 / 2; above the median: no value
    followers = np.array([2, 5, 5, 5, 5, 5])
    assert ts.retweet_reach(src, dst, 6, followers, [10, 10], [1, 4], [0, 0]) == 1.5
    followers = np.array([9, 1, 1, 1, 1, 1])
    assert np.isnan(ts.retweet_reach(src, dst, 6, followers, [10, 10], [1, 4], [0, 0]))
    # the median over the active accounts only: account 0 alone (9 followers) gives 9
    active = np.array([True, False, False, False, False, False])
    assert ts.retweet_reach(src, dst, 6, followers, [10, 10], [1, 4], [0, 0], active) == 3 / 9
    empty = ts.retweet_new_recipients(src, dst, 6, [], [], [])
    assert len(empty["new"]) == 0


def test_silent_accounts_items_share_and_spearman():
    assert ts.share_never_posted([0, 0, 3], 5) == pytest.approx(3 / 5)
    active = np.array([True, True, False, True, False])  # of the active ones: 1 of 3
    assert ts.share_never_posted([0, 0, 3], 5, active) == pytest.approx(1 / 3)
    # ten accounts, one made 9 of 18 items: the top 10% make half
    author = [0] * 9 + list(range(1, 10))
    assert ts.top_items_share(author, 10, 0.10) == pytest.approx(0.5)
    # over the active ones only (20 accounts, 10 of them gone and silent): the same top 10%
    active = np.r_[np.ones(10, bool), np.zeros(10, bool)]
    assert ts.top_items_share(author, 20, 0.10, active) == pytest.approx(0.5)
    assert ts.top_items_share(author, 20, 0.10) < 0.6  # all 20: the top 2 make 10 of 18
    assert ts.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert ts.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert np.isnan(ts.spearman([1, 1, 1], [1, 2, 3]))


def test_ccdf_and_decades_on_a_hand_made_sample():
    x, p = tails.ccdf([0, 1, 1, 2, 10])  # zeros leave: 1, 1, 2, 10
    assert x.tolist() == [1, 2, 10] and p.tolist() == [1.0, 0.5, 0.25]
    assert tails.decades([0, 1, 10, 1000]) == pytest.approx(3.0)


@pytest.mark.parametrize("alpha", [2.276, 2.8])
def test_the_tail_fit_recovers_a_synthetic_power_laws_exponent(alpha):
    sample = tails.discrete_power_law_sample(alpha, 5, 20_000, np.random.default_rng(28))
    fit = tails.fit_tail(sample, compare=False)
    assert abs(fit["alpha"] - alpha) < max(4 * fit["sigma"], 0.05), fit
    given = tails.fit_tail(sample, xmin=5, compare=False)
    assert given["xmin"] == 5 and given["n_tail"] == len(sample)
    assert abs(given["alpha"] - alpha) < 0.05


def test_the_tail_fit_prefers_a_lognormal_for_a_lognormal_sample():
    sample = np.round(np.random.default_rng(5).lognormal(3.0, 0.5, 20_000))
    fit = tails.fit_tail(sample)
    assert fit["R_lognormal"] < 0  # the power law loses to the lognormal
    assert np.isnan(tails.fit_tail([1, 2, 3])["alpha"])  # too few values: no fit


# ---------------------------------------------------------------------- the check
def test_partysim_check_town_square_reports_its_population(capsys):
    from sim.cli import main as cli

    status = cli.main(["check", "town_square", "--accounts", str(SMALL), "--steps", "3",
                       "--reps", "2", "--json"])  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    assert status == 0 and payload["population"] == "town_square"
    assert payload["accounts"] == SMALL and payload["scenario"] == "town_square"
    assert [f["fact"] for f in payload["facts"]] == [f.name for f in ts.town_square_facts()]
    assert all(f["hours"] == 3 and len(f["values"]) == 2 for f in payload["facts"])
    assert len(payload["details"]["tail_alpha"]) == 2
    assert cli.main(["check", "town_square", "--accounts", "1"]) == 2
    assert cli.main(["check", "default", "--population", "nowhere"]) == 2


@pytest.mark.slow
def test_the_town_squares_facts_are_measured_on_a_day_at_10000_accounts():
    """Every fact finite on a 24-hour run of 10,000 accounts (3 s). The values (seed 28) are
    recorded here, not asserted against the bands, which are for 100,000 accounts and the
    week the sources describe: mutual pairs 0.201, not followed back 0.002, tail exponent
    2.63 over 2.2 decades, mean/median 1.72, top-1% share 0.193, popularity vs influence
    0.236, retweet reach 1.37, never posted 0.824 (a day), top 10%'s items 0.95."""
    from sim.engine.model import PartyModel

    model = PartyModel(ts.resize("town_square", SMALL), seed=28).run(24)
    measured = ts.measure_town_square(model)
    for fact in ts.town_square_facts():
        value = measured[fact.name]
        low, high = fact.value_range
        assert np.isfinite(value) and low <= value <= high, fact.name
    # what holds even in a day: Kwak's low reciprocity, a tail over more than a decade and a
    # half, most accounts silent, retweets of small accounts reaching beyond their followers
    assert 0.1 < measured["ts_mutual_pairs"] < 0.3
    assert measured["ts_tail_decades"] > 1.5 and 2.0 < measured["ts_tail_exponent"] < 2.8
    assert measured["ts_never_posted"] > 0.6
    assert measured["ts_retweet_reach"] >= 1.0
    rt = model.posts["form"] == RETWEET
    assert rt.sum() > 0
