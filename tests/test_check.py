"""The reality check: metric functions on hand-made graphs and cascades (known answers),
facts' pass/warn, and the `partysim check` command's output and exit codes."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from sim import check, cli
from sim.posts import INFO, ORIGINAL, RETWEET, SOCIAL


@pytest.fixture
def partysim(monkeypatch, capsys):
    """Run `partysim ARGS` in-process with this module's commands; (status, out, err)."""
    monkeypatch.setattr(cli, "OPTIONAL_COMMANDS", ("sim.sweep_cli", "sim.check_cli"))

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
    assert check.cascade_stats([0, 0, 0, 5]) == (0.75, 5, 4.0)
    assert check.cascade_stats([0, 0]) == (1.0, 0, 0.0)
    assert check.cascade_stats([]) == (0.0, 0, 0.0)


def test_info_share_by_author_counts_original_posts_only():
    author = np.array([0, 0, 0, 1, 1])
    kind = np.array([INFO, SOCIAL, INFO, INFO, INFO])
    form = np.array([ORIGINAL, ORIGINAL, RETWEET, ORIGINAL, ORIGINAL])
    share = check.info_share_by_author(author, kind, form, 3)
    assert share[:2].tolist() == [0.5, 1.0] and np.isnan(share[2])


def test_interval_is_a_t_interval():
    mean, low, high = check.interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and low == pytest.approx(2 - 4.303 / np.sqrt(3), rel=1e-3)
    assert high == pytest.approx(4 - low)
    assert check.interval([5.0, 5.0]) == (5.0, 5.0, 5.0)


def test_replication_seeds_are_reproducible_and_distinct():
    seeds = check.replication_seeds(7, 5)
    assert seeds == check.replication_seeds(7, 5) and len(set(seeds)) == 5


def test_facts_pass_inside_their_band_and_warn_outside():
    level = check.Fact("x", "share", 0.3, 0.6, "a source")
    assert level.judge([0.4, 0.5])["status"] == "pass"
    assert level.judge([0.7, 0.8])["status"] == "warn"
    comparison = check.Fact("y", "gap", 0.0, check.INF, "a source", directional=True)
    assert comparison.judge([1.0, 1.2, 0.9])["status"] == "pass"
    assert comparison.judge([3.0, -2.0, 0.5])["status"] == "warn"  # mean > 0, interval not


def test_every_fact_is_measured_on_a_short_run():
    from sim.model import PartyModel

    measured = check.measure_run(PartyModel("default", seed=1).run(24))
    level_facts = [f.name for f in check.FACTS if not f.compares[0]]
    assert all(np.isfinite(measured[name]) for name in level_facts)
    assert np.isnan(measured["engaging_beats_broadcasting"])  # not in the default party


def test_check_prints_every_fact_with_band_interval_and_source(partysim):
    status, out, _ = partysim("check", "--reps", "2", "--steps", "24")
    assert status == 0
    for fact in check.FACTS:
        assert fact.name in out and fact.source.split(",")[0] in out
    assert "[" in out and ("PASS" in out or "WARN" in out)


def test_check_json_is_one_object(partysim):
    status, out, _ = partysim("check", "--reps", "2", "--steps", "24", "--json")
    facts = json.loads(out)["facts"]
    assert status == 0 and [f["fact"] for f in facts] == [f.name for f in check.FACTS]
    assert all(len(f["values"]) == 2 and f["status"] in ("pass", "warn") for f in facts)


def test_check_strict_exits_1_when_a_fact_warns(partysim):
    # 2 hours: too short for any comparison to be clear, so the directional facts warn
    status, out, _ = partysim("check", "--reps", "2", "--steps", "2", "--strict")
    assert status == 1 and "WARN" in out


def test_check_refuses_bad_input(partysim):
    status, _, err = partysim("check", "nowhere")
    assert status == 2 and "unknown scenario" in err
    status, _, err = partysim("check", "--reps", "1")
    assert status == 2 and "--reps" in err


@pytest.mark.slow
def test_the_default_party_passes_the_reality_check():
    """Every fact, the two comparisons included, at the CLI's default replications (10)."""
    results = check.run_check("default")
    assert len(results) == len(check.FACTS)
    assert [r["fact"] for r in results if r["status"] != "pass"] == []


@pytest.mark.parametrize("path", sorted(check.CLAIM_SCENARIOS.glob("*.toml")), ids=str)
def test_claim_scenarios_load_and_run(path):
    from sim.model import PartyModel

    model = PartyModel(str(path), seed=1).run(2)
    assert model.steps == 2 and model.n > 200
