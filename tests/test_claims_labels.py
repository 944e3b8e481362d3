"""Claims that say what they rest on (fast): every claim declares its knock-out (or the rule it
restates), the knock-outs are valid settings, the label is computed by a stated rule, what
counts as a flip, the robustness cells, and a report that names its own root seeds."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sim.analysis import claims, claims_report, claims_suite
from sim.analysis import claims_robustness as robust
from sim.config.params import MODEL_PARAMS
from sim.config.scenarios import load

MODEL_MD = Path(__file__).resolve().parent.parent / "docs" / "MODEL.md"
SECTIONS = set(re.findall(r"^### (7\.\d+) ", MODEL_MD.read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.number)
def test_every_claim_declares_its_knock_out_and_its_rules(claim):
    assert claim.rules and set(claim.rules) <= SECTIONS, (claim.rules, SECTIONS)
    assert bool(claim.knockout) != bool(claim.restates), "a knock-out, or the rule it restates"
    if claim.restates:
        assert claim.restates.split()[0] in claim.rules
    assert claim.varies
    assert claim.expected in (claims.SHOWN, claims.NOT_SHOWN, claims.REVERSED, claims.FRAGILE)
    assert claim.expected_label in (
        claims.EMERGENT, claims.MECHANISM, claims.CONSTRUCTION, claims.NO_EFFECT
    )  # fmt: skip
    for name in {claim.a[0], claim.b[0]}:  # the knock-out is a valid setting of the scenario
        spec = load(claims.scenario_ref(name)).with_overrides(claim.knockout, where="knock-out")
        for key, value in claim.knockout.items():
            if key.startswith("*."):
                assert all(g.values[key[2:]] == value for g in spec.groups)
            else:
                assert spec.model_params()[key] == value


def test_knock_outs_neutralise_their_rule():
    """Each knock-out value is the neutral value of its parameter: a boost of 1, a penalty or
    a chance of 0, a value factor of 1 (or a documented extreme)."""
    neutral = {"notice_follow_boost": 1, "profile_promo_penalty": 0, "unfollow_promo_prob": 0,
               "unfollow_flood_prob": 0, "profile_flood_penalty": 0, "stranger_social_value": 1,
               "one_way_social_value": 1, "know_retweet_boost": 1, "acquainted_retweet_boost": 1,
               "one_way_unfollow_boost": 1, "*.browse_share": 0, "trust_person": 0,
               "question_reply_boost": 1, "night_activity": 1, "*.promo_tolerance": 1,
               "*.block_tolerance": 50, "*.attention": 500}  # fmt: skip
    for c in claims.CLAIMS:
        for key, value in c.knockout.items():
            assert neutral[key] == value, (c.number, key)


def _label(claim, effect, knocked, verdict=claims.SHOWN):
    rng = np.random.default_rng(0)
    d = effect + rng.normal(0, 0.1, 40)
    k = None if knocked is None else knocked + rng.normal(0, 0.1, 40)
    return claims_suite.label_of(claim, verdict, d, k)["label"]


def test_the_label_is_computed_from_the_knock_out():
    one = claims.Claim("x", 1, "x", ("s", "a"), ("s", "b"), "o", "u", rules=("7.16",),
                       knockout={"notice_follow_boost": 1.0})  # fmt: skip
    two = claims.Claim("y", 1, "y", ("s", "a"), ("s", "b"), "o", "u", rules=("7.16", "7.19"),
                       knockout={"notice_follow_boost": 1.0})  # fmt: skip
    assert _label(one, 1.0, 0.8) == claims.EMERGENT  # shown without the rule, 80% survives
    assert _label(one, 1.0, 0.3) == claims.MECHANISM  # shown, but only 30% survives
    assert _label(one, 1.0, 0.0) == claims.CONSTRUCTION  # one rule, nothing left
    assert _label(two, 1.0, 0.0) == claims.MECHANISM  # two rules: not one rule restated
    assert _label(one, 1.0, -1.0) == claims.MECHANISM  # turned around without the rule
    assert _label(one, 0.0, 0.0, claims.NOT_SHOWN) == claims.NO_EFFECT
    restating = claims.Claim("z", 1, "z", ("s", "a"), ("s", "b"), "o", "u", rules=("7.9",),
                             restates="7.9 a rule")  # fmt: skip
    assert _label(restating, 1.0, None) == claims.CONSTRUCTION


def test_verdicts_combine_over_root_seeds_and_disagreement_is_fragile():
    c = claims.Claim("x", 1, "x", ("s", "a"), ("s", "b"), "o", "u", rules=("7.16",),
                     knockout={"notice_follow_boost": 1.0})  # fmt: skip

    def result(values):
        runs = {"s": [{"a": {"o": v}, "b": {"o": 0.0}} for v in values]}
        return {"comparisons": [claims_suite.judge(c, runs, runs)]}

    shown = result([1.0, 1.1, 0.9, 1.05])
    noise = result([1.0, -1.1, 0.9, -0.95])
    assert claims_suite.combine({1: shown, 2: shown})[0]["verdict"] == claims.SHOWN
    assert claims_suite.combine({1: shown, 2: noise})[0]["verdict"] == claims.FRAGILE


def _row(verdict: str, expected: str, label=claims.MECHANISM, expected_label=claims.MECHANISM):
    claim = claims.Claim("x", 1, "x", ("s", "a"), ("s", "b"), "o", "u", expected=expected,
                         expected_label=expected_label)  # fmt: skip
    return {"claim": claim, "verdict": verdict, "label": label}


def test_a_changed_verdict_or_label_is_a_flip():
    assert claims_suite.flipped(_row("not shown", "shown"))
    assert claims_suite.flipped(_row("fragile", "shown"))
    assert claims_suite.flipped(_row("reversed", "shown"))
    assert claims_suite.flipped(_row("shown", "not shown"))
    assert claims_suite.flipped(_row("shown", "shown", label=claims.EMERGENT))
    assert not claims_suite.flipped(_row("shown", "shown"))
    assert not claims_suite.flipped(_row("not shown", "not shown"))


def test_the_curvature_test_is_fixed_in_advance():
    rates = claims.SWEEP_RATES
    x = np.log(rates)
    rng = np.random.default_rng(1)
    seeds = 20

    def per_rate(curve):
        return {r: curve(xi) + rng.normal(0, 0.3, seeds) for r, xi in zip(rates, x, strict=True)}

    hump = claims_suite.curvature_test(per_rate(lambda v: 2 - 0.5 * (v - np.log(0.6)) ** 2))
    assert hump["verdict"] == claims.SHOWN and 0.3 < hump["top"] < 1.2
    rising = claims_suite.curvature_test(per_rate(lambda v: 2 + 1.5 * v))
    assert rising["verdict"] == claims.REVERSED
    flat = claims_suite.curvature_test(per_rate(lambda v: 0 * v))
    assert flat["verdict"] == claims.NOT_SHOWN


def test_equal_quality_versions_of_7c_and_7f_exist():
    numbers = {c.number: c for c in claims.CLAIMS}
    for name in ("7c", "7f"):
        eq = numbers[f"{name}-eq"]
        assert eq.a[1] == numbers[name].a[1] and eq.b[1] == numbers[name].b[1]
        spec = load(claims.scenario_ref(eq.a[0]))
        quality = {g.strategy: g.values["quality_mean"] for g in spec.groups}
        assert quality[eq.a[1]] == quality[eq.b[1]]


def test_hashtag_arms_differ_in_tagging_only():
    spec = load("hashtag_rooms")
    values = {g.strategy: g.values for g in spec.groups}
    tagger, untagged = values["tagger"], values["untagged"]
    assert {k for k in tagger if tagger[k] != untagged[k]} == {"hashtag_prob"}


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
    assert labels[0] == robust.BASELINE
    assert len(labels) == 2 * len(robust.SCALED) + 2 + len(robust.TUNED)


def test_robustness_neutralises_each_tuned_rule():
    tuned = {"profile_flood_penalty", "unfollow_flood_prob", "pruning_spread",
             "notice_follow_boost", "stranger_social_value"}  # fmt: skip
    assert {k for _, settings in robust.TUNED for k in settings} == tuned
    spec = load("posting_rate")
    for label, what, kind, factor in robust.cells():
        if kind == "set":
            changed = robust.scaled(spec, what, kind, factor).model_params()
            assert all(changed[k] == v for k, v in what), label


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


def test_the_report_names_the_root_seeds_it_was_made_with(tmp_path):
    subset = [c for c in claims.CLAIMS if c.number in ("15",)]
    suite = claims_suite.run_suite(reps=2, root_seeds=(99, 5), steps=3, claims=subset)
    text = claims_report.write_report(suite, tmp_path).read_text()
    assert "SeedSequence(99)" in text and "SeedSequence(5)" in text
    assert "SeedSequence(2026)" not in text
    assert [c["number"] for c in claims_report.load_summary(tmp_path)] == ["15"]


def test_run_claims_on_any_subset_of_claims():
    """A subset without the thanks scenario's own claims still gets every figure."""
    subset = [c for c in claims.CLAIMS if "retweets_and_thanks" not in (c.a[0], c.b[0])]
    result = claims_suite.run_claims(reps=2, steps=6, claims=subset[:1])
    assert len(result["comparisons"]) == 1 and set(result["thanks"]) == {
        "already_following",
        "then_followed",
    }
    assert "knockout" in result["comparisons"][0]
