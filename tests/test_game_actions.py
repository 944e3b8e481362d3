"""A participant acts directly on items of their own account's feed (issue 29, point 2):
reply, retweet, follow the author. Checked on the server against the participant's token
and their account's feed, carried out at the start of the next hour with the reactions' own
bookkeeping, logged, and replayed exactly from the game file."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine import actions
from sim.engine import reasons as rs
from sim.engine.model import PartyModel
from sim.engine.posts import ORIGINAL, REPLY, RETWEET
from sim.game import GameError
from sim.game.log import read_records, replay
from sim.game.results import leaderboard
from tests.test_game import new_game, small_preset  # noqa: F401  (a fixture)


def _party_after(hours: int = 10, seed: int = 3):
    model = PartyModel("default", seed=seed, agents=False)
    model.run(hours)
    return model, model.party


def _followees(party, account: int) -> np.ndarray:
    return party.follows.dst[party.follows.src == account]


def test_a_retweet_and_a_reply_are_the_next_hours_items_with_their_bookkeeping():
    model, party = _party_after()
    account = 5
    posts = party.posts
    theirs = [i for i in range(len(posts)) if posts["author"][i] in _followees(party, account)
              and posts["form"][i] == ORIGINAL and posts["step"][i] >= 5]  # fmt: skip
    rt, re = theirs[-1], theirs[-2]
    retweets_before, replies_before = int(posts["retweets"][rt]), int(posts["replies"][re])
    received_before = int(party.count["replies_received"][posts["author"][re]])
    for action, item in (("retweet", rt), ("reply", re)):
        assert actions.can_act(party, account, action, item) is None
        actions.queue(party, account, action, item)
    assert actions.can_act(party, account, "retweet", rt) == "you have retweeted that post already"
    first = len(posts)
    model.step()
    mine = np.flatnonzero(posts["author"][first:] == account) + first
    made = {int(posts["form"][i]): i for i in mine}
    assert posts["orig"][made[RETWEET]] == rt and posts["step"][made[RETWEET]] == 10
    assert posts["target"][made[REPLY]] == posts["author"][re]
    assert posts["retweets"][rt] == retweets_before + 1
    assert posts["replies"][re] == replies_before + 1
    assert party.count["replies_received"][posts["author"][re]] == received_before + 1
    assert party.retweeted.has(account, int(rt))
    # the reply is addressed: its author is notified like any reply's (from the next hour)
    assert made[REPLY] in party.pending_notifications
    assert not party.queued_actions


def test_following_a_rooms_author_is_a_follow_with_reason_chosen():
    model, party = _party_after()
    account, posts = 5, party.posts
    followees = _followees(party, account)
    in_rooms = [i for i in range(len(posts)) if posts["form"][i] == ORIGINAL
                and posts["room"][i] >= 0 and (int(party.interest_mask[account]) >> int(posts["room"][i])) & 1
                and posts["author"][i] not in followees and posts["author"][i] != account]  # fmt: skip
    item = in_rooms[-1]
    author = int(posts["author"][item])
    assert actions.can_act(party, account, "follow", item) is None
    actions.queue(party, account, "follow", item)
    assert actions.can_act(party, account, "follow", item).startswith("you follow")
    model.step()
    assert party.follows.contains(np.array([account]), np.array([author]))[0]
    ev = party.events.columns()
    chosen = (ev["reason"] == rs.FOLLOW_CHOSEN) & (ev["actor"] == account)
    assert chosen.sum() == 1 and ev["target"][chosen][0] == author


def test_what_is_not_in_the_feed_cannot_be_acted_on():
    model, party = _party_after()
    account, posts = 5, party.posts
    own = (
        int(np.flatnonzero(posts["author"] == account)[-1])
        if (posts["author"] == account).any()
        else None
    )
    far = [i for i in range(len(posts)) if not actions.reaching(party, account, np.array([i]))[0]]
    assert actions.can_act(party, account, "reply", far[-1]) == "that item is not in your feed"
    assert actions.can_act(party, account, "reply", len(posts)) == "no such item"
    assert actions.can_act(party, account, "reply", -1) == "no such item"
    assert actions.can_act(party, account, "like", 0).startswith("unknown action")
    if own is not None:
        assert actions.can_act(party, account, "retweet", own) in (
            "that is your own post",
            "that item is not in your feed",
        )
    with pytest.raises(ValueError, match="unknown action"):
        actions.queue(party, account, "delete", 0)


def test_a_run_without_actions_is_unchanged_by_them():
    # the hook draws nothing when nothing is queued: the golden runs hold (tests/test_golden.py);
    # and a queued action that is no longer possible is dropped without a draw
    a, pa = _party_after(12)
    b, pb = _party_after(10)
    pb.queued_actions.append((5, "reply", len(pb.posts) + 10**6))  # no such item by then
    b.run(2)
    assert np.array_equal(pa.posts["author"][: len(pa.posts)], pb.posts["author"][: len(pb.posts)])
    assert a.rng.random() == b.rng.random()


def test_the_feed_lists_what_can_be_acted_on_newest_first():
    model, party = _party_after()
    feed = actions.feed_items(party, 5, most=6)
    assert 0 < len(feed) <= 6
    assert [f["item"] for f in feed] == sorted((f["item"] for f in feed), reverse=True)
    for f in feed:
        assert actions.reaching(party, 5, np.array([f["item"]]))[0]
        assert f["can"]["reply"] and f["form"] in ("post", "retweet", "reply", "mention", "thanks")


def test_a_participant_acts_only_on_their_own_feed_and_with_their_own_token(small_preset):  # noqa: F811
    game, trainer = new_game(small_preset)
    (a, ta), (_, tb) = game.join("Ada"), game.join("Bob")
    game.start(trainer)
    game.play_round()
    _, feed = game.feed(a, ta)
    assert feed, "a round later the account has a feed"
    item = feed[0]["item"]
    with pytest.raises(GameError, match="not your account"):
        game.act(a, tb, "reply", item)  # another participant's token
    with pytest.raises(GameError, match="unknown action"):
        game.act(a, ta, "<script>", item)
    with pytest.raises(GameError, match="whole number"):
        game.act(a, ta, "reply", "12")
    party = game.model.party
    outside = [i for i in range(len(party.posts))
               if not actions.reaching(party, game.players[a].account, np.array([i]))[0]]  # fmt: skip
    with pytest.raises(GameError, match="not in your feed"):
        game.act(a, ta, "reply", outside[-1])
    assert not [r for r in game.records if r["type"] == "act"]
    said = game.act(a, ta, "reply", item)
    assert said.startswith("You reply to @") and said.endswith(f"from hour {game.model.steps + 1}.")
    assert [r["type"] for r in game.records].count("act") == 1


def test_a_game_with_actions_replays_exactly(small_preset, tmp_path):  # noqa: F811
    path = tmp_path / "ACTS.jsonl"
    game, trainer = new_game(small_preset, path=path, seed=11)
    (a, ta), (b, tb) = game.join("Ada"), game.join("Bob")
    game.start(trainer)
    game.play_round()
    acted = 0
    for pid, token in ((a, ta), (b, tb)):
        for entry in game.feed(pid, token, most=20)[1]:
            for action in ("follow", "retweet", "reply"):
                if entry["can"][action] and acted < 5:
                    try:  # the list was made before the earlier actions were queued
                        game.act(pid, token, action, entry["item"])
                        acted += 1
                    except GameError as err:
                        assert "already" in str(err)
    assert acted == 5
    game.next_round(trainer)
    game.play_round()
    game.end(trainer)
    records = read_records(path)
    assert sum(r["type"] == "act" for r in records) == 5
    model = replay(records)
    assert model.steps == game.model.steps
    n = len(game.model.posts)
    assert len(model.posts) == n
    assert np.array_equal(model.posts["author"][:n], game.model.posts["author"][:n])
    assert np.array_equal(model.follows.keys, game.model.follows.keys)
    table = game.player_table()
    assert leaderboard(model, table) == leaderboard(game.model, table)
    chosen = model.party.events.columns()["reason"] == rs.FOLLOW_CHOSEN
    assert chosen.sum() == sum(r["type"] == "act" and r["action"] == "follow" for r in records)
    from sim.cli.game import replay_result

    assert replay_result(str(path))["actions"] == 5  # what `partysim game replay` reports


def test_an_ended_game_takes_no_action(small_preset):  # noqa: F811
    game, trainer = new_game(small_preset)
    a, ta = game.join("Ada")
    game.start(trainer)
    game.play_round()
    item = game.feed(a, ta)[1][0]["item"]
    game.end(trainer)
    with pytest.raises(GameError, match="ended"):
        game.act(a, ta, "reply", item)


def test_nothing_across_a_block_or_from_a_muted_followee_reaches_the_account():
    model, party = _party_after()
    account, posts = 5, party.posts
    feed = actions.feed_items(party, account, most=30)
    entry = next(e for e in feed if e["form"] == "post")
    item = entry["item"]
    author = int(posts["author"][item])
    assert actions.can_act(party, account, "reply", item) is None
    party.blocks.add(np.array([author]), np.array([account]))  # the author blocked the account
    for action in actions.ACTIONS:
        assert actions.can_act(party, account, action, item) == "that item is not in your feed"
    party.blocks.remove(np.array([author]), np.array([account]))
    party.blocks.add(np.array([account]), np.array([author]))  # and the other way
    assert actions.can_act(party, account, "retweet", item) == "that item is not in your feed"
    party.blocks.remove(np.array([account]), np.array([author]))
    # a followee's post reaches only while the followee is not muted (one outside its rooms)
    f = party.follows
    lo = posts.first_index_of_step(party.hour + 1 - party.params["feed_window_steps"] + 1)
    mine = party.interest_mask[account]
    theirs = [i for i in range(lo, len(posts)) if posts["form"][i] == ORIGINAL
              and f.contains(np.array([account]), posts["author"][[i]])[0]
              and (posts["room"][i] < 0 or not (int(mine) >> int(posts["room"][i])) & 1)]  # fmt: skip
    assert theirs, "the account's feed holds a followee's post outside its rooms"
    pos, found = f.find(np.array([account]), posts["author"][[theirs[0]]].astype(np.int64))
    assert found[0]
    assert actions.can_act(party, account, "reply", theirs[0]) is None
    f.attrs["muted"][pos[0]] = True
    assert actions.can_act(party, account, "reply", theirs[0]) == "that item is not in your feed"


def test_an_item_leaving_the_window_next_hour_is_refused_now_not_dropped_later():
    model, party = _party_after(60)
    window = party.params["feed_window_steps"]
    posts = party.posts
    edge = posts.first_index_of_step(party.hour + 1 - window + 1)  # oldest one the next hour shows
    older = edge - 1
    account = int(posts["target"][older]) if posts["target"][older] >= 0 else 5
    assert (
        actions.can_act(party, account, "reply", older) == "that item has left your feed (too old)"
    )


def test_a_game_takes_an_item_number_of_any_integer_type(small_preset):  # noqa: F811
    game, trainer = new_game(small_preset)
    a, ta = game.join("Ada")
    game.start(trainer)
    game.play_round()
    _, feed = game.feed(a, ta)
    said = game.act(a, ta, "reply", np.int64(feed[0]["item"]))
    assert said.startswith("You reply to @")
    assert [r["item"] for r in game.records if r["type"] == "act"] == [feed[0]["item"]]
    assert type(game.records[-1]["item"]) is int  # JSON-safe in the game file
    with pytest.raises(GameError, match="unknown action"):
        game.act(a, ta, ["reply", "follow"], feed[0]["item"])


@pytest.mark.parametrize(
    "bad",
    [{"action": "delete"}, {"item": "x"}, {"account": 10**9}, {"action": None}],
)
def test_a_tampered_action_record_is_a_one_line_error_in_the_replay(small_preset, tmp_path, bad):  # noqa: F811
    import json

    from sim.cli.errors import CliError
    from sim.cli.game import replay_result

    path = tmp_path / "BAD.jsonl"
    game, trainer = new_game(small_preset, path=path)
    a, ta = game.join("Ada")
    game.start(trainer)
    game.play_round()
    game.act(a, ta, "reply", game.feed(a, ta)[1][0]["item"])
    game.next_round(trainer)
    game.play_round()
    game.end(trainer)
    records = read_records(path)
    for r in records:
        if r["type"] == "act":
            r.update(bad)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    with pytest.raises(CliError, match=r"the 'act' record at hour 12 cannot be played"):
        replay_result(str(path))
