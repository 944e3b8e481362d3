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
