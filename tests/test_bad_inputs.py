"""A corpus of bad inputs, tried as a new user would: scenario files and command lines.

Each must end with exit status 2 and ONE line on stderr that names the file or flag, the key
and what is allowed -- never a traceback, never a run that starts and fails later. The same
files go through the app's upload path, which shares the loader's checks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.cli import main as cli
from sim.config import scenarios
from sim.config.params import MODEL_PARAMS
from sim.config.scenarios import ScenarioError
from sim.config.tomlio import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = (scenarios.scenarios_dir() / "default.toml").read_text(encoding="utf-8")
_WINDOW = MODEL_PARAMS["feed_window_steps"]
WINDOW_RANGE = f"{_WINDOW.low:g} to {_WINDOW.high:g}"  # as the registry declares it
GROUPS = '[[groups]]\nstrategy = "regular"\ncount = 10\n'


# (id, file bytes, fragments the message must hold besides the file name)
BAD_FILES = [
    ("binary", b"\xff\xfe\x00\x01 binary", ["not a UTF-8"]),
    ("latin1", 'name = "café"\n'.encode("latin-1") + GROUPS.encode(), ["not a UTF-8", "byte"]),
    ("nul", b'name = "a"\x00\n', ["NUL"]),
    ("deep_array", ("a = " + "[" * 3000 + "]" * 3000).encode(), ["nested too deeply"]),
    ("deep_tables", ("x = " + "{a = " * 200 + "1" + "}" * 200).encode(), ["nested too deeply"]),
    ("not_toml", b"steps = = 3\n", ["not valid TOML"]),
    ("steps_nan", f"steps = nan\n{GROUPS}".encode(), ["'steps'", "1 to 100,000", "nan"]),
    ("steps_inf", f"steps = inf\n{GROUPS}".encode(), ["'steps'", "inf"]),
    ("seed_huge", f"seed = {2**70}\n{GROUPS}".encode(), ["'seed'", "0 to"]),
    ("seed_negative", f"seed = -1\n{GROUPS}".encode(), ["'seed'", "0 to"]),
    ("count_nan", b'[[groups]]\nstrategy = "regular"\ncount = nan\n', ["'count'", "0 to"]),
    (
        "int_param_nan",
        f"[params]\nfeed_window_steps = nan\n{GROUPS}".encode(),
        ["'feed_window_steps'", WINDOW_RANGE],
    ),
    (
        "int_param_inf",
        (GROUPS + "initial_following = -inf\n").encode(),
        ["'initial_following'", "0 to 2000"],
    ),
    (
        "float_param_huge_int",
        f"[params]\nreply_base_prob = {10**400}\n{GROUPS}".encode(),
        ["'reply_base_prob'", "0 to 1"],
    ),
    ("int_param_fraction", f"[params]\nn_rooms = 2.5\n{GROUPS}".encode(), ["'n_rooms'", "1 to 64"]),
    ("string_for_number", f'[params]\nn_rooms = "3"\n{GROUPS}'.encode(), ["'n_rooms'", "str"]),
    ("one_account", b'[[groups]]\nstrategy = "regular"\ncount = 1\n', ["2 to 2,000,000"]),
    # a top-level key written below a table header is that table's (TOML): say where it goes
    (
        "steps_under_params",
        f"[params]\nn_rooms = 8\nsteps = 24\n{GROUPS}".encode(),
        ["[params]", "'steps' is a top-level key", "above the first table header"],
    ),
    (
        "seed_under_groups",
        (GROUPS + "seed = 3\n").encode(),
        ["[[groups]] #1", "'seed' is a top-level key"],
    ),
    ("no_groups", b'name = "x"\n', ["'groups'"]),
    ("group_not_table", b"groups = [1, 2]\n", ["#1", "must be a table"]),
    ("group_without_strategy", b"[[groups]]\ncount = 5\n", ["'strategy' is missing", "regular"]),
    ("strategy_not_text", b"[[groups]]\nstrategy = 3\ncount = 5\n", ["'strategy' must be"]),
    ("group_name_int", (GROUPS + "name = 5\n").encode(), ["group name", "5"]),
    ("group_name_empty", (GROUPS + 'name = ""\n').encode(), ["group name"]),
    ("group_name_dot", (GROUPS + 'name = "a.b"\n').encode(), ["group name", "GROUP.PARAM"]),
    (
        "group_names_twice",
        (GROUPS + GROUPS).encode(),
        ["unique", "'regular'"],
    ),
    (
        "builtin_replaced",
        b"[strategies.regular]\nreply_propensity = 2.0\n" + GROUPS.encode(),
        ["built-in", 'base = "regular"'],
    ),
    (
        "base_self",
        b'[strategies.a]\nbase = "a"\n' + GROUPS.encode(),
        ["[strategies.a]", "its own base"],
    ),
    (
        "base_cycle",
        b'[strategies.a]\nbase = "b"\n[strategies.b]\nbase = "a"\n' + GROUPS.encode(),
        ["cycle", "'a' -> 'b' -> 'a'"],
    ),
    (
        "base_chain_3000",
        "".join(f'[strategies.s{i}]\nbase = "s{i + 1}"\n' for i in range(3000)).encode()
        + b'[strategies.s3000]\nbase = "regular"\n'
        + GROUPS.encode(),
        ["a chain of more than 64 bases", "'s0' -> 's1' -> 's2'"],
    ),
    ("base_unknown", b'[strategies.a]\nbase = "regulr"\n' + GROUPS.encode(), ["'regular'"]),
    ("base_not_text", b"[strategies.a]\nbase = 1\n" + GROUPS.encode(), ["'base' must be"]),
    ("strategy_empty_name", b'[strategies.""]\n' + GROUPS.encode(), ["strategy name"]),
    (
        "rooms_and_n_rooms",
        f'rooms = ["#a", "#b"]\n[params]\nn_rooms = 5\n{GROUPS}'.encode(),
        ["'n_rooms'", "2 names"],
    ),
    ("rooms_twice", f'rooms = ["#a", "#a"]\n{GROUPS}'.encode(), ["'#a' twice"]),
    ("rooms_empty_name", f'rooms = [""]\n{GROUPS}'.encode(), ["'rooms'"]),
    ("unknown_key", f"stepz = 3\n{GROUPS}".encode(), ["'stepz'", "did you mean 'steps'"]),
    ("int_5000_digits", f"seed = {'9' * 5000}\n{GROUPS}".encode(), ["4,300 digits"]),
    (
        "int_5000_digits_param",
        f"[params]\nn_rooms = {'1' * 5000}\n{GROUPS}".encode(),
        ["4,300 digits"],
    ),
    (
        "model_param_in_group",
        (GROUPS + 'feed = "engagement"\n').encode(),
        ["[[groups]] #1", "'feed' is a model parameter", "[params]"],
    ),
    (
        "model_param_in_strategy",
        b'[strategies.mine]\nbase = "regular"\nn_rooms = 3\n' + GROUPS.encode(),
        ["[strategies.mine]", "'n_rooms' is a model parameter"],
    ),
    (
        "account_param_in_params",
        f"[params]\nreply_propensity = 1.0\n{GROUPS}".encode(),
        ["[params]", "'reply_propensity' is an account parameter", "[[groups]]"],
    ),
    ("rooms_padded", f'rooms = ["#a", "#a "]\n{GROUPS}'.encode(), ["'#a '", "space"]),
    ("key_with_newline", f'"a\\nb" = 3\n{GROUPS}'.encode(), ["'a\\nb'"]),
    ("name_not_text", f"name = 3\n{GROUPS}".encode(), ["'name' must be a string"]),
    (
        "signup_follows_without_a_list",
        (GROUPS + "join_prob = 0.2\nsignup_follows = 5\n").encode(),
        ["group 'regular'", "signup_follows = 5", 'start_fame = "top"'],
    ),
    (
        "memory",
        (GROUPS.replace("10", "2000000") + "initial_following = 2000\n").encode(),
        ["GiB of memory", "available"],
    ),
]


@pytest.fixture
def corpus_file(tmp_path, request):
    def write(data: bytes) -> Path:
        path = tmp_path / "bad party.toml"
        path.write_bytes(data)
        return path

    return write


def run_cli(*args: str, capsys) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, fragments: list[str]) -> None:
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("partysim: error: "), err
    assert "Traceback" not in err
    for part in fragments:
        assert part in err, (part, err)


@pytest.mark.parametrize(
    ("data", "fragments"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_bad_scenario_file_is_one_line_error(corpus_file, capsys, data, fragments):
    path = corpus_file(data)
    code, out, err = run_cli("run", str(path), "--json", capsys=capsys)
    assert_one_line_error(code, err, [str(path), *fragments])
    assert out == ""


@pytest.mark.parametrize(
    ("data", "fragments"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_bad_file_through_the_app_upload_path(data, fragments):
    pytest.importorskip("streamlit")
    from ui.settings import SettingsError, parse_upload

    if len(data) > 64 * 1024:
        pytest.skip("above the app's upload limit (tested separately)")
    with pytest.raises((ScenarioError, SettingsError)) as err:
        parse_upload(data, "upload.toml")
    message = str(err.value)
    assert "\n" not in message
    if "GiB" not in " ".join(fragments):  # the app refuses a big party by its own limit
        assert message.startswith("upload.toml") and all(f in message for f in fragments)


def test_oversized_and_odd_files(tmp_path, capsys):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    code, _, err = run_cli("run", str(big), capsys=capsys)
    assert_one_line_error(code, err, [str(big), "too large", "1024 KiB"])
    code, _, err = run_cli("run", str(tmp_path), capsys=capsys)
    assert_one_line_error(code, err, [str(tmp_path), "not a regular file"])
    code, _, err = run_cli("run", str(tmp_path / "missing.toml"), capsys=capsys)
    assert_one_line_error(code, err, ["unknown scenario", "known scenarios: "])
    unreadable = tmp_path / "locked.toml"
    unreadable.write_text(DEFAULT)
    unreadable.chmod(0)
    try:
        if not unreadable.read_bytes():
            pass
    except PermissionError:
        code, _, err = run_cli("run", str(unreadable), capsys=capsys)
        assert_one_line_error(code, err, [str(unreadable), "cannot read"])
    finally:
        unreadable.chmod(0o644)


def test_a_bom_and_bases_in_any_order_are_fine(tmp_path):
    text = (
        '[strategies.late_child]\nbase = "mid"\n[strategies.mid]\nbase = "conversationalist"\n'
        'reply_propensity = 2.0\n[[groups]]\nstrategy = "late_child"\ncount = 5\n' + GROUPS
    )
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff".encode() + text.encode())
    sc = scenarios.load(path)
    assert sc.strategies["late_child"].values()["reply_propensity"] == 2.0
    assert sc.n_accounts == 15


# (id, argv after `run default`, fragments)
BAD_ARGS = [
    ("seed_negative", ["--seed", "-1"], ["--seed", "'seed'", "0 to"]),
    ("seed_huge", ["--seed", str(2**70)], ["--seed", "'seed'"]),
    ("steps_negative", ["--steps", "-1"], ["--steps:", "1 to 100,000"]),
    ("steps_zero", ["--steps", "0"], ["--steps:", "1 to 100,000"]),
    ("steps_huge", ["--steps", "10000000"], ["--steps:", "1 to 100,000"]),
    ("set_steps_zero", ["--set", "steps=0"], ["--set", "'steps'", "1 to 100,000"]),
    ("set_seed_huge", ["--set", f"seed={2**70}"], ["--set", "'seed'"]),
    ("set_all_counts_zero", ["--set", "*.count=0"], ["--set", "0 accounts", "2 to 2,000,000"]),
    (
        "set_one_account",
        ["--set", "*.count=0", "--set", "regular.count=1"],
        ["1 accounts", "2 to"],
    ),
    (
        "set_total_over_cap",
        ["--set", "regular.count=1500000", "--set", "conversationalist.count=1500000"],
        ["--set", "3,000,", "2 to 2,000,000"],
    ),
    ("set_count_over_cap", ["--set", "regular.count=3000000"], ["'count'", "0 to 2,000,000"]),
    ("set_count_fraction", ["--set", "regular.count=1.5"], ["'count'"]),
    ("set_int_nan", ["--set", "*.initial_following=nan"], ["'initial_following'", "nan"]),
    ("set_int_inf", ["--set", "feed_window_steps=inf"], ["'feed_window_steps'", WINDOW_RANGE]),
    ("set_float_nan", ["--set", "reply_base_prob=nan"], ["'reply_base_prob'", "0 to 1"]),
    ("set_n_rooms_with_rooms", ["--set", "n_rooms=24"], ["'n_rooms'", "rooms"]),
    ("set_unknown", ["--set", "reply_bse_prob=0.1"], ["did you mean 'reply_base_prob'"]),
    ("set_unknown_group", ["--set", "regulr.count=3"], ["unknown group", "'regular'"]),
    ("set_no_equals", ["--set", "steps"], ["--set expects key=value"]),
    ("set_empty_key", ["--set", "=3"], ["--set expects key=value"]),
    ("set_newline_value", ["--set", "steps=3\nseed = 4"], ["'steps'"]),
    ("set_deep_value", ["--set", "steps=" + "[" * 2000], ["'steps'"]),
    ("set_table_value", ["--set", "n_rooms={a=1}"], ["'n_rooms'"]),
    ("set_seed_5000_digits", ["--set", "seed=" + "9" * 5000], ["--set", "'seed'", "0 to"]),
    ("set_param_5000_digits", ["--set", "n_rooms=" + "9" * 5000], ["'n_rooms'"]),
    (
        "set_account_param_alone",
        ["--set", "reply_propensity=1.0"],
        ["'reply_propensity' is an account parameter", "GROUP.reply_propensity"],
    ),
    (
        "set_model_param_on_group",
        ["--set", "regular.feed=engagement"],
        ["'feed' is a model parameter", "--set feed="],
    ),
    (
        "memory",
        ["--set", "*.initial_following=2000", "--set", "regular.count=1900000"],
        ["GiB of memory", "available"],
    ),
]


@pytest.mark.parametrize(
    ("args", "fragments"), [c[1:] for c in BAD_ARGS], ids=[c[0] for c in BAD_ARGS]
)
def test_bad_command_line_is_one_line_error(capsys, args, fragments):
    code, out, err = run_cli("run", "default", "--json", *args, capsys=capsys)
    assert_one_line_error(code, err, fragments)
    assert out == ""


def test_bad_out_dirs_fail_before_the_run(tmp_path, capsys):
    afile = tmp_path / "a.txt"
    afile.write_text("x")
    code, _, err = run_cli("run", "default", "--out", str(afile), capsys=capsys)
    assert_one_line_error(code, err, [str(afile), "a file of that name"])
    code, _, err = run_cli("run", "default", "--out", str(afile / "sub"), capsys=capsys)
    assert_one_line_error(code, err, ["is a file, not a directory"])
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    code, _, err = run_cli("run", "default", "--out", str(full), capsys=capsys)
    assert_one_line_error(code, err, [str(full), "not empty", "--force"])
    code, _, err = run_cli("run", "default", "--out", str(full), "--force", capsys=capsys)
    assert_one_line_error(code, err, ["notes.txt", "did not write"])
    assert (full / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["sweep", "quick", "--jobs", "-3"], ["--jobs", "-3"]),
        (["sweep", "quick", "--out", "/proc/no/such"], ["--out /proc/no/such", "cannot write"]),
        (["sweep", "quick", "--reps", "0"], ["'reps'", "1 to"]),
        (["sweep", "quick", "--engine", "local", "--address", "tcp://x:1"], ["--engine dask"]),
    ],
    ids=["jobs_negative", "out_unwritable", "reps_zero", "address_without_dask"],
)
def test_bad_sweep_command_lines(tmp_path, capsys, argv, fragments):
    out = [] if "--out" in argv else ["--out", str(tmp_path / "out")]
    code, _, err = run_cli(*argv, *out, capsys=capsys)
    assert_one_line_error(code, err, fragments)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "fragments"),
    [("/tmp/elsewhere", ["plain folder name"]), ("..", ["plain folder name"]), (3, ["'name'"])],
)
def test_sweep_name_is_a_plain_folder_name(tmp_path, capsys, name, fragments):
    file = tmp_path / "s.toml"
    value = f'"{name}"' if isinstance(name, str) else name
    file.write_text(
        f'name = {value}\nscenario = "default"\n[sweep.grid]\nreply_base_prob = [0.1]\n'
    )
    code, _, err = run_cli("sweep", str(file), capsys=capsys)
    assert_one_line_error(code, err, [str(file), *fragments])


@pytest.mark.parametrize("data", [c[1] for c in BAD_FILES[:6]], ids=[c[0] for c in BAD_FILES[:6]])
def test_bad_sweep_files_are_one_line_errors(tmp_path, capsys, data):
    file = tmp_path / "sweep.toml"
    file.write_bytes(data)
    code, _, err = run_cli("sweep", str(file), "--out", str(tmp_path / "out"), capsys=capsys)
    assert_one_line_error(code, err, [str(file)])


def test_errors_come_before_the_scientific_stack():
    """A user error is reported without importing pandas, matplotlib, mesa or networkx."""
    code = (
        "import sys\nfrom sim.cli import main as cli\n"
        "rc = cli.main(['run', 'default', '--seed', '-1'])\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'mesa', 'networkx', 'scipy') "
        "if m in sys.modules]\n"
        "print(rc, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.stdout.strip() == "2 []", done.stdout + done.stderr
    assert done.stderr.count("\n") == 1


def test_one_real_process_ends_with_exit_2_and_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", "default", "--set", "*.initial_following=nan"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# ------------------------------------------------------------------ the Python API's arguments
TINY = {"regular.count": 20}


@pytest.mark.parametrize(
    ("seed", "fragments"),
    [
        (-1, ["'seed'", "0 to 9,223,372,036,854,775,807", "-1"]),
        ("abc", ["'seed'", "'abc', a str"]),
        (1.7, ["'seed'", "1.7, a float"]),
        (True, ["'seed'", "True"]),
        (2**64, ["'seed'", "0 to 9,223,372,036,854,775,807"]),
        (10**5000, ["'seed'", "5,000 digits"]),
    ],
    ids=["negative", "text", "fraction", "bool", "2**64", "5000_digits"],
)
def test_api_seed_is_checked_with_its_range(seed, fragments):
    with pytest.raises(ScenarioError) as err:
        sim.PartyModel("default", seed=seed, **TINY)
    assert str(err.value).startswith("PartyModel: ") and "\n" not in str(err.value)
    assert all(f in str(err.value) for f in fragments), str(err.value)


def test_api_seed_range_matches_the_files():
    assert sim.PartyModel("default", seed=2**63 - 1, **TINY).seed == 2**63 - 1
    assert sim.PartyModel("default", seed=np.int64(7), **TINY).seed == 7


@pytest.mark.parametrize(
    ("steps", "fragments"),
    [
        (-5, ["'steps'", "0 to 100,000", "-5"]),
        ("abc", ["'steps'", "'abc', a str"]),
        (10**9, ["'steps'", "1000000000"]),
        (2.0, ["'steps'", "a float"]),
    ],
    ids=["negative", "text", "huge", "float"],
)
def test_api_run_steps_are_checked(steps, fragments):
    model = sim.PartyModel("default", seed=1, **TINY)
    with pytest.raises(ScenarioError) as err:
        model.run(steps)
    assert str(err.value).startswith("PartyModel.run: ")
    assert all(f in str(err.value) for f in fragments), str(err.value)
    assert model.steps == 0  # nothing ran


# ------------------------------------------------------- every entry point checks its arguments
LONG = "n" * 300


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["run", LONG], ["scenario", "300 bytes", "255"]),
        (["run", f"dir/{LONG}.toml"], ["305 bytes"]),
        (["sweep", LONG], ["sweep", "300 bytes"]),
        (["check", LONG], ["scenario", "300 bytes"]),
        (["plot", LONG], ["RESULTS_DIR", "300 bytes"]),
        (["sweep", "quick", "--out", LONG], ["--out", "300 bytes"]),
        (["check", "--seed", "-1"], ["--seed", "0 to 9,223,372,036,854,775,807", "-1"]),
        (["check", "--seed", str(2**64)], ["--seed", "0 to"]),
        (["claims", "--seed", "-5"], ["--seed", "0 to", "-5"]),
        (["sweep", "quick", "--engine", "dask", "--address", "not a url"], ["--address", "tcp://"]),
        (["sweep", "quick", "--engine", "dask", "--address", "tcp://h:port"], ["--address"]),
        (["run", "default", "--out", ""], ["--out", "empty"]),
        (["sweep", "quick", "--out", "."], ["--out .", "current"]),
        (["plot", "results", "--out", ""], ["--out", "empty"]),
        (["plot", "results", "--out", LONG], ["--out", "300 bytes"]),
    ],
    ids=[
        "run_long_name",
        "run_long_component",
        "sweep_long_name",
        "check_long_name",
        "plot_long_name",
        "sweep_out_long",
        "check_seed_negative",
        "check_seed_2**64",
        "claims_seed_negative",
        "address_not_a_url",
        "address_bad_port",
        "run_out_empty",
        "sweep_out_dot",
        "plot_out_empty",
        "plot_out_long",
    ],
)
def test_every_entry_point_checks_its_arguments(tmp_path, capsys, monkeypatch, argv, fragments):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(*argv, capsys=capsys)
    assert_one_line_error(code, err, fragments)
    assert list(tmp_path.iterdir()) == []  # nothing created, nothing run


def test_claims_out_onto_a_file_is_refused_before_the_suite(tmp_path, capsys):
    afile = tmp_path / "CLAIMS"
    afile.write_text("mine")
    code, _, err = run_cli("claims", "--out", str(afile), capsys=capsys)
    assert_one_line_error(code, err, [str(afile), "a file of that name"])
    assert "running" not in err and afile.read_text() == "mine"
    code, _, err = run_cli("claims", "--out", str(afile / "docs"), capsys=capsys)
    assert_one_line_error(code, err, ["cannot write in", str(afile)])


def test_a_fifo_sweep_file_is_not_a_regular_file(tmp_path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    code, _, err = run_cli("sweep", str(fifo), capsys=capsys)
    assert_one_line_error(code, err, [str(fifo), "not a regular file"])


def test_scenarios_folder_setting_and_a_bad_file_in_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PARTYSIM_SCENARIOS", str(tmp_path / "missing"))
    for argv in (["scenarios"], ["run", "default"]):
        code, out, err = run_cli(*argv, capsys=capsys)
        assert_one_line_error(code, err, ["PARTYSIM_SCENARIOS=", "no such directory"])
        assert out == ""
    folder = tmp_path / "sc"
    folder.mkdir()
    names = ["a", "b_broken", "c_dir", "d", "e_fifo", "f_escape"]
    for name in names:
        (folder / f"{name}.toml").write_text(DEFAULT)
    (folder / "b_broken.toml").write_text("steps = = 3")
    (folder / "c_dir.toml").unlink()
    (folder / "c_dir.toml").mkdir()
    (folder / "e_fifo.toml").unlink()
    os.mkfifo(folder / "e_fifo.toml")
    evil = DEFAULT.replace('name = "', 'name = "\\u001b]0;owned\\u0007\\u001b[31m', 1)
    (folder / "f_escape.toml").write_text(evil.replace('claim = """', 'claim = """\\u001b[2J', 1))
    (tmp_path / "a").mkdir()  # a directory named like a scenario, where the command runs
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARTYSIM_SCENARIOS", str(folder))
    code, out, err = run_cli("scenarios", capsys=capsys)
    assert code == 1
    assert [line.split()[0] for line in out.splitlines()] == ["a", "d", "f_escape"]
    assert all(f"skipped {folder}/{n}.toml" in err for n in ("b_broken", "c_dir", "e_fifo"))
    assert "\x1b" not in out + err and "\x07" not in out + err
    code, out, err = run_cli("run", "f_escape", "--steps", "2", capsys=capsys)
    assert code == 0 and "\x1b" not in out and out.startswith("]0;owned")


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["run", "default", "--seed", "abc"], ["partysim run: error:", "--seed", "'abc'"]),
        (["run", "default", "--seed", "1.7"], ["--seed", "'1.7'"]),
        (["run", "default", "--seed", "9" * 5000], ["--seed", "..."]),
        (["run", "default", "--steps", "ten"], ["--steps", "'ten'"]),
        (["sweep", "quick", "--jobs", "x"], ["partysim sweep: error:", "--jobs"]),
        (["check", "--seed", "-1.5"], ["--seed"]),
        (["sweep", "quick", "--engine", "spark"], ["--engine", "'spark'"]),
        ([], ["partysim: error:", "command"]),
    ],
    ids=["seed_text", "seed_fraction", "seed_5000_digits", "steps_text", "jobs_text",
         "check_seed_fraction", "engine_unknown", "no_command"],
)  # fmt: skip
def test_argument_type_errors_are_one_line(capsys, argv, fragments):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    _, err = capsys.readouterr()
    assert stop.value.code == 2
    assert err.count("\n") == 1 and "usage:" not in err and len(err) < 400, err
    assert all(f in err for f in fragments), err
