"""The Streamlit app, driven headlessly with AppTest: presets, running, saving and loading,
bad uploads, the account limit, links, and equality with the command line's numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from sim import PartyModel
from sim.analysis import metrics
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.config.scenarios import ScenarioError, load, to_toml
from ui import MAX_ACCOUNTS, MAX_UPLOAD_BYTES, widgets
from ui import settings as cfg
from ui.settings import app_presets
from ui.story import interesting_accounts
from ui.views import STORY_LEADER

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def run_hours(at: AppTest, hours: int) -> AppTest:
    at.number_input(key="run_hours").set_value(hours).run()
    at.button(key="run_n").click().run()
    no_exceptions(at)
    return at


def widget(at: AppTest, name: str):
    """The widget whose key ends with ``:name`` (keys carry a generation prefix)."""
    gen = at.session_state["gen"]
    group = name.split(".")[0] if "." in name else None
    chooser = at.selectbox(key=f"w{gen}:group")
    if group and chooser.value != group:
        chooser.set_value(group).run()
    key = f"w{gen}:{name}"
    for kind in ("slider", "number_input", "selectbox", "text_input"):
        for w in at.get(kind):
            if getattr(w, "key", None) == key:
                return w
    raise KeyError(key)


def chart_bytes(at: AppTest) -> list[bytes]:
    return [c.proto.SerializeToString() for c in at.get("vega_lite_chart")]


def upload(at: AppTest, text: str | bytes, name: str = "mine.toml") -> AppTest:
    data = text.encode() if isinstance(text, str) else text
    at.file_uploader[0].set_value((name, data, "application/toml")).run()
    return at


def error_texts(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.fixture(scope="module")
def fresh() -> AppTest:
    return new_app()


# ------------------------------------------------------------------ presets


@pytest.mark.parametrize("name", app_presets())
def test_preset_loads_and_shows_its_claim(name):
    at = new_app({"scenario": name})
    no_exceptions(at)
    claim = " ".join(load(name).claim.split())
    assert any(claim in info.value for info in at.info), "the claim is shown"
    assert metric(at, "Hour") == f"0 / {load(name).steps}"


def test_every_registry_parameter_has_a_widget(fresh):
    """Widgets are generated: a new parameter appears without app code."""
    group = load("default").groups[0].name
    for name in ACCOUNT_PARAMS:
        w = widget(fresh, f"{group}.{name}")
        assert w.label == widgets.human_label(name) + unit_suffix(ACCOUNT_PARAMS[name])
        assert "_" not in w.label.split(" (")[0], "labels are words, not registry names"
        assert ACCOUNT_PARAMS[name].help in w.help and f"`{group}.{name}`" in w.help
    for name in MODEL_PARAMS:
        if name == "n_rooms" and load("default").rooms:
            continue
        w = widget(fresh, name)
        assert w.label.startswith(widgets.human_label(name)) and f"`{name}`" in w.help
        unit = MODEL_PARAMS[name].unit
        assert not unit or w.label.count(f"({unit})") <= 1, f"the unit once: {w.label}"


def unit_suffix(param) -> str:
    return f" ({param.unit})" if param.unit and param.unit not in ("x", "probability") else ""


# ------------------------------------------------------------------ running


def test_step_and_run_advance_the_party():
    at = new_app()
    before = chart_bytes(at)
    at.button(key="step").click().run()
    no_exceptions(at)
    assert metric(at, "Hour") == "1 / 168"
    run_hours(at, 5)
    assert metric(at, "Hour") == "6 / 168"
    assert at.session_state["model"].steps == 6
    assert chart_bytes(at) != before, "the charts show new data"
    at.button(key="reset").click().run()
    assert metric(at, "Hour") == "0 / 168"


def test_play_starts_a_timer_and_pause_stops_it():
    at = new_app()
    at.button(key="play").click().run()
    assert at.session_state["playing"] is True
    at.button(key="pause").click().run()
    assert at.session_state["playing"] is False


def test_app_numbers_equal_the_command_line():
    """Same scenario and seed: the app's run equals `partysim run --json`."""
    at = new_app()
    widget(at, "seed").set_value("3").run()
    run_hours(at, 24)
    app_summary = metrics.summary(at.session_state["model"])
    assert app_summary == metrics.summary(PartyModel("default", seed=3).run(24))
    out = subprocess.run(
        [sys.executable, "-m", "sim", "run", "default", "--seed", "3", "--steps", "24", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    cli = json.loads(out.stdout)
    for key in ("seed", "steps", "strategies", "network", "cascades"):
        assert app_summary[key] == cli[key], key
    assert metric(at, "Follow edges") == f"{cli['network']['follow_edges']:,}"
    assert metric(at, "Unfollows") == f"{cli['events']['unfollows']:,}"


# ------------------------------------------------------------------ save, load, link


def test_save_then_load_round_trips():
    at = new_app()
    widget(at, "conversationalist.posts_per_hour").set_value(1.5).run()
    widget(at, "retweet_base_prob").set_value(0.05).run()
    no_exceptions(at)
    saved = next(c.value for c in at.code if c.language == "toml")
    assert "posts_per_hour = 1.5" in saved and "retweet_base_prob = 0.05" in saved
    run_hours(at, 12)
    numbers = metrics.summary(at.session_state["model"])

    other = new_app()
    upload(other, saved)
    no_exceptions(other)
    assert not error_texts(other)
    assert to_toml(cfg.current(other.session_state)).strip() == saved.strip()
    run_hours(other, 12)
    loaded = metrics.summary(other.session_state["model"])
    assert loaded.pop("scenario") == "default_variant"  # a variant is named after its preset
    numbers.pop("scenario")
    assert loaded == numbers
    description = other.session_state["base"].description
    assert "Variant of default with:" in description
    assert "conversationalist.posts_per_hour = 1.5" in description


def test_link_restores_the_settings():
    at = new_app({"scenario": "default", "seed": "11", "set": "curator.quality_mean=0.9"})
    no_exceptions(at)
    assert at.session_state["overrides"] == {"seed": 11, "curator.quality_mean": 0.9}
    assert at.session_state["model"].seed == 11
    assert widget(at, "seed").value == "11"
    assert any("curator.quality_mean=0.9" in c.value for c in at.code)


def test_bad_link_is_reported_not_fatal():
    at = new_app({"scenario": "default", "set": "curator.quality_mean=7"})
    no_exceptions(at)
    assert any("quality_mean" in w.value and "0 to 1" in w.value for w in at.warning)
    assert at.session_state["overrides"] == {}


@pytest.mark.parametrize(
    "change, expected",
    [
        ('strategyy = "x"\n', ["unknown key 'strategyy'"]),
        ("posts_per_hour = 99\n", ["posts_per_hour", "from 0 to 10", "99"]),
    ],
)
def test_bad_upload_names_key_and_range(fresh, change, expected):
    text = to_toml(load("default"))
    if change.startswith("posts"):
        text = text.replace('strategy = "broadcaster"\n', 'strategy = "broadcaster"\n' + change)
    else:
        text = change + text
    at = new_app()
    upload(at, text, "bad.toml")
    no_exceptions(at)
    errors = " ".join(error_texts(at))
    for part in ["bad.toml", *expected]:
        assert part in errors
    assert at.session_state["base"].source != "bad.toml", "the bad file was not applied"


def test_upload_checks_size_and_text():
    with pytest.raises(cfg.SettingsError, match="KiB"):
        cfg.parse_upload(b"#" * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ScenarioError, match="upload.toml: not a UTF-8"):  # the loader's check
        cfg.parse_upload(b"\xff\xfe\x00", "upload.toml")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        cfg.parse_upload(b"import os; os.system('x')")


# ------------------------------------------------------------------ limits, robustness


def test_account_limit_is_refused_with_the_limit():
    at = new_app()
    widget(at, "regular.count").set_value(MAX_ACCOUNTS).run()
    no_exceptions(at)
    assert any(f"limit: {MAX_ACCOUNTS:,} accounts" in e for e in error_texts(at))
    big = to_toml(load("default")).replace("count = 240", f"count = {MAX_ACCOUNTS}")
    other = new_app()
    upload(other, big, "big.toml")
    assert any(f"limit: {MAX_ACCOUNTS:,} accounts" in e for e in error_texts(other))


@pytest.mark.parametrize("bound", ["low", "high"])
def test_extreme_settings_run_without_error(bound):
    """Every account parameter of a group at its bound, and model parameters too."""
    at = new_app()
    for name, param in ACCOUNT_PARAMS.items():
        value = param.choices[-1] if param.choices else getattr(param, bound)
        widget(at, f"blaster.{name}").set_value(param.kind(value))
    for name, param in MODEL_PARAMS.items():
        if name != "n_rooms" and not param.choices:
            widget(at, name).set_value(param.kind(getattr(param, bound)))
    at.run()
    no_exceptions(at)
    run_hours(at, 3)
    assert at.session_state["model"].steps == 3


def test_story_and_comparison_views():
    at = new_app()
    run_hours(at, 48)
    assert any("hour" in m.value and "@" in m.value for m in at.markdown)
    at.slider(key="cmp_reps").set_value(2).run()
    at.number_input(key="cmp_steps").set_value(12).run()
    at.text_input(key="cmp_changes").set_value("conversationalist.posts_per_hour=2").run()
    at.button(key="cmp_run").click().run()
    no_exceptions(at)
    result = at.session_state["compare_result"]
    assert len(result["seeds"]) == 2
    assert set(result["steps"]["variant"]) == set(result["labels"])
    assert any("Verdict" in m.value for m in at.markdown)
    assert any("fewer than 5 replications: rough" in c.value for c in at.caption)


def test_sessions_do_not_share_state():
    a, b = new_app(), new_app()
    run_hours(a, 5)
    b.run()
    assert b.session_state["model"].steps == 0


def test_reality_check_tab_gives_the_command_lines_table(capsys):
    """Issue 31: at the tab's defaults (each fact over its source's window: the tie facts
    over 51 days, not the scenario's 168 hours) the tab shows the very rows `partysim check`
    prints for the same scenario and seeds, each naming its window, and the command it names
    prints them."""
    from sim.analysis import check, check_table
    from sim.cli import main as cli

    at = new_app()
    at.slider(key="chk_reps").set_value(2).run()
    at.button(key="chk_run").click().run()
    no_exceptions(at)
    shown = at.session_state["check_result"]
    tab = next(df.value for df in at.dataframe if "source" in df.value.columns)
    assert shown["command"] == "partysim check default --reps 2"
    assert cli.main(shown["command"].split()[1:] + ["--json"]) == 0
    printed = json.loads(capsys.readouterr().out)["facts"]
    assert [r["values"] for r in shown["results"]] == [r["values"] for r in printed]
    rows = check_table.check_rows(printed, "default")
    assert tab[list(check_table.COLUMNS)].to_dict("records") == rows
    assert cli.main(shown["command"].split()[1:]) == 0
    text = capsys.readouterr().out
    assert all(row["window"] in text and row["measured"] in text for row in rows)
    windows = {r["fact"]: r["hours"] for r in printed}
    assert windows["lost_a_follower"] == check.LONG_RUN_HOURS and windows["reciprocity"] == 168
    assert set(tab["window"]) == {"168 h, the scenario's run", "1224 h, the source's 51 days"}
    assert any("facts pass" in m.value for m in at.markdown)


def test_reality_check_tab_passes_a_window_the_user_sets():
    from sim.analysis import check

    at = new_app()
    at.slider(key="chk_reps").set_value(2).run()
    at.number_input(key="chk_steps").set_value(12).run()
    at.number_input(key="chk_tie_hours").set_value(24).run()
    at.button(key="chk_run").click().run()
    no_exceptions(at)
    shown = at.session_state["check_result"]
    expected = check.run_check("default", reps=2, steps=12, long_steps=24)
    # the same values (NaN where a window has nothing to measure: 12 h hold no weekend)
    same = [np.array_equal(np.asarray(a["values"], float), np.asarray(b["values"], float),
                           equal_nan=True) for a, b in zip(shown["results"], expected, strict=True)]  # fmt: skip
    assert all(same) and len(same) == len(check.FACTS)
    assert {r["window"] for r in shown["results"]} == {
        "12 h, not the scenario's run (168 h)",
        "24 h, not the source's 51 days (1224 h)",
    }
    assert shown["command"] == "partysim check default --reps 2 --steps 12 --tie-hours 24"


# ------------------------------------------------------------------ issue 14: the live party


def test_speed_follows_the_wall_clock_not_the_refresh_rate():
    """Hours due = speed x seconds since Play; a late refresh catches up, a very late one
    does not sprint (at most one second's worth)."""
    from types import SimpleNamespace

    from ui import runner

    class SS(SimpleNamespace):
        def get(self, key, default=None):
            return getattr(self, key, default)

        def __contains__(self, key):
            return hasattr(self, key)

    ss = SS(model=PartyModel("default", seed=1), play_speed=12, playing=True)
    runner.play(ss)
    t0, s0 = ss.play_anchor
    ss.play_anchor = (t0 - 0.5, s0)  # half a second ago
    runner.tick(ss)
    assert ss.model.steps == 6
    ss.play_anchor = (ss.play_anchor[0] - 30, ss.play_anchor[1])  # 30 s late
    runner.tick(ss)
    assert ss.model.steps <= 6 + 12 * runner.MAX_DEBT_SECONDS + 1, (
        "a slow machine plays slower, it never sprints"
    )
    runner.pause(ss)
    assert ss.playing is False


def test_pause_is_handled_in_the_live_fragment_and_no_hour_follows():
    at = new_app()
    at.button(key="play").click().run()
    assert at.session_state["playing"] is True
    steps = at.session_state["model"].steps
    at.button(key="pause").click().run()
    assert at.session_state["playing"] is False
    assert at.session_state["model"].steps == steps, "no hour is simulated after Pause"
    assert any(b.label == "Play" for b in at.button if b.key == "play")
    at.run()  # a replayed Pause click never resumes the party
    assert at.session_state["playing"] is False


def test_the_timer_stops_only_once_the_pause_has_been_shown(monkeypatch):
    """Stopping the timer reruns the app, which would drop the unsent Play button: it waits
    until the paused view has surely reached the page."""
    from types import SimpleNamespace

    from ui import runner

    clock = [100.0]
    monkeypatch.setattr(runner.time, "monotonic", lambda: clock[0])
    ss = SimpleNamespace(playing=True, get=lambda key, default=None: getattr(ss, key, default))
    runner.pause(ss)
    assert ss.playing is False and not runner.timer_can_stop(ss)
    clock[0] += runner.STOP_TIMER_AFTER_SECONDS
    assert runner.timer_can_stop(ss)


def test_while_playing_only_the_open_tab_is_drawn_and_settings_survive():
    at = new_app()
    widget(at, "seed").set_value("12345").run()
    assert "export0" in {b.key for b in at.get("download_button")}
    at.button(key="play").click().run()
    no_exceptions(at)
    assert at.session_state["playing"] is True
    drawn = {b.key for b in at.get("download_button")} | {b.key for b in at.button}
    assert "export0" not in drawn and "undo" not in drawn, "hidden tabs are not drawn"
    assert {"pause", "step", "reset"} <= drawn, "the open Live tab is"
    at.button(key="pause").click().run()
    no_exceptions(at)
    assert "export0" in {b.key for b in at.get("download_button")}, "paused: every tab again"
    assert at.session_state["overrides"]["seed"] == 12345
    assert widget(at, "seed").value == "12345"


def test_live_network_is_drawn_on_a_canvas_and_line_data_is_bounded():
    from sim.analysis import metrics
    from ui.live import MAX_LINE_POINTS, thin

    at = new_app({"scenario": "default", "set": "steps=400"})
    run_hours(at, 400)
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    canvas = [c for c in charts if c.get("usermeta", {}).get("embedOptions")]
    assert len(canvas) == 1 and "follower network" in json.dumps(canvas[0]["title"])
    assert canvas[0]["usermeta"]["embedOptions"]["renderer"] == "canvas"
    table = metrics.tidy_steps(at.session_state["model"])
    small = thin(table, MAX_LINE_POINTS)
    per_strategy = small.groupby("strategy")["step"]
    assert per_strategy.size().max() <= MAX_LINE_POINTS + 1
    assert (per_strategy.max() == 400).all(), "the latest hour is always drawn"
    assert thin(table[table["step"] <= 50], MAX_LINE_POINTS).equals(table[table["step"] <= 50])


def test_run_n_hours_stops_at_the_end_and_says_so():
    at = new_app({"scenario": "default", "set": "steps=30"})
    run_hours(at, 24)
    assert any("partysim run" not in c.value for c in at.caption)
    run_hours(at, 24)
    assert at.session_state["model"].steps == 30
    assert any("Stopped at the scenario's end (hour 30)" in c.value for c in at.caption)
    run_hours(at, 1)  # pressing again goes beyond, and the CLI caption is not claimed
    assert at.session_state["model"].steps == 31
    assert not any("numbers now equal" in c.value for c in at.caption)


def test_cli_caption_only_when_the_numbers_equal_the_command_line():
    at = new_app({"scenario": "default", "seed": "5", "set": ["steps=12", "curator.count=3"]})
    run_hours(at, 12)
    caption = next(c.value for c in at.caption if "numbers now equal" in c.value)
    command = caption.split("`")[1]
    assert command == at.session_state["cli_command"]
    cli = subprocess.run(
        [sys.executable, "-m", "sim", *command.split()[1:]],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert (
        metrics.summary(at.session_state["model"])["network"] == json.loads(cli.stdout)["network"]
    )


def test_large_seed_from_a_link_works_like_the_command_line():
    at = new_app({"scenario": "default", "seed": "3000000000"})
    no_exceptions(at)
    assert not at.session_state["link_error"]
    assert at.session_state["model"].seed == 3_000_000_000
    assert widget(at, "seed").value == "3000000000"
    widget(at, "seed").set_value("not a seed").run()
    assert any("not a whole number" in e for e in error_texts(at))
    assert at.session_state["model"].seed == 3_000_000_000


def test_presenter_mode_hides_the_settings_and_controls():
    at = new_app()
    assert at.title
    at.toggle(key="presenter").set_value(True).run()
    no_exceptions(at)
    assert not at.title, "the title and the preset header are hidden"
    keys = {b.key for b in at.button}
    assert {"play", "reset"} <= keys and not {"step", "run_n"} & keys, "Reset stays (issue 27)"
    assert at.select_slider(key="speed"), "and the speed"


def story_captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_story_label_is_honest_and_the_mark_is_immediate():
    """The chooser's first entry keeps its words (a browser keeps a chosen entry's words, so
    a handle there went stale while the party played); the caption beside it names the
    account it stands for at this hour."""
    at = new_app()
    label = at.selectbox(key="story_account").format_func(-1)
    assert label == STORY_LEADER
    assert any("Nobody unfollowed or blocked yet: showing @" in c for c in story_captions(at))
    run_hours(at, 48)
    assert at.selectbox(key="story_account").format_func(-1) == label, "the same words"
    model = at.session_state["model"]
    leader = f"right now: @{model.handle(interesting_accounts(model)[0])}"
    assert any(leader in c for c in story_captions(at)), story_captions(at)
    at.toggle(key="story_mark").set_value(True).run()
    no_exceptions(at)
    pick = at.session_state["story_pick"]
    chart = next(c for c in at.get("vega_lite_chart") if "follower network" in c.proto.spec)
    handle = at.session_state["model"].handle(pick)
    assert f"@{handle}".encode() in chart.proto.SerializeToString(), "marked in this run"


def test_every_preset_has_teaching_notes_whose_changes_apply():
    from sim.cli.main import parse_set
    from ui.guide import guides

    notes = guides()
    assert set(app_presets()) <= set(notes)
    for name in app_presets():
        assert notes[name].notice and notes[name].tries, name
        for t in notes[name].tries:
            load(name).with_overrides(parse_set(list(t.sets)), where=f"ui/guide.toml [{name}]")
        assert not load(name).description.lstrip().startswith("Behaviour"), name


def test_try_this_opens_the_comparison_with_the_baseline():
    at = new_app()
    at.slider(key="cmp_reps").set_value(2).run()
    at.number_input(key="cmp_steps").set_value(12).run()
    at.button(key="try0").click().run()
    no_exceptions(at)
    assert at.session_state["main_tab"] == "Compare"
    result = at.session_state["compare_result"]
    first = notes_for_default().tries[0]
    assert result["labels"][0] == "A: your settings"
    assert all(s in result["labels"][1] for s in first.sets)
    assert at.text_input(key="cmp_changes").value == ", ".join(first.sets)


def test_things_to_try_shows_what_the_claims_suite_found_with_its_label():
    """Each claim made with the preset is shown with its verdict and its computed label
    (docs/claims/claims.json, written by `partysim claims`); the default party shows the
    posting-rate map."""
    from ui.guide import claims_for

    found = claims_for("blasting")
    assert found, "docs/claims/claims.json lists the blasting claims"
    at = new_app({"scenario": "blasting"})
    no_exceptions(at)
    texts = " ".join(m.value for m in at.markdown)
    assert "What the claims suite found here" in texts
    for c in found:
        assert c["text"] in texts and f"*{c['label']}*" in texts
    at = new_app()
    assert any("How often should I post?" in m.value for m in at.markdown)


def notes_for_default():
    from ui.guide import guide_for

    return guide_for("default")


def test_compare_outcomes_net_followers_and_verdicts_between_strategies():
    from ui import compare

    seeds = [1, 2, 3]
    text = to_toml(load("default"))
    steps, _ = compare.run_comparison({"A": text, "B": text}, seeds, 24)
    net = compare.final_values(steps, "net_followers")
    gained = compare.final_values(steps, "followers_mean")
    start = steps[steps["step"] == 0].pivot_table(
        index=["strategy", "seed"], columns="variant", values="followers_mean"
    )
    assert ((gained - start) - net).abs().max().max() < 1e-9
    table = compare.final_table(steps, "net_followers", ["A", "B"])
    assert not table.isna().any().any() and (table["difference"] == 0).all()
    diffs = compare.paired_differences(steps, "net_followers", ["A", "B"])
    assert set(diffs["strategy"]) == set(table["strategy"]) and (diffs["mean"] == 0).all()
    assert compare.verdicts(table, ["A", "B"], "x") == [], "identical variants: no verdict"
    # between strategies: blasters are blocked and nobody else is (5 seeds, 2 days: with
    # sessions and absences 3 seeds of one day leave the interval too wide for a verdict)
    steps, _ = compare.run_comparison({"A": text}, [1, 2, 3, 4, 5], 48)
    between = compare.strategy_verdicts(steps, "blocks_received", "A", "blocks")
    assert between and all(v.startswith("**blaster**") for v in between), between


def test_compare_intervals_stay_within_the_outcomes_range():
    """Issue 31: a skewed count over 3 replications gives no band below zero; a net change
    (gains minus losses) may still go below zero."""
    import pandas as pd

    from ui import compare

    rows = [{"variant": "A", "strategy": "regular", "step": step, "seed": seed, "accounts": 1,
             "followers_mean": value, "blocks_received": value}
            for seed, value in ((1, 0.0), (2, 0.0), (3, 30.0)) for step in (0, 1)]  # fmt: skip
    steps = pd.DataFrame(rows)
    for metric in ("followers_mean", "blocks_received"):
        band = compare.bands(steps, metric)
        assert (band["low"] >= 0).all() and (band["high"] > band["mean"]).all()
        cell = compare.final_table(steps, metric, ["A"])["A"].iloc[0]
        assert cell == "10.00 [0.00, 53.03]"  # t: 10 - 43.03, cut at 0
    steps.loc[steps["step"] == 1, "followers_mean"] -= [0.0, 0.0, 60.0]
    assert (compare.bands(steps, "net_followers")["low"] < 0).any()


def test_compare_across_the_values_of_a_choices_parameter(monkeypatch):
    """Generic over Param.choices: an account parameter with choices that exists today, and
    a model parameter with choices patched into the registry (e.g. a future `feed`)."""
    from dataclasses import replace

    from sim.config import params
    from ui import compare, compare_view

    scenario = load("time_zones")
    choices = compare_view.choice_settings(scenario)
    key = "own_timed.schedule_at"
    assert choices[key] == ACCOUNT_PARAMS["schedule_at"].choices
    variants = compare_view.choice_variants(scenario, key, choices[key])
    assert list(variants)[0] == f"{key}={cfg.base_value(scenario, key)}"
    assert len(variants) == len(choices[key])
    steps, _ = compare.run_comparison(variants, [1, 2], 24)
    assert set(steps["variant"]) == set(variants)
    assert len(compare.paired_differences(steps, "followers_mean", list(variants))) > 0

    fake = replace(next(iter(MODEL_PARAMS.values())), name="feed", default="chronological",
                   choices=("chronological", "engagement", "for_you"))  # fmt: skip
    monkeypatch.setitem(params.MODEL_PARAMS, "feed", fake)
    assert compare_view.choice_settings(scenario)["feed"] == fake.choices


def test_choices_parameter_renders_as_a_selectbox(fresh):
    w = widget(fresh, "regular.schedule_at")
    assert w.options == list(ACCOUNT_PARAMS["schedule_at"].choices)


def test_latest_events_are_one_line_each_and_cut_at_a_word():
    from ui.live import EVENT_LINE_CHARS, one_line

    short = "hour 3: @a1 blocked @b2"
    assert one_line(short) == short
    long = "hour 22: @regular231 unfollowed @regular52: " + "19% of my feed came from them " * 5
    cut = one_line(long)
    assert len(cut) <= EVENT_LINE_CHARS and cut.endswith("…")
    assert long.startswith(cut[:-1]) and long[len(cut) - 1] == " "  # cut between words


def test_a_waiting_click_stops_the_refresh_from_simulating_more():
    """A click waits for the refresh in progress (Streamlit does not interrupt it): the tick
    asks before each hour and stops, so Pause waits for the drawing only. The hours it
    still owed are done by the next refresh."""
    from types import SimpleNamespace

    from ui import live, runner

    class SS(SimpleNamespace):
        def get(self, key, default=None):
            return getattr(self, key, default)

        def __contains__(self, key):
            return hasattr(self, key)

    model = PartyModel("default", seed=1)
    asked = []
    assert runner.advance(model, 5, stop=lambda: asked.append(1) or len(asked) > 2) == 2
    assert model.steps == 2
    ss = SS(model=model, play_speed=12, playing=True)
    runner.play(ss)
    ss.play_anchor = (ss.play_anchor[0] - 1.0, ss.play_anchor[1])  # 12 hours due
    runner.tick(ss, stop=lambda: True)
    assert model.steps == 2, "a waiting click: no hour simulated"
    runner.tick(ss)
    assert model.steps == 2 + 12, "the next refresh does the hours owed"
    assert live.click_waiting() is False, "outside a run (or on another Streamlit): False"


def test_picture_off_draws_no_network_and_survives_presenter_mode():
    at = new_app()
    assert len(at.get("vega_lite_chart")) == 5, "four line charts and the network"
    at.toggle(key="picture").set_value(False).run()
    no_exceptions(at)
    assert len(at.get("vega_lite_chart")) == 4, "picture off: no network"
    assert any("network picture is off" in c.value for c in at.caption)
    at.toggle(key="presenter").set_value(True).run()
    at.button(key="play").click().run()
    no_exceptions(at)
    assert len(at.get("vega_lite_chart")) == 4, "still off in presenter mode (no toggle there)"
    at.button(key="pause").click().run()
    at.toggle(key="presenter").set_value(False).run()
    assert at.toggle(key="picture").value is False
    at.toggle(key="picture").set_value(True).run()
    assert len(at.get("vega_lite_chart")) == 5


def test_at_top_speed_the_line_charts_and_the_network_take_turns():
    """Playing at 24 h/s or more, each refresh redraws either the line charts or the
    network and sends the other as it was (identical data: the browser skips it)."""
    from types import SimpleNamespace

    from ui import live

    class SS(SimpleNamespace):
        def get(self, key, default=None):
            return getattr(self, key, default)

        def setdefault(self, key, default):
            if not hasattr(self, key):
                setattr(self, key, default)
            return getattr(self, key)

    ss = SS(model=PartyModel("default", seed=1), model_key="k", playing=True, play_speed=12)
    assert [live.turns(ss) for _ in range(3)] == [(True, True)] * 3, "slower: both, always"
    ss.play_speed = live.TAKE_TURNS_FROM
    assert [live.turns(ss) for _ in range(4)] == [(True, False), (False, True)] * 2
    builds = []
    first = live.frame_cache(ss, "lines", True, lambda: builds.append(1) or ["frame 1"])
    again = live.frame_cache(ss, "lines", False, lambda: builds.append(1) or ["frame 2"])
    assert again is first and len(builds) == 1, "not its turn: the same spec, unbuilt"
    ss.model = PartyModel("default", seed=2)  # a new party (Reset) always builds
    assert live.frame_cache(ss, "lines", False, lambda: ["new party"]) == ["new party"]
    ss.playing = False
    assert live.turns(ss) == (True, True), "paused: every panel is current"


def test_paired_plot_gives_every_strategy_a_row_and_a_name():
    """A row height per strategy (not a total the layout can squeeze) and no label dropped
    as overlapping: seven strategies, seven names (four were shown)."""
    import pandas as pd

    from ui import charts

    names = [f"s{i}" for i in range(7)]
    diffs = pd.DataFrame({"strategy": names, "variant": "B", "mean": 0.0, "low": -1.0,
                          "high": 1.0})  # fmt: skip
    spec = charts.paired_plot(diffs, "followers_mean", ["A", "B"]).to_dict()
    assert spec["height"] == 40 * 7, "a row per strategy"
    assert spec["layer"][1]["encoding"]["y"]["axis"]["labelOverlap"] is False
