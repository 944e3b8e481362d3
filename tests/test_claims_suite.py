"""The claims suite as docs/CLAIMS.md runs it: every claim of sim/analysis/claims.py with and
without its knock-out, 20 replications under each of the two root seeds (the declaration's
``REPS`` and ``ROOT_SEEDS``: the same replications as the report; about 3 minutes). Fails when
any claim's verdict over both root seeds or its computed label changes from the one recorded
in its declaration (``flipped``: "shown" becoming "not shown" or "fragile" counts), when the
posting-rate test fixed in advance changes its verdict, or when the report cannot be written."""

from __future__ import annotations

import json

import pytest

from sim.analysis import claims, claims_map, claims_report, claims_suite

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def suite():
    return claims_suite.run_suite(reps=claims.REPS, root_seeds=claims.ROOT_SEEDS)


@pytest.fixture(scope="module")
def posting_map():
    return claims_map.run_map(reps=claims.REPS, root_seed=claims.ROOT_SEEDS[0])


def test_no_claim_flips(suite):
    flipped = [
        (r["claim"].number, r["claim"].expected, r["verdict"],
         r["claim"].expected_label, r["label"], r["effect"], r.get("knockout"))
        for r in suite["claims"]
        if claims_suite.flipped(r)
    ]  # fmt: skip
    assert flipped == []


def test_the_posting_rate_test_fixed_in_advance_gives_its_recorded_verdict(suite):
    assert suite["sweep_verdict"] == claims.SWEEP_EXPECTED, {
        root: r["sweep"] for root, r in suite["by_root"].items()
    }


def test_the_posting_rate_map_gives_its_recorded_verdicts(posting_map):
    found = {(c["factor"], c["rules"]): c["verdict"] for c in posting_map["cells"]}
    assert found == claims_map.EXPECTED, [
        (c["factor"], c["rules"], c["curvature"], c["highest_minus_lowest"])
        for c in posting_map["cells"]
    ]


def test_engaged_accounts_outcomes_spread(suite):
    for result in suite["by_root"].values():
        q10, _, _, _, q90 = result["ghosts"]["quantiles"]
        assert q90 - q10 >= 5


def test_thanked_retweeters_mostly_already_follow(suite):
    for result in suite["by_root"].values():
        assert result["thanks"]["already_following"][0] > 0.5


def test_the_report_is_written(suite, posting_map, tmp_path):
    path = claims_report.write_report(suite, tmp_path, posting_map=posting_map)
    text = path.read_text()
    assert all(f"| [{c.number}]" in text for c in claims.CLAIMS)
    assert (tmp_path / "claims" / "claim_5_sweep.png").stat().st_size > 0
    assert (tmp_path / "claims" / "posting_rate_map.png").stat().st_size > 0
    data = json.loads((tmp_path / "claims" / "posting_rate_map.json").read_text())
    cell = claims_map.default_cell(data)  # the game's debrief draws this one
    assert cell is not None and data["reps"] == posting_map["reps"]
    assert [p["rate"] for p in cell["points"]] == posting_map["rates"]
    per_day = [p["posts_per_day"] for p in cell["points"]]
    assert per_day == sorted(per_day) and per_day[0] > 0  # more posts an hour, more a day
    for row in suite["claims"]:  # every claim's computed label is in the table
        assert f"| {row['label']} | {row['claim'].varies} |" in text, row["claim"].number
    saved = {c["number"]: c for c in claims_report.load_summary(tmp_path)}
    assert {n: c["label"] for n, c in saved.items()} == {
        r["claim"].number: r["label"] for r in suite["claims"]
    }
