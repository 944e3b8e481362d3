"""The page's sections. app.py only lays them out; each function draws one part."""

from __future__ import annotations

import streamlit as st

from sim.engine.reasons import EVENT_KINDS, EVENT_NAMES
from ui import runner
from ui import settings as cfg
from ui.story import account_events, account_summary, headline, interesting_accounts
from ui.widgets import KEEP

# ----------------------------------------------------------------------------- header


def _pick_preset() -> None:
    cfg.set_base(st.session_state.preset_choice)
    st.session_state.upload_ok = ""


def header(ss) -> None:
    """Preset picker, description and the claim it demonstrates."""
    names = cfg.presets()
    left, right = st.columns([1, 3])
    with left:
        index = names.index(ss.base_preset) if ss.base_preset in names else None
        st.selectbox(
            "Scenario preset",
            names,
            index=index,
            key="preset_choice",
            on_change=_pick_preset,
            placeholder="(uploaded scenario)",
            help="Scenario files shipped in scenarios/ (the same names as `partysim run NAME`).",
        )
        if ss.base_preset is None:
            st.caption(f"Uploaded: **{ss.base.name}** ({ss.base.source})")
        elif cfg.platform_scale(ss.base_preset):  # its description gives the file's size
            st.caption(resized_note(ss.base))
    with right:
        base = ss.base
        st.markdown(f"**{base.name}** — {' '.join(base.description.split())}")
        if base.claim:
            st.info(f"**Claim:** {' '.join(base.claim.split())}", icon=":material/lightbulb:")
    if ss.get("link_error"):
        st.warning(ss.link_error)


def resized_note(scenario) -> str:
    """What a platform-scale preset's description does not say: the app runs it smaller."""
    return (
        f"Here at {scenario.n_accounts:,} accounts, in the file's shares (the app's limit); "
        "the command line runs any size."
    )


# ----------------------------------------------------------------------------- story

STORY_TAB = "Tell the story"


def story(ss) -> None:
    """The story tab; refreshed with the live party while it plays."""

    # refreshed only while its tab is open: a hidden story costs the browser for nothing
    live = ss.playing and ss.get("main_tab") == STORY_TAB

    @st.fragment(run_every=runner.TICK_SECONDS if live else None)
    def _story() -> None:
        before = ss.get("story_pick")
        story_body(ss)
        if ss.get("story_pick") != before and not ss.playing:
            st.rerun(scope="app")  # the mark shows in the network picture at once

    _story()


STORY_LEADER = "The most unfollowed and blocked account (changes as the party plays)"


def story_label(model, i: int) -> str:
    """The account chooser's words. The first entry's words never change: the browser keeps
    a chosen entry's words from when it was chosen, so an account named there went stale
    while the party played; :func:`story_leader` names it beside the chooser."""
    if i < 0:
        return STORY_LEADER
    return f"@{model.handle(i)} ({model.strategy_names[model.strategy_id[i]]})"


def story_leader(model, good: list[int]) -> str:
    """Which account the chooser's first entry stands for at this hour, in words."""
    if good:
        return f"The most unfollowed and blocked account right now: @{model.handle(good[0])}"
    return f"Nobody unfollowed or blocked yet: showing @{model.handle(0)}"


def story_body(ss) -> None:
    model = ss.model
    st.markdown(headline(model))
    good = interesting_accounts(model)
    options = [-1, *range(model.n)]
    choice = st.selectbox("Account", options, format_func=lambda i: story_label(model, i),
                          key="story_account", persist_state=KEEP)  # fmt: skip
    pick = (good[0] if good else 0) if choice in (None, -1) else choice
    if choice in (None, -1):
        st.caption(story_leader(model, good))
    show = st.toggle("Mark this account in the network picture", False, key="story_mark",
                     persist_state=KEEP)  # fmt: skip
    ss.story_pick = int(pick) if show else None
    st.caption(f"hour {model.steps} of {model.spec.steps}" + (" · playing" if ss.playing else ""))
    info = account_summary(model, int(pick))
    cols = st.columns(5)
    for col, key in zip(
        cols, ["strategy", "main room", "followers at start", "followers now", "posts"], strict=True
    ):
        col.metric(key, str(info[key]))
    events = account_events(model, int(pick))
    if events.empty:
        st.info(f"Nothing has happened to {info['handle']} yet (hour {model.steps}).")
        return
    c1, c2 = st.columns(2)
    role = c1.radio("Show", ["all", "done by them", "done to them"], horizontal=True,
                    key="story_role", persist_state=KEEP)  # fmt: skip
    kinds = c2.multiselect("Events", list(EVENT_NAMES), list(EVENT_NAMES), key="story_kinds",
                           persist_state=KEEP)  # fmt: skip
    shown = events[events["event"].isin(kinds)]
    if role != "all":
        shown = shown[shown["role"] == ("actor" if role == "done by them" else "target")]
    counts = events.groupby(["role", "event"]).size().to_dict()
    done = ", ".join(f"{k.done} {counts.get(('actor', k.name), 0)}" for k in EVENT_KINDS)
    done_to = ", ".join(
        f"{k.done_to.removesuffix(' by')} {counts.get(('target', k.name), 0)}" for k in EVENT_KINDS
    )
    st.caption(f"{info['handle']}: {done}; {done_to} times.")
    lines = [f"- **hour {r.hour}** · {r.why}" for r in shown.head(25).itertuples()]
    st.markdown("\n".join(lines) if lines else "_no events of this kind_")
    if len(shown) > 25:
        st.dataframe(shown[["hour", "what", "who", "why"]], hide_index=True,
                     width="stretch")  # fmt: skip
