"""Claims that say how they arise (fast): labels, what counts as a flip, the robustness
cells' scaling, and a report that names its own root seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.analysis import claims, claims_report
from sim.analysis import claims_robustness as robust
from sim.config.params import MODEL_PARAMS
from sim.config.scenarios import load

MODEL_MD = Path(__file__).resolve().parent.parent / "docs" / "MODEL.md"


def test_every_claim_says_how_it_arises_and_what_it_varies():
    sections = set(re.findall(r"^### (7\.\d+) ", MODEL_MD.read_text(encoding="utf-8"), re.M))
    for c in claims.CLAIMS:
        assert c.origin in (claims.EMERGENT, claims.MECHANISM), c.number
        assert c.varies, c.number
        if c.origin == claims.MECHANISM:
            section = c.rule.split()[0]
            assert section in sections, (c.number, c.rule)
        else:
            assert not c.rule, c.number


def test_equal_quality_versions_of_7c_and_7f_exist():
    numbers = {c.number: c for c in claims.CLAIMS}
    for name in ("7c", "7f"):
        eq = numbers[f"{name}-eq"]
        assert eq.a[1] == numbers[name].a[1] and eq.b[1] == numbers[name].b[1]
        spec = load(claims.scenario_ref(eq.a[0]))
        quality = {g.strategy: g.values["quality_mean"] for g in spec.groups}
        assert quality[eq.a[1]] == quality[eq.b[1]]


def _result(verdict: str, expected: str, effect: float = 1.0) -> dict:
    claim = claims.Claim("x", 1, "x", ("s", "a"), ("s", "b"), "o", "u", expected=expected)
    return {"claim": claim, "verdict": verdict, "effect": effect}


def test_shown_becoming_not_shown_is_a_flip():
    assert claims.flipped(_result("not shown", "shown", effect=0.5))
    assert claims.flipped(_result("reversed", "shown", effect=-1))
    assert claims.flipped(_result("shown", "not shown"))
    assert not claims.flipped(_result("shown", "shown"))
    assert not claims.flipped(_result("not shown", "not shown", effect=-0.1))


def test_robustness_cells_scale_one_shared_parameter():
    spec = load("posting_rate")
    doubled = robust.scaled(spec, "attention", "account", 2.0)
    for g, d in zip(spec.groups, doubled.groups, strict=True):
        assert d.values["attention"] == 2 * g.values["attention"]
        assert d.values["flood_tolerance"] == g.values["flood_tolerance"]
    halved = robust.scaled(spec, "follow_base_prob", "model", 0.5)
    assert halved.model_params()["follow_base_prob"] == spec.model_params()["follow_base_prob"] / 2
    high = MODEL_PARAMS["follow_base_prob"].high
    huge = robust.scaled(spec, "follow_base_prob", "model", 1e9)
    assert huge.model_params()["follow_base_prob"] == high  # kept inside its range
    default = load("default")  # a scenario with named rooms
    assert len(robust.scaled(default, "rooms", "rooms", 0.5).rooms) == len(default.rooms) // 2
    assert len(robust.scaled(default, "rooms", "rooms", 2.0).rooms) == 2 * len(default.rooms)
    assert (
        robust.scaled(spec, "rooms", "rooms", 2.0).model_params()["n_rooms"]
        == 2 * (spec.model_params()["n_rooms"])
    )
    bigger = robust.scaled(spec, "accounts", "size", 4.0)
    assert bigger.n_accounts == 4 * spec.n_accounts
    labels = [label for label, *_ in robust.cells()]
    assert labels[0] == robust.BASELINE and len(labels) == 2 * len(robust.SCALED) + 2


def test_robustness_table_renders_every_cell():
    table = {
        "reps": 3,
        "root_seed": 5,
        "cells": ["as is", "attention x2"],
        "claims": {"5": "A moderate posting rate beats flooding"},
        "table": {"5": {"as is": {"verdict": "shown", "effect": 2.0},
                        "attention x2": {"verdict": "not shown", "effect": 0.1}}},
    }  # fmt: skip
    text = "\n".join(claims_report.robustness_lines(table))
    assert "SeedSequence(5)" in text and "3 replications" in text
    assert (
        "| 5 | A moderate posting rate beats flooding | shown (2) | **not shown** (0.1) |" in text
    )


@pytest.mark.parametrize("root", [99])
def test_the_report_names_the_root_seed_it_was_made_with(root, tmp_path):
    subset = [c for c in claims.CLAIMS if c.number in ("15",)]
    result = claims.run_claims(reps=2, root_seed=root, steps=3, claims=subset)
    text = claims_report.write_report(result, tmp_path).read_text()
    assert f"SeedSequence({root})" in text and "SeedSequence(2026)" not in text
