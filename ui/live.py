"""The Live party tab: controls, counters, charts, the network and the latest events.

Everything here is one Streamlit fragment that reruns every ``runner.TICK_SECONDS`` while
playing, so a refresh redraws only this tab. The charts are Vega-Lite specs built once per
party (ui.charts.live_lines, ui.network_live) with fresh data per frame: the browser draws.

Play/Pause is a fragment of its own inside it: a Pause click reruns only that button, so the
page shows Play right after the frame already on its way (no hour is simulated after the
click, and no second copy of the charts is sent). The timer is stopped later, by a tick at
least ``runner.STOP_TIMER_AFTER_SECONDS`` after the pause, with a full-app rerun: rerunning
the app at the click itself would drop the unsent Play button (a starting run clears the
messages not yet sent) and redraw every tab before showing it.

A click still waits for the refresh in progress (Streamlit does not interrupt it), so each
refresh is kept short: it stops simulating as soon as a click waits (``click_waiting``),
and at 24 h/s and above the line charts and the network take turns (``turns``), so the
browser has half as much to redraw before it shows Play. The network picture can be
switched off.
"""

from __future__ import annotations

import copy

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sim.analysis import metrics
from sim.engine.reasons import FOLLOW
from ui import MAX_STEPS, PICTURE_ACCOUNTS, charts, reality_badge, runner
from ui.eye_view import eye_view
from ui.network import room_layout
from ui.network_live import network_data, network_spec
from ui.story import headline, lay_describe

COUNTER_CHARTS = ("unfollows_received", "blocks_received", "retweets_received")
# the network is drawn on a canvas, not as SVG: one bitmap instead of a DOM node for each of
# its ~1,000 marks every frame, so the browser keeps up (and a Pause click is not queued
# behind redraws); the line charts have a few paths each and stay SVG (titles in the page)
CANVAS = {"embedOptions": {"renderer": "canvas"}}
MAX_LINE_POINTS = 90  # per strategy and chart: every k-th hour (and the latest) once longer
PRESENTER_CSS = """<style>
header[data-testid='stHeader'], [data-testid='stToolbar'], .presenter-hide {display:none}
.block-container {padding-top: 0.6rem !important}
.st-key-presenter_claim p {white-space: nowrap; overflow: hidden; text-overflow: ellipsis}
@media (max-width: 1800px), (max-height: 1000px) {.block-container {zoom: 0.8}}
@media (max-width: 1500px), (max-height: 850px) {.block-container {zoom: 0.667}}
</style>"""  # the layout is made for 1920x1080; smaller screens see it scaled, whole


def layout_for(ss):
    key = (ss.model_key, ss.model.seed)
    if ss.get("layout_key") != key:
        ss.layout = room_layout(ss.model)
        ss.layout_key = key
    return ss.layout


def _play() -> None:
    ss = st.session_state
    if not ss.playing and not runner.at_end(ss.model):
        runner.play(ss)


def _pause() -> None:
    runner.pause(st.session_state)


def _step(hours: int) -> None:
    ss = st.session_state
    runner.pause(ss)
    model = ss.model
    remaining = model.spec.steps - model.steps
    if 0 < remaining < hours:  # never pass the scenario's end silently
        hours = remaining
        ss.run_note = (
            f"Stopped at the scenario's end (hour {model.spec.steps}) instead of running "
            f"{int(st.session_state.get('run_hours', hours))} h; press again to go beyond it."
        )
    else:
        ss.run_note = ""
    runner.advance(model, hours)


def _reset() -> None:
    runner.reset(st.session_state)
    st.session_state.run_note = ""


def _picture() -> None:
    ss = st.session_state
    ss.show_picture = ss.picture  # kept apart from the widget: presenter mode hides it


def _respeed() -> None:
    ss = st.session_state
    ss.play_speed = ss.speed
    runner.anchor(ss)


def click_waiting() -> bool:
    """True when a button click (Pause, Step, Reset...) waits for this run to end.

    Streamlit does not interrupt a fragment's run for a click in another fragment: the
    click is handled after it. The tick asks this before each simulated hour and stops
    simulating, so a Pause waits for the drawing only, not for the rest of the hours due.
    It peeks at Streamlit's pending rerun request (private fields: if a Streamlit version
    changes them, this says False and the tick runs to its budget, as before)."""
    try:
        requests = get_script_run_ctx(suppress_warning=True).script_requests
        if requests._state.name != "RERUN":
            return False
        states = requests._rerun_data.widget_states
        return states is not None and any(
            w.WhichOneof("value") == "trigger_value" and w.trigger_value for w in states.widgets
        )
    except Exception:  # noqa: BLE001 - no run context, or Streamlit's internals moved
        return False


def play_pause(ss) -> None:
    """The Play or Pause button (its own fragment: see the module's docstring)."""
    # two buttons, not one toggle: a click that Streamlit replays after an interrupted
    # run (st.rerun) pauses twice instead of resuming the party
    if ss.playing:
        st.button("Pause", icon=":material/pause:", on_click=_pause, type="primary",
                  width="stretch", key="pause")  # fmt: skip
    else:
        end = runner.at_end(ss.model)
        st.button("Play" if not end else "End reached", icon=":material/play_arrow:",
                  on_click=_play, type="primary", width="stretch", disabled=end,
                  key="play")  # fmt: skip


def controls(ss, play_button) -> None:
    """The control row; ``play_button`` draws Play/Pause in its first column."""
    model = ss.model
    end = runner.at_end(model)
    presenter = ss.get("presenter", False)
    cols = st.columns([1.3, 1, 1.7, 1, 2.6, 1.4] if not presenter else [1.3, 1, 2.6, 3.2, 1.4])
    with cols[0]:
        play_button()
    cols[-1].toggle("Presenter", key="presenter",
                    help="Hide the settings: the party, Play/Pause, Reset, the speed and the "
                         "claim, on one screen (1280x720 and up).")  # fmt: skip
    if presenter:
        cols[1].button("Reset", icon=":material/restart_alt:", on_click=_reset, width="stretch",
                       key="reset")  # fmt: skip
        cols[2].select_slider("Speed (simulated hours per second)", runner.SPEEDS,
                              value=ss.play_speed, key="speed", on_change=_respeed,
                              label_visibility="collapsed")  # fmt: skip
        cols[3].markdown(f"**{model.spec.name}** · {speed_text(ss)}")
        claim = " ".join(model.spec.claim.split())
        if claim:
            st.container(key="presenter_claim").markdown(f"**Claim:** {claim}")
        return
    cols[-1].toggle("Network picture", value=ss.get("show_picture", True), key="picture",
                    on_change=_picture,
                    help="Off: the browser draws less each refresh (a slow machine, a long "
                         "party at top speed). Kept in presenter mode.")  # fmt: skip
    cols[1].button("Step 1 h", icon=":material/skip_next:", on_click=_step, args=(1,),
                   width="stretch", key="step")  # fmt: skip
    with cols[2]:
        sub = st.columns([1, 1])
        hours = sub[0].number_input("hours", 1, MAX_STEPS, 24, key="run_hours",
                                    label_visibility="collapsed")  # fmt: skip
        sub[1].button(f"Run {int(hours)} h", on_click=_step, args=(int(hours),),
                      width="stretch", key="run_n")  # fmt: skip
    cols[3].button("Reset", icon=":material/restart_alt:", on_click=_reset, width="stretch",
                   key="reset")  # fmt: skip
    cols[4].select_slider("Speed (simulated hours per second)", runner.SPEEDS,
                          value=ss.play_speed, key="speed",
                          on_change=_respeed, help=speed_text(ss))  # fmt: skip
    if ss.get("run_note"):
        st.caption(ss.run_note)
    elif ss.playing:
        st.caption(speed_text(ss))
    elif model.steps == model.spec.steps and ss.get("cli_command"):
        st.caption(
            f"The scenario's {model.spec.steps} hours are done: the numbers now equal "
            f"`{ss.cli_command}`. Step or Run N h to go on; Reset to start again."
        )
    elif end:
        st.caption(f"{model.steps - model.spec.steps} hours past the scenario's end "
                   f"({model.spec.steps} h). Reset to start again.")  # fmt: skip


def speed_text(ss) -> str:
    real = runner.measured_speed(ss)
    unit = "hour" if ss.play_speed == 1 else "hours"
    wanted = f"asked: {ss.play_speed} simulated {unit} per second"
    if not ss.playing or real is None:
        return wanted
    return f"{wanted}; really: {real:.1f} h/s"


def live_view(ss) -> None:
    """The tab; a fragment that refreshes itself while playing."""
    timed = bool(ss.playing)  # this app run decides whether the timer runs
    presenter_on = bool(ss.get("presenter", False))

    @st.fragment
    def _play_pause() -> None:
        play_pause(ss)
        if ss.playing and not timed:
            st.rerun(scope="app")  # start the timer

    @st.fragment(run_every=runner.TICK_SECONDS if timed else None)
    def _live() -> None:
        presenter_changed = ss.get("presenter", False) != presenter_on
        if presenter_changed or (timed and not ss.playing and runner.timer_can_stop(ss)):
            st.rerun(scope="app")  # show or hide the settings; stop the timer after a pause
        if ss.playing:
            runner.tick(ss, click_waiting)  # at the end it pauses: this run shows the last hour
        controls(ss, _play_pause)
        panels(ss)

    _live()


def panels(ss) -> None:
    model = ss.model
    summary = metrics.summary(model)
    ev, net = summary["events"], summary["network"]
    cols = st.columns(7)
    cols[0].metric("Hour", f"{model.steps} / {model.spec.steps}")
    cols[1].metric(runner.clock_label(model.steps), runner.clock(model.steps))
    value, leaves, why = reality_badge.badge(ss)
    cols[2].container(key="box_reality_badge").metric(
        "Reality badge", value, f"leaves: {leaves}" if leaves else None, delta_color="inverse",
        delta_arrow="off", help=why)  # fmt: skip
    cols[3].metric("Follow edges", f"{net['follow_edges']:,}")
    cols[4].metric("Reciprocity", f"{net['reciprocity']:.0%}")
    cols[5].metric("Unfollows", f"{ev['unfollows']:,}")
    cols[6].metric("Blocks", f"{ev['blocks']:,}")
    lines_now, network_now = turns(ss)
    line_specs = frame_cache(ss, "lines", lines_now, lambda: line_frames(ss))
    words, switch = st.columns([7, 1], vertical_alignment="center")
    words.container(key="box_headline").markdown(headline(model))
    switch.toggle("Follower levels", key="live_levels",
                  help="Off: net followers since the start (gained minus lost), the change "
                       "the strategies make. On: followers per account, whose order the "
                       "starting network sets.")  # fmt: skip
    left, right = st.columns([1.1, 1])
    with left:
        # keyed containers: the browser tests and the benchmark find each chart by its key
        st.container(key="box_followers").vega_lite_chart(
            line_specs[0], width="stretch", key="chart_followers"
        )
        for col, metric, spec in zip(st.columns(3), COUNTER_CHARTS, line_specs[1:], strict=True):
            col.container(key=f"box_{metric}").vega_lite_chart(
                spec, width="stretch", key=f"chart_{metric}"
            )
        recent_events(model)  # under the charts: the taller network column would push it
    with right:  # below the fold of a 1080p screen
        if not ss.get("show_picture", True):
            st.container(key="box_network_off").caption(PICTURE_OFF)
            return
        if model.n > PICTURE_ACCOUNTS:  # the town square: one account's view, not a picture
            eye_view(ss)
            return
        spec = frame_cache(ss, "network", network_now, lambda: on_canvas(network_frame(ss)))
        st.container(key="box_network").vega_lite_chart(spec, width="stretch", key="chart_network")


PICTURE_OFF = (
    "The network picture is off (**Network picture** beside Presenter): the browser has "
    "less to draw each refresh, for a slow machine or a long party at top speed."
)
TAKE_TURNS_FROM = 24  # h/s: from this speed on the line charts and the network take turns


def turns(ss) -> tuple[bool, bool]:
    """Whether this refresh redraws (line charts, network). At the top speeds they take
    turns, one each refresh: the browser redraws half as much per refresh, so a Pause click
    queues behind less drawing (the line charts are most of it: four Vega views). Each is
    still redrawn every other refresh (1.4 s); paused, or slower, both always are."""
    if not (ss.playing and ss.play_speed >= TAKE_TURNS_FROM):
        return True, True
    ss.live_turn = not ss.get("live_turn", False)
    return ss.live_turn, not ss.live_turn


def frame_cache(ss, name: str, fresh: bool, build):
    """``build()``, or the same spec as last refresh when not ``fresh``: the browser sees
    identical data and skips the redraw. A new party, mark or layout always builds."""
    key = (id(ss.model), ss.model_key, ss.get("story_pick"), ss.get("presenter", False),
           ss.get("play_speed"), followers_metric(ss))  # fmt: skip
    cache = ss.setdefault("frame_cache", {})
    if fresh or cache.get(name, (None,))[0] != key:
        cache[name] = (key, build())
    return cache[name][1]


def line_frames(ss) -> list[dict]:
    """The followers chart and the three counter charts (specs with this frame's data)."""
    model = ss.model
    table = thin(metrics.tidy_steps(model), MAX_LINE_POINTS)
    names = list(model.strategy_names)
    horizon = max(model.spec.steps, model.steps)  # a fixed frame: the lines grow across
    # normal mode shows the title and preset above the tabs: shorter charts keep the latest
    # events above the fold of a 1080p screen
    presenter = ss.get("presenter", False)
    tall, short = followers_height(presenter, len(names)), 140 if presenter else 70
    metric = followers_metric(ss)
    followers = charts.live_lines(table, metric, names, tall, FOLLOWERS_TITLES[metric], horizon,
                                  legend=True)  # fmt: skip
    counters = [charts.live_lines(table, metric, names, short, charts.SHORT[metric], horizon)
                for metric in COUNTER_CHARTS]  # fmt: skip
    return [followers, *counters]


FOLLOWERS_HEIGHT = {False: 110, True: 225}  # the plot's pixels, by presenter mode
LEGEND_ROW = 18  # pixels a strategy takes in the legend beside the plot


def followers_height(presenter: bool, strategies: int) -> int:
    """The followers chart's height: its own, or taller when the legend beside it needs
    more (the town square's 9 strategies were cut to 7 in a 110-pixel chart); its last row
    may hang beside the axis labels."""
    return max(FOLLOWERS_HEIGHT[presenter], LEGEND_ROW * (strategies - 1))


FOLLOWERS_TITLES = {
    "net_followers": "Net followers per account since the start (gained minus lost)",
    "followers_mean": "Followers per account (levels: the start decides the order)",
}


def followers_metric(ss) -> str:
    """Net followers since the start by default: the week's change is a few followers on
    starting levels of 14-28, so levels draw flat lines in the order of the starting network;
    the levels stay one click away (the "Follower levels" toggle)."""
    return "followers_mean" if ss.get("live_levels", False) else "net_followers"


def thin(table, max_points: int):
    """Every k-th hour and the latest, at most about ``max_points`` per strategy: a chart a
    few hundred pixels wide shows no more, and each frame's data (and the browser's work
    redrawing it) stops growing with the hour."""
    steps = table["step"].to_numpy()
    last = int(steps.max(initial=0))
    every = -(-(last + 1) // max_points)  # ceiling division
    if every <= 1:
        return table
    return table[(steps % every == 0) | (steps == last)]


def on_canvas(spec: dict) -> dict:
    return {**spec, "usermeta": {**spec.get("usermeta", {}), **CANVAS}}


def network_frame(ss) -> dict:
    """This frame's network spec: the cached template plus fresh data."""
    model, pick = ss.model, ss.get("story_pick")
    flash = max(3, int(ss.play_speed // 2))  # about half a second of changes at this speed
    presenter = ss.get("presenter", False)  # the room's screen has height to spare
    key = (ss.model_key, model.seed, pick, flash, presenter)
    if ss.get("net_spec_key") != key:
        height = 420 if presenter else 345  # normal: the event legend fits above the fold
        ss.net_spec = network_spec(model, layout_for(ss), pick, flash, height=height)
        ss.net_spec_key = key
    spec = copy.deepcopy(ss.net_spec)
    spec["datasets"] = {**spec.get("datasets", {}), **network_data(model, layout_for(ss), flash)}
    return spec


EVENT_LINE_CHARS = 104  # one line of the left column at 1920 px: the list keeps its height


def one_line(text: str, limit: int = EVENT_LINE_CHARS) -> str:
    """``text`` cut to ``limit`` characters at a word, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(";:,(") + "…"


def recent_events(model, k: int = 2) -> None:
    """The latest unfollows and blocks, one line each (so the list never pushes below the
    fold of a 1080p projector, whatever the reasons say); the whole reasons are in the
    story tab."""
    cols = model.events.columns()
    losses = np.flatnonzero(cols["event"] != FOLLOW)[::-1][:k]
    if not len(losses):
        st.markdown("**Latest unfollows and blocks:** none yet")
        return
    lines = []
    for i in losses:
        row = {name: values[i] for name, values in cols.items()}
        text = lay_describe(row, model.handle, model.room_name)
        line = f"hour {int(row['step'])}: @{model.handle(int(row['actor']))} {text}"
        lines.append(f"- {one_line(line)}")
    st.markdown(
        "**Latest unfollows and blocks** (whole reasons: *Tell the story*)\n" + "\n".join(lines)
    )
