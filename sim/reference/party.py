"""Reference engine, the party's state: accounts, the follow graph, blocks, items, queues and
the event counts, with the small operations every rule uses (publish an item, follow, unfollow,
block, look up a tie). The rules (sim/reference/agents.py, everyday.py, ranking.py and the
hour's phases in model.py) take a :class:`ReferenceParty`; :class:`~sim.reference.model.
ReferencePartyModel` is one, with the schedule. This module imports no rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mesa

from sim.engine import reasons as rs


@dataclass
class Item:
    """One published item (see sim/engine/posts.py for the meaning of each field)."""

    index: int
    author: int
    form: int
    kind: int
    quality: float
    link: bool
    room: int
    target: int
    step: int
    automated: bool = False
    appeal: float = 1.0  # x the chance of being retweeted (7.27)
    orig: int = -1  # the item whose content this shows; itself unless a retweet
    parent: int = -1  # a retweet: the item it was made from (the post or a retweet)
    orig_author: int = -1
    content: int = -1
    retweets: int = 0
    replies: int = 0
    reads: int = 0


class ReferenceParty(mesa.Model):
    """The reference party's state (a ``mesa.Model``: its accounts are Mesa agents)."""

    accounts: list[Any]  # sim.reference.agents.Account, one per account
    graph: Any  # networkx.DiGraph: u -> v means u follows v
    room_members: dict[int, list[int]]

    def init_state(self, spec, seed: int) -> None:
        """The party's parameters, and everything that starts empty (MODEL.md 5.5)."""
        self.spec, self.seed, self.params = spec, seed, spec.model_params()
        self.n, self.n_rooms = spec.n_accounts, int(self.params["n_rooms"])
        self.strategy_names = sorted({g.strategy for g in spec.groups})
        self.blocks: set[tuple[int, int]] = set()
        self.blast_counts: dict[tuple[int, int], int] = {}
        self.retweeted: set[tuple[int, int]] = set()  # (reader, original) retweeted (7.14)
        self.items: list[Item] = []
        self.first_item_of_hour = [0]
        self.pending: list[Item] = []  # notifications not delivered yet
        self.follow_notices: list[tuple[int, int]] = []  # (new follower, followee)
        self.audience_ready = False
        self.events = dict.fromkeys(rs.EVENT_NAMES, 0)
        self.reasons: dict[str, int] = {}  # events per reason name

    @property
    def hour(self) -> int:
        return self.steps - 1

    def publish(self, *, content=None, orig=None, orig_author=None, **fields) -> Item:
        item = Item(index=len(self.items), step=self.hour, **fields)
        item.orig = item.index if orig is None else orig
        item.orig_author = item.author if orig_author is None else orig_author
        item.content = item.index if content is None else content
        self.items.append(item)
        return item

    def follows(self, u: int, v: int) -> bool:
        return self.graph.has_edge(u, v)

    def blocked_either(self, u: int, v: int) -> bool:
        return (u, v) in self.blocks or (v, u) in self.blocks

    def random_member(self, room: int) -> int:
        members = self.room_members[room]
        return members[int(self.rng.random() * len(members))]

    def followers_common_tz(self, i: int, own: int) -> int:
        zones = [self.accounts[f].tz for f in self.graph.predecessors(i)]
        return min(set(zones), key=lambda z: (-zones.count(z), z)) if zones else own

    def edge_state(self, u: int, v: int) -> tuple[float, bool]:
        data = self.graph[u][v]
        return data["seen"], data["ack"]

    def first_item_since(self, hour: int) -> int:
        return self.first_item_of_hour[min(max(hour, 0), len(self.first_item_of_hour) - 1)]

    def record(self, reason: int, event: int | None = None) -> None:
        """Count one event of this reason (and of its kind: the reason's own unless given)."""
        r = rs.REASONS[reason]
        self.events[rs.EVENT_NAMES[r.event if event is None else event]] += 1
        self.reasons[r.name] = self.reasons.get(r.name, 0) + 1

    def follow(self, u: int, v: int, reason: int) -> None:
        if u == v or self.follows(u, v) or self.blocked_either(u, v):
            return
        self.graph.add_edge(u, v, ack=False, seen=0.0, worth=self.params["tie_worth_start"])
        self.accounts[v].count["followers_gained"] += 1
        self.follow_notices.append((u, v))
        self.record(reason)

    def unfollow_edge(self, u: int, v: int, reason: int) -> None:
        """Unfollow, or mute instead (rule *mute*, 7.28): a follower with a relationship to
        ``v`` (followed back, or acknowledged) mutes it with chance mute_instead_prob; the tie
        stays and ``v``'s items stop reaching ``u``'s home feed."""
        if not self.follows(u, v):
            return
        tie, prob = self.graph[u][v], self.params["mute_instead_prob"]
        if prob > 0 and (tie["ack"] or self.follows(v, u)) and self.rng.random() < prob:
            if not tie.get("muted"):  # a tie is unmuted until muted
                tie["muted"] = True
                self.record(reason, rs.MUTE)
            return
        self.graph.remove_edge(u, v)
        self.accounts[v].count["unfollows_received"] += 1
        self.record(reason)

    def block(self, u: int, v: int, reason: int) -> None:
        if (u, v) in self.blocks:
            return
        self.blocks.add((u, v))
        self.accounts[v].count["blocks_received"] += 1
        self.record(reason)
        for x, y in ((u, v), (v, u)):
            if self.follows(x, y):
                self.graph.remove_edge(x, y)
                self.accounts[y].count["followers_lost_to_blocks"] += 1
