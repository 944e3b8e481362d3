"""The workshop game's engine side (sim/game): seats, tokens, refusals, the clock, the record
and its exact replay, restart, two games apart. The browser test is tests/test_game_browser.py."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from sim.game import Game, GameError, GameStore
from sim.game.controls import CONTROLS, FOLLOW_BACK_CHOICES, current_settings
from sim.game.game import RATE_LIMIT_ACTIONS, RATE_LIMIT_SECONDS
from sim.game.log import read_records, replay
from sim.game.results import leaderboard
from sim.game.store import normal_code

SMALL = "small_game"  # a small party keeps these tests fast


@pytest.fixture(scope="module")
def small_preset(tmp_path_factory):
    """The default party shrunk to ~90 accounts, as a scenario file."""
    from sim.config.scenarios import load, to_toml
    from tests.conftest import SMALL as COUNTS

    path = tmp_path_factory.mktemp("presets") / f"{SMALL}.toml"
    path.write_text(to_toml(load("default").with_overrides(COUNTS)))
    return str(path)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def new_game(preset, **kw):
    kw = {"rounds": 3, "hours_per_round": 12, "max_players": 5, "seed": 3, **kw}
    return Game.create("TESTAA", preset, **kw)


def acct_copy(model):
    return {k: v.copy() for k, v in model.acct.items()}, model.follow_back.copy()


def same_acct(model, before) -> bool:
    acct, follow_back = before
    return all(np.array_equal(acct[k], model.acct[k]) for k in acct) and np.array_equal(
        follow_back, model.follow_back
    )


def test_seats_are_ordinary_accounts_of_a_players_group(small_preset):
    game, _ = new_game(small_preset, max_players=4)
    m = game.model
    assert m.group_names[-1] == "players" and len(game.seats) == 4
    assert all(m.handle(i).startswith("players") for i in game.seats)
    regular = m.strategy_names.index("regular")
    player = m.strategy_names.index("player")
    reg = np.flatnonzero(m.strategy_id == regular)[0]
    for name in ("posts_per_hour", "promo_weight", "reply_propensity", "thank_prob"):
        assert m.acct[name][game.seats[0]] == m.acct[name][reg]  # the regular preset's values
    assert player != regular and (m.follows.in_degree[game.seats] >= 0).all()


def test_a_choice_reaches_the_account_and_nothing_else(small_preset):
    game, _ = new_game(small_preset)
    pid, token = game.join("Ada")
    account = game.players[pid].account
    before = acct_copy(game.model)
    game.choose(pid, token, {"posts_per_hour": 3.0, "promo_weight": 1.0, "social_weight": 0.0,
                             "info_weight": 0.0, "question_weight": 0.0,
                             "follow_back": "never"})  # fmt: skip
    m = game.model
    assert m.acct["posts_per_hour"][account] == 3.0
    assert np.allclose(m.content_cum[account], [0, 0, 1, 1])  # everything promotional
    assert m.follow_back[account] == list(FOLLOW_BACK_CHOICES).index("never")
    others = np.arange(m.n) != account
    acct, follow_back = before
    assert all(np.array_equal(acct[k][others], m.acct[k][others]) for k in acct)
    assert np.array_equal(follow_back[others], m.follow_back[others])
    assert game.moves()[-1]["hour"] == 0 and set(current_settings(m, account)) == set(CONTROLS)


def test_forged_and_out_of_range_requests_are_refused_and_change_nothing(small_preset):
    game, trainer = new_game(small_preset)
    a, token_a = game.join("Ada")
    b, _ = game.join("Bob")
    before = acct_copy(game.model)
    attempts = [
        (b, token_a, {"posts_per_hour": 9.0}, "not your account"),  # another's id
        (a, "forged", {"posts_per_hour": 9.0}, "not your account"),
        (a, None, {"posts_per_hour": 9.0}, "not your account"),
        ("p99", token_a, {"posts_per_hour": 9.0}, "not your account"),
        (a, token_a, {"posts_per_hour": 11.0}, "from 0 to 10"),  # the registry's range
        (a, token_a, {"posts_per_hour": "lots"}, "must be"),
        (a, token_a, {"activity_prob": 1.0}, "not one of your account's controls"),
        (a, token_a, {"account": 3, "posts_per_hour": 1.0}, "not one of"),
        (a, token_a, {"follow_back": "<script>"}, "must be one of"),
        (a, token_a, {}, "at least one"),
        (a, token_a, ["posts_per_hour"], "at least one"),
    ]
    for pid, token, settings, message in attempts:
        with pytest.raises(GameError, match=message):
            game.choose(pid, token, settings)
    for action in ("start", "pause", "next_round", "end", "reveal"):
        for bad in (None, "", token_a, trainer + "x"):
            with pytest.raises(GameError, match="only the trainer"):
                getattr(game, action)(bad)
    assert same_acct(game.model, before) and not game.moves()
    assert game.status == "lobby" and not game.revealed and game.model.steps == 0


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "<b>bold</b>", "a" * 25, "",
                                  "   ", "x\u0000y", "_lead", 'say "hi"', "[link](http://x)",
                                  None, 42])  # fmt: skip
def test_names_with_markup_or_out_of_bounds_are_refused(small_preset, name):
    game, _ = new_game(small_preset)
    with pytest.raises(GameError, match="a name is"):
        game.join(name)
    assert not game.players


def test_plain_names_in_any_script_are_kept_and_must_be_unique(small_preset):
    game, _ = new_game(small_preset)
    game.join("  Zoë  O'Neil-Smith ")
    assert [p.name for p in game.players.values()] == ["Zoë O'Neil-Smith"]
    with pytest.raises(GameError, match="taken"):
        game.join("zoë o'neil-smith")


def test_a_thousand_joins_fill_the_seats_then_are_refused(small_preset):
    game, _ = new_game(small_preset, max_players=30)
    refused = 0
    for i in range(1000):
        try:
            game.join(f"player {i}")
        except GameError as err:
            assert "full (30 of 30" in str(err)
            refused += 1
    assert refused == 970 and len(game.players) == 30
    assert sorted(p.account for p in game.players.values()) == game.seats


def test_thirty_joins_at_once_all_get_an_account(small_preset):
    game, _ = new_game(small_preset, max_players=30)
    results, errors = [], []

    def join(i):
        try:
            results.append(game.join(f"phone {i}"))
        except GameError as err:  # pragma: no cover - the test fails below
            errors.append(err)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=join, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.perf_counter() - t0 < 10
    assert not errors and len({pid for pid, _ in results}) == 30
    assert len({p.account for p in game.players.values()}) == 30


def test_join_and_choices_after_the_end_are_refused(small_preset):
    game, trainer = new_game(small_preset)
    pid, token = game.join("Ada")
    game.end(trainer)
    with pytest.raises(GameError, match="ended"):
        game.join("Late")
    with pytest.raises(GameError, match="ended"):
        game.choose(pid, token, {"posts_per_hour": 1.0})
    with pytest.raises(GameError, match="ended"):
        game.start(trainer)


def test_rate_limit_per_participant(small_preset):
    clock = FakeClock()
    game, _ = new_game(small_preset, clock=clock)
    a, token_a = game.join("Ada")
    b, token_b = game.join("Bob")
    for _ in range(RATE_LIMIT_ACTIONS):
        game.choose(a, token_a, {"posts_per_hour": 1.0})
    with pytest.raises(GameError, match="too many changes"):
        game.choose(a, token_a, {"posts_per_hour": 2.0})
    game.choose(b, token_b, {"posts_per_hour": 2.0})  # another participant is not held up
    clock.t += RATE_LIMIT_SECONDS + 0.1
    game.choose(a, token_a, {"posts_per_hour": 2.0})
    assert len(game.moves()) == RATE_LIMIT_ACTIONS + 2


def test_the_clock_plays_rounds_counts_down_and_a_dropout_does_not_stall(small_preset):
    clock = FakeClock()
    game, trainer = new_game(small_preset, clock=clock, choice_seconds=30, speed=10)
    game.join("Ada")  # and never comes back
    game.start(trainer)
    clock.t += 0.5
    assert game.tick(budget=None) == 5 and game.status == "playing"
    clock.t += 2.0
    game.tick(budget=None)
    assert game.model.steps == 12 and game.round == 1 and game.status == "choosing"
    assert game.countdown() == pytest.approx(30)
    clock.t += 31
    game.tick(budget=None)
    assert game.status == "playing"
    game.pause(trainer)
    clock.t += 100
    assert game.tick(budget=None) == 0 and game.status == "paused"
    game.next_round(trainer)
    game.play_round()
    game.play_round()
    assert game.status == "ended" and game.model.steps == 36


def play_a_game(game, trainer, players):
    """Three rounds with choices before the start, mid-round and between rounds."""
    (a, ta), (b, tb) = players
    game.choose(a, ta, {"posts_per_hour": 2.0, "promo_weight": 1.0})
    game.start(trainer)
    game._advance(5, None)
    game.choose(b, tb, {"reply_propensity": 3.0, "thank_prob": 1.0, "follow_back": "everyone"})
    game.play_round()
    game.choose(a, ta, {"posts_per_hour": 0.25, "question_weight": 1.0})
    game.play_round()
    game.choose(b, tb, {"hashtag_prob": 1.0})
    game.play_round()
    assert game.status == "ended"


def test_replay_from_the_file_equals_the_game(small_preset, tmp_path):
    path = tmp_path / "TESTAA.jsonl"
    game, trainer = new_game(small_preset, path=path, seed=11)
    play_a_game(game, trainer, [game.join("Ada"), game.join("Bob")])
    records = read_records(path)
    model = replay(records)
    assert model.steps == game.model.steps == 36
    assert np.array_equal(model.follows.keys, game.model.follows.keys)
    assert all(np.array_equal(v, model.count[k]) for k, v in game.model.count.items())
    board = leaderboard(game.model, game.player_table())
    assert leaderboard(model, game.player_table()) == board
    assert [m["hour"] for m in records if m["type"] == "move"] == [0, 5, 12, 24]
    # the command line, in another process
    out = subprocess.run([sys.executable, "-m", "sim", "game", "replay", str(path), "--json"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(out.stdout)["leaderboard"] == json.loads(json.dumps(board))
    # the moves matter: without them the party differs
    bare = replay([r for r in records if r["type"] != "move"])
    assert not np.array_equal(bare.follows.keys, model.follows.keys)


def test_a_restart_resumes_at_the_last_finished_round(small_preset, tmp_path):
    store = GameStore(tmp_path)
    game, trainer = store.create(small_preset, rounds=3, hours_per_round=12, max_players=5,
                                 seed=5)  # fmt: skip
    (a, ta), (b, tb) = game.join("Ada"), game.join("Bob")
    game.choose(a, ta, {"posts_per_hour": 2.0})
    game.play_round()
    game.choose(b, tb, {"thank_prob": 1.0})  # between rounds: kept once saved
    game.join("Cy")  # saves
    game.start(trainer)
    game._advance(7, None)  # round 2 unfinished when the server stops
    game.choose(a, ta, {"posts_per_hour": 4.0})
    expected = replay(read_records(game.path))
    again = GameStore(tmp_path)
    assert again.load_saved() == [game.code]
    resumed = again.get(game.code.lower())
    assert resumed.model.steps == 12 and resumed.round == 1 and resumed.status == "paused"
    assert [p.name for p in resumed.players.values()] == ["Ada", "Bob", "Cy"]
    assert np.array_equal(resumed.model.follows.keys, expected.follows.keys)
    acct = resumed.model.acct
    assert acct["posts_per_hour"][resumed.players[a].account] == 2.0  # the unsaved 4.0 is gone
    assert acct["thank_prob"][resumed.players[b].account] == 1.0
    resumed.choose(a, ta, {"posts_per_hour": 1.0})  # the same device's link still works
    resumed.start(trainer)  # and the trainer's
    resumed.play_round()
    resumed.play_round()
    assert resumed.status == "ended"
    final = replay(read_records(resumed.path))
    assert leaderboard(final, resumed.player_table()) == leaderboard(
        resumed.model, resumed.player_table()
    )


def test_two_games_on_one_server_stay_apart(small_preset, tmp_path):
    store = GameStore(tmp_path)
    one, t1 = store.create(small_preset, rounds=2, hours_per_round=6, max_players=3)
    two, t2 = store.create(small_preset, rounds=2, hours_per_round=6, max_players=3)
    assert one.code != two.code and store.get(one.code) is one
    a, ta = one.join("Ada")
    before = acct_copy(two.model)
    one.choose(a, ta, {"posts_per_hour": 5.0})
    with pytest.raises(GameError):
        two.choose(a, ta, {"posts_per_hour": 5.0})
    with pytest.raises(GameError, match="only the trainer"):
        two.start(t1)
    one.play_round()
    assert not two.players and two.model.steps == 0 and same_acct(two.model, before)
    assert sorted(p.name for p in store.get(one.code).players.values()) == ["Ada"]


def test_an_error_in_one_game_halts_it_and_the_clock_goes_on_for_the_others(
    small_preset, tmp_path, monkeypatch
):
    store = GameStore(tmp_path)
    one, t1 = store.create(small_preset, rounds=2, hours_per_round=6, max_players=3)
    two, t2 = store.create(small_preset, rounds=2, hours_per_round=6, max_players=3)
    one.start(t1)
    two.start(t2)

    def broken_step():
        raise RuntimeError("out of disk")

    monkeypatch.setattr(one.model, "step", broken_step)
    for game in (one, two):
        game._anchor = (game.clock() - 10.0, 0)  # 10 s late: hours are due
    store.tick_all()  # does not raise
    assert one.status == "paused" and one.fault == "RuntimeError: out of disk"
    assert two.fault is None and two.model.steps > 0
    monkeypatch.undo()
    one.start(t1)  # the trainer tries again: the fault is cleared and it plays on
    assert one.fault is None and one.status == "playing"


@pytest.mark.parametrize("code", ["", "ABC", "<b>x</b>", None, "ABCDEF0", "ABCDE0"])
def test_bad_codes_are_refused_without_echo(code):
    with pytest.raises(GameError) as err:
        normal_code(code)
    assert "<b>" not in str(err.value)


def test_setup_limits_are_refused(small_preset):
    for bad in ({"rounds": 0}, {"hours_per_round": 500}, {"max_players": 1000},
                {"choice_seconds": -1}, {"seed": -1}, {"speed": 0}):  # fmt: skip
        with pytest.raises(GameError):
            new_game(small_preset, **bad)


def test_replay_of_a_bad_file_is_an_error_with_the_file_named(tmp_path, capsys):
    from sim.cli.main import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    assert main(["game", "replay", str(bad)]) == 2
    assert "bad.jsonl: not a readable game file" in capsys.readouterr().err
    bad.write_text('{"type": "move"}\n')
    assert main(["game", "replay", str(bad)]) == 2
    assert "starts with its 'game' header" in capsys.readouterr().err
