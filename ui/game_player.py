"""The participant's pages, phone first (390x844): join with the code and a name, then set
one's own account's behaviour with a few big controls, and see the followers gained and lost
with their reasons. A choice is sent with the participant's token from the address; the game
checks it and applies it at the next hour."""

from __future__ import annotations

import streamlit as st

from sim.game import GameError
from sim.game.controls import current_settings, room_limits
from ui import game_debrief
from ui.game_debrief import plain

REFRESH_SECONDS = 3.0  # 30 phones: 10 light reruns a second on the server
RATES = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0)  # posts per hour online (the registry: 0 to 10)
REPLIES = {"never": 0.0, "sometimes": 1.0, "often": 3.0}
THANKS = {"never": 0.0, "sometimes": 0.3, "always": 1.0}
FOLLOW_BACK = {"everyone": "everyone", "after a look at them": "after_a_look", "never": "never"}
MIX = {"social_weight": "Chat", "info_weight": "Information", "promo_weight": "Promotion",
       "question_weight": "Questions"}  # fmt: skip


def nearest(options, value: float):
    return min(options, key=lambda o: abs(o - value))


def join_page(store, code: str) -> None:
    st.title("Join the party")
    with st.form("join"):
        code = st.text_input("Game code", value=str(code)[:6], max_chars=6)
        name = st.text_input("Your display name", max_chars=24)
        go = st.form_submit_button("Join", type="primary")
    if go:
        try:
            game = store.get(code)
            pid, token = game.join(name)
        except GameError as err:
            st.error(str(err))
            return
        # the address holds the token: a refresh on this device resumes the seat
        st.query_params.from_dict({"game": game.code, "player": pid, "token": token})
        st.rerun()


def widget_values(settings: dict) -> dict:
    """The controls' positions for an account's settings."""

    def label(table, value):
        return min(table, key=lambda k: abs(table[k] - value))

    values = {
        "posts_per_hour": nearest(RATES, settings["posts_per_hour"]),
        "hashtag_prob": round(settings["hashtag_prob"], 1),
        "reply_propensity": label(REPLIES, settings["reply_propensity"]),
        "thank_prob": label(THANKS, settings["thank_prob"]),
        "follow_back": next(k for k, v in FOLLOW_BACK.items() if v == settings["follow_back"]),
    }
    values.update({k: round(settings[k], 1) for k in MIX})
    values["rooms"] = list(settings["rooms"])
    return values


def as_settings(values: dict) -> dict:
    """The controls' positions as the account settings the game checks."""
    out = {k: float(values[k]) for k in ("posts_per_hour", "hashtag_prob", *MIX)}
    out["reply_propensity"] = REPLIES[values["reply_propensity"]]
    out["thank_prob"] = THANKS[values["thank_prob"]]
    out["follow_back"] = FOLLOW_BACK[values["follow_back"]]
    out["rooms"] = list(values["rooms"])
    return out


def player_page(game, pid: str, token: str) -> None:
    player = game.player(pid, token)  # refused (GameError) unless the token is theirs
    with game.lock:
        handle = "@" + game.model.handle(player.account)
    st.markdown(f"### {plain(player.name)} · {plain(handle)}")
    if game.revealed:  # nothing changes any more: drawn once, no refresh
        show_status(game, player)
        game_debrief.debrief(game, f"player_{player.account}", exports=False)
        return
    top = st.container()  # the status goes here, drawn last (see status)
    if game.status == "ended":
        st.info("The game has ended: your choices are final.")
    else:
        choices(game, pid, token)
        feed(game, pid, token)
    with top:
        status(game, player, (game.status == "ended", game.revealed))


@st.fragment(run_every=REFRESH_SECONDS)
def status(game, player, drawn: tuple[bool, bool]) -> None:
    """Round, hour, followers and the last round's story; when the game ends or the debrief
    is revealed the whole page is drawn again once (the controls go, the debrief comes).

    Called last in the page's run (drawn at the top through a container): the browser starts
    its refresh timer when it receives this fragment, so by then the server has sent the rest
    of the page. A refresh asked for in the instant the page's run ends while the server is
    still sending it can make Streamlit start a new run and drop what the old one had not sent
    (what a loaded server did to a phone's first page in a 20-phone test)."""
    if (game.status == "ended", game.revealed) != drawn:
        st.rerun()
    show_status(game, player)


@st.fragment
def choices(game, pid: str, token: str) -> None:
    """The controls in a fragment of their own: an Apply redraws only them, so after the
    page's first drawing no run of the whole page is needed (a whole-page run racing the
    status refresh could lose an Apply or the controls, seen with 20 phones on one loaded
    server); the status refreshes on its own and each waits for the other."""
    player = game.player(pid, token)
    with game.lock:
        start = widget_values(current_settings(game.model, player.account))
        rooms = room_limits(game.model)
    controls(game, pid, token, start, rooms)


FEED_ITEMS = 6  # items of the participant's feed shown to act on
ACT_LABELS = {"reply": "Reply", "retweet": "Retweet", "follow": "Follow"}


@st.fragment
def feed(game, pid: str, token: str) -> None:
    """The newest items of the participant's own feed, each with Reply, Retweet and Follow
    (its author): the account does it at the start of the next hour. A fragment of its own
    without a refresh: the list stays as drawn (a tap answers and greys what is done, it
    does not bring new items under a thumb); "Show newer" draws the newest again."""
    ss, shown = st.session_state, f"game_feed_{game.code}_{pid}"  # (hour, items) shown
    with st.expander("Your feed: reply, retweet, follow", expanded=False):
        newer = st.button("Show newer", key="feed_newer")
        try:
            kept = None if newer or shown not in ss else ss[shown][1]
            hour, items = game.feed(pid, token, FEED_ITEMS, kept)
        except GameError as err:
            st.error(str(err))
            return
        if kept is None:
            ss[shown] = (hour, [entry["item"] for entry in items])
        st.caption(f"Your feed at hour {ss[shown][0]}, newest first")
        if not items:
            st.caption("Nothing in your feed yet: it fills as the party plays.")
        for entry in items:
            st.markdown(plain(feed_line(entry)))
            cols = st.columns(len(ACT_LABELS))
            for col, (action, label) in zip(cols, ACT_LABELS.items(), strict=True):
                col.button(label, key=f"act_{action}_{entry['item']}",
                           disabled=not entry["can"][action], on_click=act,
                           args=(game, pid, token, action, entry["item"]))  # fmt: skip
        answer = ss.pop("game_act_answer", None)
        if answer:
            kind, text = answer
            getattr(st, kind)(text)


def feed_line(entry: dict) -> str:
    """One feed item in words: who, what kind, where, when."""
    what = f"{entry['kind']} {entry['form']}"
    if entry["form"] == "retweet":
        what = f"retweeted @{entry['content_by']}'s {entry['kind']} post"
    room = f" in {entry['room']}" if entry["room"] else ""
    return f"@{entry['by']}: {what}{room} · hour {entry['hour']}"


def act(game, pid: str, token: str, action: str, item: int) -> None:
    """A feed button's callback: the action goes to the game, which checks it (the
    participant's token, their own feed) and answers."""
    try:
        st.session_state.game_act_answer = ("success", game.act(pid, token, action, item))
    except GameError as err:
        st.session_state.game_act_answer = ("error", str(err))


def applied(move: dict) -> str:
    """What a choice changed and from which hour (the hour it was made, plus one)."""
    return f"Applied from hour {move['hour'] + 1}: " + ", ".join(sorted(move["settings"]))


def show_status(game, player) -> None:
    """Round, hour, followers, the participant's last applied choice (kept on the page, so a
    refresh or a lost confirmation still shows what the game holds) and the story."""
    account = player.account
    with game.lock:
        steps, rnd, state = game.model.steps, game.round, game.status
        countdown = game.countdown()
        now = int(game.model.follows.in_degree[account])
        net = now - int(game.model.followers_at_start[account])
    words = {"lobby": "Waiting for the trainer to start",
             "playing": f"Round {rnd + 1} of {game.rounds} is playing",
             "choosing": f"Choose for round {rnd + 1}" + (
                 f": {countdown:.0f} s left" if countdown is not None else ""),
             "paused": "Paused by the trainer", "ended": "Game over"}  # fmt: skip
    st.markdown(f"**{words[state]}** · hour {steps}")
    a, b = st.columns(2)
    a.metric("Followers", now)
    b.metric("Net since the start", f"{net:+d}")
    last = game.last_move(player.pid)
    st.caption(f"Your last change · {applied(last)}" if last else "You have changed nothing yet.")
    story(game, account)


def controls(game, pid: str, token: str, start: dict, rooms: tuple[list[str], int]) -> None:
    """The big controls; only the ones moved are sent. Each widget has a fixed key and takes
    its first position from the account (a changing default would make it a new widget,
    losing what the participant just moved). Apply sends the choice from its callback, which
    runs before the page is drawn again, and the page shows the answer below the form."""
    ss = st.session_state
    for name, value in start.items():
        ss.setdefault(f"game_{name}", value)
    with st.form("choices"):
        st.markdown("**Your account's behaviour** (applies from the next hour)")
        st.select_slider("How often you post (per hour online)", RATES, key="game_posts_per_hour")
        st.markdown("What you post (relative weights)")
        for name, label in MIX.items():
            st.slider(label, 0.0, 1.0, step=0.1, key=f"game_{name}")
        names, most = rooms
        st.multiselect(f"Your hashtag rooms (1 to {most}): you browse them and tag posts "
                       "with them", names, max_selections=most, key="game_rooms")  # fmt: skip
        st.slider("Posts tagged with a hashtag room", 0.0, 1.0, step=0.1, key="game_hashtag_prob")
        st.radio("Reply to mentions and posts", list(REPLIES), horizontal=True,
                 key="game_reply_propensity")  # fmt: skip
        st.radio("Thank those who retweet you", list(THANKS), horizontal=True,
                 key="game_thank_prob")  # fmt: skip
        st.radio("Follow back", list(FOLLOW_BACK), horizontal=True, key="game_follow_back")
        st.form_submit_button("Apply", type="primary", on_click=apply, args=(game, pid, token))
    answer = ss.pop("game_answer", None)
    if answer:
        kind, text = answer
        getattr(st, kind)(text)


def apply(game, pid: str, token: str) -> None:
    """Apply's callback: the moved controls against the account's settings now; what the
    game answered is kept for the page to show ("game_answer": kind of message, words)."""
    ss = st.session_state
    if not ss["game_rooms"]:
        ss.game_answer = ("error", "Choose at least one hashtag room.")
        return
    try:
        player = game.player(pid, token)
        with game.lock:
            start = widget_values(current_settings(game.model, player.account))
        moved = as_settings({name: ss[f"game_{name}"] for name in start})
        before = as_settings(start)
        same = lambda k, v: set(v) == set(before[k]) if k == "rooms" else v == before[k]  # noqa: E731
        changed = {k: v for k, v in moved.items() if not same(k, v)}  # rooms: order aside
        if not changed:
            ss.game_answer = ("info", "Nothing changed: your account keeps its settings.")
            return
        game.choose(pid, token, changed)
        last = game.last_move(pid)
        ss.game_answer = ("success", applied(last) if last else "Applied")
    except GameError as err:
        ss.game_answer = ("error", str(err))


def story(game, account: int) -> None:
    """Followers gained and lost in the last round, with the reasons."""
    with game.lock:
        since = max(0, (game.round - 1) * game.hours_per_round) if game.round else 0
        lines = game_debrief.story_lines(game.model, account, since, you=True)
    with st.expander(f"Who followed and unfollowed you since hour {since}", expanded=True):
        st.text("\n".join(lines[-15:]) or "Nobody yet: keep going.")
