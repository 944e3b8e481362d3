"""The follower graph: its initial state and its export.

Edge direction, stated once: an edge ``u -> v`` means **u follows v**. v's followers are its
in-edges; v's posts reach u's home feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from sim.config.params import FAME_CHOICES
from sim.engine.edges import flatnonzero

if TYPE_CHECKING:
    from sim.engine.party import Party


def with_fame(attract: np.ndarray, famous: np.ndarray) -> np.ndarray:
    """Rule *start fame*: the ``len(famous)`` largest attractiveness draws go to the famous
    accounts (``start_fame`` "top"), the draws themselves unchanged: each famous account that
    did not draw one of them swaps with a non-famous account that did (in account order, the
    largest draw first). No random number is drawn."""
    attract = attract.copy()
    top = np.argsort(-attract, kind="stable")[: len(famous)]
    give = np.setdiff1d(famous, top)  # famous, without a top draw (sorted by account)
    take = top[~np.isin(top, famous)]  # top draws held by others, largest first
    attract[give], attract[take] = attract[take], attract[give].copy()
    return attract


def suggested_list(party: Party) -> np.ndarray:
    """The sign-up suggestions: the famous accounts (``start_fame`` "top") there now."""
    famous = party.acct["start_fame"] == FAME_CHOICES.index("top")
    return np.flatnonzero(famous & party.present)


def signup_follows(party: Party, who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rule *sign-up suggestions*: the ties ``who`` make when signing up, as (src, dst): each
    follows ``signup_follows`` of the suggested list (all of it if the list is shorter),
    drawn at random without repetition (:func:`distinct_draws`). Draws nothing when nobody in
    ``who`` follows any or the list is empty."""
    listed = suggested_list(party)
    k = np.minimum(party.acct["signup_follows"][who].astype(np.int64), len(listed))
    if not len(listed) or not k.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    row, pos = distinct_draws(party.rng, k, len(listed))
    return who[row], listed[pos]


def distinct_draws(
    rng: np.random.Generator, k: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each row r, ``k[r]`` (at most ``size``) distinct positions drawn uniformly from
    ``range(size)``, as (row, position) pairs. A row that needs more than half the positions
    draws those it leaves out instead; a position drawn twice in a row is drawn again."""
    big = 2 * k > size
    row = np.repeat(np.arange(len(k)), np.where(big, size - k, k))
    pos = np.floor(rng.random(len(row)) * size).astype(np.int64)
    todo = np.arange(len(row))
    while len(todo):  # only the rows that drew a position twice draw again
        order = todo[np.lexsort((pos[todo], row[todo]))]
        same = (row[order][1:] == row[order][:-1]) & (pos[order][1:] == pos[order][:-1])
        again = order[1:][same]
        if not len(again):
            break
        pos[again] = np.floor(rng.random(len(again)) * size).astype(np.int64)
        todo = np.flatnonzero(np.isin(row, row[again]))
    if not big.any():
        return row, pos
    rows_big = np.flatnonzero(big)
    slot = np.full(len(k), -1)
    slot[rows_big] = np.arange(len(rows_big))
    left_out = big[row]
    keep = np.ones((len(rows_big), size), dtype=bool)
    keep[slot[row[left_out]], pos[left_out]] = False
    kept_row, kept_pos = np.nonzero(keep)
    return (
        np.concatenate([row[~left_out], rows_big[kept_row]]),
        np.concatenate([pos[~left_out], kept_pos]),
    )


def initial_follows(model: Party) -> tuple[np.ndarray, np.ndarray]:
    """Rule *initial network*: each account follows about ``initial_following`` others.

    A share ``init_room_prob`` of the ties are made inside one of the follower's rooms, the
    rest anywhere; either way targets are drawn in proportion to an attractiveness with a
    Pareto tail (``popularity_tail``), so a few accounts start with many followers; the
    largest draws go to accounts famous before the party (``start_fame``: :func:`with_fame`).
    Accounts that join later (``join_prob``) are left out, as followers and as targets. A
    share ``init_fof_share`` of the ties are then found through the others
    (:func:`friends_of_friends`).
    """
    rng, n = model.rng, model.n
    attract = rng.pareto(model.params["popularity_tail"], n) + 1.0
    famous = np.flatnonzero(model.acct["start_fame"] == FAME_CHOICES.index("top"))
    if len(famous):
        attract = with_fame(attract, famous)
    k = rng.poisson(model.acct["initial_following"])
    if model.n_absent:  # not there yet: no ties either way (the draws unchanged)
        attract[~model.present] = 0.0
        k[~model.present] = 0
    src = np.repeat(np.arange(n), k)
    m = len(src)
    in_room = rng.random(m) < model.params["init_room_prob"]
    u = rng.random(m)
    cum = np.cumsum(attract)
    dst = np.searchsorted(cum, u * cum[-1], side="right")
    rooms = model.pick_rooms(src, tagged=np.ones(m, dtype=bool))
    member_cum = np.cumsum(attract[model.room_members])
    first, size = model.room_first[rooms], model.room_size[rooms]
    before = np.where(first > 0, member_cum[np.maximum(first - 1, 0)], 0.0)
    total = member_cum[np.maximum(first + size - 1, 0)] - before
    pos = np.searchsorted(member_cum, before + u * total, side="right")
    pos = np.minimum(pos, first + size - 1)
    use_room = in_room & (size > 0)
    dst[use_room] = model.room_members[pos[use_room]]
    return src, friends_of_friends(model, src, np.minimum(dst, n - 1))


def friends_of_friends(model: Party, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Rule *initial network*, friends of friends: a share ``init_fof_share`` of the ties
    (drawn tie by tie) are found through the follower's other ties instead: the target becomes
    a random followee of a random followee among the ties met directly. A tie keeps its
    direct target when that finds nobody (no followee, a followee following nobody, the
    follower itself, or an account it found already). ``src`` is sorted. Draws nothing at
    share 0."""
    share = model.params["init_fof_share"]
    if share <= 0 or not len(src):
        return dst
    rng, n = model.rng, model.n
    via = flatnonzero(rng.random(len(src)) < share)
    direct = np.ones(len(src), dtype=bool)
    direct[via] = False
    met_src, met_dst = src[direct], dst[direct]
    count = np.bincount(met_src, minlength=n)
    first = np.cumsum(count) - count
    who = src[via]
    u_mid, u_end = rng.random(len(via)), rng.random(len(via))
    out = dst.copy()
    ok = flatnonzero(count[who] > 0)  # ties whose follower met someone directly
    mid = met_dst[first[who[ok]] + np.floor(u_mid[ok] * count[who[ok]]).astype(np.int64)]
    has = count[mid] > 0  # ... who follows someone
    ok, mid = ok[has], mid[has]
    end = met_dst[first[mid] + np.floor(u_end[ok] * count[mid]).astype(np.int64)]
    keep = end != who[ok]
    out[via[ok[keep]]] = end[keep]
    # a friend of a friend the follower already found keeps the tie's direct target
    key = src * n + out
    direct_keys = np.unique(key[direct])
    changed = via[ok[keep]]
    _, first_seen = np.unique(key, return_index=True)
    again = np.isin(key[changed], direct_keys) | ~np.isin(changed, first_seen)
    out[changed[again]] = dst[changed[again]]
    return out


def to_networkx(model: Party) -> nx.DiGraph:
    """The follower graph with account attributes, for analysis and Gephi."""
    graph = nx.DiGraph()
    followers = model.follows.in_degree
    for i in range(model.n):
        graph.add_node(
            int(i),
            label=model.handle(i),
            strategy=model.strategy_names[model.strategy_id[i]],
            group=model.group_names[model.group_id[i]],
            followers=int(followers[i]),
            following=int(model.follows.out_degree[i]),
            tz=int(model.tz[i]),
            room=model.room_name(int(model.interests[i, 0])),
        )
    graph.add_edges_from(zip(model.follows.src.tolist(), model.follows.dst.tolist(), strict=True))
    return graph
