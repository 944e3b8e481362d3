"""Who is at the party: accounts built from population groups, their rooms and time zones,
and the party built from a scenario (:func:`build_party`)."""

from __future__ import annotations

import numpy as np

from sim.config.params import ACCOUNT_PARAMS, CONTENT_WEIGHTS, INDIVIDUAL, INDIVIDUAL_SPREAD
from sim.config.scenario_parts import Group
from sim.engine.network import initial_follows, signup_follows
from sim.engine.party import Party
from sim.engine.posting import initial_absence
from sim.engine.posts import PROMO
from sim.engine.reporters import SUM_METRICS
from sim.engine.state import allocate
from sim.engine.ties import AUTO, NEVER, SCREEN, follow_back_decisions


def build_party(spec, rng: np.random.Generator) -> Party:
    """The party at hour 0 of a scenario: its accounts, rooms, state columns, the initial
    follow graph (the follow-back rule applied once, silently: not as events) and everyone
    part-way through an absence. ``rng`` is the run's one random stream."""
    party = Party(spec, spec.model_params(), rng, SUM_METRICS)
    build_accounts(party, spec.groups)
    assign_rooms(party)
    allocate(party)  # the changing per-account columns declared in sim/engine/state.py
    party.utc_offset[:] = party.tz
    _initial_network(party)
    initial_absence(party)
    return party


def _initial_network(party: Party) -> None:
    """Initial ties (and the sign-up follows of the accounts that quit before the party,
    rule leaving), then the follow-back rule applied once, silently (not as events)."""
    src, dst = initial_follows(party)
    party.follows.add(src, dst)
    gone = np.flatnonzero(party.quits & (party.join_hour == 0))
    if len(gone):
        party.follows.add(*signup_follows(party, gone))
    follower, followee = party.follows.src, party.follows.dst
    back = follow_back_decisions(party, follower, followee)[0]
    party.follows.add(followee[back], follower[back])
    party.follows.attrs["worth"][:] = party.params["tie_worth_start"]
    party.followers_at_start[:] = party.follows.in_degree
    party.edges_at_start = party.follows.keys.copy()


def build_accounts(party: Party, groups: list[Group]) -> None:
    """Per-account arrays (``party.acct``), group and strategy ids, time zones, tastes."""
    counts = np.array([g.count for g in groups])
    party.group_names = [g.name for g in groups]
    party.strategy_names = sorted({g.strategy for g in groups})
    party.group_id = np.repeat(np.arange(len(groups)), counts)
    strategy_of_group = np.array([party.strategy_names.index(g.strategy) for g in groups])
    party.strategy_id = strategy_of_group[party.group_id]
    party.acct = {}
    for name, param in ACCOUNT_PARAMS.items():
        if param.choices:
            codes = np.array([param.choices.index(g.values[name]) for g in groups])
            party.acct[name] = codes[party.group_id]
        else:
            party.acct[name] = np.array([g.values[name] for g in groups], dtype=float)[
                party.group_id
            ]
    _individual_differences(party)
    a = party.acct
    spread = a["tz_spread"].astype(np.int64)
    jitter = np.floor(party.rng.random(party.n) * (2 * spread + 1)).astype(np.int64) - spread
    party.tz = ((a["tz_offset"].astype(np.int64) + jitter + 12) % 24) - 12
    party.appetite = np.stack(
        [a["social_appetite"], a["info_appetite"], a["promo_appetite"], a["social_appetite"]],
        axis=1,
    )
    weights = np.stack([a[w] for w in CONTENT_WEIGHTS], axis=1)
    total = weights.sum(axis=1, keepdims=True)
    weights = np.where(total > 0, weights / np.where(total > 0, total, 1), [1, 0, 0, 0])
    party.content_cum = np.cumsum(weights, axis=1)
    party.schedule_mode = a["schedule_at"]
    party.schedulers = np.flatnonzero(a["scheduled_per_day"] > 0)
    _initial_profiles(party, weights[:, PROMO])
    _draw_follow_back_policies(party)
    party.join_hour, party.quits = present_first(
        party.group_id, draw_join_hours(party), draw_quits(party)
    )
    party.present = (party.join_hour == 0) & ~party.quits
    party.n_absent = int(party.n - party.present.sum())


def present_first(
    group_id: np.ndarray, join_hour: np.ndarray, quits: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rules *joining* and *leaving*, account numbers: within each group, the accounts there
    at the start come first, then those that sign up later, then those that left before the
    party, each kind in the order drawn. A relabelling, not a new draw: an account's sign-up
    hour and leaving are drawn alike for every account of its group (``join_prob`` and
    ``quit_prob`` are the group's), and its other traits independently of both. It keeps the
    accounts that take part side by side in memory (at a million accounts in the town square,
    59% left before the week: docs/PERFORMANCE.md). ``group_id`` never decreases; nothing is
    drawn."""
    there = (join_hour == 0) & ~quits
    kind = np.where(there, 0, np.where(join_hour > 0, 1, 2))
    order = np.lexsort((kind, group_id))  # stable: the order drawn within each kind
    return join_hour[order], quits[order]


def draw_quits(party: Party) -> np.ndarray:
    """Rule *leaving* (:mod:`sim.engine.joining`): whether each account, once signed up,
    never comes back (chance ``quit_prob``). Draws nothing when nobody quits (the run's
    stream unchanged)."""
    p = party.acct["quit_prob"]
    if not p.any():
        return np.zeros(party.n, dtype=bool)
    return party.rng.random(party.n) < p


def draw_join_hours(party: Party) -> np.ndarray:
    """Rule *joining* (:mod:`sim.engine.joining`): each account's sign-up hour, 0 (there at the
    start) or, with chance ``join_prob``, an hour drawn uniformly from 1 to
    ``join_window_steps``. Draws nothing when nobody joins (the run's stream unchanged)."""
    p = party.acct["join_prob"]
    hours = np.zeros(party.n, dtype=np.int64)
    if not p.any():
        return hours
    u, v = party.rng.random(party.n), party.rng.random(party.n)
    joins = u < p
    window = int(party.params["join_window_steps"])
    hours[joins] = 1 + np.floor(v[joins] * window).astype(np.int64)
    return hours


def _individual_differences(party: Party) -> None:
    """Rule *individuals*: each account's value of the INDIVIDUAL parameters is its group's
    value x lognormal(0, individual_spread), clipped to the parameter's range (a parameter
    named in INDIVIDUAL_SPREAD varies with its own spread, e.g. pruning_spread)."""
    for name in INDIVIDUAL:
        param = ACCOUNT_PARAMS[name]
        sd = party.params[INDIVIDUAL_SPREAD.get(name, "individual_spread")]
        varied = party.acct[name] * np.exp(party.rng.normal(0.0, sd, party.n))
        if param.kind is int:
            varied = np.round(varied)
        party.acct[name] = np.clip(varied, param.low, param.high)


def _initial_profiles(party: Party, promo_weight: np.ndarray) -> None:
    """Profiles start as the account's own habits, as if it had been posting for a while."""
    a = party.acct
    by_hand = a["posts_per_hour"] * a["activity_prob"] * 16
    scheduled = a["scheduled_per_day"]
    total = by_hand + scheduled
    party.promo_share = promo_weight.astype(float).copy()
    party.automated_share = np.where(total > 0, scheduled / np.where(total > 0, total, 1), 0.0)
    party.has_posted = total > 0
    party.daily_items = total.astype(float)


def _draw_follow_back_policies(party: Party) -> None:

    u = party.rng.random(party.n)
    v = party.rng.random(party.n)
    auto = u < party.acct["follow_back_auto_prob"]
    screen = ~auto & (v < party.acct["follow_back_screen_prob"])
    party.follow_back = np.where(auto, AUTO, np.where(screen, SCREEN, NEVER))


def assign_rooms(party: Party) -> None:
    """Each account gets ``n_interests`` distinct rooms, drawn by room popularity (Zipf)."""
    n_rooms = party.n_rooms
    popularity = 1.0 / np.arange(1, n_rooms + 1) ** party.params["room_popularity_exponent"]
    party.room_popularity = popularity / popularity.sum()
    k = np.minimum(party.acct["n_interests"].astype(np.int64), n_rooms)
    gumbel = -np.log(-np.log(party.rng.random((party.n, n_rooms))))
    ranked = np.argsort(-(np.log(party.room_popularity) + gumbel), axis=1)
    party.n_interests = k
    party.interests = np.where(np.arange(n_rooms) < k[:, None], ranked, -1)[:, : k.max()]
    index_rooms(party)


def index_rooms(party: Party) -> None:
    """What follows from the accounts' rooms (``party.interests``): their bitmasks, and each
    room's members (``room_members``, grouped by room, ``room_first`` and ``room_size``; an
    account that has not signed up yet is in no room)."""
    bits = np.left_shift(np.uint64(1), np.maximum(party.interests, 0).astype(np.uint64))
    mask = np.bitwise_or.reduce(np.where(party.interests >= 0, bits, 0), axis=1)
    member_room = party.interests.ravel()
    member = np.repeat(np.arange(party.n), party.interests.shape[1])
    valid = member_room >= 0
    if party.n_absent:  # rule joining: not in a room before signing up
        valid &= party.present[member]
    order = np.argsort(member_room[valid], kind="stable")
    size = np.bincount(member_room[valid], minlength=party.n_rooms)
    party.room_members = member[valid][order]  # its length follows the rooms chosen
    for name, value in (("interest_mask", mask), ("room_size", size),
                        ("room_first", np.cumsum(size) - size)):  # fmt: skip
        old = getattr(party, name, None)
        if isinstance(old, np.ndarray) and old.shape == value.shape:
            old[...] = value  # in place: a column keeps being the array the state names
        else:
            setattr(party, name, value)


def join_rooms(party: Party, accounts: np.ndarray) -> None:
    """:func:`index_rooms` after ``accounts`` (distinct, not in a room until now) have signed
    up (rule joining, every hour someone does), without sorting every member again: each
    newcomer is put into its rooms' runs of ``room_members`` in account order, as the full
    index has it (the same arrays; tests/test_joining.py)."""
    width = party.interests.shape[1]
    room = party.interests[accounts].ravel()
    member = np.repeat(np.asarray(accounts, dtype=np.int64), width)
    room, member = room[room >= 0].astype(np.int64), member[room >= 0]
    if not len(room):
        return
    n, size = party.n, party.room_size
    old = np.repeat(np.arange(party.n_rooms, dtype=np.int64), size) * n + party.room_members
    new = np.sort(room * n + member)
    party.room_members = np.insert(party.room_members, old.searchsorted(new), new % n)
    size += np.bincount(room, minlength=party.n_rooms)
    party.room_first[...] = np.cumsum(size) - size


def choose_rooms(party: Party, account: int, rooms) -> None:
    """``account`` now likes ``rooms`` (distinct room numbers, at most the width of
    ``party.interests``) and no other: it browses them, tags its posts with them and finds
    their members there, as every account does with its own (between two hours)."""
    rooms = [int(r) for r in rooms]
    width = party.interests.shape[1]
    if not 1 <= len(rooms) <= width or len(set(rooms)) != len(rooms):
        raise ValueError(f"between 1 and {width} distinct rooms, got {rooms}")
    if not all(0 <= r < party.n_rooms for r in rooms):
        raise ValueError(f"rooms are numbered 0 to {party.n_rooms - 1}, got {rooms}")
    party.interests[account] = rooms + [-1] * (width - len(rooms))
    party.n_interests[account] = len(rooms)
    index_rooms(party)
