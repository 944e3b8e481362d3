"""Reference engine, the party: a plain per-agent implementation of docs/MODEL.md.

It exists to be read (each rule in a few lines of ordinary Python), to check the fast engine
(tests/test_reference.py compares them), and as the speed baseline. The initial state
(population, rooms, time zones, initial ties) is copied from a fast ``sim.PartyModel``; every
hour after that is computed here, one account and one item at a time. The follower graph is a
``networkx.DiGraph``: an edge u -> v means u follows v.
"""

from __future__ import annotations

import math

import mesa
import networkx as nx
import numpy as np

from sim.model import PartyModel
from sim.posts import (
    ADDRESSED_FORMS,
    MENTION,
    ORIGINAL,
    PROMO,
    QUESTION,
    REPLY,
    RETWEET,
    SOCIAL,
    THANKS,
)
from sim.reference.agents import Account, Item
from sim.scenarios import load

HOME, NOTIFICATION, ROOM = "home", "notification", "room"


class ReferencePartyModel(mesa.Model):
    """The party, one account at a time. Same arguments as :class:`sim.PartyModel`."""

    def __init__(self, scenario="default", *, seed: int | None = None, **overrides) -> None:
        spec = load(scenario).with_overrides(overrides) if overrides else load(scenario)
        seed = spec.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        fast = PartyModel(spec, seed=seed, agents=False)  # the initial state only
        self.spec, self.seed, self.p, self.n = spec, seed, fast.p, fast.n
        self.strategy_names = fast.strategy_names
        self.accounts = [Account(self, i, fast) for i in range(fast.n)]
        self.room_members = {
            r: [a.index for a in self.accounts if r in a.rooms] for r in range(fast.n_rooms)
        }
        self.graph = nx.DiGraph()
        self.graph.add_nodes_from(range(self.n))
        for u, v in zip(fast.follows.src.tolist(), fast.follows.dst.tolist(), strict=True):
            self.graph.add_edge(u, v, ack=False, seen=0.0)
        self.followers_at_start = [self.graph.in_degree(i) for i in range(self.n)]
        self.blocks: set[tuple[int, int]] = set()
        self.blast_counts: dict[tuple[int, int], int] = {}
        self.items: list[Item] = []
        self.first_item_of_hour = [0]
        self.pending: list[Item] = []  # notifications not delivered yet
        self.follow_notices: list[tuple[int, int]] = []  # (new follower, followee)
        self.audience_ready = False
        self.events = {"follow": 0, "unfollow": 0, "block": 0}

    @property
    def hour(self) -> int:
        return self.steps - 1

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        first_new = len(self.items)
        online = [a for a in self.accounts if a.is_online(self.hour % 24)]
        online_ids = {a.index for a in online}
        for a in self.accounts:
            a.post(a.index in online_ids)
        self.audience_ready = True
        lo = self.first_item_since(self.hour - self.p["feed_window_steps"] + 1)
        self.window: dict[int, list[Item]] = {}  # this hour's feed window, by author
        for it in self.items[lo:]:
            self.window.setdefault(it.author, []).append(it)
        reading = [(a, item, source) for a in online for item, source in self.read(a, online_ids)]
        self.record_feed_shares(reading)
        seen = {
            (a.index, item.index): self.edge_state(a.index, item.author)
            for a, item, source in reading
            if source == HOME
        }
        self.react(reading)
        self.follow_back(online_ids)
        self.unfollow(reading, seen)
        self.close_hour(first_new)

    def run(self, steps: int | None = None) -> ReferencePartyModel:
        for _ in range(self.spec.steps if steps is None else steps):
            self.step()
        return self

    # ------------------------------------------------------------------ helpers
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

    # ------------------------------------------------------------------ 7.7-7.10 reading
    def read(self, a: Account, online_ids: set[int]) -> list[tuple[Item, str]]:
        attention = int(a.p["attention"])
        notes = [it for it in self.deliver_notifications(a)]
        browse_n = math.floor(attention * a.p["browse_share"] + self.rng.random())
        home_budget = max(attention - len(notes) - browse_n, 0)
        home = self.home_feed(a, home_budget)
        room = self.browse_room(a, min(browse_n, attention - len(notes)))
        a.seen_upto = len(self.items)
        return (
            [(it, NOTIFICATION) for it in notes]
            + [(it, HOME) for it in home]
            + [(it, ROOM) for it in room]
        )

    def deliver_notifications(self, a: Account) -> list[Item]:
        """7.7: my pending notifications, oldest first, at most my attention; the rest of
        mine are dropped, other people's wait (or expire)."""
        mine = [it for it in self.pending if it.target == a.index]
        self.pending = [it for it in self.pending if it.target != a.index]
        delivered = mine[: int(a.p["attention"])]
        return [it for it in delivered if (a.index, it.author) not in self.blocks]

    def home_feed(self, a: Account, budget: int) -> list[Item]:
        """7.9: followees' new items, reply visibility, one per content, newest first."""
        candidates, shown = [], set()
        for f in sorted(self.graph.successors(a.index)):
            for it in (x for x in self.window.get(f, ()) if x.index >= a.seen_upto):
                if it.form in ADDRESSED_FORMS and (
                    it.target == a.index or not self.follows(a.index, it.target)
                ):
                    continue
                if it.form == RETWEET and (
                    it.orig_author == a.index or (a.index, it.orig_author) in self.blocks
                ):
                    continue
                if it.form == RETWEET or self.items[it.index].retweets > 0:
                    if it.orig in shown:
                        continue
                    shown.add(it.orig)
                candidates.append(it)
        by_age: dict[int, list[Item]] = {}
        for it in candidates:
            by_age.setdefault(self.hour - it.step, []).append(it)
        read, left = [], budget
        for age in sorted(by_age):
            group = by_age[age]
            if len(group) <= left:
                read += group
                left -= len(group)
            else:
                read += [it for it in group if self.rng.random() < left / len(group)]
                break
        return read

    def browse_room(self, a: Account, n: int) -> list[Item]:
        """7.10: n random recent originals tagged in one of my rooms, not mine or my
        followees', not from blocked accounts."""
        room = a.random_room()
        lo = self.first_item_since(self.hour - self.p["browse_window_steps"] + 1)
        pool = [it for it in self.items[lo:] if it.room == room and it.form == ORIGINAL]
        if not pool:
            return []
        picked = {pool[int(self.rng.random() * len(pool))].index for _ in range(n)}
        return [
            self.items[i]
            for i in sorted(picked)
            if self.items[i].author != a.index
            and not self.follows(a.index, self.items[i].author)
            and (a.index, self.items[i].author) not in self.blocks
        ]

    def record_feed_shares(self, reading) -> None:
        """7.18: running counts of home items per followee and in all, over about a day."""
        decay = math.exp(-1.0 / self.p["flood_memory_steps"])
        for _, _, data in self.graph.edges(data=True):
            data["seen"] *= decay
        for a in self.accounts:
            a.feed_total *= decay
        for a, item, source in reading:
            if source == HOME:
                self.graph[a.index][item.author]["seen"] += 1.0
                a.feed_total += 1.0

    # ------------------------------------------------------------------ 7.11-7.20 reacting
    def react(self, reading) -> None:
        """Every item read, rule by rule (each rule sees the state before this hour's
        follows, as in the fast engine); new items are published at the end."""
        p, rng = self.p, self.rng
        new: list[dict] = []
        looks = []
        for a, it, source in reading:
            rt_notice = it.form == RETWEET and it.orig_author == a.index
            addressed = it.target == a.index and not rt_notice
            looks.append(
                (a, it, source, rt_notice, addressed, a.value_of(it, addressed, rt_notice))
            )
        for _a, it, _, rt_notice, _, _ in looks:  # 7.12 impressions
            if not rt_notice:
                self.accounts[it.orig_author].count["impressions"] += 1
        for a, it, _, _, _, value in looks:  # 7.13 clicks
            o = self.accounts[it.orig_author]
            if it.link and o.index != a.index:
                if rng.random() < p["click_base_prob"] * value * a.trust(o):
                    o.count["clicks"] += 1
        for a, it, _, _, _, value in looks:  # 7.14 retweets
            o = it.orig_author
            if it.form not in (ORIGINAL, RETWEET) or o == a.index:
                continue
            knows = self.follows(a.index, o)
            acquainted = knows and self.graph[a.index][o]["ack"]
            prob = (
                p["retweet_base_prob"]
                * value
                * a.p["retweet_propensity"]
                * (p["know_retweet_boost"] if knows else 1.0)
                * (p["acquainted_retweet_boost"] if acquainted else 1.0)
            )
            if rng.random() < min(prob, 1.0):
                self.items[it.orig].retweets += 1
                self.accounts[o].count["retweets_received"] += 1
                new.append(
                    dict(
                        author=a.index,
                        form=RETWEET,
                        kind=it.kind,
                        quality=it.quality,
                        link=it.link,
                        room=it.room,
                        target=o,
                        orig=it.orig,
                        orig_author=o,
                        content=it.content,
                    )
                )
        for a, it, _, rt_notice, _, value in looks:  # 7.15 replies
            o = it.orig_author
            if rt_notice or o == a.index:
                continue
            boost = (
                p["question_reply_boost"] if (it.kind == QUESTION and it.form == ORIGINAL) else 1.0
            )
            if rng.random() < min(
                p["reply_base_prob"] * value * a.p["reply_propensity"] * boost, 1.0
            ):
                it.replies += 1
                self.accounts[o].count["replies_received"] += 1
                new.append(
                    dict(
                        author=a.index,
                        form=REPLY,
                        kind=SOCIAL,
                        link=False,
                        quality=a.draw_quality(),
                        room=it.room,
                        target=o,
                    )
                )
        for a, it, _, rt_notice, _, _ in looks:  # 7.15 thanks
            if rt_notice and rng.random() < a.p["thank_prob"]:
                new.append(
                    dict(
                        author=a.index,
                        form=THANKS,
                        kind=SOCIAL,
                        link=False,
                        quality=a.draw_quality(),
                        room=-1,
                        target=it.author,
                    )
                )
        wanted = []
        for a, it, _, rt_notice, addressed, value in looks:  # 7.16 follows
            c = it.author if rt_notice else it.orig_author
            if c == a.index or a.p["follow_propensity"] <= 0 or self.follows(a.index, c):
                continue
            if self.blocked_either(a.index, c):
                continue
            saturation = 1.0 / (1.0 + self.graph.out_degree(a.index) / p["follow_saturation"])
            profile = 1.0 - p["profile_promo_penalty"] * a.promo_excess(self.accounts[c])
            noticed = addressed or rt_notice
            prob = (
                p["follow_base_prob"]
                * value
                * a.p["follow_propensity"]
                * saturation
                * profile
                * (p["notice_follow_boost"] if noticed else 1.0)
            )
            if rng.random() < min(prob, 1.0):
                wanted.append((a.index, c))
        for u, v in wanted:
            self.follow(u, v)
        for a, it, _, _, addressed, _ in looks:  # 7.20 blocks
            if (
                addressed
                and it.form == MENTION
                and it.kind == PROMO
                and not self.follows(a.index, it.author)
            ):
                key = (a.index, it.author)
                self.blast_counts[key] = self.blast_counts.get(key, 0) + 1
                if self.blast_counts[key] >= a.p["block_tolerance"]:
                    self.block(a.index, it.author)
        for fields in new:
            self.publish(**fields)

    # ------------------------------------------------------------------ ties
    def follow(self, u: int, v: int) -> None:
        if u == v or self.follows(u, v) or self.blocked_either(u, v):
            return
        self.graph.add_edge(u, v, ack=False, seen=0.0)
        self.accounts[v].count["followers_gained"] += 1
        self.follow_notices.append((u, v))
        self.events["follow"] += 1

    def unfollow_edge(self, u: int, v: int) -> None:
        if self.follows(u, v):
            self.graph.remove_edge(u, v)
            self.accounts[v].count["unfollows_received"] += 1
            self.events["unfollow"] += 1

    def block(self, u: int, v: int) -> None:
        if (u, v) in self.blocks:
            return
        self.blocks.add((u, v))
        self.accounts[v].count["blocks_received"] += 1
        self.events["block"] += 1
        for x, y in ((u, v), (v, u)):
            if self.follows(x, y):
                self.graph.remove_edge(x, y)
                self.accounts[y].count["followers_lost_to_blocks"] += 1

    def follow_back(self, online_ids: set[int]) -> None:
        """7.17: online accounts look at new followers; the others' notices wait."""
        waiting, now = [], []
        for f, e in self.follow_notices:
            (now if e in online_ids else waiting).append((f, e))
        self.follow_notices = waiting
        for f, e in now:
            if self.follows(f, e) and self.accounts[e].follows_back(self.accounts[f]):
                self.follow(e, f)

    def unfollow(self, reading, seen) -> None:
        """7.19: flooded feeds and too much promotion; one-way unacknowledged ties go first."""
        p, rng = self.p, self.rng

        def boost(r: int, b: int, acked: bool) -> float:
            lonely = not acked and not self.follows(b, r)
            return p["one_way_unfollow_boost"] if lonely else 1.0

        home = [(a, it) for a, it, source in reading if source == HOME]
        going, tried = [], set()
        for a, it in home:  # flood: one chance per pair
            count, acked = seen[(a.index, it.index)]
            pair = (a.index, it.author)
            if count > a.p["flood_tolerance"] and pair not in tried:
                tried.add(pair)
                if rng.random() < p["unfollow_flood_prob"] * boost(*pair, acked):
                    going.append(pair)
        for a, it in home:  # too promotional: a chance per promotional item
            poster = self.accounts[it.author]
            if it.kind == PROMO and poster.promo_share > a.p["promo_tolerance"]:
                acked = seen[(a.index, it.index)][1]
                if rng.random() < p["unfollow_promo_prob"] * boost(a.index, it.author, acked):
                    going.append((a.index, it.author))
        for u, v in going:
            self.unfollow_edge(u, v)

    # ------------------------------------------------------------------ 7.21 closing
    def close_hour(self, first_new: int) -> None:
        new = self.items[first_new:]
        memory = self.p["profile_memory_posts"]
        mine: dict[int, list[Item]] = {}
        for it in new:
            self.accounts[it.author].count["posts"] += 1
            mine.setdefault(it.author, []).append(it)
            if it.target >= 0:
                self.pending.append(it)
                if it.form != MENTION and self.follows(it.target, it.author):
                    self.graph[it.target][it.author]["ack"] = True
        for author, items in mine.items():
            a = self.accounts[author]
            keep = (1.0 - 1.0 / memory) ** len(items)
            promo = np.mean([it.kind == PROMO and it.form != RETWEET for it in items])
            automated = np.mean([it.automated for it in items])
            a.promo_share = keep * a.promo_share + (1 - keep) * promo
            a.automated_share = keep * a.automated_share + (1 - keep) * automated
            a.has_posted = True
        ttl = self.p["notification_ttl_steps"]
        self.pending = [it for it in self.pending if it.step >= self.hour - ttl]
        self.first_item_of_hour.append(len(self.items))
