"""The trainer's game screen (made for 1920x1080, scaled whole on 1280x720): the join code,
link and QR code, who has joined, the controls (start, pause, next round, end, reveal), the
round and its countdown, the party's headline and the leaderboard. Every control sends the
trainer's token from the address; the game checks it."""

from __future__ import annotations

import io
import os

import pandas as pd
import streamlit as st

from sim.game import GameError
from ui import game_debrief
from ui.live import PRESENTER_CSS
from ui.runner import clock, clock_label
from ui.story import headline

REFRESH_SECONDS = 1.0
STATUS_WORDS = {
    "lobby": "Waiting to start",
    "playing": "Round {r} is playing",
    "choosing": "Choose for round {r}",
    "paused": "Paused",
    "ended": "Game over",
}


def join_link(code: str) -> str:
    """The address participants open: $PARTYSIM_GAME_URL, else the host this page came from."""
    base = os.environ.get("PARTYSIM_GAME_URL")
    if not base:
        host = st.context.headers.get("host", "127.0.0.1:8501")
        base = f"http://{host}"
    return f"{base.rstrip('/')}/?join={code}"


def qr_png(text: str) -> bytes:
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


def _control(game, action: str, token: str) -> None:
    try:
        getattr(game, action)(token)
    except GameError as err:
        st.session_state.game_error = str(err)


def trainer_page(game, token: str) -> None:
    """The whole screen; refuses to draw anything without the trainer's token."""
    game.check_trainer(token)
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    link = join_link(game.code)
    top = st.columns([3, 2, 1.2])
    top[0].markdown(f"## Workshop game · code **{game.code}**")
    top[0].markdown(f"Join at **{link}** with the code, or scan the QR code.")
    top[0].caption(f"{game.header['preset']} · seed {game.header['seed']} · "
                   f"{game.rounds} rounds of {game.hours_per_round} h · "
                   "keep this page's address to yourself: it holds the trainer's key")  # fmt: skip
    top[2].image(qr_png(link), width=170)
    with top[1]:
        buttons = st.columns(5)
        for col, (label, action) in zip(buttons, (("Start", "start"), ("Pause", "pause"),
                 ("Next round", "next_round"), ("End", "end"), ("Reveal", "reveal")),
                 strict=True):  # fmt: skip
            col.button(label, key=f"game_{action}", on_click=_control, args=(game, action, token),
                       width="stretch")  # fmt: skip
        if st.session_state.get("game_error"):
            st.error(st.session_state.pop("game_error"))

    if game.revealed:  # nothing changes any more: drawn once, not every refresh
        show_status(game)
        game_debrief.debrief(game, "trainer")
    else:
        live(game)


def show_status(game) -> list[str]:
    """The round, hour, clock, countdown and joined counters, and the headline; returns the
    names of those who joined."""
    with game.lock:
        status, steps, rnd = game.status, game.model.steps, game.round
        countdown = game.countdown()
        names = [p.name for p in game.players.values()]
        news = headline(game.model)
    m = st.columns(5)
    m[0].metric("Round", f"{min(rnd + (status != 'ended'), game.rounds)} / {game.rounds}")
    m[1].metric("Hour", f"{steps} / {game.rounds * game.hours_per_round}")
    m[2].metric(clock_label(steps), clock(steps))
    m[3].metric("Choosing", f"{countdown:.0f} s" if countdown is not None else "–")
    m[4].metric("Joined", f"{len(names)} / {game.max_players}")
    st.markdown(f"**{STATUS_WORDS[status].format(r=rnd + 1)}** · {news}")
    if game.fault:
        st.error(f"The party stopped at hour {steps} on an error ({game.fault}); everything "
                 "played and chosen is saved. Press Start to try again.")  # fmt: skip
    return names


@st.fragment(run_every=REFRESH_SECONDS)
def live(game) -> None:
    """The part that changes: status, countdown, joined, headline, leaderboard."""
    if game.revealed:  # revealed from another tab: draw the debrief once, outside
        st.rerun()
    names = show_status(game)
    left, right = st.columns([3, 2])
    board, strategies = game_debrief.tables(game)
    with left:
        st.markdown("**Leaderboard** (net followers since the start)")
        st.dataframe(game_debrief.board_view(board), hide_index=True,
                     width="stretch", height=420)  # fmt: skip
    with right:
        st.markdown("**Built-in strategies** (mean net followers per account)")
        if not strategies.empty:
            st.bar_chart(strategies.set_index("strategy")["net_followers_mean"], height=240,
                         horizontal=True)  # fmt: skip
        st.markdown("**Who has joined**")
        st.dataframe(pd.DataFrame({"name": names}), hide_index=True, height=150,
                     width="stretch")  # fmt: skip
