"""Rules *joining* and *sign-up suggestions* (docs/MODEL.md 7.30): accounts that sign up
during the run are not there before their hour (no ties, items, sessions or rooms), arrive
at it and follow part of the suggested list (the famous accounts); the accounts there at the
start make no sign-up follows. Nobody joins by default, so a default run is unchanged (the
golden values hold it too)."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.config.params import FAME_CHOICES
from sim.engine import reasons as rs
from sim.engine.network import distinct_draws
from sim.engine.population import present_first
from sim.reference import ReferencePartyModel

JOINING = {
    "regular.join_prob": 0.3,
    "scheduler.join_prob": 0.5,
    "blaster.join_prob": 0.5,
    "join_window_steps": 60,
    "broadcaster.start_fame": "top",  # the suggested list: the 20 broadcasters
    "*.signup_follows": 5,
}


def famous(model) -> np.ndarray:
    return np.flatnonzero(model.acct["start_fame"] == FAME_CHOICES.index("top"))


@pytest.mark.parametrize("seed", [1, 2])
def test_accounts_are_not_there_before_they_sign_up(seed):
    model = sim.PartyModel("default", seed=seed, agents=False, **JOINING)
    assert 60 < model.n_absent < 110, model.n_absent
    assert set(np.unique(model.join_hour)) <= set(range(61))
    for hour in range(70):
        absent = np.flatnonzero(~model.present)
        assert len(absent) == model.n_absent
        assert np.array_equal(np.flatnonzero(model.join_hour > max(hour - 1, 0)), absent)
        assert not np.isin(model.follows.src, absent).any(), "follows nobody"
        assert not np.isin(model.follows.dst, absent).any(), "nobody follows it"
        assert not np.isin(model.room_members, absent).any(), "in no room"
        assert not model.was_online[absent].any() and not model.n_hours_online[absent].any()
        assert not np.isin(model.posts["author"][: len(model.posts)], absent).any()
        if hour == 30:
            assert model.n_absent > 0
        model.step()
    assert model.n_absent == 0 and model.present.all()


def test_the_rooms_index_grows_as_the_full_index_has_it():
    """join_rooms (the newcomers put into their rooms' runs) gives the arrays index_rooms
    would make again from everyone, hour after hour."""
    from copy import deepcopy

    from sim.engine.population import index_rooms

    model = sim.PartyModel("default", seed=3, agents=False, **JOINING)
    joined = 0
    for _ in range(62):
        model.step()
        full = deepcopy(model.party)
        index_rooms(full)
        for name in ("room_members", "room_size", "room_first", "interest_mask"):
            assert np.array_equal(getattr(model.party, name), getattr(full, name)), name
        joined = max(joined, int(model.present.sum()))
    assert model.n_absent == 0 and joined == model.n


def test_joiners_follow_the_suggested_list_at_their_hour():
    model = sim.PartyModel("default", seed=3, agents=False, **JOINING).run(70)
    ev = model.events.columns()
    signed = ev["reason"] == rs.FOLLOW_SIGNUP
    actor, target, hour = ev["actor"][signed], ev["target"][signed], ev["step"][signed]
    joiners = np.flatnonzero(model.join_hour > 0)
    assert np.array_equal(np.unique(actor), joiners), "every joiner, and only joiners"
    assert np.array_equal(hour, model.join_hour[actor]), "at its sign-up hour"
    assert np.isin(target, famous(model)).all(), "from the suggested list"
    pairs = actor * model.n + target
    assert len(np.unique(pairs)) == len(pairs), "no account twice"
    assert np.array_equal(np.bincount(actor, minlength=model.n)[joiners], np.full(len(joiners), 5))
    assert np.all(ev["v0"][signed] == 20), "the list's size is in the event"


def test_the_accounts_there_at_the_start_make_no_signup_follows():
    """The start graph stands for the platform's history: the list's ties are not added to
    it (nor drawn for), whatever signup_follows says."""
    over = {"broadcaster.start_fame": "top", "*.signup_follows": 5}
    model = sim.PartyModel("default", seed=4, agents=False, **over)
    plain = sim.PartyModel("default", seed=4, agents=False, **{"broadcaster.start_fame": "top"})
    assert np.array_equal(model.follows.keys, plain.follows.keys)
    assert model.rng.random() == plain.rng.random()


def test_nobody_joins_by_default():
    model = sim.PartyModel("default", seed=5, agents=False)
    assert model.n_absent == 0 and (model.join_hour == 0).all() and model.present.all()
    joiners = sim.PartyModel("default", seed=5, agents=False, **{"regular.join_prob": 0.5})
    assert joiners.n_absent > 0, "the parameter works"


@pytest.mark.parametrize("size", [1, 7, 40])
def test_distinct_draws_are_distinct_exact_and_cover_the_positions(size):
    rng = np.random.default_rng(size)
    k = rng.integers(0, size + 1, 3000)
    row, pos = distinct_draws(rng, k, size)
    assert np.array_equal(np.bincount(row, minlength=len(k)), k), "k per row exactly"
    assert ((pos >= 0) & (pos < size)).all()
    keys = row * size + pos
    assert len(np.unique(keys)) == len(keys), "no position twice in a row"
    if size == 40:  # each position about equally often: 3000 rows x mean k 20 / 40
        counts = np.bincount(pos, minlength=size)
        expected = k.sum() / size
        assert np.abs(counts - expected).max() < 5 * np.sqrt(expected), counts


def test_young_accounts_are_not_followed_back_by_the_famous():
    """The phenomenon behind Kwak et al. 2010's accounts not followed back by any followee:
    an account that has just signed up follows only the suggested list (who rarely follow
    back: here the list never does) and is followed by nobody yet."""
    over = {**JOINING, "broadcaster.follow_back_auto_prob": 0.0,
            "broadcaster.follow_back_screen_prob": 0.0}  # fmt: skip
    model = sim.PartyModel("default", seed=6, agents=False, **over).run(61)
    young = np.flatnonzero(model.join_hour >= 55)
    old = np.flatnonzero(model.join_hour == 0)

    def not_followed_back(who):
        mutual = model.follows.contains(model.follows.dst, model.follows.src)
        backed = np.bincount(model.follows.src[mutual], minlength=model.n) > 0
        return 1.0 - backed[who].mean()

    assert len(young) > 5
    assert not_followed_back(young) > 0.6 > 0.2 > not_followed_back(old)


def test_the_reference_engine_joins_alike():
    ref = ReferencePartyModel("default", seed=7, **JOINING)
    absent = [a.index for a in ref.accounts if a.join_hour > 0]
    assert 60 < len(absent) < 110
    assert not any(ref.graph.degree(i) for i in absent), "no ties before signing up"
    ref.run(30)
    gone = [a.index for a in ref.accounts if a.join_hour > 30]
    arrived = [a.index for a in ref.accounts if 0 < a.join_hour <= 30]
    assert not any(ref.graph.degree(i) for i in gone)
    assert not any(item.author in gone for item in ref.items)
    assert len(arrived) > 20
    assert ref.reasons["signed_up"] == 5 * len(arrived), "5 sign-up follows each"


# ---------------------------------------------------------------------- rule leaving
LEAVING = {**JOINING, "regular.quit_prob": 0.5,
           "broadcaster.follow_back_auto_prob": 0.0,
           "broadcaster.follow_back_screen_prob": 0.0}  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2])
def test_accounts_that_left_before_the_party_keep_only_their_signup_follows(seed):
    model = sim.PartyModel("default", seed=seed, agents=False, **LEAVING)
    gone = np.flatnonzero(model.quits & (model.join_hour == 0))
    regular = model.strategy_id == model.strategy_names.index("regular")
    there = np.flatnonzero(regular & (model.join_hour == 0))
    assert 0.38 < len(gone) / len(there) < 0.62, (len(gone), len(there))
    assert not model.quits[model.strategy_id != model.strategy_names.index("regular")].any()
    out = np.bincount(model.follows.src, minlength=model.n)
    assert (out[gone] == 5).all(), "its 5 sign-up follows, no initial_following ties"
    mine = np.isin(model.follows.src, gone)
    assert np.isin(model.follows.dst[mine], famous(model)).all(), "all to the suggested list"
    assert model.follows.in_degree[gone].sum() == 0, "nobody follows it"
    assert not model.present[gone].any() and not np.isin(model.room_members, gone).any()
    model.run(48)
    assert not model.n_hours_online[gone].any(), "never online"
    assert not np.isin(model.posts["author"][: len(model.posts)], gone).any(), "posts nothing"
    assert not np.isin(model.events.columns()["actor"], gone).any(), "does nothing"


def test_joiners_that_quit_follow_the_list_and_go():
    model = sim.PartyModel("default", seed=3, agents=False, **LEAVING).run(70)
    joiners = np.flatnonzero((model.join_hour > 0) & (model.join_hour < 70))
    quit, stay = joiners[model.quits[joiners]], joiners[~model.quits[joiners]]
    assert len(quit) > 5 and len(stay) > 5
    ev = model.events.columns()
    signed = ev["actor"][ev["reason"] == rs.FOLLOW_SIGNUP]
    assert np.isin(quit, signed).all() and np.isin(stay, signed).all(), "both sign up"
    assert not model.present[quit].any() and model.present[stay].all()
    assert not model.n_hours_online[quit].any(), "never online once gone"
    assert not np.isin(ev["actor"][ev["reason"] != rs.FOLLOW_SIGNUP], quit).any()
    assert model.n_absent == int((~model.present).sum())


def test_nobody_leaves_by_default_and_nothing_is_drawn():
    model = sim.PartyModel("default", seed=5, agents=False)
    assert not model.quits.any()
    zero = sim.PartyModel("default", seed=5, agents=False, **{"regular.quit_prob": 0.0})
    assert np.array_equal(model.follows.keys, zero.follows.keys)
    assert model.rng.random() == zero.rng.random()


def test_accounts_that_left_are_the_ones_not_followed_back():
    """Kwak et al. 2010's 67.6% not followed back by any followee: an account that followed
    the suggested list and never came back is followed back by none of them."""
    model = sim.PartyModel("default", seed=6, agents=False, **LEAVING).run(24)
    mutual = model.follows.contains(model.follows.dst, model.follows.src)
    backed = np.bincount(model.follows.src[mutual], minlength=model.n) > 0
    gone = model.quits & (model.join_hour == 0)
    assert not backed[gone].any()
    assert backed[model.present].mean() > 0.8


def test_the_reference_engine_leaves_alike():
    ref = ReferencePartyModel("default", seed=7, **LEAVING)
    gone = [a for a in ref.accounts if a.quits and a.join_hour == 0]
    assert len(gone) > 20 and not any(a.present for a in gone)
    listed = {a.index for a in ref.accounts if a.traits["start_fame"] == FAME_CHOICES.index("top")}
    for a in gone:
        assert set(ref.graph.successors(a.index)) <= listed and ref.graph.out_degree(a.index) == 5
        assert ref.graph.in_degree(a.index) == 0
    ref.run(30)
    assert not any(item.author in {a.index for a in gone} for item in ref.items)
    left = [a for a in ref.accounts if a.quits and 0 < a.join_hour <= 30]
    assert left and not any(a.present for a in left)
    assert all(ref.graph.out_degree(a.index) == 5 for a in left)


# ---------------------------------------------------------------------- account numbers
def kinds_by_group(group_id, join_hour, quits) -> list[list[int]]:
    """Per group, each account's kind in number order: 0 there at the start, 1 signs up
    later, 2 left before the party."""
    kind = np.where((join_hour == 0) & ~quits, 0, np.where(join_hour > 0, 1, 2))
    return [kind[group_id == g].tolist() for g in range(int(group_id.max()) + 1)]


@pytest.mark.parametrize("seed", range(4))
def test_present_first_moves_each_pair_of_draws_within_its_group(seed):
    rng = np.random.default_rng(seed)
    group_id = np.repeat(np.arange(3), [40, 1, 59])
    join_hour = np.where(rng.random(100) < 0.3, rng.integers(1, 60, 100), 0)
    quits = rng.random(100) < 0.4
    j, q = present_first(group_id, join_hour, quits)
    for g in range(3):
        mine = group_id == g
        before = sorted(zip(join_hour[mine].tolist(), quits[mine].tolist(), strict=True))
        assert sorted(zip(j[mine].tolist(), q[mine].tolist(), strict=True)) == before, g
    for kinds in kinds_by_group(group_id, j, q):
        assert kinds == sorted(kinds)
    # each kind keeps the order drawn: the joiners' hours in group 0
    first = join_hour[:40][(join_hour[:40] > 0)]
    assert np.array_equal(j[:40][j[:40] > 0], first)


def test_the_accounts_there_come_first_in_every_group_in_both_engines():
    """Numbered there at the start, then joining later, then gone (``present_first``): in the
    fast engine's party and the reference engine's."""
    fast = sim.PartyModel("default", seed=4, agents=False, **LEAVING)
    kinds = kinds_by_group(fast.group_id, fast.join_hour, fast.quits)
    assert all(k == sorted(k) for k in kinds)
    assert np.array_equal(fast.present, (fast.join_hour == 0) & ~fast.quits)
    regular = fast.group_id[
        np.flatnonzero(fast.strategy_id == fast.strategy_names.index("regular"))[0]
    ]
    assert 2 in kinds[regular] and 1 in kinds[regular] and 0 in kinds[regular]
    ref = ReferencePartyModel("default", seed=4, **LEAVING)
    ref_group = np.repeat(np.arange(len(ref.spec.groups)), [g.count for g in ref.spec.groups])
    ref_join = np.array([a.join_hour for a in ref.accounts])
    ref_quits = np.array([a.quits for a in ref.accounts])
    assert all(k == sorted(k) for k in kinds_by_group(ref_group, ref_join, ref_quits))
    assert [a.present for a in ref.accounts] == ((ref_join == 0) & ~ref_quits).tolist()
