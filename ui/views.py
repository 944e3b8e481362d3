"""The page's sections. app.py only lays them out; each function draws one part."""

from __future__ import annotations

import streamlit as st

from sim import metrics
from ui import MAX_STEPS, charts, runner
from ui import settings as cfg
from ui.network import figure_png, network_figure, room_layout
from ui.story import account_events, account_summary, interesting_accounts

COUNTER_CHARTS = ("unfollows_received", "blocks_received", "retweets_received")


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
    with right:
        base = ss.base
        st.markdown(f"**{base.name}** — {' '.join(base.description.split())}")
        if base.claim:
            st.info(f"**Claim:** {' '.join(base.claim.split())}", icon=":material/lightbulb:")
    if ss.get("link_error"):
        st.warning(ss.link_error)


# ----------------------------------------------------------------------------- live


def _play() -> None:
    ss = st.session_state
    if not runner.at_end(ss.model):
        ss.playing = not ss.playing
        ss.last_tick = 0.0


def _step(hours: int) -> None:
    ss = st.session_state
    ss.playing = False
    runner.advance(ss.model, hours)


def _reset() -> None:
    runner.reset(st.session_state)


def controls(ss) -> None:
    model = ss.model
    cols = st.columns([1.2, 1, 1.6, 1, 2.4])
    end = runner.at_end(model)
    label = "Pause" if ss.playing else ("Play" if not end else "End reached")
    icon = ":material/pause:" if ss.playing else ":material/play_arrow:"
    cols[0].button(label, icon=icon, on_click=_play, type="primary", disabled=end and not ss.playing,
                   width="stretch", key="play")  # fmt: skip
    cols[1].button(
        "Step 1 h",
        icon=":material/skip_next:",
        on_click=_step,
        args=(1,),
        width="stretch",
        key="step",
    )
    with cols[2]:
        sub = st.columns([1, 1])
        hours = sub[0].number_input("hours", 1, MAX_STEPS, 24, key="run_hours",
                                    label_visibility="collapsed")  # fmt: skip
        sub[1].button(f"Run {int(hours)} h", on_click=_step, args=(int(hours),),
                      width="stretch", key="run_n")  # fmt: skip
    cols[3].button(
        "Reset", icon=":material/restart_alt:", on_click=_reset, width="stretch", key="reset"
    )
    cols[4].select_slider("Speed (simulated hours per second)", runner.SPEEDS, key="speed",
                          label_visibility="visible")  # fmt: skip
    if end and not ss.playing:
        st.caption(
            f"The scenario's {model.spec.steps} hours are done: the numbers now equal "
            f"`partysim run {ss.base_preset or 'FILE'} --seed {model.seed} --json`. "
            "Step or Run N h to go on; Reset to start again."
        )


def layout_for(ss):
    key = (ss.model_key, ss.model.seed)
    if ss.get("layout_key") != key:
        ss.layout = room_layout(ss.model)
        ss.layout_key = key
    return ss.layout


def live_view(ss) -> None:
    """Stats, charts and the network picture; refreshed by a timer while playing."""

    @st.fragment(run_every=runner.TICK_SECONDS if ss.playing else None)
    def _live() -> None:
        if ss.playing:
            runner.tick(ss)
        model = ss.model
        summary = metrics.summary(model)
        ev, net = summary["events"], summary["network"]
        cols = st.columns(7)
        cols[0].metric("Hour", f"{model.steps} / {model.spec.steps}")
        cols[1].metric("Clock", runner.clock(model.steps))
        cols[2].metric("Accounts", f"{model.n:,}")
        cols[3].metric("Follow edges", f"{net['follow_edges']:,}")
        cols[4].metric("Reciprocity", f"{net['reciprocity']:.0%}")
        cols[5].metric("Unfollows", f"{ev['unfollows']:,}")
        cols[6].metric("Blocks", f"{ev['blocks']:,}")
        table = metrics.tidy_steps(model)
        names = model.strategy_names
        horizon = max(model.spec.steps, model.steps)  # a fixed frame: the lines grow across
        left, right = st.columns([1, 1])
        with left:
            st.altair_chart(
                charts.strategy_lines(
                    table, "followers_mean", names, 420, "Followers per strategy", horizon
                ),
                width="stretch",
            )
        with right:
            live_net = st.session_state.get("live_network", True)
            if live_net or not ss.playing or "net_png" not in ss:
                layout = layout_for(ss)
                ss.net_png = figure_png(network_figure(model, layout, ss.get("story_pick")))
            st.image(ss.net_png, width="stretch")
        cols = st.columns(3)
        for col, metric in zip(cols, COUNTER_CHARTS, strict=True):
            with col:
                st.altair_chart(charts.strategy_lines(table, metric, names, 240, x_max=horizon),
                                width="stretch")  # fmt: skip
        recent_events(model)

    _live()
    st.checkbox("Redraw the network picture every tick", True, key="live_network",
                help="Turn off on a slow machine: the picture then updates when paused.")  # fmt: skip


def recent_events(model, k: int = 6) -> None:
    cols = model.events.columns()
    from sim.events import FOLLOW, describe

    losses = [i for i in range(len(cols["event"]) - 1, -1, -1) if cols["event"][i] != FOLLOW][:k]
    if not losses:
        return

    lines = []
    for i in losses:
        row = {name: values[i] for name, values in cols.items()}
        text = describe(row, model.handle, model.room_name)
        lines.append(f"- hour {int(row['step'])}: @{model.handle(int(row['actor']))} {text}")
    st.markdown("**Latest unfollows and blocks**\n" + "\n".join(lines))


# ----------------------------------------------------------------------------- story


def story(ss) -> None:
    model = ss.model
    good = interesting_accounts(model)
    options = [-1, *range(model.n)]

    def label(i: int) -> str:
        if i < 0:
            now = f"@{model.handle(good[0])}" if good else "none yet"
            return f"The most unfollowed and blocked account right now ({now})"
        return f"@{model.handle(i)} ({model.strategy_names[model.strategy_id[i]]})"

    choice = st.selectbox("Account", options, format_func=label, key="story_account")
    pick = (good[0] if good else 0) if choice in (None, -1) else choice
    if pick is None:
        return
    show = st.toggle("Mark this account in the network picture", False, key="story_mark")
    ss.story_pick = int(pick) if show else None
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
                    key="story_role")  # fmt: skip
    kinds = c2.multiselect("Events", ["follow", "unfollow", "block"],
                           ["follow", "unfollow", "block"], key="story_kinds")  # fmt: skip
    shown = events[events["event"].isin(kinds)]
    if role != "all":
        shown = shown[shown["role"] == ("actor" if role == "done by them" else "target")]
    counts = events.groupby(["role", "event"]).size().to_dict()
    st.caption(
        f"{info['handle']}: followed {counts.get(('actor', 'follow'), 0)}, unfollowed "
        f"{counts.get(('actor', 'unfollow'), 0)}, blocked {counts.get(('actor', 'block'), 0)}; "
        f"was followed {counts.get(('target', 'follow'), 0)}, unfollowed "
        f"{counts.get(('target', 'unfollow'), 0)}, blocked {counts.get(('target', 'block'), 0)} "
        "times."
    )
    lines = [f"- **hour {r.hour}** · {r.why}" for r in shown.head(25).itertuples()]
    st.markdown("\n".join(lines) if lines else "_no events of this kind_")
    if len(shown) > 25:
        st.dataframe(shown[["hour", "what", "who", "why"]], hide_index=True,
                     width="stretch")  # fmt: skip


# ----------------------------------------------------------------------------- compare
