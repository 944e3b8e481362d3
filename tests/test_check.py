"""The reality check: metric functions on hand-made graphs and cascades (known answers),
facts' pass/warn, and the `partysim check` command's output and exit codes."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from sim.analysis import check, facts, stats
from sim.cli import main as cli
from sim.engine.posts import INFO, MENTION, ORIGINAL, REPLY, RETWEET, SOCIAL, THANKS
from sim.engine.reasons import BLOCK, FOLLOW, UNFOLLOW


@pytest.fixture
def partysim(monkeypatch, capsys):
    """Run `partysim ARGS` in-process with this module's commands; (status, out, err)."""

    def run(*args: str):
        status = cli.main(list(args))
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def test_reciprocity_on_hand_made_graphs():
    # 0<->1 mutual, 0->2 one way: 2 of 3 edges reciprocated
    assert check.reciprocity_of_edges([0, 1, 0], [1, 0, 2]) == pytest.approx(2 / 3)
    assert check.reciprocity_of_edges([0, 1], [1, 2]) == 0.0
    assert check.reciprocity_of_edges([], []) == 0.0
    # duplicates and self-loops do not count
    assert check.reciprocity_of_edges([0, 0, 1, 2], [1, 1, 0, 2]) == 1.0
    # one mutual pair among two connected pairs: 1/2 of pairs, 2/3 of edges (Kwak vs networkx)
    assert check.mutual_pair_share([0, 1, 0], [1, 0, 2]) == pytest.approx(0.5)


def test_reciprocity_matches_networkx_on_a_random_graph():
    g = nx.gnp_random_graph(60, 0.08, seed=3, directed=True)
    src, dst = np.array(g.edges()).T
    assert check.reciprocity_of_edges(src, dst) == pytest.approx(nx.reciprocity(g))


def test_tail_ratios_on_known_values():
    assert check.tail_ratios([1, 2, 2, 3, 12]) == (2.0, 6.0)
    assert check.tail_ratios([0, 0, 0, 4]) == (1.0, 4.0)  # median < 1 counts as 1
    assert check.tail_ratios([]) == (0.0, 0.0)


def test_cascade_stats_on_known_cascades():
    four = stats.cascade_stats([0, 0, 1, 5])
    assert four["share_zero_retweets"] == 0.5 and four["share_one_retweet"] == 0.25
    assert four["max_size"] == 5 and four["max_over_mean"] == pytest.approx(5 / 1.5)
    assert stats.cascade_stats([0, 0])["max_over_mean"] == 0.0
    assert stats.cascade_stats([])["originals"] == 0


def test_the_run_summary_and_the_check_share_one_cascade_rule():
    from sim.analysis import metrics
    from sim.engine.model import PartyModel

    model = PartyModel("default", seed=3).run(24)
    posts = model.posts
    full = stats.cascade_stats(posts["retweets"][posts["form"] == ORIGINAL])
    summary = metrics.cascades(model)
    assert summary == {k: full[k] for k in summary}
    assert check.measure_run(model)["never_retweeted"] == full["share_zero_retweets"]


def test_info_share_by_author_counts_original_posts_only():
    author = np.array([0, 0, 0, 1, 1])
    kind = np.array([INFO, SOCIAL, INFO, INFO, INFO])
    form = np.array([ORIGINAL, ORIGINAL, RETWEET, ORIGINAL, ORIGINAL])
    share = check.info_share_by_author(author, kind, form, 3)
    assert share[:2].tolist() == [0.5, 1.0] and np.isnan(share[2])


def test_top_share_and_not_followed_back_on_hand_made_graphs():
    assert facts.top_share([10, 0, 0, 0, 0, 0, 0, 0, 0, 10], 0.1) == 0.5
    assert facts.top_share([0, 0]) == 0.0
    # 0<->1 mutual; 2->0 and 3->1 one way: accounts 2 and 3 are followed back by nobody
    assert facts.not_followed_back_share([0, 1, 2, 3], [1, 0, 0, 1]) == 0.5
    assert np.isnan(facts.not_followed_back_share([], []))


def test_start_edges_rebuilt_from_the_end_state_and_the_log():
    # at the start: 0->1, 1->0, 2->0. During the run: 2 unfollows 0; 3 follows 0;
    # 0 unfollows 1 and follows 1 again.
    event = [UNFOLLOW, FOLLOW, UNFOLLOW, FOLLOW]
    actor, target = [2, 3, 0, 0], [0, 0, 1, 1]
    src, dst = facts.start_edges([0, 1, 3], [1, 0, 0], event, actor, target, 4)
    assert sorted(zip(src.tolist(), dst.tolist(), strict=True)) == [(0, 1), (1, 0), (2, 0)]


def test_break_hours_and_mutual_ties_on_a_hand_made_log():
    src, dst = np.array([0, 1, 2]), np.array([1, 0, 0])
    hours = facts.break_hours(src, dst, [UNFOLLOW, FOLLOW, UNFOLLOW], [2, 2, 2], [0, 0, 0],
                              [5, 6, 9], 3)  # fmt: skip
    assert hours.tolist() == [np.inf, np.inf, 5.0]  # the first unfollow counts
    assert facts.is_mutual(src, dst).tolist() == [True, True, False]
    one_way, mutual = facts.broken_share_by(facts.is_mutual(src, dst), np.isfinite(hours))
    assert (one_way, mutual) == (1.0, 0.0)


def test_acknowledgement_counts_only_before_the_break():
    # ties 0->1 (broken at hour 5) and 2->1 (lasted); followee 1 replied to 0 at hour 7
    # (after the break: no protection) and thanked 2 at hour 3; a post by 1 to nobody
    src, dst, until = np.array([0, 2]), np.array([1, 1]), np.array([5.0, np.inf])
    author, target = [1, 1, 1], [0, 2, -1]
    form, step = [REPLY, THANKS, ORIGINAL], [7, 3, 1]
    ack = facts.acknowledged_before(src, dst, until, author, target, form, step, 3)
    assert ack.tolist() == [False, True]
    assert facts.first_ack_hours(src, dst, author, target, form, step, 3).tolist() == [7, 3]
    # a mention or retweet by the follower (not the followee) is not an acknowledgement
    ack = facts.acknowledged_before(src, dst, until, [0, 2], [1, 1], [MENTION, RETWEET],
                                    [0, 0], 3)  # fmt: skip
    assert ack.tolist() == [False, False]


def test_break_rates_count_time_before_and_after_acknowledgement():
    # 10-hour run (10/24 of a day per tie). Tie 0: acknowledged at hour 4, lasts;
    # tie 1: never acknowledged, broken at hour 6; tie 2: acknowledged at 2, broken at 8;
    # tie 3: acknowledged at 9, after it broke at 5 (counts as unacknowledged).
    ack = np.array([4, np.inf, 2, 9])
    until = np.array([np.inf, 6, 8, 5])
    before, after = facts.break_rates_by_acknowledgement(ack, until, 10)
    # before: 4 + 6 + 2 + 5 = 17 tie-hours, 2 breaks; after: 6 + 0 + 6 + 0 = 12, 1 break
    assert before == pytest.approx(2 / (17 / 24)) and after == pytest.approx(1 / (12 / 24))
    # a tie acknowledged late and never broken adds exposure, not protection by itself
    b2, a2 = facts.break_rates_by_acknowledgement(np.r_[ack, 9], np.r_[until, np.inf], 10)
    assert b2 < before and a2 < after
    assert np.isnan(facts.break_rates_by_acknowledgement([np.inf], [np.inf], 10)[1])


def test_unfollow_prevalence_counts_ordinary_accounts_only():
    ordinary = np.array([True, True, True, False])
    # 0 unfollows 3 and blocks 1 (a block is not an unfollow); 3 unfollows 2
    did, lost = facts.unfollow_prevalence([UNFOLLOW, BLOCK, UNFOLLOW], [0, 0, 3], [3, 1, 2],
                                          ordinary)  # fmt: skip
    assert did == pytest.approx(1 / 3) and lost == pytest.approx(1 / 3)
    assert np.isnan(facts.unfollow_prevalence([], [], [], [False])[0])


def test_night_trough_on_a_hand_made_day():
    # two days: 4 items an hour from 08:00 to 20:00, 1 an hour at night
    steps = [
        h + 24 * d for d in range(2) for h in range(24) for _ in range(4 if 8 <= h < 20 else 1)
    ]
    assert facts.night_trough(steps, 48) == 0.25
    assert facts.night_trough([h for h in range(48) if 8 <= h % 24 < 20], 48) == 0.0
    assert facts.night_trough(list(range(24)), 24) == 1.0
    # hours of day the run never reached do not count as silent
    assert facts.night_trough([0, 1, 2], 3) == 1.0


def test_burstiness_known_values():
    assert facts.burstiness([0, 2, 4, 6, 8]) == -1.0  # periodic
    gaps = np.random.default_rng(1).exponential(1.0, 20_000)
    assert abs(facts.burstiness(np.cumsum(gaps))) < 0.02  # Poisson
    bursty = np.cumsum([1, 1, 1, 1, 100, 1, 1, 1, 1, 100])
    # gaps 1,1,1,100,1,1,1,1,100: mu = 23, sigma = sqrt(1694)
    assert facts.burstiness(bursty) == pytest.approx((1694**0.5 - 23) / (1694**0.5 + 23))
    assert np.isnan(facts.burstiness([3, 5]))
    # per account: 0 periodic, 1 bursty, 2 too few items
    author = [0] * 10 + [1] * 10 + [2] * 3
    step = list(range(0, 20, 2)) + bursty.tolist() + [1, 2, 3]
    b = facts.median_burstiness(author, step, min_items=10)
    assert b == pytest.approx((-1.0 + facts.burstiness(bursty)) / 2)


def test_the_crowd_facts_are_measured_on_a_short_run():
    from sim.engine.model import PartyModel

    measured = check.measure_run(PartyModel("default", seed=2).run(30))
    for fact in check.CROWD_FACTS:
        assert fact.name in measured
    assert 0 <= measured["unfollowed_someone"] <= 1 and 0 <= measured["night_trough"] <= 1


def test_long_run_facts_are_measured_over_their_own_hours():
    subset = [f for f in check.FACTS if f.name in ("reciprocity", "unfollowed_someone")]
    results = check.run_check(reps=2, steps=5, long_steps=9, facts=subset)
    assert [r["hours"] for r in results] == [5, 9]
    assert [r["window"] for r in results] == [
        "5 h, not the scenario's run (168 h)",
        "9 h, not the source's 51 days (1224 h)",
    ]
    # issue 31: a shorter scenario window leaves the tie facts their source's 51 days
    results = check.run_check(reps=2, steps=5, facts=subset)
    assert [r["hours"] for r in results] == [5, 51 * 24] and check.LONG_RUN_HOURS == 51 * 24
    assert results[1]["window"] == "1224 h, the source's 51 days"


def test_each_fact_declares_the_range_its_measure_can_take():
    for fact in check.FACTS:
        low, high = fact.value_range
        assert low <= fact.low and (fact.high <= high or fact.high == check.INF), fact.name
    shares = [f for f in check.FACTS if f.measure.startswith("share of") and " - " not in f.measure]
    assert len(shares) >= 7 and all(f.value_range == check.SHARE for f in shares)


def test_intervals_stay_within_the_range_of_the_quantity():
    """Issue 31: 3 replications of a skewed ratio gave "650 [-501, 1.8e+03]"."""
    mean, low, high = stats.interval([120.0, 230.0, 1600.0], bounds=(0.0, check.INF))
    assert low == 0.0 and mean == pytest.approx(650) and high > mean
    assert stats.interval([0.0, 0.1, 0.0], bounds=(0.0, 1.0))[1] == 0.0
    assert stats.interval([0.9, 1.0, 1.0], bounds=(0.0, 1.0))[2] == 1.0
    # inside its range a t-interval is left as it is
    assert stats.interval([1.0, 2.0, 3.0], bounds=(-10.0, 10.0)) == stats.interval([1.0, 2.0, 3.0])
    fact = check.Fact("x", "share", 0.02, 0.08, "a source", value_range=check.SHARE)
    few = fact.judge([0.0, 0.05, 0.1])
    assert few["interval95"][0] == 0.0 and few["few_reps"]
    assert not fact.judge([0.04, 0.05, 0.06, 0.05, 0.05])["few_reps"]
    text = check.format_check([{**few, "hours": 5, "window": "5 h"}], "party", 3)
    assert "0.05 [0, 0.174]*" in text and "fewer than 5 replications" in text
    assert "WARN: the mean" in text and "cut at the range" in text


def test_interval_is_a_t_interval():
    mean, low, high = check.interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and low == pytest.approx(2 - 4.303 / np.sqrt(3), rel=1e-3)
    assert high == pytest.approx(4 - low)
    assert check.interval([5.0, 5.0]) == (5.0, 5.0, 5.0)


def test_replication_seeds_are_reproducible_and_distinct():
    seeds = check.replication_seeds(7, 5)
    assert seeds == check.replication_seeds(7, 5) and len(set(seeds)) == 5
    assert all(0 <= s < 2**63 for s in seeds)


def test_check_claims_and_sweep_use_the_same_replication_seeds(monkeypatch):
    """One seed rule: the same root seed gives the same replications everywhere."""
    from sim.analysis import claims_suite
    from sim.sweeps.design import SweepSpec

    expected = stats.replication_seeds(2026, 4)
    assert check.replication_seeds(2026, 4) == expected
    assert claims_suite.replication_seeds(2026, 4) == expected
    spec = SweepSpec.__new__(SweepSpec)
    object.__setattr__(spec, "root_seed", 2026)
    object.__setattr__(spec, "reps", 4)
    assert spec.seeds() == expected
    # and the runners really use it: record the seeds check and claims build models with
    seen = []

    class Stop(Exception):
        pass

    class Recorder:
        def __init__(self, spec, seed):
            seen.append(seed)

        def run(self, steps=None):
            raise Stop

    import sim.engine.model

    monkeypatch.setattr(sim.engine.model, "PartyModel", Recorder)
    for runner in (
        lambda: check.run_check(reps=4, root_seed=2026),
        lambda: claims_suite.run_claims(reps=4, root_seed=2026),
    ):
        seen.clear()
        with pytest.raises(Stop):
            runner()
        assert seen == expected[:1]


def test_facts_pass_inside_their_band_and_warn_outside():
    level = check.Fact("x", "share", 0.3, 0.6, "a source")
    assert level.judge([0.4, 0.5])["status"] == "pass"
    assert level.judge([0.7, 0.8])["status"] == "warn"
    comparison = check.Fact("y", "gap", 0.0, check.INF, "a source", directional=True)
    assert comparison.judge([1.0, 1.2, 0.9])["status"] == "pass"
    assert comparison.judge([3.0, -2.0, 0.5])["status"] == "warn"  # mean > 0, interval not


def test_every_fact_is_measured_on_a_short_run():
    from sim.engine.model import PartyModel

    model = PartyModel("default", seed=1).run(24)
    measured = check.measure_run(model)
    # the weekend's delay needs a whole local weekend day: a day from Monday has none; the
    # cascades' virality needs a cascade of 10+ retweets (a day may have none)
    needs = {"weekend_delay", "cascade_virality"}
    level_facts = [f.name for f in check.FACTS if not f.compares[0] and f.name not in needs]
    assert all(np.isfinite(measured[name]) for name in level_facts)
    assert np.isnan(measured["weekend_delay"])
    ten = (model.posts["retweets"][model.posts["form"] == ORIGINAL] >= 10).any()
    assert np.isfinite(measured["cascade_virality"]) == ten
    assert np.isnan(measured["engaging_beats_broadcasting"])  # not in the default party


def test_check_prints_every_fact_with_band_interval_window_and_source(partysim):
    status, out, _ = partysim("check", "--reps", "2", "--steps", "24", "--tie-hours", "48")
    assert status == 0
    for fact in check.FACTS:
        assert fact.name in out and fact.source.split(",")[0] in out
    assert "[" in out and ("PASS" in out or "WARN" in out)
    assert "24 h, not the scenario's run (168 h)" in out and "48 h, not the source's" in out
    assert "WARN: the mean (or a comparison's interval) is outside the band" in out


def test_check_json_is_one_object_with_intervals_in_range(partysim):
    status, out, _ = partysim("check", "--reps", "2", "--steps", "24", "--tie-hours", "24",
                              "--json")  # fmt: skip
    facts = json.loads(out)["facts"]
    assert status == 0 and [f["fact"] for f in facts] == [f.name for f in check.FACTS]
    assert all(len(f["values"]) == 2 and f["status"] in ("pass", "warn") for f in facts)
    for f in facts:  # 2 replications: wide t-intervals, cut at each measure's range
        assert f["few_reps"] and f["hours"] == 24
        if f["fact"] == "weekend_delay":  # 24 hours from a Monday hold no weekend day
            assert f["status"] == "warn" and (f["mean"] is None or np.isnan(f["mean"]))
            continue
        if f["mean"] is None or not np.isfinite(f["mean"]):  # e.g. no cascade of 10+ in a day
            assert f["fact"] == "cascade_virality" and f["status"] == "warn"
            continue
        low, high = f["range"]
        assert low <= f["interval95"][0] <= f["mean"] <= f["interval95"][1] <= high, f["fact"]


# The party's facts and JSON, pinned (issue 28: a second population must leave them alone)
DEFAULT_FACTS = [
    "reciprocity", "followers_mean_median", "followers_max_median", "never_retweeted",
    "largest_cascade", "engaging_beats_broadcasting", "informers_beat_meformers",
    "unfollowed_someone", "lost_a_follower", "one_way_minus_mutual_broken",
    "unacknowledged_minus_acknowledged_rate", "not_followed_back", "followers_top1_share",
    "night_trough", "burstiness", "one_retweet", "link_retweet_ratio", "weekend_delay",
    "cascade_virality", "one_way_retweet_ratio", "attachment_exponent", "clustering_ratio",
]  # fmt: skip
FACT_KEYS = {"fact", "measure", "band", "mean", "interval95", "range", "few_reps", "status",
             "source", "scenario", "long_run", "values", "hours", "window"}  # fmt: skip


def test_check_default_keeps_its_facts_and_json_keys(partysim):
    """`partysim check default` is the party's check whatever other populations exist: the
    same facts in the same order, the same top-level and per-fact JSON keys."""
    assert [f.name for f in check.FACTS] == DEFAULT_FACTS
    assert check.population_of("default") == "default" and check.facts_of("default") is check.FACTS
    status, out, _ = partysim("check", "default", "--reps", "2", "--steps", "2",
                              "--tie-hours", "2", "--json")  # fmt: skip
    payload = json.loads(out)
    assert status == 0 and set(payload) == {"scenario", "reps", "root_seed", "facts"}
    assert [f["fact"] for f in payload["facts"]] == DEFAULT_FACTS
    assert all(set(f) == FACT_KEYS for f in payload["facts"])


def test_check_strict_exits_1_when_a_fact_warns(partysim):
    # 2 hours: too short for any comparison to be clear, so the directional facts warn
    status, out, _ = partysim("check", "--reps", "2", "--steps", "2", "--tie-hours", "2",
                              "--strict")  # fmt: skip
    assert status == 1 and "WARN" in out


def test_check_refuses_bad_input(partysim):
    status, _, err = partysim("check", "nowhere")
    assert status == 2 and "unknown scenario" in err
    status, _, err = partysim("check", "--reps", "1")
    assert status == 2 and "--reps" in err
    status, _, err = partysim("check", "--tie-hours", "0")
    assert status == 2 and "--tie-hours" in err


# Facts the default party does not reach yet, each with its reason in docs/CALIBRATION.md.
# Every other fact must pass.
KNOWN_WARNINGS: dict[str, str] = {
    "link_retweet_ratio": "a few large cascades decide the ratio in a week (0.91 at root seed "
    "2010, 0.81 at 7 since the stranger appeal cap trimmed the large ones; 1.17 and 1.14 "
    "before; Suh et al. about 1.6): docs/CALIBRATION.md, Links and the week, and The crowd's "
    "network",
    # the crowd's network (docs/CALIBRATION.md, "The crowd's network"): measured, the
    # mechanisms not yet in the model (tests/test_network_facts.py pins the figures)
    "one_way_retweet_ratio": "one-way followers pass on less than mutual ones (0.69)",
    "attachment_exponent": "popularity does not draw followers (-0.04)",
    "clustering_ratio": "ties cluster no more than their degrees make them (1.01)",
}


@pytest.mark.slow
def test_the_default_party_passes_the_reality_check():
    """Every fact at the CLI's default replications (10), strict for every fact but the known
    warnings; every fact is measured (finite), and the comparisons are on the right side."""
    results = {r["fact"]: r for r in check.run_check("default")}
    assert list(results) == [f.name for f in check.FACTS]
    failing = [name for name, r in results.items() if r["status"] != "pass"]
    assert [name for name in failing if name not in KNOWN_WARNINGS] == []
    assert all(np.isfinite(r["mean"]) for r in results.values())
    assert results["informers_beat_meformers"]["mean"] > 0
    assert results["burstiness"]["mean"] > 0.2  # bursty like people, not Poisson (0)


@pytest.mark.parametrize("path", sorted(check.CLAIM_SCENARIOS.glob("*.toml")), ids=str)
def test_claim_scenarios_load_and_run(path):
    from sim.engine.model import PartyModel

    model = PartyModel(str(path), seed=1).run(2)
    assert model.steps == 2 and model.n > 200
