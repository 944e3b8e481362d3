"""The claims suite as docs/CLAIMS.md runs it (20 replications, root seed 2026, so the same
replications; about 10 minutes): fails when any claim's verdict changes from the one
recorded in sim/analysis/claims.py (``claims.flipped``: "shown" becoming "not shown" counts, so fewer
replications would fail for lack of power), when the posting-rate sweep loses its interior
peak, or when the report cannot be written."""

from __future__ import annotations

import pytest

from sim.analysis import claims, claims_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result():
    return claims.run_claims(reps=20, root_seed=2026)


def test_no_claim_flips(result):
    flipped = [
        (r["claim"].number, r["claim"].expected, r["verdict"], r["effect"], r["interval95"])
        for r in result["comparisons"]
        if claims.flipped(r)
    ]
    assert flipped == []


def test_posting_rate_has_an_interior_optimum(result):
    sweep = result["sweep"]
    assert sweep["peak"] not in (sweep["rates"][0], sweep["rates"][-1]), sweep["means"]
    assert sweep["peak_minus_highest"][1] > 0


def test_engaged_accounts_outcomes_spread(result):
    q10, _, _, _, q90 = result["ghosts"]["quantiles"]
    assert q90 - q10 >= 5


def test_thanked_retweeters_mostly_already_follow(result):
    assert result["thanks"]["already_following"][0] > 0.5


def test_the_report_is_written(result, tmp_path):
    path = claims_report.write_report(result, tmp_path)
    text = path.read_text()
    assert all(f"| [{c.number}]" in text for c in claims.CLAIMS)
    assert (tmp_path / "claims" / "claim_5_sweep.png").stat().st_size > 0
    assert all(f"| {c.number} | {c.origin}" in text for c in claims.CLAIMS)
