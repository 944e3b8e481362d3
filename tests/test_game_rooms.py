"""A participant chooses their account's hashtag rooms (issue 29, point 2): checked against
the party's room names, applied between two hours like every other choice, kept consistent
with the room member lists every rule reads, and replayed exactly from the game file."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.population import choose_rooms
from sim.engine.posts import ORIGINAL
from sim.game import GameError
from sim.game.controls import ROOMS, check_settings, current_settings, room_limits
from sim.game.log import read_records, replay
from sim.game.results import leaderboard
from tests.test_game import new_game, small_preset  # noqa: F401  (a fixture)


def _consistent(model) -> None:
    """The room member lists, sizes, starts and bitmasks are what the interests say."""
    for room in range(model.n_rooms):
        members = np.flatnonzero((model.interests == room).any(axis=1))
        first, size = model.room_first[room], model.room_size[room]
        assert np.array_equal(np.sort(model.room_members[first : first + size]), members)
    bits = [sum(1 << int(r) for r in row if r >= 0) for row in model.interests]
    assert model.interest_mask.tolist() == bits
    assert model.n_interests.tolist() == (model.interests >= 0).sum(axis=1).tolist()


def test_rooms_are_checked_against_the_partys_names(small_preset):  # noqa: F811
    game, _ = new_game(small_preset)
    names, most = room_limits(game.model)
    assert most == game.model.interests.shape[1] >= 1
    assert check_settings({ROOMS: names[:1]}, names, most) == {ROOMS: names[:1]}
    pid, token = game.join("Ada")
    for bad, message in [
        ("#books", "list of room names"),
        ([1, 2], "list of room names"),
        ([], f"choose 1 to {most}"),
        ([names[0], names[0]], f"choose 1 to {most}"),
        (names[: most + 1], f"choose 1 to {most}"),
        (["<script>alert(1)</script>"], "is not a room of this party"),
    ]:
        with pytest.raises(GameError, match=message):
            game.choose(pid, token, {ROOMS: bad})
    assert not game.moves()


def test_chosen_rooms_are_the_accounts_and_the_lists_follow(small_preset):  # noqa: F811
    game, _ = new_game(small_preset)
    pid, token = game.join("Ada")
    m, account = game.model, game.players[pid].account
    names, _ = room_limits(m)
    others_before = m.interests[np.arange(m.n) != account].copy()
    game.choose(pid, token, {ROOMS: [names[-1]], "hashtag_prob": 1.0})
    assert current_settings(m, account)[ROOMS] == [names[-1]]
    assert np.array_equal(m.interests[np.arange(m.n) != account], others_before)
    _consistent(m)
    # from the next hour every tagged post of the account is in the chosen room
    first = len(m.posts)
    m.acct["posts_per_hour"][account] = 5.0
    m.run(24)
    mine = np.flatnonzero(m.posts["author"][first:] == account) + first
    originals = mine[m.posts["form"][mine] == ORIGINAL]
    assert len(originals) > 0
    assert set(m.posts["room"][originals].tolist()) == {m.n_rooms - 1}
    # and it meets that room's other members there (it is one of them)
    first, size = m.room_first[-1], m.room_size[-1]
    assert account in m.room_members[first : first + size]


def test_choose_rooms_refuses_what_the_party_cannot_hold(small_preset):  # noqa: F811
    game, _ = new_game(small_preset)
    party, width = game.model.party, game.model.interests.shape[1]
    with pytest.raises(ValueError, match="distinct rooms"):
        choose_rooms(party, 0, list(range(width + 1)))
    with pytest.raises(ValueError, match="numbered 0 to"):
        choose_rooms(party, 0, [party.n_rooms])
    choose_rooms(party, 0, [2, 0])
    _consistent(game.model)


def test_a_game_with_room_choices_replays_exactly(small_preset, tmp_path):  # noqa: F811
    path = tmp_path / "ROOMS.jsonl"
    game, trainer = new_game(small_preset, path=path, seed=11)
    (a, ta), (b, tb) = game.join("Ada"), game.join("Bob")
    names, _ = room_limits(game.model)
    game.choose(a, ta, {ROOMS: [names[0]], "hashtag_prob": 1.0, "posts_per_hour": 2.0})
    game.start(trainer)
    game.play_round()
    game.choose(b, tb, {ROOMS: names[1:3]})
    game.next_round(trainer)
    game.play_round()
    game.end(trainer)
    records = read_records(path)
    moves = [r for r in records if r["type"] == "move"]
    assert [m["settings"].get(ROOMS) for m in moves] == [[names[0]], names[1:3]]
    model = replay(records)
    assert model.steps == game.model.steps
    assert np.array_equal(model.interests, game.model.interests)
    assert np.array_equal(model.follows.keys, game.model.follows.keys)
    assert leaderboard(model, game.player_table()) == leaderboard(game.model, game.player_table())
    board = leaderboard(game.model, game.player_table())
    assert {row["name"]: row[ROOMS] for row in board}["Ada"] == names[0]
