"""Bad inputs found by an audit of the command line: each ends with exit status 2 and ONE
line on stderr naming the file (or flag), the key and what is allowed -- never a traceback,
a hang or runs that fail one by one (see tests/test_bad_inputs.py for the main corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_bad_inputs import assert_one_line_error, run_cli

from sim.config import scenarios

TWO_GROUPS = (
    '[[groups]]\nstrategy = "regular"\ncount = 3\n[[groups]]\nstrategy = "broadcaster"\ncount = 3\n'
)


# --------------------------------------------------------------- sweeps: the design's points
def _sweep_file(tmp_path: Path, regular: list[int], broadcaster: list[int]) -> Path:
    (tmp_path / "two.toml").write_text(TWO_GROUPS)
    path = tmp_path / "sizes.toml"
    path.write_text(
        f'scenario = "two.toml"\n[sweep]\nsteps = 1\n[sweep.grid]\n'
        f'"regular.count" = {regular}\n"broadcaster.count" = {broadcaster}\n'
    )
    return path


@pytest.mark.parametrize(
    ("regular", "broadcaster", "point"),
    [
        ([0, 3], [0, 3], "design point #1 (regular.count = 0, broadcaster.count = 0)"),
        # past the 50 points read for the size estimate: once failed run by run
        ([*range(3, 33), 0], [3, 0], "design point #62 (regular.count = 0"),
    ],
    ids=["first_point", "point_62"],
)
def test_swept_group_sizes_that_add_up_to_too_few_accounts(
    tmp_path, capsys, regular, broadcaster, point
):
    path = _sweep_file(tmp_path, regular, broadcaster)
    out = tmp_path / "out"
    code, stdout, err = run_cli("sweep", str(path), "--out", str(out), "-q", capsys=capsys)
    assert_one_line_error(code, err, [f"{path}: {point}", "0 accounts", "2 to 2,000,000"])
    assert "--set" not in err and stdout == "" and not out.exists()  # nothing ran


def test_swept_group_sizes_that_add_up_to_too_many_accounts(tmp_path, capsys):
    path = _sweep_file(tmp_path, [1_500_000], [1_500_000])
    code, _, err = run_cli("sweep", str(path), "--out", str(tmp_path / "out"), capsys=capsys)
    assert_one_line_error(code, err, [f"{path}: design point #1", "3,000,000", "2 to 2,000,000"])


# ------------------------------------------------------------ a sweep file read as a scenario
def test_a_sweep_file_given_as_a_scenario_is_named_a_sweep_file(tmp_path, capsys):
    sweep_file = scenarios.scenarios_dir() / "sweeps" / "quick.toml"
    for argv in (["run", str(sweep_file)], ["check", str(sweep_file)]):
        code, _, err = run_cli(*argv, capsys=capsys)
        assert_one_line_error(code, err, [str(sweep_file), "a sweep file", "partysim sweep"])
    own = tmp_path / "self.toml"  # a sweep whose base scenario is the sweep file itself
    own.write_text(f'scenario = "{own}"\n[sweep.grid]\nreply_base_prob = [0.1]\n')
    code, _, err = run_cli("sweep", str(own), capsys=capsys)
    assert_one_line_error(code, err, [str(own), "a sweep file", "not a scenario"])


# ------------------------------------------------------------------------- plot --out
def test_plot_out_where_nothing_can_be_written(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, _, err = run_cli("plot", str(tmp_path), "--out", str(afile / "figs"), capsys=capsys)
    assert_one_line_error(code, err, [f"--out {afile / 'figs'}", f"cannot write in {afile}"])


# ------------------------------------------------------------------ game replay: the file
def _header(**changes) -> dict:
    scenario = 'name = "tiny"\nsteps = 6\nseed = 7\n[[groups]]\nstrategy = "regular"\ncount = 6\n'
    header = {
        "type": "game", "version": 1, "code": "ABCDEF", "preset": "tiny", "seed": 7,
        "rounds": 2, "hours_per_round": 3, "max_players": 1, "choice_seconds": 0,
        "speed": 12.0, "scenario_toml": scenario, "trainer_hash": "x",
    }  # fmt: skip
    return {**header, **changes}


JOIN = {"type": "join", "player": "p1", "name": "Ada", "account": 5, "hour": 0}


def _game_file(tmp_path: Path, records: list) -> Path:
    path = tmp_path / "GAME.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.mark.parametrize(
    ("records", "fragments"),
    [
        ([_header(scenario_toml=None)], ["record #1", "'scenario_toml' must be text", "None"]),
        ([_header(scenario_toml=3)], ["record #1", "'scenario_toml' must be text", "3"]),
        ([_header(code=["a"])], ["record #1", "'code' must be text"]),
        ([_header(seed="x")], ["record #1", "'seed' must be an integer", "'x'"]),
        ([_header(seed=-1)], ["'seed' must be an integer from 0 to", "-1"]),
        ([_header(rounds=10**9)], ["record #1", "'rounds' must be an integer from 1 to 30"]),
        ([_header(), 3], ["record #2", "a JSON object with a 'type'"]),
        ([_header(), {"hour": 1}], ["record #2", "a JSON object with a 'type'"]),
        ([_header(), {"type": "end", "hour": 10**9}], ["record #2", "'end'", "0 to 6", "1000000000"]),
        ([_header(), {"type": "end", "hour": "5"}], ["record #2", "'hour'", "0 to 6", "'5'"]),
        ([_header(), {"type": "end", "hour": 2.5}], ["record #2", "'hour'", "2.5"]),
        ([_header(), {"type": "end", "hour": -5}], ["record #2", "'hour'", "-5"]),
        ([_header(), {"type": "end"}], ["record #2", "'hour'", "None"]),
        ([_header(), {"type": "move"}], ["record #2", "'move'", "'hour'"]),
        ([_header(), {"type": "join"}], ["record #2", "'player' must be text"]),
        ([_header(), {**JOIN, "account": True}], ["record #2", "'account' must be an integer"]),
        ([_header(), {**JOIN, "account": -1}], ["record #2", "'account' must be 0 or more"]),
        ([_header(), {**JOIN, "account": 99}], ["'join' record of 'p1'", "0 to 5", "99"]),
    ],
    ids=["no_scenario", "scenario_int", "code_list", "seed_text", "seed_negative",
         "rounds_huge", "record_int", "record_without_type", "hour_huge", "hour_text",
         "hour_fraction", "hour_negative", "hour_missing", "move_without_hour",
         "join_without_player", "account_bool", "account_negative", "account_past_the_party"],
)  # fmt: skip
def test_a_tampered_game_file_is_a_one_line_error(tmp_path, capsys, records, fragments):
    path = _game_file(tmp_path, records)
    code, out, err = run_cli("game", "replay", str(path), capsys=capsys)
    assert_one_line_error(code, err, [str(path), *fragments])
    assert out == ""


def test_a_sound_game_file_replays(tmp_path, capsys):
    path = _game_file(tmp_path, [_header(), JOIN, {"type": "end", "hour": 6}])
    code, out, err = run_cli("game", "replay", str(path), "--json", capsys=capsys)
    assert code == 0, err
    assert json.loads(out)["hours"] == 6


def test_game_replay_of_an_empty_path(capsys):
    code, _, err = run_cli("game", "replay", "", capsys=capsys)
    assert_one_line_error(code, err, ["GAME.jsonl", "the path is empty"])


def test_the_time_estimate_counts_the_set_up():
    """A big party with few hours is mostly set-up (the initial network: about 43 s for a
    million town-square accounts); the estimate printed before a run must say so."""
    from sim.analysis.town_square import resize
    from sim.engine.resources import estimate_seconds

    big = resize("town_square", 1_000_000)
    assert estimate_seconds(big, steps=2) > 40
    small = resize("town_square", 10_000)
    assert estimate_seconds(small, steps=2) < 2


def test_the_time_estimate_counts_accounts_that_left_as_a_fraction():
    """The town square's million-account week took 7.6 to 9.1 minutes of wall time in three
    runs on the 2-core AMD EPYC (docs/PERFORMANCE.md); 59% of its accounts left and cost
    almost nothing, and counted as whole accounts they made the printed estimate 18 minutes.
    A rough figure that errs long, but within 1.5x of what was measured."""
    from sim.analysis.town_square import resize
    from sim.engine.resources import estimate_seconds

    week = estimate_seconds(resize("town_square", 1_000_000), steps=168) / 60
    assert 7.6 <= week <= 1.5 * 9.1, week
    party = resize("town_square", 1_000_000).with_overrides(
        {"reader.quit_prob": 0.0, "poster.quit_prob": 0.0}, where="--set"
    )
    assert estimate_seconds(party, steps=168) / 60 > 1.8 * week  # nobody left: all cost


def test_a_long_check_says_how_long_first(capsys):
    """`partysim check town_square --accounts 2000000` runs for an hour or more: it says so on
    stderr before the first run (estimated from every run the check makes)."""
    from sim.analysis.check import estimate_check_seconds
    from sim.analysis.town_square import resize

    big = estimate_check_seconds(resize("town_square", 2_000_000), reps=2)
    assert big > 1800
    small = estimate_check_seconds("default", reps=2, steps=5, long_steps=5)
    long_runs = estimate_check_seconds("default", reps=2, steps=5)  # ties over 51 days
    assert small < 5 < long_runs


@pytest.mark.parametrize("table", ["grid", "sample"])
def test_a_setting_both_fixed_and_swept_is_refused(tmp_path, capsys, table):
    """The same key in [sweep.set] and in the design was accepted and the swept value won
    without a word."""
    (tmp_path / "two.toml").write_text(TWO_GROUPS)
    values = "[0.1, 0.2]"
    extra = "n = 2\n" if table == "sample" else ""
    path = tmp_path / "both.toml"
    path.write_text(
        f'scenario = "two.toml"\n[sweep]\nsteps = 1\n{extra}[sweep.set]\n'
        f'"regular.retweet_propensity" = 0.5\n[sweep.{table}]\n'
        f'"regular.retweet_propensity" = {values}\n'
    )
    code, _, err = run_cli("sweep", str(path), "--out", str(tmp_path / "out"), capsys=capsys)
    assert_one_line_error(
        code, err, ["both.toml", "'regular.retweet_propensity'", "[sweep.set]", f"[sweep.{table}]"]
    )


@pytest.mark.parametrize(
    ("tables", "fragments"),
    [
        (
            '[sweep.set]\n"*.retweet_propensity" = 0.5\n'
            '[sweep.grid]\n"regular.retweet_propensity" = [0.1, 0.2]\n',
            [
                "'*.retweet_propensity' in [sweep.set]",
                "'regular.retweet_propensity' in [sweep.grid]",
            ],
        ),
        (
            '[sweep.grid]\n"*.retweet_propensity" = [0.3, 0.4]\n'
            '"regular.retweet_propensity" = [0.1, 0.2]\n',
            ["'*.retweet_propensity' and 'regular.retweet_propensity' in [sweep.grid]"],
        ),
        (
            '[sweep.grid]\n"regular.retweet_propensity" = [0.1, 0.2]\n'
            '[sweep.sample]\n"*.retweet_propensity" = [0.1, 0.2]\n',
            ["[sweep.grid]", "[sweep.sample]", "'*.retweet_propensity'"],
        ),
    ],
    ids=["set_star_grid_group", "grid_star_and_group", "grid_group_sample_star"],
)
def test_a_setting_for_all_groups_and_for_one_is_refused(tmp_path, capsys, tables, fragments):
    """*.X and GROUP.X in the same sweep set one group's value twice; the one applied last
    won without a word."""
    (tmp_path / "two.toml").write_text(TWO_GROUPS)
    path = tmp_path / "both.toml"
    path.write_text(f'scenario = "two.toml"\n[sweep]\nsteps = 1\nn = 2\n{tables}')
    code, _, err = run_cli("sweep", str(path), "--out", str(tmp_path / "out"), capsys=capsys)
    assert_one_line_error(code, err, ["both.toml", "keep it in one place", *fragments])
    assert not (tmp_path / "out").exists()


def test_settings_for_two_groups_are_not_an_overlap():
    from sim.sweeps.design import _overlap

    assert not _overlap("regular.reply_propensity", "broadcaster.reply_propensity")
    assert not _overlap("*.reply_propensity", "*.retweet_propensity")
    assert _overlap("*.reply_propensity", "regular.reply_propensity")
    assert _overlap("feed", "feed") and not _overlap("feed", "*.feed")


def test_game_files_are_checked_where_they_are_read(tmp_path):
    """The check lives in sim.game.log.read_records, which the app's store also uses to
    resume saved games (it skips a file that raises GameFileError)."""
    from sim.game.log import GameFileError, read_records

    path = _game_file(tmp_path, [_header(), {"type": "end", "hour": 10**9}])
    with pytest.raises(GameFileError, match="record #2"):
        read_records(path)
    sound = _game_file(tmp_path, [_header(), JOIN, {"type": "end", "hour": 6}])
    assert len(read_records(sound)) == 3


@pytest.mark.parametrize("key", ["scenario", "name", "description"])
def test_a_file_key_written_under_the_sweep_table_says_where_it_belongs(tmp_path, key):
    """In TOML a key written after the [sweep] line belongs to that table, so `scenario`
    placed there was reported missing ('must name the base scenario') and `name` as an
    unknown sweep key with a guess ('did you mean sample?')."""
    from sim.sweeps.design import SweepError, load_sweep

    top = 'scenario = "default"\n' if key != "scenario" else ""
    path = tmp_path / "late.toml"
    path.write_text(f'{top}[sweep]\nreps = 2\n{key} = "default"\n')
    with pytest.raises(
        SweepError, match=rf"late.toml: '{key}' is inside \[sweep\]; it belongs at the top"
    ):
        load_sweep(path)
