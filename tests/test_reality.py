"""The reality check and the claims suite: metric functions on hand-made inputs, the CLI,
and a reduced claims run that fails when any claim flips."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from sim import claimsuite, reality


def test_reciprocity_on_a_hand_made_graph():
    # 0<->1 mutual, 0->2 one-way: 2 of 3 edges reciprocated (networkx's definition)
    assert reality.reciprocity_of_edges(np.array([0, 1, 0]), np.array([1, 0, 2])) == 2 / 3
    assert reality.reciprocity_of_edges(np.array([0, 1]), np.array([1, 2])) == 0.0
    assert reality.reciprocity_of_edges(np.array([], int), np.array([], int)) == 0.0


def test_tail_ratios_and_cascades_on_known_values():
    assert reality.tail_ratios(np.array([1, 2, 2, 3, 12])) == (2.0, 6.0)
    assert reality.cascade_stats(np.array([0, 0, 0, 5])) == (0.75, 5)
    assert reality.cascade_stats(np.array([], int)) == (0.0, 0)


def test_interval_is_a_t_interval():
    mean, low, high = reality.interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and low == pytest.approx(2 - 4.303 * 1 / np.sqrt(3), rel=1e-3)
    assert high == pytest.approx(4 - low)
    assert reality.interval([5.0, 5.0]) == (5.0, 5.0, 5.0)


def test_a_fact_outside_its_band_warns():
    fact = reality.Fact("x", "share", 0.3, 0.6, "a source")
    assert fact.judge([0.4, 0.5])["status"] == "pass"
    assert fact.judge([0.7, 0.8])["status"] == "warn"


def test_check_cli_prints_every_fact_as_json():
    out = subprocess.run(
        [sys.executable, "-m", "sim", "check", "--reps", "2", "--steps", "48", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)["facts"]
    assert [f["fact"] for f in facts] == [f.name for f in reality.FACTS]
    assert all(np.isfinite(f["mean"]) and f["status"] in ("pass", "warn") for f in facts)


def test_check_cli_refuses_bad_input():
    out = subprocess.run(
        [sys.executable, "-m", "sim", "check", "nowhere"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "unknown scenario" in out.stderr


@pytest.mark.slow
def test_the_default_party_passes_the_reality_check():
    results = reality.reality_check("default", reps=4)
    assert [r["fact"] for r in results if r["status"] != "pass"] == []


@pytest.mark.slow
def test_no_claim_flips():
    """Every claim keeps its verdict (shown, or known not shown) over 5 seeds."""
    result = claimsuite.run_all(reps=5)
    flipped = [
        (r["claim"].number, r["effect"], r["interval90"])
        for r in result["claims"]
        if not r["as_expected"]
    ]
    assert flipped == []
