"""The app as its users met it in a browser audit: a tab's choices survive Play and Pause
on another tab, the new initial-network settings have words for labels, the town square says
the size it runs at, its legend fits, and the account's-eye chooser carries no frozen count."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_app import new_app, no_exceptions

from sim.config.params import MODEL_PARAMS
from ui import MAX_ACCOUNTS, widgets
from ui import eye_view as ev
from ui.live import LEGEND_ROW, followers_height


def play_and_pause_on_the_live_tab(at: AppTest) -> None:
    """Play as the browser does (only the live tab drawn while playing), then Pause."""
    at.button(key="play").click().run()
    assert at.session_state["playing"]
    at.session_state["main_tab"] = "Live party"  # the open tab: the others are not drawn
    at.run()
    assert not any(s.key == "story_account" for s in at.selectbox), "the story tab is not drawn"
    at.button(key="pause").click().run()
    at.session_state["paused_at"] = 0.0  # long ago: the next run stops the timer
    at.run()
    assert not at.session_state["playing"]
    no_exceptions(at)


def test_other_tabs_keep_their_choices_through_play_and_pause():
    at = new_app()
    at.number_input(key="run_hours").set_value(24).run()
    at.button(key="run_n").click().run()
    at.selectbox(key="story_account").set_value(3).run()
    at.toggle(key="story_mark").set_value(True).run()
    at.selectbox(key="cmp_group").set_value("broadcaster").run()
    at.selectbox(key="cmp_param").set_value("posts_per_hour").run()
    at.slider(key="cmp_reps").set_value(3).run()
    at.slider(key="chk_reps").set_value(4).run()
    gen = at.session_state["gen"]
    at.selectbox(key=f"w{gen}:group").set_value("blaster").run()
    no_exceptions(at)

    play_and_pause_on_the_live_tab(at)

    assert at.selectbox(key="story_account").value == 3
    assert at.toggle(key="story_mark").value is True
    assert at.session_state["story_pick"] == 3, "the mark stays in the network picture"
    assert at.selectbox(key="cmp_group").value == "broadcaster"
    assert at.selectbox(key="cmp_param").value == "posts_per_hour"
    assert at.slider(key="cmp_reps").value == 3
    assert at.slider(key="chk_reps").value == 4
    assert at.selectbox(key=f"w{gen}:group").value == "blaster"


def test_the_initial_network_settings_have_words_for_labels():
    assert widgets.param_label(MODEL_PARAMS["init_fof_share"]) == (
        "Initial friends-of-friends share (share of ties)"
    )
    at = new_app()
    labels = {s.label for s in at.slider} | {n.label for n in at.number_input}
    assert {"Join probability", "Signup follows (accounts)", "Join window (hours)",
            "Initial friends-of-friends share (share of ties)"} <= labels  # fmt: skip


def test_the_new_settings_reach_the_party():
    at = new_app()
    gen = at.session_state["gen"]
    slider = {s.key: s for s in at.slider}
    slider[f"w{gen}:regular.join_prob"].set_value(0.5)
    slider[f"w{gen}:init_fof_share"].set_value(0.5)
    number = {n.key: n for n in at.number_input}
    number[f"w{gen}:join_window_steps"].set_value(48)
    at.run()
    no_exceptions(at)
    assert at.session_state["overrides"] == {
        "regular.join_prob": 0.5, "init_fof_share": 0.5, "join_window_steps": 48}  # fmt: skip
    spec = at.session_state["model"].spec  # the party runs them
    assert spec.model_params()["init_fof_share"] == 0.5
    assert next(g for g in spec.groups if g.name == "regular").values["join_prob"] == 0.5


def test_the_town_square_says_the_size_it_runs_at():
    at = new_app({"scenario": "town_square"})
    no_exceptions(at)
    assert any("(100,000 accounts)" in m.value for m in at.markdown), "the file's own size"
    assert any(f"Here at {MAX_ACCOUNTS:,} accounts" in c.value for c in at.caption)
    default = new_app()
    assert not any("Here at " in c.value for c in default.caption)


def test_the_followers_legend_fits_every_strategy():
    assert followers_height(False, 7) == 110, "the default party keeps its height"
    assert followers_height(False, 9) >= 8 * LEGEND_ROW, "the town square's 9 strategies"
    assert followers_height(True, 9) == 225


def test_the_eye_chooser_names_no_count_that_would_freeze():
    at = new_app({"scenario": "town_square"})
    model = at.session_state["model"]
    label = ev.label(model, at.selectbox(key="eye_pick").value)
    assert label.startswith("@") and "followers" not in label
