"""Reference engine, the party: a plain per-agent implementation of docs/MODEL.md.

It exists to be read (each rule in a few lines of ordinary Python), to check the fast engine
(tests/test_reference.py compares them), and as the speed baseline. It builds its own
party (population, rooms, time zones, initial ties: sim/reference/population.py) with its own
random generator, and computes every hour one account and one item at a time.
``from_fast`` copies a fast model's state instead, for the exact comparisons. The follower graph is a
``networkx.DiGraph``: an edge u -> v means u follows v.
"""

from __future__ import annotations

import math

import mesa
import networkx as nx
import numpy as np

from sim.config.scenarios import load
from sim.engine import reasons as rs
from sim.engine.model import PartyModel
from sim.engine.posts import (
    ADDRESSED_FORMS,
    MENTION,
    ORIGINAL,
    PROMO,
    REPLY,
    RETWEET,
    SOCIAL,
    THANKS,
)
from sim.reference import everyday, population
from sim.reference.agents import Account
from sim.reference.party import Item, ReferenceParty
from sim.reference.population import build_party
from sim.reference.ranking import RECOMMENDED, ranked_home_feed

HOME, NOTIFICATION, ROOM = "home", "notification", "room"


class ReferencePartyModel(ReferenceParty):
    """The party, one account at a time. Same arguments as :class:`sim.PartyModel`."""

    def __init__(self, scenario="default", *, seed: int | None = None, **overrides) -> None:
        spec = load(scenario).with_overrides(overrides) if overrides else load(scenario)
        seed = spec.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        self.init_state(spec, seed)
        build_party(self)  # docs/MODEL.md section 5, in sim/reference/population.py
        self.followers_at_start = [self.graph.in_degree(i) for i in range(self.n)]

    @classmethod
    def from_fast(cls, fast: PartyModel) -> ReferencePartyModel:
        """A reference model in exactly the state a fast model has reached (for the exact
        equivalence tests): the same accounts, rooms and time zones, ties with their state,
        blocks, items, profiles, counters, pending notifications and follow notices."""
        ref = cls.__new__(cls)
        mesa.Model.__init__(ref, rng=fast.seed)
        ref.init_state(fast.spec, fast.seed)
        ref.accounts = [
            Account(
                ref,
                i,
                strategy=fast.strategy_names[fast.strategy_id[i]],
                params={name: values[i].item() for name, values in fast.acct.items()},
                tz=int(fast.tz[i]),
                rooms=[int(r) for r in fast.interests[i] if r >= 0],
                policy=int(fast.follow_back[i]),
            )
            for i in range(fast.n)
        ]
        ref.steps = fast.steps
        cols = {name: fast.posts[name].tolist() for name in fast.posts.cols}
        ref.items = [
            Item(
                index=i,
                **{k: cols[k][i] for k in Item.__dataclass_fields__ if k != "index"},
            )
            for i in range(len(fast.posts))
        ]
        ref.first_item_of_hour = list(fast.posts._step_start)
        ref.graph = nx.DiGraph()
        ref.graph.add_nodes_from(range(ref.n))
        f = fast.follows
        attrs = {name: values.tolist() for name, values in f.attrs.items()}
        for i, (u, v) in enumerate(zip(f.src.tolist(), f.dst.tolist(), strict=True)):
            ref.graph.add_edge(u, v, **{name: values[i] for name, values in attrs.items()})
        ref.followers_at_start = fast.followers_at_start.tolist()
        ref.blocks = set(zip(fast.blocks.src.tolist(), fast.blocks.dst.tolist(), strict=True))
        ref.blast_counts = {(k // ref.n, k % ref.n): c for k, c in fast.blast_counts.items()}
        shift = int(fast.retweeted.SHIFT)
        ref.retweeted = {(k // shift, k % shift) for k in fast.retweeted.keys.tolist()}
        ref.pending = [ref.items[i] for i in fast.pending_notifications.tolist()]
        ref.follow_notices = [
            (u, v) for block in fast.follow_notices for u, v in block[:2].T.tolist()
        ]
        ref.audience_ready = fast.audience_tz is not None
        for i, a in enumerate(ref.accounts):
            a.promo_share = float(fast.promo_share[i])
            a.automated_share = float(fast.automated_share[i])
            a.has_posted = bool(fast.has_posted[i])
            a.daily_items = float(fast.daily_items[i])
            a.seen_upto = int(fast.seen_upto[i])
            a.feed_total = float(fast.feed_total[i])
            a.profile_tolerance = float(fast.profile_tolerance[i])
            a.was_online = bool(fast.was_online[i])
            a.away_left = float(fast.away_left[i])
            a.session_intensity = float(fast.session_intensity[i])
            a.last_item_step = int(fast.last_item_step[i])
            a.join_hour, a.present = int(fast.join_hour[i]), bool(fast.present[i])
            a.quits = bool(fast.quits[i])
            last = int(fast.last_original[i])
            a.last_original = ref.items[last] if last >= 0 else None
            a.count = {k: int(v[i]) for k, v in fast.count.items()}
        if fast.audience_tz is not None:
            for i, tz in zip(fast.schedulers.tolist(), fast.audience_tz.tolist(), strict=True):
                ref.accounts[i].audience_tz = int(tz)
        population.index_rooms(ref)
        ref.events = {name: fast.events.count(k) for k, name in enumerate(rs.EVENT_NAMES)}
        ref.reasons = fast.events.reason_counts()
        ref.index_recent_items()
        return ref

    def summary(self) -> dict:
        """The same structure as :func:`sim.analysis.metrics.summary` (see sim.reference.summary)."""
        from sim.reference import summary

        return summary(self)

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """One hour, in the order of docs/MODEL.md section 3."""
        first_new = len(self.items)
        self.join()  # 7.30
        online = [a for a in self.accounts if a.is_online(self.hour)]  # 7.2
        online_ids = {a.index for a in online}
        for a in self.accounts:  # 7.3-7.6
            a.post(a.index in online_ids)
        self.audience_ready = True
        self.index_recent_items()
        reading = [(a, item, source) for a in online for item, source in self.read(a)]
        self.record_feed_shares(reading)  # 7.18
        seen = {  # the follow edge to the poster as it was when read (for 7.19)
            (a.index, item.index): self.edge_state(a.index, item.author)
            for a, item, source in reading
            if source == HOME
        }
        decisions = self.react(reading)  # 7.12-7.16, 7.20
        everyday.update_worth(self, reading, decisions)  # 7.22
        self.follow_back(online_ids)  # 7.17
        everyday.suggest(self, online)  # 7.24
        self.unfollow(reading, seen)  # 7.19
        everyday.everyday_unfollow(self, online)  # 7.23
        self.close_hour(first_new)  # 7.21

    def join(self) -> None:
        """7.30: the accounts whose sign-up hour this is arrive, in their rooms, and follow
        part of the suggested list."""
        if self.hour < 1:
            return
        new = [a for a in self.accounts if a.join_hour == self.hour]
        for a in new:
            a.present = not a.quits  # 7.30 leaving: the others follow and go
        if any(a.present for a in new):
            population.index_rooms(self)
        for a in new:
            population.signup_follows(self, a)

    def run(self, steps: int | None = None) -> ReferencePartyModel:
        for _ in range(self.spec.steps if steps is None else steps):
            self.step()
        return self

    # ------------------------------------------------------------------ helpers
    # ------------------------------------------------------------------ 7.7-7.10 reading
    def index_recent_items(self) -> None:
        """This hour's look-ups: items in the feed window by author, and original posts in
        the browsing window by room."""
        lo = self.first_item_since(self.hour - self.params["feed_window_steps"] + 1)
        self.window: dict[int, list[Item]] = {}
        for it in self.items[lo:]:
            self.window.setdefault(it.author, []).append(it)
        lo = self.first_item_since(self.hour - self.params["browse_window_steps"] + 1)
        self.room_posts: dict[int, list[Item]] = {}
        for it in self.items[lo:]:
            if it.room >= 0 and it.form == ORIGINAL:
                self.room_posts.setdefault(it.room, []).append(it)

    def read(self, a: Account) -> list[tuple[Item, str]]:
        """7.8: notifications first, then the home feed, then b items from one room."""
        attention = int(a.traits["attention"])
        notes = self.deliver_notifications(a)
        browse_n = math.floor(attention * a.traits["browse_share"] + self.rng.random())
        home_budget = max(attention - len(notes) - browse_n, 0)
        if self.params["feed"] == "chronological":
            home, picked = self.home_feed(a, home_budget), []
        else:  # ranked feeds: sim/reference/ranking.py
            home, picked = ranked_home_feed(self, a, home_budget, self.home_candidates(a))
        room = self.browse_room(a, min(browse_n, attention - len(notes)))
        a.seen_upto = len(self.items)
        return (
            [(it, NOTIFICATION) for it in notes]
            + [(it, HOME) for it in home]
            + [(it, ROOM) for it in room]
            + [(it, RECOMMENDED) for it in picked]
        )

    def deliver_notifications(self, a: Account) -> list[Item]:
        """7.7: my pending notifications, oldest first, at most my attention; the rest of
        mine are dropped, other people's wait (or expire)."""
        mine = [it for it in self.pending if it.target == a.index]
        self.pending = [it for it in self.pending if it.target != a.index]
        delivered = mine[: int(a.traits["attention"])]
        return [it for it in delivered if (a.index, it.author) not in self.blocks]

    def home_feed(self, a: Account, budget: int) -> list[Item]:
        """7.9: the candidates, read newest first within the budget."""
        return self.newest_first(self.home_candidates(a), budget)

    def home_candidates(self, a: Account) -> list[Item]:
        """7.9: followees' items since I last read my feed (within the feed window), none from
        a followee I muted (7.28); a conversation only if I follow both people and it is not
        addressed to me; no retweet of my own post or of an author I blocked; one item per
        content."""
        candidates, shown = [], set()
        for f in sorted(self.graph.successors(a.index)):
            if self.graph[a.index][f].get("muted"):
                continue
            for it in self.window.get(f, ()):
                if it.index < a.seen_upto:
                    continue
                if it.form in ADDRESSED_FORMS and (
                    it.target == a.index or not self.follows(a.index, it.target)
                ):
                    continue
                if it.form == RETWEET and (
                    it.orig_author == a.index or (a.index, it.orig_author) in self.blocks
                ):
                    continue
                if it.form == RETWEET or it.retweets > 0:  # a post and its retweets meet
                    if it.orig in shown:
                        continue
                    shown.add(it.orig)
                candidates.append(it)
        return candidates

    def newest_first(self, candidates: list[Item], budget: int) -> list[Item]:
        """7.9: whole hours newest first; of the hour where the budget runs out, as many as
        the budget has left, a uniformly random subset."""
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
                draws = [self.rng.random() for _ in group]
                read += [
                    it
                    for _, _, it in sorted(zip(draws, range(len(group)), group, strict=True))[:left]
                ]
                break
        return read

    def browse_room(self, a: Account, n: int) -> list[Item]:
        """7.10: n random recent originals tagged in one of my rooms (with replacement,
        repeats read once), not mine or my followees', not from accounts I blocked."""
        pool = self.room_posts.get(a.random_room(), [])
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
        decay = math.exp(-1.0 / self.params["flood_memory_steps"])
        for _, _, data in self.graph.edges(data=True):
            data["seen"] *= decay
        for a in self.accounts:
            a.feed_total *= decay
        for a, item, source in reading:
            if source == HOME:
                self.graph[a.index][item.author]["seen"] += 1.0
                a.feed_total += 1.0

    # ------------------------------------------------------------------ 7.11-7.20 reacting
    def react(self, reading) -> list:
        """7.12-7.16 and 7.20 for every item read. Each reader decides on the state before
        this hour's reactions (``Account.react``); the decisions are then applied rule by
        rule; retweets, replies and thanks are published at the end, readable next hour."""
        for a in self.accounts:  # 7.16's profile check, on the state before the reactions
            a.update_profile_tolerance()
        decisions = [a.react(it) for a, it, _ in reading]
        new: list[dict] = []
        for d in decisions:  # 7.12 impressions, for the content's author
            if not d.rt_notice:
                self.accounts[d.item.orig_author].count["impressions"] += 1
                d.item.reads += 1
        for d in decisions:  # 7.13 clicks
            if d.click:
                self.accounts[d.item.orig_author].count["clicks"] += 1
        for d in decisions:  # 7.14 retweets: the original's content, notifying its author
            if d.retweet and (d.reader, d.item.orig) not in self.retweeted:  # once per post
                self.retweeted.add((d.reader, d.item.orig))
                it, o = d.item, d.item.orig_author
                self.items[it.orig].retweets += 1
                self.accounts[o].count["retweets_received"] += 1
                new.append(
                    dict(
                        author=d.reader,
                        form=RETWEET,
                        kind=it.kind,
                        quality=it.quality,
                        appeal=it.appeal,
                        link=it.link,
                        room=it.room,
                        target=o,
                        orig=it.orig,
                        parent=it.index,
                        orig_author=o,
                        content=it.content,
                    )
                )
        for d in decisions:  # 7.15 replies: social, to the content's author, in its room
            if d.reply:
                d.item.replies += 1
                self.accounts[d.item.orig_author].count["replies_received"] += 1
                new.append(
                    dict(
                        author=d.reader,
                        form=REPLY,
                        kind=SOCIAL,
                        link=False,
                        quality=self.accounts[d.reader].draw_quality(),
                        room=d.item.room,
                        target=d.item.orig_author,
                    )
                )
        for d in decisions:  # 7.15 thanks, to the retweeter
            if d.thank:
                new.append(
                    dict(
                        author=d.reader,
                        form=THANKS,
                        kind=SOCIAL,
                        link=False,
                        quality=self.accounts[d.reader].draw_quality(),
                        room=-1,
                        target=d.item.author,
                    )
                )
        for d, (_, it, source) in zip(decisions, reading, strict=True):  # 7.16 follows
            if d.follow >= 0:
                if d.item.target == d.reader or d.rt_notice:
                    reason = rs.FOLLOW_NOTICE
                elif it.form == RETWEET:
                    reason = rs.FOLLOW_RETWEET
                else:
                    reason = rs.FOLLOW_ROOM if source == ROOM else rs.FOLLOW_FEED
                self.follow(d.reader, d.follow, reason)
        for a, it, _ in reading:  # 7.20 blocks
            if (
                a.is_addressed(it)
                and it.form == MENTION
                and it.kind == PROMO
                and not self.follows(a.index, it.author)
            ):
                key = (a.index, it.author)
                self.blast_counts[key] = self.blast_counts.get(key, 0) + 1
                if self.blast_counts[key] >= a.traits["block_tolerance"]:
                    self.block(a.index, it.author, rs.BLOCK_MENTIONS)
        for fields in new:
            self.publish(**fields)
        return decisions

    # ------------------------------------------------------------------ ties
    def follow_back(self, online_ids: set[int]) -> None:
        """7.17: online accounts look at new followers; the others' notices wait."""
        waiting, now = [], []
        for f, e in self.follow_notices:
            (now if e in online_ids else waiting).append((f, e))
        self.follow_notices = waiting
        for f, e in now:
            if self.follows(f, e) and self.accounts[e].follows_back(self.accounts[f]):
                auto = self.accounts[e].policy == 0
                self.follow(e, f, rs.FOLLOW_BACK_AUTO if auto else rs.FOLLOW_BACK_SCREEN)

    def unfollow(self, reading, seen) -> None:
        """7.19: flooded feeds and too much promotion; one-way unacknowledged ties go first."""
        p, rng = self.params, self.rng

        def boost(r: int, b: int, acked: bool) -> float:
            """Relationships (7.19) x the reader's pruning propensity (7.26)."""
            relationships = int(acked) + int(self.follows(b, r))
            pruning = self.accounts[r].traits["pruning_propensity"]
            return p["one_way_unfollow_boost"] ** (1 - relationships) * pruning

        home = [(a, it) for a, it, source in reading if source == HOME]
        going, tried = [], set()
        for a, it in home:  # flood: one chance per pair
            count, acked = seen[(a.index, it.index)]
            pair = (a.index, it.author)
            if count > a.traits["flood_tolerance"] and pair not in tried:
                tried.add(pair)
                if rng.random() < p["unfollow_flood_prob"] * boost(*pair, acked):
                    going.append((*pair, rs.UNFOLLOW_FLOOD))
        for a, it in home:  # too promotional: a chance per promotional item
            poster = self.accounts[it.author]
            if it.kind == PROMO and poster.promo_share > a.traits["promo_tolerance"]:
                acked = seen[(a.index, it.index)][1]
                if rng.random() < p["unfollow_promo_prob"] * boost(a.index, it.author, acked):
                    going.append((a.index, it.author, rs.UNFOLLOW_PROMO))
        for u, v, reason in going:
            self.unfollow_edge(u, v, reason)

    # ------------------------------------------------------------------ 7.21 closing
    def close_hour(self, first_new: int) -> None:
        new = self.items[first_new:]
        memory = self.params["profile_memory_posts"]
        decay = math.exp(-1.0 / self.params["flood_memory_steps"])
        for a in self.accounts:  # items a day, as the profile shows them
            a.daily_items *= decay
        mine: dict[int, list[Item]] = {}
        for it in new:
            self.accounts[it.author].count["posts"] += 1
            self.accounts[it.author].last_item_step = self.hour
            mine.setdefault(it.author, []).append(it)
            if it.target >= 0:
                self.pending.append(it)
                if it.form != MENTION and self.follows(it.target, it.author):
                    self.graph[it.target][it.author]["ack"] = True
        for author, items in mine.items():
            a = self.accounts[author]
            a.daily_items += len(items)
            keep = (1.0 - 1.0 / memory) ** len(items)
            promo = np.mean([it.kind == PROMO and it.form != RETWEET for it in items])
            automated = np.mean([it.automated for it in items])
            a.promo_share = keep * a.promo_share + (1 - keep) * promo
            a.automated_share = keep * a.automated_share + (1 - keep) * automated
            a.has_posted = True
        ttl = self.params["notification_ttl_steps"]
        self.pending = [it for it in self.pending if it.step >= self.hour - ttl]
        self.first_item_of_hour.append(len(self.items))
