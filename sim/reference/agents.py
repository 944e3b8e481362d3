"""Reference engine, the accounts: one ``mesa.Agent`` per account, rules in plain Python.

Read this file next to docs/MODEL.md section 7: each method is one rule, written for one
account at a time. The fast engine (sim/) applies the same rules to all accounts at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.posting import DAY_CURVE, DAY_SCHEDULE, NIGHT_SCHEDULE, QUALITY_SD
from sim.posts import INFO, MENTION, ORIGINAL, PROMO

if TYPE_CHECKING:
    from sim.reference.model import ReferencePartyModel


@dataclass
class Item:
    """One published item (see sim/posts.py for the meaning of each field)."""

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
    orig: int = -1  # the item whose content this shows; itself unless a retweet
    orig_author: int = -1
    content: int = -1
    retweets: int = 0
    replies: int = 0


class Account(mesa.Agent):
    """An account: its parameters, rooms, time zone, profile and counters."""

    def __init__(self, model: ReferencePartyModel, index: int, fast) -> None:
        super().__init__(model)
        self.index = index
        self.p = {name: values[index].item() for name, values in fast.acct.items()}
        self.strategy = fast.strategy_names[fast.strategy_id[index]]
        self.tz = int(fast.tz[index])
        self.rooms = [int(r) for r in fast.interests[index] if r >= 0]
        self.content_cum = fast.content_cum[index]
        self.appetite = fast.appetite[index]
        self.policy = int(fast.follow_back[index])  # 0 auto, 1 screen, 2 never
        self.promo_share = float(fast.promo_share[index])
        self.automated_share = float(fast.automated_share[index])
        self.has_posted = bool(fast.has_posted[index])
        self.seen_upto = 0  # items older than this were there when I last read my feed
        self.feed_total = 0.0  # home items read over about a day
        self.last_original: Item | None = None
        self.audience_tz = self.tz
        self.count = dict.fromkeys(fast.count, 0)

    # ------------------------------------------------------------------ 7.2 online
    def is_online(self, hour_of_day: int) -> bool:
        local = (hour_of_day + self.tz) % 24
        p = min(self.p["activity_prob"] * DAY_CURVE[local], 1.0)
        return self.model.rng.random() < p

    # ------------------------------------------------------------------ 7.3-7.6 posting
    def post(self, online: bool) -> None:
        rng, m = self.model.rng, self.model
        n_own = rng.poisson(self.p["posts_per_hour"]) if online else 0
        for _ in range(n_own):
            self.publish_original(automated=False)
        for _ in range(self.scheduled_now()):
            self.publish_original(automated=True)
        if online and self.p["promo_mentions_per_hour"] > 0:
            for _ in range(rng.poisson(self.p["promo_mentions_per_hour"])):
                room = self.random_room()
                target = m.random_member(room)
                if target != self.index:
                    m.publish(
                        author=self.index,
                        form=MENTION,
                        kind=PROMO,
                        link=True,
                        quality=self.draw_quality(),
                        room=room,
                        target=target,
                    )

    def scheduled_now(self) -> int:
        k = int(self.p["scheduled_per_day"])
        if k == 0:
            return 0
        mode = self.p["schedule_at"]  # 0 own_day, 1 audience_day, 2 own_night
        hour_of_day = self.model.hour % 24
        if mode == 1 and (hour_of_day == 0 or not self.model.audience_ready):
            self.audience_tz = self.model.followers_common_tz(self.index, self.tz)
        reference = self.audience_tz if mode == 1 else self.tz
        table = NIGHT_SCHEDULE if mode == 2 else DAY_SCHEDULE
        return int(table[k, (hour_of_day + reference) % 24])

    def publish_original(self, automated: bool) -> None:
        rng, m = self.model.rng, self.model
        kind = int((rng.random() > self.content_cum[:-1]).sum())
        quality = self.draw_quality()
        link = kind == PROMO or (kind == INFO and rng.random() < self.p["link_prob"])
        room = self.random_room() if rng.random() < self.p["hashtag_prob"] else -1
        last = self.last_original
        content = None
        if rng.random() < self.p["repost_prob"] and last is not None:
            if last.step <= m.hour - 6:  # re-post the last item with new text
                kind, quality, link, content = last.kind, last.quality, last.link, last.content
        item = m.publish(
            author=self.index,
            form=ORIGINAL,
            kind=kind,
            quality=quality,
            link=link,
            room=room,
            target=-1,
            automated=automated,
            content=content,
        )
        self.last_original = item

    def draw_quality(self) -> float:
        q = self.p["quality_mean"] + self.model.rng.normal(0, QUALITY_SD)
        return float(min(max(q, 0.0), 1.0))

    def random_room(self) -> int:
        return self.rooms[int(self.model.rng.random() * len(self.rooms))]

    # ------------------------------------------------------------------ tastes
    def value_of(self, item: Item, addressed: bool, rt_notice: bool) -> float:
        """7.11: quality x appetite x relevance x personal boost."""
        m = self.model
        if rt_notice:
            return m.p["notice_value"] * (1.0 - m.accounts[item.author].promo_share)
        relevant = item.room < 0 or item.room in self.rooms
        value = item.quality * self.appetite[item.kind]
        value *= 1.0 if relevant else m.p["offtopic_relevance"]
        return value * (m.p["personal_boost"] if addressed else 1.0)

    def promo_excess(self, author: Account) -> float:
        """How far the author's promotional share exceeds what I tolerate, in [0, 1]."""
        tolerance = self.p["promo_tolerance"]
        over = author.promo_share - tolerance
        return float(np.clip(over / max(1.0 - tolerance, 1e-9), 0.0, 1.0))

    def trust(self, author: Account) -> float:
        """7.13: base + acknowledged + a person behind the posts - promotion."""
        m = self.model
        g = m.graph
        acked = g.has_edge(author.index, self.index) or (
            g.has_edge(self.index, author.index) and g[self.index][author.index]["ack"]
        )
        t = (
            m.p["trust_base"]
            + m.p["trust_ack"] * acked
            + m.p["trust_person"] * (1.0 - author.automated_share)
            - m.p["trust_promo_penalty"] * self.promo_excess(author)
        )
        return float(np.clip(t, 0.0, 1.0))

    def follows_back(self, follower: Account) -> bool:
        """7.17: auto always; screen if the newcomer posted, shares a room and is not more
        promotional than I tolerate; never."""
        if self.policy == 0:
            return True
        if self.policy == 2:
            return False
        shares_room = bool(set(self.rooms) & set(follower.rooms))
        return (
            follower.has_posted
            and shares_room
            and follower.promo_share <= self.p["promo_tolerance"]
        )
