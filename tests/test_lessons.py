"""Issue 27, point 3: every "Try this" lesson teaches at its own settings. Each declares the
strategy it is about, the outcome, the runs and what it shows (ui/guide.toml); this runs
every lesson's comparison as the Compare tab does and asserts that verdict."""

from __future__ import annotations

import pytest

from sim.analysis.check import replication_seeds
from sim.analysis.claims import CLAIMS
from sim.cli.main import parse_set
from sim.config.scenarios import load, scenario_names, to_toml
from tests.test_app import new_app, no_exceptions
from ui import compare
from ui.guide import EXPECTS, guides
from ui.settings import app_scenario
from ui.story import people

LESSONS = [(preset, i, t) for preset, g in guides().items() for i, t in enumerate(g.tries)]


def test_every_lesson_declares_what_it_shows():
    claim_ids = {c.number for c in CLAIMS}
    for preset, i, t in LESSONS:
        where = f"{preset} try {i}"
        assert preset in scenario_names(), where
        assert t.about in {g.strategy for g in load(preset).groups}, where
        assert t.outcome in compare.OUTCOMES and 2 <= t.runs <= 10, where
        assert t.expect in EXPECTS and (t.expect != "none" or t.why), where
        assert not t.claim or t.claim in claim_ids, where


def lesson_verdict(preset: str, lesson) -> tuple[list[str], list[str], object]:
    scenario = app_scenario(preset)  # as the app runs it (the town square at 10,000)
    b = scenario.with_overrides(parse_set(list(lesson.sets)), where=f"{preset} lesson")
    seeds = replication_seeds(scenario.seed, lesson.runs)
    labels = ["A: your settings", "B"]
    variants = {labels[0]: to_toml(scenario), labels[1]: to_toml(b)}
    steps, _ = compare.run_comparison(variants, seeds, scenario.steps)
    table = compare.final_table(steps, lesson.outcome, labels)
    change = None
    if len(lesson.sets) == 1:
        ((key, value),) = parse_set(list(lesson.sets)).items()
        change = compare.describe_change(scenario, key, value)
    clear, unclear = compare.plain_verdicts(table, lesson.outcome, scenario.steps,
                                            lesson.runs, change, lesson.about)  # fmt: skip
    row = table.set_index("strategy").loc[lesson.about]
    return clear, unclear, row


@pytest.mark.slow
@pytest.mark.parametrize("preset,i,lesson", LESSONS, ids=[f"{p}-{i}" for p, i, _ in LESSONS])
def test_every_lesson_shows_at_its_settings(preset, i, lesson):
    clear, unclear, row = lesson_verdict(preset, lesson)
    who = people(lesson.about)
    if lesson.expect == "none":
        assert row.diff_low <= 0 <= row.diff_high, f"clear after all: {row.to_dict()}"
        assert unclear and unclear[0].startswith(f"No clear difference for {who} ")
        return
    assert row.diff_low > 0 or row.diff_high < 0, f"no clear difference: {row.to_dict()}"
    assert (row.difference > 0) == (lesson.expect == "more")
    assert clear and f"{who}" in clear[0].lower() and f" {lesson.expect} " in clear[0], clear[0]


def test_try_this_runs_the_lesson_and_shows_its_verdict_and_claim(monkeypatch):
    from ui import guide

    fake = {"number": "5", "text": "A moderate posting rate beats flooding", "label": "emergent",
            "verdict": "shown", "rules": ["7.16"], "scenarios": ["posting_rate"]}  # fmt: skip
    monkeypatch.setattr(guide, "_claims", lambda: (fake,))
    at = new_app()
    texts = [m.value for m in at.markdown]
    lesson = guides()["default"].tries[1]
    shown = next(t for t in texts if lesson.text in t)
    assert "Watch: **unfollows received** of **over-posters**, 10 runs each" in shown
    assert "Claim 5 (A moderate posting rate beats flooding): *emergent*" in shown
    at.button(key="try1").click().run()
    no_exceptions(at)
    assert at.session_state["main_tab"] == "Compare"
    assert at.selectbox(key="cmp_metric").value == "unfollows_received"
    assert at.slider(key="cmp_reps").value == 10
    assert not at.warning, [w.value for w in at.warning]
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("**The lesson:**") for t in texts)
    verdict = next(t for t in texts if "middle 95% of what we would see again" in t)
    assert verdict.startswith("- Over-posters with posts per hour at 0.5 posts per active hour "
                              "instead of 3 end the week with")  # fmt: skip
    assert "fewer unfollows received each" in verdict.split("\n")[0]
