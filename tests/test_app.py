"""The Streamlit app, driven headlessly with AppTest: presets, running, saving and loading,
bad uploads, the account limit, links, and equality with the command line's numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim import PartyModel, metrics
from sim.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.scenarios import ScenarioError, load, scenario_names, to_toml
from ui import MAX_ACCOUNTS, MAX_UPLOAD_BYTES
from ui import settings as cfg
from ui import widgets

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


@pytest.mark.parametrize("name", scenario_names())
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
    at.button(key="play").click().run()
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
    with pytest.raises(cfg.SettingsError, match="UTF-8"):
        cfg.parse_upload(b"\xff\xfe\x00")
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


def test_sessions_do_not_share_state():
    a, b = new_app(), new_app()
    run_hours(a, 5)
    b.run()
    assert b.session_state["model"].steps == 0


def test_reality_check_panel_matches_the_command_line():
    from sim import check

    at = new_app()
    at.slider(key="chk_reps").set_value(2).run()
    at.number_input(key="chk_steps").set_value(24).run()
    at.button(key="chk_run").click().run()
    no_exceptions(at)
    shown = at.session_state["check_result"]["results"]
    expected = check.run_check("default", reps=2, steps=24)
    assert [(r["fact"], r["values"]) for r in shown] == [(r["fact"], r["values"]) for r in expected]
    table = next(df.value for df in at.dataframe if "source" in df.value.columns)
    assert len(table) == len(check.FACTS)
    assert set(table["status"]) <= {"pass", "WARN"}
    assert any("facts pass" in m.value for m in at.markdown)
