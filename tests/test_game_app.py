"""The workshop game's pages in the Streamlit app, driven headlessly with AppTest: creating a
game, the trainer's screen (refused without the token), joining, a participant's choice, and
a name with markup refused. The browser test is tests/test_game_browser.py."""

from __future__ import annotations

import pytest

from tests.test_app import new_app, no_exceptions
from ui import game as game_ui


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The app's game store (one per server process; here, per test process)."""
    game_ui.game_store.clear()
    mp = pytest.MonkeyPatch()
    mp.setenv("PARTYSIM_GAMES", str(tmp_path_factory.mktemp("games")))
    mp.delenv("PARTYSIM_GAME_HOST_KEY", raising=False)
    store = game_ui.game_store()
    yield store
    store.stop_clock()
    game_ui.game_store.clear()
    mp.undo()


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error]
    return "\n".join(map(str, parts + [s.value for s in at.success]))


def test_create_then_trainer_screen_needs_the_token(store):
    at = new_app({"game": "new"})
    no_exceptions(at)
    at.selectbox[1].set_value(2)  # rounds
    at.selectbox[2].set_value(6)  # hours a round
    at.button[0].click().run()
    no_exceptions(at)
    code = at.query_params["game"]
    assert at.query_params["trainer"]
    assert store.get(code).rounds == 2
    assert f"code **{code}**" in texts(at)
    wrong = new_app({"game": code, "trainer": "guess"})
    assert "only the trainer" in texts(wrong) and not wrong.button


def test_join_choose_and_markup_names_refused(store):
    game, trainer = store.create("default", rounds=2, hours_per_round=6, max_players=3)
    at = new_app({"join": game.code})
    at.text_input[1].set_value("<script>alert(1)</script>")
    at.button[0].click().run()
    assert "a name is" in texts(at) and not game.players
    at.text_input[1].set_value("Ada")
    at.button[0].click().run()
    no_exceptions(at)
    pid, token = at.query_params["player"], at.query_params["token"]
    assert game.players[pid].name == "Ada"
    # a refresh (a new session with the same address) resumes the seat
    at = new_app({"game": game.code, "player": pid, "token": token})
    no_exceptions(at)
    at.radio[0].set_value("often")  # reply to mentions and posts (sent with the form)
    at.button[0].click().run()
    no_exceptions(at)
    assert game.moves()[-1]["settings"] == {"reply_propensity": 3.0}
    assert game.model.acct["reply_propensity"][game.players[pid].account] == 3.0
    forged = new_app({"game": game.code, "player": pid, "token": token[:-1]})
    assert "not your account" in texts(forged) and not forged.button


def test_choosing_what_the_account_already_has_changes_nothing(store):
    """Apply with every control where the account's settings put it (here the drawn
    follow-back policy, chosen again) says so, and logs no move."""
    game, _ = store.create("default", rounds=2, hours_per_round=6, max_players=3)
    pid, token = game.join("Ada")
    at = new_app({"game": game.code, "player": pid, "token": token})
    back = at.radio[2]
    back.set_value(back.value)
    at.button[0].click().run()
    no_exceptions(at)
    assert "Nothing changed" in " ".join(i.value for i in at.info) and not game.moves()


def test_a_participant_chooses_their_hashtag_rooms(store):
    """The rooms control lists the party's rooms, starts at the account's own, and a new
    choice reaches the account; an empty choice is refused on the page."""
    game, _ = store.create("default", rounds=2, hours_per_round=6, max_players=3)
    pid, token = game.join("Ada")
    account = game.players[pid].account
    names = list(game.model.room_names)
    mine = [names[r] for r in game.model.interests[account] if r >= 0]
    at = new_app({"game": game.code, "player": pid, "token": token})
    no_exceptions(at)
    rooms = at.multiselect[0]
    assert list(rooms.options) == names and list(rooms.value) == mine
    rooms.set_value(mine[::-1])  # the same rooms in another order: no change
    at.button[0].click().run()
    assert "Nothing changed" in " ".join(i.value for i in at.info) and not game.moves()
    at.multiselect[0].set_value([])
    at.button[0].click().run()
    assert "at least one hashtag room" in texts(at) and not game.moves()
    at.multiselect[0].set_value([names[-1]])
    at.button[0].click().run()
    no_exceptions(at)
    assert game.moves()[-1]["settings"] == {"rooms": [names[-1]]}
    assert game.model.interests[account].tolist()[0] == len(names) - 1


def test_a_participant_acts_on_an_item_of_their_feed(store):
    """The feed lists the account's newest items with Reply, Retweet and Follow; a click
    reaches the game (an ``act`` record, queued for the next hour) and the page says so."""
    game, trainer = store.create("default", rounds=2, hours_per_round=6, max_players=3)
    pid, token = game.join("Ada")
    game.start(trainer)
    game.play_round()
    at = new_app({"game": game.code, "player": pid, "token": token})
    no_exceptions(at)
    assert any(b.label == "Show newer" for b in at.button)
    reply = next(b for b in at.button if b.label == "Reply" and not b.disabled)
    item = int(reply.key.rsplit("_", 1)[1])
    reply.click().run()
    no_exceptions(at)
    assert [(r["action"], r["item"]) for r in game.records if r["type"] == "act"] == [
        ("reply", item)
    ]
    assert "You reply to @" in texts(at)
    assert game.model.party.queued_actions == [(game.players[pid].account, "reply", item)]


def test_the_feed_list_stays_as_drawn_until_show_newer(store):
    """New items arriving do not move the list under a thumb: a tap answers and keeps the
    items shown; "Show newer" draws the newest, with their hour."""
    game, trainer = store.create("default", rounds=3, hours_per_round=6, max_players=3)
    pid, token = game.join("Ada")
    game.start(trainer)
    game.play_round()
    at = new_app({"game": game.code, "player": pid, "token": token})

    def shown(at) -> list[str]:
        return [b.key for b in at.button if b.key and b.key.startswith("act_reply_")]

    first = shown(at)
    assert first and "Your feed at hour 6" in " ".join(c.value for c in at.caption)
    game.next_round(trainer)
    game.play_round()  # six more hours: newer items reach the account
    next(b for b in at.button if b.label == "Follow" and not b.disabled).click().run()
    no_exceptions(at)
    assert shown(at) == first and "You follow @" in texts(at)
    next(b for b in at.button if b.label == "Show newer").click().run()
    assert shown(at) != first and "Your feed at hour 12" in " ".join(c.value for c in at.caption)


def test_the_revealed_debrief_draws_for_trainer_and_participant(store):
    game, trainer = store.create("default", rounds=2, hours_per_round=3, max_players=3)
    pid, token = game.join("Ada")
    game.choose(pid, token, {"posts_per_hour": 2.0})
    game.play_round()
    game.play_round()
    game.reveal(trainer)
    at = new_app({"game": game.code, "trainer": trainer})
    no_exceptions(at)
    assert "Leaderboard: net followers since the start" in [s.value for s in at.subheader]
    assert len(at.table) == 1 and "Ada" in at.table[0].value["name"].tolist()
    phone = new_app({"game": game.code, "player": pid, "token": token})
    no_exceptions(phone)
    assert "Game over" in texts(phone) and not phone.button  # no controls after the end


def test_the_debrief_draws_the_posting_rate_map_behind_the_class(tmp_path):
    """The map written by `partysim claims` (its default cell) is read back and layered
    behind the participants' dots, in the chart and in the slide PNG."""
    import pandas as pd

    from sim.analysis.claims_map import default_cell, write_map_data
    from ui import game_debrief

    rates = [0.1, 1.0]
    cell = {"posts_per_day": {0.1: 0.8, 1.0: 7.5},
            "means": {0.1: [0.5, 0.1, 0.9], 1.0: [2.0, 1.5, 2.5]},
            "verdict": "not shown", "curvature": 0.1, "top": None}  # fmt: skip
    result = {"reps": 20, "root_seed": 2026, "rates": rates, "steps": 168, "cells": [
        {**cell, "factor": 1.0, "tolerance": 20.0, "rules": "flood rules on"},
        {**cell, "factor": 0.5, "tolerance": 10.0, "rules": "flood rules on"}]}  # fmt: skip
    path = tmp_path / "map.json"
    write_map_data(result, path)
    import json

    assert default_cell(json.loads(path.read_text()))["tolerance"] == 20.0
    sweep, caption = game_debrief.sweep_curve(path)
    assert sweep["posts_per_day"].tolist() == [0.8, 7.5]
    assert sweep["net_followers"].tolist() == [0.5, 2.0] and "20 runs of 168 h" in caption
    board = pd.DataFrame({"name": ["Ada"], "net_followers": [3], "posts_per_day": [4.0]})
    strategies = pd.DataFrame({"strategy": ["regular"], "net_followers_mean": [1.0],
                               "posts_per_day_mean": [2.0]})  # fmt: skip
    spec = game_debrief.choices_chart(board, strategies, sweep).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
             for layer in spec["layer"]]  # fmt: skip
    assert marks[:2] == ["area", "line"] and len(marks) == 4
    assert len(game_debrief.choices_chart(board, strategies).to_dict()["layer"]) == 2
    assert game_debrief.png(board, strategies, "t", sweep)[:4] == b"\x89PNG"
    assert game_debrief.sweep_curve(tmp_path / "missing.json") is None
