"""Issue 27, point 5: what `make app` installs, the Streamlit settings, and small texts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sim import PartyModel
from sim.engine.reasons import REASONS
from tests.test_app import new_app, no_exceptions
from ui import MAX_STEPS
from ui.story import VALUE_FIELDS, WHOLE_FIELDS, account_events

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_config_hides_deploy_and_turns_statistics_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_app_installs_the_app_without_the_test_tools():
    def dry(target: str) -> str:
        return subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout  # fmt: skip

    app = dry("app")
    assert "pip install --quiet -e ." in app and "[test]" not in app
    assert "'.[test]'" in dry("test"), "make test still installs everything"


def test_the_app_imports_no_test_tool():
    code = (
        "import sys, runpy; sys.argv = ['x']\n"
        "import ui.live, ui.compare_view, ui.guide_view, ui.check_view, ui.lab_view, ui.views\n"
        "bad = [m for m in ('pytest', 'playwright', 'hypothesis', 'dask', 'ruff') "
        "if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "[]"


def test_story_texts_show_whole_item_counts():
    numbers = {f.name for r in REASONS for f in r.fields if f.format == "number"}
    assert numbers <= WHOLE_FIELDS | VALUE_FIELDS, "every number field is sorted out"
    model = PartyModel("default")
    model.run(48)
    texts = []
    for account in range(model.n):
        events = account_events(model, account)
        texts += [w for w in events["why"] if "of my feed" in w]
        if len(texts) > 20:
            break
    assert texts
    for text in texts:  # "... (12 of 32 items); I put up with 10 a day"
        counts = text.split("(")[1].split(")")[0]
        assert "." not in counts, text


def test_out_of_range_steps_are_explained_not_ignored():
    at = new_app()
    gen = at.session_state["gen"]
    steps = at.number_input(key=f"w{gen}:steps")
    steps.set_value(MAX_STEPS + 1000).run()
    no_exceptions(at)
    errors = [e.value for e in at.error]
    assert any(f"{MAX_STEPS + 1000:,} hours is more than the app runs" in e for e in errors)
    assert any(f"--steps {MAX_STEPS + 1000}" in e for e in errors)
    assert "steps" not in at.session_state["overrides"], "the party keeps its length"
    steps.set_value(200).run()
    assert at.session_state["overrides"]["steps"] == 200
    assert not at.error
