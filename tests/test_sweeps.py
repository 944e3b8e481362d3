"""Sweeps: designs, seeds, engines, resume after an interrupt, failures, CLI, plots."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim import sweeps
from sim.config.scenarios import ScenarioError, scenarios_dir

ROOT = Path(__file__).resolve().parent.parent
SMALL = """
name = "small"
scenario = "default"

[sweep]
reps = {reps}
root_seed = 5
steps = {steps}
record_every = 6

[sweep.set]
"regular.count" = {regulars}

[sweep.grid]
reply_base_prob = [0.01, 0.03]
"broadcaster.count" = {broadcasters}
"""


def small_sweep(tmp_path: Path, reps=2, steps=12, regulars=60, broadcasters="[5, 10]") -> Path:
    path = tmp_path / "small.toml"
    path.write_text(
        SMALL.format(reps=reps, steps=steps, regulars=regulars, broadcasters=broadcasters)
    )
    return path


def read(out: Path, table: str) -> pd.DataFrame:
    return sweeps.read_results(out, table)


def test_jobs_1_and_2_give_identical_rows(tmp_path):
    file = small_sweep(tmp_path)
    one = sim.sweep(file, jobs=1, out=tmp_path / "one", progress=False)
    two = sim.sweep(file, jobs=2, out=tmp_path / "two", progress=False)
    assert len(one) == 4 * 2 * 7  # points x reps x strategies
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(read(tmp_path / "one", "steps"), read(tmp_path / "two", "steps"))
    assert set(one["sim_version"]) == {sim.__version__}
    assert {"point", "rep", "seed", "run_id", "reply_base_prob", "broadcaster.count"} <= set(one)


def test_common_random_numbers_and_spawned_seeds(tmp_path):
    spec = sweeps.load_sweep(small_sweep(tmp_path, reps=3))
    expected = [
        int(c.generate_state(1, np.uint64)[0] >> np.uint64(1))
        for c in np.random.SeedSequence(5).spawn(3)
    ]
    assert spec.seeds() == expected
    by_point = {}
    for task in spec.tasks():
        by_point.setdefault(task.point, []).append(task.seed)
    assert all(seeds == expected for seeds in by_point.values())
    # more replications later keep the earlier seeds
    assert sweeps.load_sweep(spec, reps=5).seeds()[:3] == expected


def test_latin_hypercube_in_bounds_and_reproducible(tmp_path):
    file = tmp_path / "lhs.toml"
    file.write_text(
        'scenario = "default"\n[sweep]\nn = 20\nroot_seed = 3\n[sweep.sample]\n'
        "reply_base_prob = [0.005, 0.05]\nfeed_window_steps = [2, 30]\n"
        '"curator.count" = [1, 40]\n'
    )
    points = sweeps.load_sweep(file).points()
    assert len(points) == 20
    for p in points:
        assert 0.005 <= p["reply_base_prob"] <= 0.05
        assert isinstance(p["feed_window_steps"], int) and 2 <= p["feed_window_steps"] <= 30
        assert isinstance(p["curator.count"], int) and 1 <= p["curator.count"] <= 40
    # a Latin hypercube: one point in each of the n strata of every dimension
    strata = np.floor((np.array([p["reply_base_prob"] for p in points]) - 0.005) / 0.045 * 20)
    assert sorted(strata.astype(int)) == list(range(20))
    assert sweeps.load_sweep(file).points() == points


@pytest.mark.parametrize(
    ("sweep_table", "message"),
    [
        (
            "[sweep.grid]\nreply_bse_prob = [0.1]",
            r"unknown parameter 'reply_bse_prob'.*reply_base_prob",
        ),
        (
            "[sweep.grid]\nreply_base_prob = [0.1, 2.0]",
            r"'reply_base_prob' must be a number from 0 to 1",
        ),
        ("[sweep.grid]\n", r"\[sweep.grid\] is empty"),
        ("[sweep.grid]\nreply_base_prob = []", r"non-empty list"),
        ("[sweep]\nrepz = 3\n[sweep.grid]\nn_rooms = [2]", r"unknown sweep key 'repz'.*'reps'"),
        ('[sweep.grid]\n"regulr.count" = [3]', r"unknown group 'regulr'.*'regular'"),
        (
            "[sweep.sample]\nfeed_window_steps = [2, 8000]\n[sweep]\nn = 3",
            r"'feed_window_steps' must be an integer from 1 to 168",
        ),
        ("[sweep]\nreps = 2", r"has no design"),
        ("[sweep.grid]\nseed = [1, 2]", r"seeds come from"),
    ],
)
def test_bad_sweep_fails_before_any_run(tmp_path, sweep_table, message):
    file = tmp_path / "bad.toml"
    file.write_text(f'scenario = "default"\n{sweep_table}\n')
    out = tmp_path / "out"
    with pytest.raises(ScenarioError, match=message) as err:
        sim.sweep(file, out=out, progress=False)
    assert str(file) in str(err.value) or "sweep" in str(err.value)
    assert not out.exists()


def test_cli_user_error_is_one_line_exit_2(tmp_path):
    file = tmp_path / "bad.toml"
    file.write_text('scenario = "default"\n[sweep.grid]\nreply_bse_prob = [0.1]\n')
    done = cli("sweep", str(file), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "did you mean 'reply_base_prob'" in done.stderr
    assert not (tmp_path / "out").exists()


def test_refuses_to_overwrite_a_results_dir(tmp_path):
    file = small_sweep(tmp_path, broadcasters="[5]", reps=1)
    sim.sweep(file, out=tmp_path / "out", progress=False)
    with pytest.raises(ScenarioError, match="not empty; add --resume"):
        sim.sweep(file, out=tmp_path / "out", progress=False)
    other = small_sweep(tmp_path, broadcasters="[6]", reps=1)
    with pytest.raises(ScenarioError, match="holds a different sweep"):
        sim.sweep(other, out=tmp_path / "out", resume=True, progress=False)


def test_failed_run_is_recorded_and_the_rest_completes(tmp_path, monkeypatch):
    from sim.sweeps import engines

    real = engines.simulate

    def flaky(task):
        if task.params["reply_base_prob"] == 0.03 and task.params["broadcaster.count"] == 10:
            raise RuntimeError("injected failure")
        return real(task)

    monkeypatch.setattr(engines, "simulate", flaky)
    out = tmp_path / "out"
    table = sim.sweep(small_sweep(tmp_path), out=out, progress=False)
    failed = table.attrs["failed"]
    assert len(failed) == 2 and table["run_id"].nunique() == 6
    assert {f["rep"] for f in failed} == {0, 1}
    for f in failed:
        assert f["params"] == {"reply_base_prob": 0.03, "broadcaster.count": 10}
        assert "RuntimeError: injected failure" in f["error"] and f["seed"] > 0
        assert json.loads((out / "failed" / f"{f['run_id']}.json").read_text())["seed"] == f["seed"]
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted(m["status"] for m in manifest) == ["failed"] * 2 + ["ok"] * 6
    assert "injected failure" in (out / "failures.csv").read_text()
    # resuming retries the failed runs only
    monkeypatch.setattr(engines, "simulate", real)
    again = sim.sweep(small_sweep(tmp_path), out=out, resume=True, progress=False)
    assert again.attrs["ran"] == 2 and not again.attrs["failed"]
    assert again["run_id"].nunique() == 8 and not (out / "failures.csv").exists()


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        **kw,
    )


def _cpu_load(seconds: float) -> subprocess.Popen:
    """A busy process beside the sweep (bounded in time), so interrupts land at odd moments."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass",
        ]
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("sig", "after"),
    [
        (signal.SIGKILL, 3),
        (signal.SIGINT, 1),
        (signal.SIGINT, 3),
        (signal.SIGINT, 11),
        (signal.SIGTERM, 6),
    ],
    ids=["kill-after-3", "int-after-1", "int-after-3", "int-after-11", "term-after-6"],
)
def test_interrupted_sweep_resumes_without_loss_or_duplicates(tmp_path, sig, after):
    file = small_sweep(tmp_path, reps=6, steps=48, regulars=240)  # 24 runs
    out = tmp_path / "out"
    load = _cpu_load(60)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", str(file), "--out", str(out), "-q", "-j", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a test run started in the background (`cmd &`, nohup) inherits SIGINT ignored, and
        # Python keeps an inherited SIG_IGN: give the sweep Ctrl-C as a terminal would
        preexec_fn=_default_sigint,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "summary").glob("*.parquet"))) < after:
            assert proc.poll() is None and time.monotonic() < deadline, "sweep ended too soon"
            time.sleep(0.005)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
        load.kill()
    finished = len(list((out / "summary").glob("*.parquet")))
    assert after <= finished < 24
    if sig != signal.SIGKILL:  # a run's files and its manifest line are saved together
        lines = (out / "manifest.jsonl").read_text().splitlines()
        assert len(lines) == finished and "Traceback" not in stderr
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "--resume" in stderr
    if sig == signal.SIGTERM:  # raised as an exception: the same clean stop, its own status
        assert proc.returncode == 143 and "sweep terminated" in stderr and "--resume" in stderr
    resumed = sim.sweep(file, out=out, resume=True, progress=False, jobs=2)
    assert resumed.attrs["ran"] == 24 - finished
    whole = sim.sweep(file, out=tmp_path / "whole", progress=False, jobs=2)
    pd.testing.assert_frame_equal(resumed, whole)
    pd.testing.assert_frame_equal(read(out, "steps"), read(tmp_path / "whole", "steps"))
    runs = [
        json.loads(line)["run_id"] for line in (out / "manifest.jsonl").read_text().splitlines()
    ]
    assert sorted(runs) == sorted(set(runs)) and len(runs) == 24
    assert not list(out.rglob(".*.tmp"))


def test_resume_refuses_fewer_reps_and_another_version_and_rebuilds_the_manifest(tmp_path):
    file = small_sweep(tmp_path, broadcasters="[5]", reps=3)
    out = tmp_path / "out"
    sim.sweep(file, out=out, progress=False)
    with pytest.raises(ScenarioError, match="holds a sweep of 3 replications.*--reps 3"):
        sim.sweep(file, out=out, resume=True, reps=2, progress=False)
    manifest = out / "manifest.jsonl"
    lines = manifest.read_text().splitlines()
    manifest.write_text("\n".join(lines[1:]) + "\n{torn")  # as if killed between the two
    again = sim.sweep(file, out=out, resume=True, progress=False)
    assert again.attrs["ran"] == 0
    rebuilt = [json.loads(line) for line in manifest.read_text().splitlines()]
    assert sorted(r["run_id"] for r in rebuilt) == sorted(json.loads(x)["run_id"] for x in lines)
    settings = json.loads((out / "sweep.json").read_text())
    (out / "sweep.json").write_text(json.dumps({**settings, "sim_version": "0.0.1"}))
    with pytest.raises(ScenarioError, match="sim 0.0.1 .* mix results of two versions"):
        sim.sweep(file, out=out, resume=True, progress=False)


def test_cli_sweep_then_plot_end_to_end(tmp_path):
    out, figures = tmp_path / "res", tmp_path / "fig"
    done = cli("sweep", "quick", "--out", str(out), "--csv", "-j", "2", "--reps", "1")
    assert done.returncode == 0, done.stderr
    assert "12 of 12" not in done.stdout and "6 of 6 runs done" in done.stdout
    assert (out / "summary.csv").is_file() and (out / "steps.csv").is_file()
    assert len(pd.read_csv(out / "summary.csv")) == 6 * 7
    plotted = cli("plot", str(out), "--out", str(figures))
    assert plotted.returncode == 0, plotted.stderr
    for ext in ("png", "svg"):
        assert (figures / f"followers_mean_vs_params.{ext}").stat().st_size > 1000
        assert (figures / f"followers_mean_over_time.{ext}").stat().st_size > 1000
    # the results directory holds a sweep file that re-runs the same design
    again = sweeps.load_sweep(out / "sweep.toml", reps=1)
    assert again.fingerprint() == sweeps.load_sweep("quick").fingerprint()
    assert pd.read_parquet(out / "design.parquet").shape[0] == len(again.points())


@pytest.mark.parametrize("path", sorted((scenarios_dir() / "sweeps").glob("*.toml")), ids=str)
def test_every_shipped_sweep_file_loads(path):
    spec = sweeps.load_sweep(path)
    assert spec.tasks() and spec.params


def test_scenario_file_with_its_own_sweep_table(tmp_path):
    text = (scenarios_dir() / "default.toml").read_text()
    file = tmp_path / "party.toml"
    file.write_text(text + '\n[sweep]\nsteps = 6\n[sweep.grid]\n"*.count" = [3, 4]\n')
    table = sim.sweep(sim.load(file), progress=False)
    assert sorted(table["*.count"].unique()) == [3, 4] and table.attrs["out"] is None


# ------------------------------------------------- reliability II: bounds, store checks, a lock


def test_huge_sweeps_are_refused_or_confirmed_before_anything_is_built(tmp_path):
    grid = ", ".join(str(i) for i in range(100))
    file = tmp_path / "huge.toml"
    file.write_text(
        'name = "huge"\nscenario = "default"\n[sweep]\nreps = 2\n[sweep.grid]\n'
        f'"regular.count" = [{grid}]\n"broadcaster.count" = [{grid}]\n'
        f'"curator.count" = [{grid}]\n'
    )
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match=r"2,000,000 runs .* the limit is 1,000,000"):
        sim.sweep(file, out=tmp_path / "out", progress=False)
    with pytest.raises(ScenarioError, match=r"1,000,000 runs .*add --yes"):
        sim.sweep(file, reps=1, out=tmp_path / "out", progress=False)  # 1,000,000 runs
    with pytest.raises(ScenarioError, match=r"60,000 runs .* about .* add --yes"):
        sim.sweep("quick", reps=10_000, out=tmp_path / "out", progress=False)
    assert time.perf_counter() - start < 10  # no design of a million points was built
    assert not (tmp_path / "out").exists()


def test_huge_grid_message(tmp_path):
    grid = ", ".join(str(i) for i in range(100))
    file = tmp_path / "huge.toml"
    file.write_text(
        'name = "huge"\nscenario = "default"\n[sweep]\nreps = 1\n[sweep.grid]\n'
        f'"regular.count" = [{grid}]\n"broadcaster.count" = [{grid}]\n'
    )
    with pytest.raises(ScenarioError, match=r"10,000 points x 1 reps.*add --yes"):
        sim.sweep(file, out=tmp_path / "out", progress=False)


def test_reps_a_million_on_the_command_line_needs_nothing_to_start(tmp_path):
    done = cli("sweep", "quick", "--reps", "1000000", "--out", str(tmp_path / "r"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "6,000,000 runs" in done.stderr and "limit is 1,000,000" in done.stderr
    done = cli("sweep", "quick", "--reps", "2000", "--out", str(tmp_path / "r"))
    assert done.returncode == 2 and "--yes" in done.stderr and "12,000 runs" in done.stderr
    assert not (tmp_path / "r").exists()


def test_workers_are_capped_by_cores_and_the_estimate_is_printed(tmp_path):
    import os

    done = cli("sweep", "quick", "--reps", "1", "--jobs", "4096", "--out", str(tmp_path / "r"))
    assert done.returncode == 0, done.stderr
    cores = min(os.cpu_count() or 1, 6)
    assert f"6 runs (6 points x 1 reps) on {cores} worker" in done.stderr
    assert "--jobs 4096 lowered to" in done.stderr and "about" in done.stderr


def test_worker_cap_by_memory(monkeypatch):
    from sim.sweeps import bounds

    monkeypatch.setattr(bounds, "available_bytes", lambda: 3 * 2**30)
    monkeypatch.setattr(bounds.os, "cpu_count", lambda: 64)
    assert bounds.worker_cap(4096, 2**30, 100) == (3, "memory for 3 runs at once")
    assert bounds.worker_cap(4096, 2**20, 5) == (5, "5 runs")
    assert bounds.worker_cap(2, 2**30, 100) == (2, "")


def test_a_second_sweep_on_the_same_directory_is_refused_while_the_first_runs(tmp_path):
    file = small_sweep(tmp_path, reps=6, steps=48, regulars=240)
    out = tmp_path / "out"
    first = subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", str(file), "--out", str(out), "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (out / "sweep.json").exists():
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        # hold the first sweep still while the second tries (on a loaded machine the first
        # could otherwise finish before the second has started Python: not a refusal to test)
        os.kill(first.pid, signal.SIGSTOP)
        try:
            assert first.poll() is None, "the first sweep ended before it could be held"
            for args in ([], ["--resume"]):
                second = cli("sweep", str(file), "--out", str(out), "-q", *args)
                assert second.returncode == 2, second.stderr
                assert "another sweep is writing there now" in second.stderr
        finally:
            os.kill(first.pid, signal.SIGCONT)
        assert first.wait(timeout=300) == 0, first.communicate()
    finally:
        first.kill()
    lines = (out / "manifest.jsonl").read_text().splitlines()
    assert sorted(json.loads(x)["run_id"] for x in lines) == sorted(
        t.run_id for t in sweeps.load_sweep(file).tasks()
    )


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty"])
@pytest.mark.parametrize("table", ["summary", "steps"])
def test_a_torn_result_file_is_run_again_on_resume(tmp_path, how, table):
    file = small_sweep(tmp_path)
    out = tmp_path / "out"
    whole = sim.sweep(file, out=out, progress=False)
    victim = sorted((out / table).glob("*.parquet"))[3]
    data = victim.read_bytes()
    victim.write_bytes(
        {"truncated": data[: len(data) // 2], "garbage": b"x" * 99, "empty": b""}[how]
    )
    if table == "summary":
        with pytest.raises(ScenarioError, match=f"{victim.name}: not a readable Parquet"):
            sweeps.read_results(out)
    again = sim.sweep(file, out=out, resume=True, progress=False)
    assert again.attrs["ran"] == 1
    pd.testing.assert_frame_equal(again, whole)
    pd.testing.assert_frame_equal(read(out, "steps"), read(tmp_path / "out", "steps"))
    lines = (out / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == len(set(lines)) == 8


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{torn", "cannot be read as a sweep's settings"),
        ("[1, 2]", "not a sweep's settings"),
        ('{"params": 3, "sweep": {}}', "not a sweep's settings"),
    ],
    ids=["torn", "a_list", "params_not_a_list"],
)
def test_plot_of_a_corrupt_sweep_json_is_one_line(tmp_path, text, fragment):
    out = tmp_path / "out"
    sim.sweep(small_sweep(tmp_path, reps=1), out=out, progress=False)
    (out / "sweep.json").write_text(text)
    done = cli("plot", str(out))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert fragment in done.stderr and "Traceback" not in done.stderr


def test_plot_out_onto_a_file_and_a_corrupt_steps_file(tmp_path):
    out = tmp_path / "out"
    sim.sweep(small_sweep(tmp_path, reps=1), out=out, progress=False)
    afile = tmp_path / "figs"
    afile.write_text("mine")
    done = cli("plot", str(out), "--out", str(afile))
    assert done.returncode == 2 and "a file of that name exists" in done.stderr
    assert afile.read_text() == "mine"
    sorted((out / "steps").glob("*.parquet"))[0].write_bytes(b"PAR1 torn")
    done = cli("plot", str(out))
    assert done.returncode == 2 and "not a readable Parquet file" in done.stderr
    assert "--resume" in done.stderr and done.stderr.count("\n") == 1


def test_full_disk_mid_sweep_is_one_line_and_resumes(tmp_path):
    file = small_sweep(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(
        f"ulimit -f 8 && exec {sys.executable} -m sim sweep {file} --out {out} -q",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "File too large" in done.stderr and "--resume" in done.stderr
    assert not list(out.rglob(".*.tmp"))
    again = sim.sweep(file, out=out, resume=True, progress=False)
    assert again.attrs["done"] == 8


def test_a_million_sampled_points_are_estimated_without_sampling_them(tmp_path):
    file = tmp_path / "sample.toml"
    file.write_text(
        'name = "big_sample"\nscenario = "default"\n[sweep]\nreps = 1\nn = 1000000\n'
        "[sweep.sample]\nreply_base_prob = [0.001, 0.05]\nfollow_base_prob = [0.001, 0.05]\n"
    )
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match=r"1,000,000 runs .* days .*add --yes"):
        sim.sweep(file, out=tmp_path / "out", progress=False)
    assert time.perf_counter() - start < 10 and not (tmp_path / "out").exists()


def _two_factor_grid() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A 2 x 3 grid, 3 replications: factor b moves followers by 100 per step of b, a by 1."""
    rows = []
    for a in (0.1, 0.2):
        for b in (1, 2, 3):
            for rep in range(3):
                for strategy in ("broadcaster", "regular"):
                    for step in (0, 12, 24):
                        value = 100.0 * b + 10 * a + rep + step / 24
                        rows.append({"a": a, "b": b, "rep": rep, "run_id": f"{a}-{b}-{rep}",
                                     "strategy": strategy, "step": step,
                                     "followers_mean": value})  # fmt: skip
    steps = pd.DataFrame(rows)
    return steps[steps["step"] == 24].drop(columns="step"), steps


def test_plots_separate_the_factors_of_a_two_factor_grid():
    """Issue 31: each swept factor's panels hold the other factor fixed (no pooling over it),
    and the legend sits beside the panels, not over the lines."""
    from sim.sweeps import plots

    summary, steps = _two_factor_grid()
    fig = plots.outcome_vs_params_figure(summary, ["a", "b"], "followers_mean")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 2 + 3  # x = a: one panel per b; x = b: one per a
    for ax in panels:
        title = ax.get_title()
        other, value = title.split(" = ")
        part = summary[summary[other] == float(value)]
        line = next(ln for ln in ax.get_lines() if ln.get_label() == "regular")
        expected = part[part["strategy"] == "regular"].groupby("a" if other == "b" else "b")
        assert line.get_ydata().tolist() == pytest.approx(
            expected["followers_mean"].mean().tolist()
        )
    assert not any(ax.get_legend() for ax in fig.axes) and len(fig.legends) == 1
    fig.canvas.draw()
    legend_box = fig.legends[0].get_window_extent()
    assert all(legend_box.x0 >= ax.get_window_extent().x1 for ax in panels)
    plots.plt.close(fig)

    fig = plots.outcome_over_time_figure(steps, "followers_mean", ["a", "b"])
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert sorted(ax.get_title() for ax in panels) == sorted(
        f"a = {a:g}, b = {b}" for a in (0.1, 0.2) for b in (1, 2, 3)
    )
    for ax in panels:  # each panel's spread is the replications' only (0, 1, 2 at a point)
        for band in ax.collections:
            y = band.get_paths()[0].vertices[:, 1]
            assert y.max() - y.min() < 20
    plots.plt.close(fig)


def test_plots_say_when_they_pool_and_keep_bands_in_range():
    from sim.sweeps import plots

    summary, _ = _two_factor_grid()
    rng = np.random.default_rng(1)
    summary = summary.assign(b=rng.uniform(0, 1, len(summary)), followers_mean=rng.uniform(0, 2,
                             len(summary)))  # fmt: skip
    fig = plots.outcome_vs_params_figure(summary, ["a", "b"], "followers_mean")
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert "pooled over b" in titles
    stats = plots.mean_ci(pd.Series([0.0, 0.1, 9.0]), bounds=(0.0, np.inf))
    assert stats["low"] == 0.0 and stats["high"] > stats["mean"]
    assert "rough" in fig.get_suptitle()
    plots.plt.close(fig)
