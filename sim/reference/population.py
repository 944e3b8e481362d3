"""Reference engine, the set-up: who is at the party and who follows whom at the start.

Read this next to docs/MODEL.md section 5. The rules are those of sim/engine/population.py
and sim/engine/network.py, written for one account and one tie at a time with the reference
model's own random generator; tests/test_reference.py checks that both engines build parties
alike (in distribution: the draws are made in another order, so not the same party).
"""

from __future__ import annotations

import bisect
import itertools
from typing import TYPE_CHECKING

import networkx as nx

from sim.config.params import ACCOUNT_PARAMS, FAME_CHOICES, INDIVIDUAL, INDIVIDUAL_SPREAD
from sim.config.scenario_parts import Group
from sim.engine import reasons as rs
from sim.reference.agents import Account

if TYPE_CHECKING:
    import numpy as np

    from sim.reference.party import ReferenceParty

AUTO, SCREEN, NEVER = 0, 1, 2  # follow-back policies, as in sim/engine/ties.py


def build_party(m: ReferenceParty) -> None:
    """5.1-5.4: the accounts with their rooms, then the initial follower graph."""
    popularity = room_popularity(m)
    m.accounts = []
    for group in m.spec.groups:
        for _ in range(group.count):
            m.accounts.append(new_account(m, len(m.accounts), group, popularity))
    draw_join_hours(m)
    draw_quits(m)
    present_first(m)
    index_rooms(m)
    m.graph = nx.DiGraph()
    m.graph.add_nodes_from(range(m.n))
    initial_follows(m)
    for a in m.accounts:  # 7.30 leaving: those gone before the party kept their sign-up ties
        if a.quits and a.join_hour == 0:
            signup_follows(m, a, silent=True)
    silent_follow_back(m)
    for a in m.accounts:  # 5.5: everyone offline, part-way through an absence
        a.away_left = m.rng.random() * a.draw_absence()


def draw_join_hours(m: ReferenceParty) -> None:
    """7.30 joining: with chance join_prob an account is not there at the start and signs
    up at an hour drawn uniformly from 1 to join_window_steps (nothing drawn if nobody
    joins)."""
    if not any(a.traits["join_prob"] > 0 for a in m.accounts):
        return
    window = int(m.params["join_window_steps"])
    for a in m.accounts:
        if m.rng.random() < a.traits["join_prob"]:
            a.join_hour = 1 + int(m.rng.random() * window)
            a.present = False


def draw_quits(m: ReferenceParty) -> None:
    """7.30 leaving: with chance quit_prob an account, once signed up, never comes back; one
    there at the start left before the party (nothing drawn if nobody quits)."""
    if not any(a.traits["quit_prob"] > 0 for a in m.accounts):
        return
    for a in m.accounts:
        a.quits = m.rng.random() < a.traits["quit_prob"]
        if a.quits and a.join_hour == 0:
            a.present = False


def present_first(m: ReferenceParty) -> None:
    """7.30 account numbers: within each group, the accounts there at the start first, then
    those that sign up later, then those that left before the party (each kind in the order
    drawn); an account's sign-up hour, leaving and presence move together."""
    first = 0
    for group in m.spec.groups:
        accounts = m.accounts[first : first + group.count]
        drawn = [(a.join_hour, a.quits, a.present) for a in accounts]
        kinds = sorted(drawn, key=lambda d: 0 if d[2] else (1 if d[0] > 0 else 2))
        for a, (join_hour, quits, present) in zip(accounts, kinds, strict=True):
            a.join_hour, a.quits, a.present = join_hour, quits, present
        first += group.count


def index_rooms(m: ReferenceParty) -> None:
    """Each room's members: the accounts that like it and have signed up (7.30)."""
    m.room_members = {
        r: [a.index for a in m.accounts if a.present and r in a.rooms] for r in range(m.n_rooms)
    }


def signup_follows(m: ReferenceParty, a: Account, silent: bool = False) -> None:
    """7.30 sign-up suggestions: ``a``, signing up, follows signup_follows accounts drawn
    without repetition from the suggested list (the famous accounts there); ``silent``: as
    part of the initial graph (no events), for an account that left before the party."""
    top_code = FAME_CHOICES.index("top")
    listed = [b.index for b in m.accounts if b.present and b.traits["start_fame"] == top_code]
    k = min(int(a.traits["signup_follows"]), len(listed))
    if not k:
        return
    for target in m.rng.choice(listed, size=k, replace=False).tolist():
        if silent:
            m.graph.add_edge(a.index, target, ack=False, seen=0.0, worth=0.0)
        else:
            m.follow(a.index, target, rs.FOLLOW_SIGNUP)


def new_account(m: ReferenceParty, index: int, group: Group, popularity: list[float]):
    """5.1-5.3: one account of ``group``: its parameters with individual differences (7.1),
    its time zone, its follow-back policy and its rooms."""
    rng = m.rng
    p = {}
    for name, param in ACCOUNT_PARAMS.items():
        value = group.values[name]
        p[name] = param.choices.index(value) if param.choices else float(value)
    for name in INDIVIDUAL:  # 7.1: the group's value x lognormal(0, individual_spread)
        param = ACCOUNT_PARAMS[name]
        sd = m.params[INDIVIDUAL_SPREAD.get(name, "individual_spread")]
        varied = p[name] * rng.lognormal(0.0, sd)
        if param.kind is int:
            varied = round(varied)
        p[name] = float(min(max(varied, param.low), param.high))
    spread = int(p["tz_spread"])
    tz = (int(p["tz_offset"]) + int(rng.integers(-spread, spread + 1)) + 12) % 24 - 12
    if rng.random() < p["follow_back_auto_prob"]:
        policy = AUTO
    elif rng.random() < p["follow_back_screen_prob"]:
        policy = SCREEN
    else:
        policy = NEVER
    rooms = draw_rooms(rng, popularity, int(p["n_interests"]))
    return Account(m, index, strategy=group.strategy, params=p, tz=tz, rooms=rooms, policy=policy)


def room_popularity(m: ReferenceParty) -> list[float]:
    """Interest in room k (k = 1, 2, ...) is proportional to 1 / k^room_popularity_exponent."""
    exponent = m.params["room_popularity_exponent"]
    return [1.0 / k**exponent for k in range(1, m.n_rooms + 1)]


def draw_rooms(rng: np.random.Generator, popularity: list[float], k: int) -> list[int]:
    """5.3: ``k`` distinct rooms, one after the other, each in proportion to its popularity
    among the rooms not yet drawn."""
    left = list(range(len(popularity)))
    rooms = []
    for _ in range(min(k, len(left))):
        room = left[weighted_pick(rng, [popularity[r] for r in left])]
        rooms.append(room)
        left.remove(room)
    return rooms


def weighted_pick(rng: np.random.Generator, weights: list[float]) -> int:
    """A position drawn in proportion to ``weights``."""
    cumulative = list(itertools.accumulate(weights))
    return pick_from_cumulative(rng, cumulative)


def pick_from_cumulative(rng: np.random.Generator, cumulative: list[float]) -> int:
    """A position drawn in proportion to the weights whose running sums are ``cumulative``."""
    position = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    return min(position, len(cumulative) - 1)


def initial_follows(m: ReferenceParty) -> None:
    """5.4: every account has an attractiveness Pareto(popularity_tail) + 1 (a few stars);
    accounts with start_fame "top" hold the largest of those draws.
    Each account follows Poisson(initial_following) targets: with init_room_prob a member
    of one of its rooms, else anyone, drawn in proportion to attractiveness; with
    init_fof_share a tie is found instead through the follower's ties met directly (a random
    followee's random followee). Ties to oneself and second ties to the same account are
    dropped."""
    rng, p = m.rng, m.params
    attract = [rng.pareto(p["popularity_tail"]) + 1.0 for _ in m.accounts]
    top_code = FAME_CHOICES.index("top")
    famous = [a.index for a in m.accounts if a.traits["start_fame"] == top_code]
    if famous:  # 5.4 start fame: the largest draws go to the famous accounts
        by_size = sorted(range(len(attract)), key=lambda i: -attract[i])[: len(famous)]
        give = [i for i in famous if i not in by_size]
        take = [i for i in by_size if i not in famous]
        for i, j in zip(give, take, strict=True):
            attract[i], attract[j] = attract[j], attract[i]
    for a in m.accounts:  # 7.30: nobody meets an account before it signs up
        if not a.present:
            attract[a.index] = 0.0
    everyone = list(itertools.accumulate(attract))
    in_room = {
        r: list(itertools.accumulate(attract[i] for i in members))
        for r, members in m.room_members.items()
    }
    ties = []  # (follower, target, found through a followee)
    share = p["init_fof_share"]
    for a in m.accounts:
        k = rng.poisson(a.traits["initial_following"])
        for _ in range(k if a.present else 0):
            via = share > 0 and rng.random() < share
            if rng.random() < p["init_room_prob"]:
                room = a.random_room()  # never empty: a is a member
                target = m.room_members[room][pick_from_cumulative(rng, in_room[room])]
            else:
                target = pick_from_cumulative(rng, everyone)
            ties.append((a.index, target, via))
    if share > 0:  # 5.4, friends of friends: through the ties met directly
        met: dict[int, list[int]] = {}
        for a, target, via in ties:
            if not via:
                met.setdefault(a, []).append(target)
        found = {(a, target) for a, target, via in ties if not via}
        for i, (a, _, via) in enumerate(ties):
            mids = met.get(a, []) if via else []
            if mids:
                ends = met.get(mids[int(rng.random() * len(mids))], [])
                if ends:
                    end = ends[int(rng.random() * len(ends))]
                    if end != a and (a, end) not in found:  # else the direct target
                        ties[i] = (a, end, via)
            found.add(ties[i][:2])
    for a, target, _ in ties:
        if target != a:
            m.graph.add_edge(a, target, ack=False, seen=0.0, worth=0.0)


def silent_follow_back(m: ReferenceParty) -> None:
    """5.4: the follow-back rule (7.17) once for every initial tie, all decided on the
    initial graph and then added, without events; every tie starts at tie_worth_start."""
    back = [(v, u) for u, v in m.graph.edges if m.accounts[v].follows_back(m.accounts[u])]
    for v, u in back:
        m.graph.add_edge(v, u, ack=False, seen=0.0, worth=0.0)
    for _, _, data in m.graph.edges(data=True):
        data["worth"] = m.params["tie_worth_start"]
