"""Scenario files: every shipped file loads and runs; bad files fail with a clear message."""

from __future__ import annotations

import pytest
from conftest import check_invariants

import sim
from sim.analysis import metrics
from sim.config import scenarios
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.config.scenarios import ScenarioError

NAMES = scenarios.scenario_names()


def test_the_default_party_and_behaviour_scenarios_ship():
    assert "default" in NAMES
    assert len(NAMES) >= 10


@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_loads_and_runs(name):
    sc = scenarios.load(name)
    assert sc.description and sc.claim, "each scenario says what it demonstrates"
    model = sim.PartyModel(sc)
    model.run(min(sc.steps, 12))
    check_invariants(model)
    assert metrics.summary(model)["network"]["accounts"] == sc.n_accounts


@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_round_trips_through_toml(name):
    sc = scenarios.load(name)
    again = scenarios.loads(scenarios.to_toml(sc), source="round-trip")
    assert again.groups == sc.groups
    assert again.model_params() == sc.model_params()
    assert (again.steps, again.seed, again.name) == (sc.steps, sc.seed, sc.name)


GOOD = """
name = "t"
description = "d"
claim = "c"
[[groups]]
strategy = "regular"
count = 10
"""

BAD = [
    ("colour = 'red'\n" + GOOD, ["unknown key 'colour'"]),
    ("stepz = 3\n" + GOOD, ["unknown key 'stepz'", "did you mean 'steps'"]),
    (
        GOOD + "post_per_hour = 1.0\n",
        [
            "[[groups]] #1",
            "unknown account parameter 'post_per_hour'",
            "did you mean 'posts_per_hour'",
        ],
    ),
    (
        GOOD + "posts_per_hour = 50.0\n",
        ["'posts_per_hour' must be a number from 0 to 10", "posts per active hour", "50"],
    ),
    (GOOD + "attention = 'lots'\n", ["'attention' must be an integer from 1 to 500"]),
    (GOOD + "schedule_at = 'noon'\n", ["'schedule_at' must be one of 'own_day'"]),
    (
        GOOD + "[params]\nfollow_base_prob = 1.5\n",
        ["[params]", "'follow_base_prob' must be a number from 0 to 1"],
    ),
    (GOOD + "[params]\nfollow_bse_prob = 0.1\n", ["did you mean 'follow_base_prob'"]),
    (
        GOOD.replace('"regular"', '"regullar"'),
        ["unknown strategy 'regullar'", "did you mean 'regular'"],
    ),
    (GOOD.replace("count = 10", "count = -1"), ["'count' must be an integer from 0"]),
    (
        GOOD + GOOD.split("name")[0] + "[[groups]]\nstrategy='regular'\ncount=3\n",
        ["group names must be unique"],
    ),
    (
        'name = "t"\nsteps = 0\n[[groups]]\nstrategy="regular"\ncount=5\n',
        ["'steps' must be an integer from 1"],
    ),
    ('name = "t"\n', ["'groups' must be a non-empty array"]),
    (GOOD + "[strategies.x]\nbase = 'nobody'\n", ["unknown base strategy 'nobody'"]),
    (
        GOOD + "[strategies.x]\nbase = 'regular'\nreply_propensty = 2\n",
        ["[strategies.x]", "did you mean 'reply_propensity'"],
    ),
    ("name = [\n", ["not valid TOML"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_scenario_files_name_the_file_key_and_range(tmp_path, text, expected):
    path = tmp_path / "bad_party.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        scenarios.load(path)
    message = str(err.value)
    assert str(path) in message
    for part in expected:
        assert part in message


def test_a_scenario_can_define_a_strategy_without_python(tmp_path):
    path = tmp_path / "custom.toml"
    path.write_text(
        GOOD
        + """
[strategies.quiet_curator]
base = "curator"
description = "a curator that posts rarely"
posts_per_hour = 0.1

[[groups]]
strategy = "quiet_curator"
count = 4
"""
    )
    sc = scenarios.load(path)
    group = sc.groups[1]
    assert group.values["posts_per_hour"] == 0.1
    assert group.values["follow_propensity"] == 0.0  # inherited from curator
    model = sim.PartyModel(sc).run(6)
    assert "quiet_curator" in metrics.summary(model)["strategies"]


def test_overrides_are_checked_like_files(default_scenario):
    sc = default_scenario.with_overrides(
        {"conversationalist.reply_propensity": 2.0, "*.attention": 30, "follow_base_prob": 0.02}
    )
    conv = next(g for g in sc.groups if g.name == "conversationalist")
    assert conv.values["reply_propensity"] == 2.0
    assert all(g.values["attention"] == 30 for g in sc.groups)
    with pytest.raises(ScenarioError, match="account parameters take a group"):
        default_scenario.with_overrides({"attention": 30})
    with pytest.raises(ScenarioError, match="did you mean 'broadcaster'"):
        default_scenario.with_overrides({"broadcster.count": 3})


def test_registry_declarations_are_complete():
    for p in [*MODEL_PARAMS.values(), *ACCOUNT_PARAMS.values()]:
        assert p.help and p.section
        if p.choices:
            assert p.default in p.choices
        else:
            assert p.low <= p.default <= p.high, p.name
            assert p.coerce(p.default) == p.default
