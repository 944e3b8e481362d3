"""The town square in the app: it opens resized to 10,000 accounts, with an account's-eye view
in place of the network picture, its settings and command at that size (AppTest)."""

from __future__ import annotations

import shlex

import numpy as np
import pytest

from sim.cli.main import parse_set
from sim.config.scenarios import load
from sim.engine.model import PartyModel
from tests.test_app import error_texts, new_app, no_exceptions, run_hours, widget
from ui import MAX_ACCOUNTS, PICTURE_ACCOUNTS
from ui import eye_view as ev
from ui import settings as cfg


def chart_specs(at) -> list[str]:
    return [c.proto.spec for c in at.get("vega_lite_chart")]


@pytest.fixture(scope="module")
def town_app():
    at = new_app({"scenario": "town_square"})
    no_exceptions(at)
    return run_hours(at, 3)


def test_the_town_square_opens_at_ten_thousand_accounts(town_app):
    model = town_app.session_state["model"]
    assert model.n == MAX_ACCOUNTS < load("town_square").n_accounts
    assert "town_square" in cfg.app_presets()
    assert town_app.session_state["overrides"] == {}, "opening it changes no setting"
    shares = {g.name: g.count / MAX_ACCOUNTS for g in cfg.app_scenario("town_square").groups}
    file = load("town_square")
    for g in file.groups:  # the same shares as the file (one account either way)
        assert abs(shares[g.name] - g.count / file.n_accounts) <= 1 / MAX_ACCOUNTS


def test_an_accounts_eye_view_stands_in_for_the_network_picture(town_app):
    specs = chart_specs(town_app)
    assert any('"field": "relation"' in s for s in specs), "the account's-eye chart is drawn"
    assert not any("follower network" in s for s in specs), "no picture of 10,000 accounts"
    caption = next(c.value for c in town_app.caption if "too many to draw whole" in c.value)
    model = town_app.session_state["model"]
    account = town_app.session_state["eye_account"]
    f = model.follows
    assert f"follows {int(f.out_degree[account]):,} and is followed by " in caption
    assert f"followed by {int(f.in_degree[account]):,} " in caption


def test_another_account_can_be_looked_through(town_app):
    box = town_app.selectbox(key="eye_pick")
    other = box.options[-1]
    box.select_index(len(box.options) - 1).run()
    no_exceptions(town_app)
    model = town_app.session_state["model"]
    chosen = town_app.session_state["eye_account"]
    assert other == ev.label(model, chosen)
    run_hours(town_app, 1)  # the choice stays while the party goes on
    assert town_app.session_state["eye_account"] == chosen


def test_the_group_sizes_are_the_resized_ones_and_the_limit_is_ten_thousand():
    at = new_app({"scenario": "town_square"})
    assert widget(at, "reader.count").value == cfg.app_scenario("town_square").groups[0].count
    assert widget(at, "reader.count").value > PICTURE_ACCOUNTS
    assert at.session_state["overrides"] == {}
    widget(at, "reader.count").set_value(9000).run()
    no_exceptions(at)
    assert any(f"limit: {MAX_ACCOUNTS:,} accounts" in e for e in error_texts(at))


def test_the_command_shown_runs_the_same_party():
    at = new_app({"scenario": "town_square"})
    command = cfg.cli_command(at.session_state)
    words = shlex.split(command)
    sets = [words[i + 1] for i, w in enumerate(words) if w == "--set"]
    scenario = load("town_square").with_overrides(parse_set(sets))
    assert scenario.n_accounts == MAX_ACCOUNTS
    assert [g.count for g in scenario.groups] == [
        g.count for g in cfg.app_scenario("town_square").groups
    ]


@pytest.fixture(scope="module")
def party():
    return PartyModel(cfg.app_scenario("town_square"), seed=3, agents=False).run(6)


def test_the_views_sides_are_the_accounts_ties(party):
    f = party.follows
    src, dst = np.asarray(f.src), np.asarray(f.dst)
    for account in ev.choices(party, None):
        s = ev.sides(party, account)
        follows, followed = set(dst[src == account]), set(src[dst == account])
        assert set(s["mutual"]) == follows & followed
        assert set(s["follows"]) == follows - followed
        assert set(s["followed by"]) == followed - follows
        table = ev.ego_table(party, account)
        drawn = table[table["relation"] != "this account"]
        assert account not in set(drawn["id"]), "no self-tie"
        for relation, ids in s.items():
            mine = drawn[drawn["relation"] == relation]["id"]
            assert len(mine) == min(len(ids), ev.SAMPLE) and set(mine) <= set(ids)
        assert (drawn["followers"].to_numpy() == f.in_degree[drawn["id"].to_numpy()]).all()


def test_the_sample_stays_the_same_from_frame_to_frame():
    ids = np.arange(5, 500, 3)
    first = ev.sample(ids, 7)
    assert len(first) == ev.SAMPLE and (ev.sample(ids, 7) == first).all()
    outside = next(i for i in ids if i not in first)
    kept = ev.sample(np.setdiff1d(ids, [outside]), 7)
    assert set(first) == set(kept), "one account leaving elsewhere moves nobody drawn"
    assert not (ev.sample(ids, 8) == first).all(), "another account, another sample"
