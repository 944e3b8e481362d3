"""The follower graph: its initial state and its export.

Edge direction, stated once: an edge ``u -> v`` means **u follows v**. v's followers are its
in-edges; v's posts reach u's home feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from sim.config.params import FAME_CHOICES

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


def initial_follows(model: Party) -> tuple[np.ndarray, np.ndarray]:
    """Rule *initial network*: each account follows about ``initial_following`` others.

    A share ``init_room_prob`` of the ties are made inside one of the follower's rooms, the
    rest anywhere; either way targets are drawn in proportion to an attractiveness with a
    Pareto tail (``popularity_tail``), so a few accounts start with many followers; the
    largest draws go to accounts famous before the party (``start_fame``: :func:`with_fame`).
    """
    rng, n = model.rng, model.n
    attract = rng.pareto(model.params["popularity_tail"], n) + 1.0
    famous = np.flatnonzero(model.acct["start_fame"] == FAME_CHOICES.index("top"))
    if len(famous):
        attract = with_fame(attract, famous)
    k = rng.poisson(model.acct["initial_following"])
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
    return src, np.minimum(dst, n - 1)


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
