"""`partysim run --out`: checked before the run, written atomically, never mixed, never
overwriting files that are not a previous run's output."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis import outdir
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


# ------------------------------------------------------------- reliability II: --out owns it


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None, **kw):
    pipes = {} if "stdout" in kw else {"capture_output": True}
    return subprocess.run(
        [sys.executable, "-m", "sim", "run", *args],
        cwd=cwd,
        text=True,
        **pipes,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        **kw,
    )


def one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    assert done.returncode != 0, done.stdout
    err = done.stderr
    assert err.count("\n") == 1 and err.startswith("partysim: error: "), err
    assert "Traceback" not in err
    for part in fragments:
        assert part in err, (part, err)


@pytest.mark.parametrize(
    "mine",
    [["steps.csv"], ["steps.csv", "notes.txt"], ["steps.csv", ".partysim-run"]],
    ids=["own_steps_csv", "own_files", "fake_marker"],
)
def test_force_never_deletes_a_users_files(tmp_path, mine):
    out = tmp_path / "o"
    out.mkdir()
    for name in mine:
        (out / name).write_text("mine" if name != MARKER else '{"files": ["followers.png"]}')
    done = run_cli("default", *SMALL, "--out", str(out), "--force")
    one_line_error(done, "did not write", "steps.csv")
    assert sorted(p.name for p in out.iterdir()) == sorted(mine)
    assert (out / "steps.csv").read_text() == "mine"


def test_force_refuses_a_run_directory_with_a_users_file_added(tmp_path):
    out = tmp_path / "o"
    assert start(out, 1).wait(timeout=300) == 0
    (out / "my_notes.md").write_text("mine")
    done = run_cli("default", *SMALL, "--out", str(out), "--force")
    one_line_error(done, "my_notes.md", "did not write")
    assert (out / "my_notes.md").read_text() == "mine" and seeds_in(out) == {1}


def test_four_forced_runs_at_once_one_writes_the_others_are_refused(tmp_path):
    out = tmp_path / "same"
    long = ["--steps", "336", "--set", "regular.count=400"]  # longer than the starts spread
    procs = [start(out, seed, "--force", *long) for seed in (1, 2, 3, 4)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    winners = [i + 1 for i, (code, _, _) in enumerate(results) if code == 0]
    assert len(winners) == 1, results
    for code, _, err in results:
        if code:
            assert code == 2 and "another partysim run is writing there" in err, err
    assert seeds_in(out) == set(winners)  # the one run that says it wrote is the one there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same"]


@pytest.mark.parametrize(
    ("out", "fragments"),
    [
        ("", ["--out", "empty"]),
        (".", ["current or a parent directory"]),
        ("..", ["current or a parent directory"]),
        ("default", ["hide the scenario 'default'"]),
        ("default.toml", ["hide the scenario 'default'"]),
        ("scenarios/evil.toml", ["inside the scenarios folder"]),
        ("x" * 256, ["256 bytes", "255"]),
        ("runs/" + "y" * 300 + "/o", ["300 bytes"]),
    ],
    ids=[
        "empty",
        "dot",
        "dotdot",
        "shadows_name",
        "shadows_file",
        "in_scenarios",
        "long",
        "long_mid",
    ],
)
def test_out_paths_refused_before_the_run_with_the_reason(tmp_path, out, fragments):
    before = sorted(p.name for p in ROOT.iterdir())
    done = run_cli("default", *SMALL, "--out", out)
    one_line_error(done, *fragments)
    assert sorted(p.name for p in ROOT.iterdir()) == before
    assert not (ROOT / "scenarios" / "evil.toml").exists()


def shell(command: str, cwd) -> subprocess.CompletedProcess:
    """``command`` through the shell (for umask and ulimit), importing this checkout's sim."""
    return subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)  # fmt: skip


def test_dotdot_leaves_no_stray_directory_and_umask_is_honoured(tmp_path):
    done = run_cli("default", *SMALL, "--out", "a/../b", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]
    assert (tmp_path / "b").stat().st_mode & 0o777 == 0o755  # umask 022, not mkdtemp's 0700
    done = shell(f"umask 027 && {sys.executable} -m sim run default {' '.join(SMALL)} --out c/d",
                 tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "c" / "d").stat().st_mode & 0o777 == 0o750


def test_a_failed_rename_says_its_real_cause(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(src))

    monkeypatch.setattr(outdir.os, "rename", refuse)
    with pytest.raises(OutputError, match="Invalid cross-device link") as err:
        write_outputs(small_model(), tmp_path / "out")
    assert "another run" not in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_and_file_size_limit_are_one_line_errors(tmp_path):
    limited = shell(f"ulimit -f 40 && exec {sys.executable} -m sim run default "
                    f"{' '.join(SMALL)} --out o", tmp_path)  # fmt: skip
    one_line_error(limited, "--out o", "File too large")
    assert list(tmp_path.iterdir()) == []  # neither half a directory nor a temporary one
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (["--json"], []):
        with open("/dev/full", "w") as full:
            done = run_cli("default", *SMALL, *args, stdout=full, stderr=subprocess.PIPE)
        assert done.returncode == 1 and "No space left on device" in done.stderr
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("kernels", "sig", "status"),
    [
        ("on", signal.SIGINT, 130),
        ("off", signal.SIGINT, 130),
        ("on", signal.SIGTERM, 143),
    ],
    ids=["ctrl_c_loops_on", "ctrl_c_loops_off", "sigterm_loops_on"],
)
def test_interrupted_run_stops_between_hours_and_leaves_nothing(tmp_path, kernels, sig, status):
    out = tmp_path / "o"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", "default", "--steps", "5000", "--yes"]
        + ["--set", "regular.count=3000", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PARTYSIM_KERNELS": kernels},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(iter(lambda: proc.stderr.read(1), "")))
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while "accounts:" not in "".join(seen) and time.monotonic() < deadline:
            time.sleep(0.1)  # the progress bar shows hours are running
        time.sleep(1.0)
        proc.send_signal(sig)
        proc.wait(timeout=120)
        reader.join(timeout=30)
    finally:
        proc.kill()
    err = "".join(seen)
    assert proc.returncode == status, err
    assert "SystemError" not in err and "Traceback" not in err
    assert re.search(r"partysim: (interrupted|terminated) after [1-9]\d* of 5000 hours", err), err
    assert list(tmp_path.iterdir()) == []  # the claimed directory let go, no temporary one


@pytest.fixture
def python_sigint():
    """Python's own Ctrl-C handler for the test, as a terminal gives it: a test process
    started in the background by a shell inherits SIGINT ignored (and a run rightly leaves an
    ignored signal alone, as a pool worker's)."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


@pytest.mark.parametrize("loops", [True, False], ids=["loops_on", "loops_off"])
def test_a_signal_inside_an_hour_is_acted_on_between_hours(loops, monkeypatch, python_sigint):
    """Ctrl-C arriving in the middle of an hour (here: during its suggestion phase) lets the
    hour finish, every later phase included, and stops the run before the next one."""
    from sim.engine import kernels
    from sim.engine import model as model_module

    model = small_model()
    finished: list[int] = []
    suggest, everyday = model_module.suggestion_phase, model_module.everyday_unfollow_phase

    def suggestion_phase(m, online):  # m: the party (hour 2 is step 3)
        if m.hour == 2:
            os.kill(os.getpid(), signal.SIGINT)
        return suggest(m, online)

    def everyday_unfollow_phase(m, online):  # a later phase of the same hour
        everyday(m, online)
        finished.append(m.hour + 1)

    monkeypatch.setattr(model_module, "suggestion_phase", suggestion_phase)
    monkeypatch.setattr(model_module, "everyday_unfollow_phase", everyday_unfollow_phase)
    with kernels.using(loops), pytest.raises(KeyboardInterrupt):
        model.run(10)
    assert model.steps == 3 and finished == [1, 2, 3]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers restored
    model.run(2)  # the model goes on from where it stopped
    assert model.steps == 5


def test_sigterm_while_writing_removes_the_temporary_directory(tmp_path):
    from sim.engine.interrupts import Terminated

    def write(tmp: Path) -> dict:
        (tmp / "steps.csv").write_text("half")
        raise Terminated("terminated (signal 15)")

    with pytest.raises(Terminated):
        write_dir(tmp_path / "out", write)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_between_the_two_renames_of_a_forced_replace_loses_nothing(
    tmp_path, monkeypatch, python_sigint
):
    out = tmp_path / "out"
    write_outputs(small_model(seed=1), out)
    rename = os.rename

    def rename_then_interrupt(src, dst):
        rename(src, dst)
        if Path(dst).name == "previous":  # the old run moved aside, the new not yet in place
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(outdir.os, "rename", rename_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(small_model(seed=2), out, force=True)
    assert seeds_in(out) == {2} and written_here(out) is not None  # acted on once in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_large_run_writes_parquet_tables_that_rebuild_its_graph(tmp_path, monkeypatch):
    """From LARGE_RUN_ACCOUNTS accounts --out writes the Parquet tables and the figure (no
    CSV copies, no GraphML or GEXF); the start edges plus the event log rebuild the end
    edges, and --all-files (``all_files``) still writes everything."""
    from sim.analysis import metrics, output

    model = small_model(seed=4).run(72)
    monkeypatch.setattr(output, "LARGE_RUN_ACCOUNTS", model.n)  # this run counts as large
    files = write_outputs(model, tmp_path / "large")
    names = {p.name for p in (tmp_path / "large").iterdir()} - {MARKER}
    assert names == {f.name for f in output.LARGE_RUN_FILES} <= OUTPUT_NAMES
    assert not any(n.endswith((".csv", ".graphml", ".gexf")) for n in names)
    accounts = pd.read_parquet(files["accounts_parquet"])
    assert accounts.equals(metrics.account_table(model))
    edges = set(pd.read_parquet(files["edges_start_parquet"]).itertuples(index=False, name=None))
    events = pd.read_parquet(files["events_parquet"])
    assert {"follow", "unfollow"} <= set(events["event"])
    for row in events.itertuples():
        tie = (row.actor, row.target)
        if row.event == "follow":
            edges.add(tie)
        elif row.event == "unfollow":
            edges.remove(tie)
        elif row.event == "block":
            for cut, pair in ((row.cut_my_follow, tie), (row.cut_their_follow, tie[::-1])):
                if cut == 1:
                    edges.remove(pair)
    end = set(pd.read_parquet(files["edges_end_parquet"]).itertuples(index=False, name=None))
    now = set(zip(model.follows.src.tolist(), model.follows.dst.tolist(), strict=True))
    assert edges == end == now
    every = write_outputs(model, tmp_path / "all", all_files=True)
    assert {p.name for p in every.values()} == {f.name for f in output.RUN_FILES}


def test_a_run_of_100000_accounts_says_what_out_writes(tmp_path):
    out = tmp_path / "town"
    run = subprocess.run(
        [sys.executable, "-m", "sim", "run", "town_square", "--steps", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "100,000 accounts: --out writes steps.parquet, accounts.parquet" in run.stderr
    assert "--all-files writes them too" in run.stderr
    assert not list(out.glob("*.graphml")) and (out / "edges_end.parquet").exists()
    refused = subprocess.run(
        [sys.executable, "-m", "sim", "run", "default", "--steps", "1", "--all-files"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 2 and "give --out DIR" in refused.stderr
