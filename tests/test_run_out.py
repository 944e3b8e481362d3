"""`partysim run --out`: checked before the run, written atomically, never mixed, never
overwriting files that are not a previous run's output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.outdir import MARKER, OUTPUT_NAMES, write_dir, written_here
from sim.analysis.output import write_outputs
from sim.config.errors import OutputError
from tests.conftest import small_model

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["--set", "regular.count=60", "--steps", "6", "--quiet"]


def start(out: Path, seed: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", "run", "default", "--out", str(out), "--seed", str(seed)]
        + SMALL
        + list(extra),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def seeds_in(out: Path) -> set[int]:
    return set(pd.read_csv(out / "steps.csv")["seed"])


def test_every_file_written_is_a_known_output_name(tmp_path):
    files = write_outputs(small_model(), tmp_path / "out")
    names = {p.name for p in files.values()}
    assert names <= OUTPUT_NAMES, names - OUTPUT_NAMES
    assert {p.name for p in (tmp_path / "out").iterdir()} == names | {MARKER}
    assert written_here(tmp_path / "out") == names  # the marker lists exactly what was written
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary directory left


def test_two_runs_into_one_directory_at_once_never_mix(tmp_path):
    out = tmp_path / "same"
    procs = [start(out, seed) for seed in (1, 2)]
    results = [(p.wait(timeout=300), p.communicate()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, (_, err) in results if code == 2)
    assert loser.count("\n") == 1 and "--out" in loser and "Traceback" not in loser
    assert len(seeds_in(out)) == 1  # one run's files, complete
    pd.read_parquet(out / "steps.parquet")
    assert (out / "network.gexf").read_text().rstrip().endswith("</gexf>")


def test_force_replaces_a_previous_run_and_nothing_else(tmp_path):
    out = tmp_path / "res"
    assert start(out, 1).wait(timeout=300) == 0
    again = start(out, 2)
    assert again.wait(timeout=300) == 2 and "not empty" in again.communicate()[1]
    assert seeds_in(out) == {1}
    assert start(out, 3, "--force").wait(timeout=300) == 0
    assert seeds_in(out) == {3}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]  # no temp or old dirs left


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    def write(tmp: Path) -> dict:
        (tmp / "steps.csv").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OutputError, match="could not write the results: disk full"):
        write_dir(tmp_path / "out", write)
    assert list(tmp_path.iterdir()) == []  # neither the claimed directory nor the temporary one


def test_the_app_offers_the_same_files_run_out_writes(tmp_path):
    """The app's downloads are the bytes `partysim run --out` writes, named alike."""
    from ui.exports import export_list

    model = small_model()
    files = write_outputs(model, tmp_path / "out")
    offered = {name: make for _, name, _, make in export_list(model, layout=None)}
    stem = f"{model.spec.name}-seed{model.seed}-h{model.steps}-"
    for path in files.values():
        if path.suffix == ".png":  # a figure: same chart, but not byte-stable across renders
            assert stem + path.name in offered
            continue
        assert offered[stem + path.name]() == path.read_bytes(), path.name
