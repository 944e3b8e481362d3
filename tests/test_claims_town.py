"""The claims re-tested in the town square (sim/analysis/claims_town.py): the embedding, the
judging, the report and the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from sim.analysis import claims_town as ct
from sim.analysis.claims import CLAIMS, scenario_ref
from sim.analysis.town_square import resize
from sim.config.scenarios import load
from sim.sweeps.engines import map_local

POOL = partial(map_local, jobs=2)  # the sweeps' local process pool, two workers
DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def town():
    return ct.town_scenario()


def test_the_town_square_keeps_its_own_groups_and_gains_each_claims_strategies(town):
    base = resize(ct.TOWN, ct.TOWN_ACCOUNTS)
    own = {g.name: g for g in town.groups if ct.SEP not in g.name}
    assert {n: g.count for n, g in own.items()} == {g.name: g.count for g in base.groups}
    added = {g.name: g for g in town.groups if ct.SEP in g.name}
    assert town.n_accounts == base.n_accounts + sum(g.count for g in added.values())
    for scenario, strategy in ct.embedded():
        party = load(scenario_ref(scenario))
        for g in (g for g in party.groups if g.strategy == strategy):
            mine = added[f"{scenario}{ct.SEP}{g.name}"]
            assert mine.strategy == f"{scenario}{ct.SEP}{strategy}"
            assert 1 <= mine.count == min(g.count, ct.GROUP_CAP)
            assert mine.values == g.values  # every account value its party gives it


def test_every_strategy_claim_is_embedded_and_audience_claims_are_not_applicable():
    pairs = set(ct.embedded())
    for c in CLAIMS:
        if ct.compares_audiences(c):
            assert c.number in ("7b", "7e")
            continue
        for side in (c.a, c.b):
            assert side in pairs or side[1] in (ct.TOP, ct.BOTTOM)


def test_outcomes_split_by_scenario_and_strategy():
    out = ct.split_outcomes({
        "hashtag_rooms/tagger": {"net_followers": 1.0},
        "hashtag_rooms/untagged": {"net_followers": 0.0},
        "reader": {"net_followers": 9.0},
        ct.TOP: {"reach_per_retweet": 5.0},
        ct.BOTTOM: {"reach_per_retweet": 1.0},
    })  # fmt: skip
    assert out["hashtag_rooms"] == {"tagger": {"net_followers": 1.0},
                                    "untagged": {"net_followers": 0.0}}  # fmt: skip
    assert set(out["default"]) == {ct.TOP, ct.BOTTOM}
    assert "reader" not in str(out)


@pytest.mark.parametrize(
    ("party", "town", "fate"),
    [
        ("shown", "shown", "holds"),
        ("shown", "not shown", "weakens"),
        ("shown", "fragile", "weakens"),
        ("shown", "reversed", "turns around"),
        ("reversed", "shown", "turns around"),
        ("not shown", "shown", "appears"),
        ("not shown", "not shown", "not shown in both"),
        ("not shown", "reversed", "goes the other way"),
        ("not shown", "fragile", "changes"),
        (None, "shown", ""),
    ],
)
def test_fate_against_the_party(party, town, fate):
    assert ct.fate(party, town) == fate


@pytest.fixture(scope="module")
def short_runs():
    """Two short runs (12 hours) under one root seed, in this process and in two workers."""
    here = ct.run_town_claims(reps=2, root_seeds=(11,), steps=12)
    pool = ct.run_town_claims(reps=2, root_seeds=(11,), steps=12, map_runs=POOL)
    return here, pool


def test_each_strategy_claim_is_judged_from_the_same_runs(short_runs):
    here, _ = short_runs
    judged = [r["claim"].number for r in here["claims"]]
    assert judged == [c.number for c in CLAIMS if not ct.compares_audiences(c)]
    assert [c.number for c in here["not_applicable"]] == ["7b", "7e"]
    for row in here["by_root"][11]["comparisons"]:
        assert len(row["diffs"]) == 2
        assert row["verdict"] in ("shown", "not shown", "reversed")
    assert here["accounts"] == ct.town_scenario().n_accounts
    assert here["sweep_verdict"] in ("shown", "not shown", "reversed")


def test_runs_in_parallel_give_the_same_results(short_runs):
    here, pool = short_runs
    for a, b in zip(here["claims"], pool["claims"], strict=True):
        # the same numbers, a NaN (a side with nothing to measure in 12 hours) where the
        # other has one
        np.testing.assert_array_equal(a["per_root"][11]["diffs"], b["per_root"][11]["diffs"])


def test_the_report_and_its_section_of_claims_md(short_runs, tmp_path):
    here, _ = short_runs
    (tmp_path / "claims").mkdir()
    shutil.copy(DOCS / "claims" / "claims.json", tmp_path / "claims" / "claims.json")
    text = (DOCS / "CLAIMS.md").read_text(encoding="utf-8")
    if ct.TOWN_SECTION in text:  # start from a CLAIMS.md without the section
        head, tail = text.split(ct.TOWN_SECTION, 1)
        text = head.rstrip("\n") + "\n\n" + tail[tail.index("\n## ") + 1 :]
    (tmp_path / "CLAIMS.md").write_text(text, encoding="utf-8")
    path = ct.write_town_report(here, tmp_path, "partysim claims --population town_square")
    report = path.read_text(encoding="utf-8")
    assert "| 7b " in report and "n/a" in report and "## The two sides" in report
    claims_md = (tmp_path / "CLAIMS.md").read_text(encoding="utf-8")
    assert claims_md.count(ct.TOWN_SECTION) == 1
    assert claims_md.index(ct.TOWN_SECTION) < claims_md.index("## 5. The posting-rate sweep")
    ct.write_town_report(here, tmp_path, "again")  # replaced, not added twice
    again = (tmp_path / "CLAIMS.md").read_text(encoding="utf-8")
    assert again.count(ct.TOWN_SECTION) == 1 and again.count("## Notes") == 1
    assert len(again.splitlines()) == len(claims_md.splitlines())


def test_a_note_is_printed_only_where_the_verdict_differs_from_the_party(short_runs, tmp_path):
    here, _ = short_runs
    (tmp_path / "claims").mkdir()
    shutil.copy(DOCS / "claims" / "claims.json", tmp_path / "claims" / "claims.json")
    party = ct.party_verdicts(tmp_path)
    report = ct.write_town_report(here, tmp_path, "x").read_text(encoding="utf-8")
    for row in here["claims"]:
        number = row["claim"].number
        if number in ct.NOTES:
            held = ct.fate(party.get(number), row["verdict"]) == "holds"
            assert (f"**{number}.**" in report) is not held


@pytest.mark.slow
def test_the_documented_town_square_verdicts_are_what_the_code_gives():
    """docs/claims/town_square.md as written equals a fresh run at its settings."""
    doc = (DOCS / "claims" / "town_square.md").read_text(encoding="utf-8")
    reps = int(re.search(r"--reps (\d+)", doc).group(1))
    roots = tuple(int(s) for s in re.findall(r"--seed (\d+)", doc))
    accounts = int(re.search(r"--accounts (\d+)", doc).group(1))
    town = ct.run_town_claims(reps=reps, root_seeds=roots, n_accounts=accounts, map_runs=POOL)
    documented = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and re.match(r"^\d+[a-z]?(-eq)? ", cells[1]):
            documented.setdefault(cells[1].split()[0], cells[-3])
    for row in town["claims"]:
        assert documented[row["claim"].number] == row["verdict"], row["claim"].number


def partysim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--population", "town_square", "--accounts", "5"), "--accounts must be an integer"),
        (("--population", "town_square", "--jobs", "0"), "--jobs must be an integer"),
        (("--population", "town_square", "--feed", "all"), "comparisons only"),
        (("--jobs", "2"), "go with --population town_square"),
        (("--population", "village"), "invalid choice"),
    ],
)
def test_bad_town_square_options_are_one_line_errors(args, message, tmp_path):
    out = partysim("claims", *args, "--out", str(tmp_path))
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr
    assert not any(tmp_path.iterdir())  # nothing run, nothing written
