"""The workshop game's pages (docs/GAME.md), chosen by the address's query parameters:

- ``?game=new`` (``&host=KEY`` when the server was started by ``partysim game serve``): the
  trainer creates a game;
- ``?game=CODE&trainer=TOKEN``: the trainer's screen (presenter-sized);
- ``?join=CODE``: a participant joins with a display name;
- ``?game=CODE&player=ID&token=TOKEN``: the participant's screen (phone first). The token in
  the address is how a refresh or a reopened tab on the same device resumes the seat.

The games live on the server (:class:`sim.game.GameStore`, one per server process), never in
a browser session: a refresh or a closed laptop lid loses nothing.
"""

from __future__ import annotations

import hmac
import os

import streamlit as st

from sim.game import GameError, GameStore
from sim.game.game import LIMITS
from sim.game.store import games_dir
from ui import game_player, game_trainer
from ui.settings import app_presets, platform_scale

CHOICE_SECONDS = (0, 20, 30, 60, 90, 120, 180, 300)
SPEEDS = (1, 3, 6, 12, 24, 48, 96)  # simulated hours per second while a round plays
PHONE_CSS = """<style>
.block-container {max-width: 40rem; padding-left: 0.8rem; padding-right: 0.8rem}
.stButton button, .stFormSubmitButton button {min-height: 3rem; font-size: 1.1rem; width: 100%}
</style>"""


@st.cache_resource(show_spinner=False)
def game_store() -> GameStore:
    """The server's games: saved games resumed, one clock thread playing them."""
    store = GameStore(games_dir())
    store.load_saved()
    store.start_clock()
    return store


def requested(params) -> bool:
    """Whether the address asks for a game page."""
    return "game" in params or "join" in params


def page(params) -> None:
    """Draw the game page the address asks for."""
    store = game_store()
    code = params.get("game", "")
    try:
        if "join" in params:
            game_player.join_page(store, params.get("join", ""))
        elif code == "new":
            create_page(store, params.get("host", ""))
        elif "trainer" in params:
            game_trainer.trainer_page(store.get(code), params.get("trainer", ""))
        elif "player" in params:
            st.markdown(PHONE_CSS, unsafe_allow_html=True)
            game_player.player_page(store.get(code), params.get("player", ""),
                                    params.get("token", ""))  # fmt: skip
        else:
            game_player.join_page(store, code)
    except GameError as err:
        st.error(str(err))


def create_page(store: GameStore, host: str) -> None:
    """The trainer's form: preset, rounds, hours per round, seats, seed, countdown, speed."""
    st.title("New workshop game")
    key = os.environ.get("PARTYSIM_GAME_HOST_KEY")
    if key and not hmac.compare_digest(key, str(host)):
        st.error("Creating a game needs the link `partysim game serve` printed.")
        return
    # the presets the app plays at their own size (a game of the 100,000-account town square
    # would not stay interactive)
    names = [n for n in app_presets() if not platform_scale(n)]
    with st.form("new_game"):
        preset = st.selectbox("Preset", names, index=names.index("default"))
        # choices, not number boxes: big targets, and no half-typed value on submit
        c1, c2, c3 = st.columns(3)
        rounds = c1.selectbox("Rounds", range(1, LIMITS["rounds"][1] + 1), index=6)
        hours = c2.selectbox("Hours each round plays", (1, 3, 6, 12, 24, 48, 72, 168), index=4)
        seats = c3.selectbox("Participants at most", range(1, LIMITS["max_players"][1] + 1),
                             index=29)  # fmt: skip
        c4, c5, c6 = st.columns(3)
        choice = c4.selectbox("Seconds to choose between rounds", CHOICE_SECONDS, index=3,
                              format_func=lambda s: f"{s} s" if s else "until I press Next round")  # fmt: skip
        speed = c5.selectbox("Simulated hours per second", SPEEDS, index=SPEEDS.index(12))
        seed = c6.number_input("Seed (-1: the preset's)", -1, 2**31, value=-1)
        go = st.form_submit_button("Create the game", type="primary")
    if not go:
        return
    game, token = store.create(
        preset, rounds=int(rounds), hours_per_round=int(hours), max_players=int(seats),
        choice_seconds=int(choice), speed=float(speed), seed=None if seed < 0 else int(seed),
    )  # fmt: skip
    # the address now holds the trainer's token: a refresh comes back to this screen
    st.query_params.from_dict({"game": game.code, "trainer": token})
    st.rerun()
