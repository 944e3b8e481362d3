"""Reference engine, the accounts: one ``mesa.Agent`` per account, rules in plain Python.

Read this file next to docs/MODEL.md section 7: each method is one rule, written for one
account at a time. The fast engine (sim/) applies the same rules to all accounts at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.config.params import CONTENT_WEIGHTS
from sim.engine.posting import (
    DAY_CURVE,
    DAY_SCHEDULE,
    NIGHT_SCHEDULE,
    QUALITY_SD,
    REPOST_MIN_GAP_STEPS,
    curve_hour,
    day_curve,
    draw_absence,
    mean_one_lognormal,
    mean_online_share,
)
from sim.engine.posts import INFO, MENTION, ORIGINAL, PROMO, QUESTION, RETWEET, SOCIAL
from sim.engine.reporters import SUM_METRICS
from sim.reference.party import Item

if TYPE_CHECKING:
    from sim.reference.party import ReferenceParty


class Account(mesa.Agent):
    """An account: its parameters, rooms, time zone, profile and counters."""

    def __init__(
        self,
        model: ReferenceParty,
        index: int,
        *,
        strategy: str,
        params: dict,
        tz: int,
        rooms: list[int],
        policy: int,
    ) -> None:
        super().__init__(model)
        self.index = index
        self.traits = params  # my account parameters (choices as their index)
        self.strategy = strategy
        self.tz = tz
        self.rooms = rooms
        weights = [params[w] for w in CONTENT_WEIGHTS]
        total = sum(weights)
        weights = [w / total for w in weights] if total > 0 else [1.0, 0.0, 0.0, 0.0]
        self.content_cum = np.cumsum(weights)
        appetite = [params[f"{k}_appetite"] for k in ("social", "info", "promo", "social")]
        self.appetite = np.array(appetite)
        self.policy = policy  # 0 auto, 1 screen, 2 never
        # profile: as if I had been posting my habits for a while (MODEL.md 5.2)
        by_hand = params["posts_per_hour"] * params["activity_prob"] * 16
        scheduled = params["scheduled_per_day"]
        self.promo_share = weights[PROMO]
        self.automated_share = scheduled / (by_hand + scheduled) if by_hand + scheduled else 0.0
        self.has_posted = by_hand + scheduled > 0
        self.daily_items = by_hand + scheduled  # items a day, as my profile shows (7.21)
        self.seen_upto = 0  # items older than this were there when I last read my feed
        self.feed_total = 0.0  # home items read over about a day
        self.profile_tolerance = 0.0  # 7.16, set before each hour's reactions
        self.last_original: Item | None = None
        self.audience_tz = self.tz
        self.was_online = False  # online last hour (sessions)
        self.away_left = 0.0  # waking hours of my absence still to go (set in 5.5)
        self.session_intensity = 1.0  # x my posts_per_hour in this session (7.2)
        self.last_item_step = 0  # hour of my last item
        self.count = dict.fromkeys(SUM_METRICS, 0)
        self.join_hour = 0  # 7.30: the hour I sign up (0: there at the start)
        self.present = True  # signed up and not gone
        self.quits = False  # 7.30 leaving: once signed up, never comes back

    # ------------------------------------------------------------------ 7.2 online
    def is_online(self, hour: int) -> bool:
        """7.2: a session goes on with session_stay_prob; when it ends I stay away for a
        drawn time in waking hours (an hour counts b / b_day), then come back in an hour
        with chance b / b_peak; a new session draws its intensity."""
        if not self.present:  # 7.30: not signed up yet, or gone
            return False
        p, rng = self.model.params, self.model.rng
        act = self.traits["activity_prob"]
        local = int(curve_hour(hour, self.tz, p["weekend_shift"]))  # 7.2, the week
        base = min(act * day_curve(p["night_activity"])[local], 1.0)
        share = float(mean_online_share(act, p["night_activity"]))
        if self.was_online:
            if rng.random() < p["session_stay_prob"]:
                return True
            self.was_online = False
            self.away_left = self.draw_absence()
            return False
        self.away_left -= base / share if share > 0 else 0.0
        peak = min(act * DAY_CURVE.max(), 1.0)
        if self.away_left <= 0 and rng.random() * peak < base:
            self.was_online = True
            spread = p["session_intensity_spread"]
            self.session_intensity = float(mean_one_lognormal(rng, 1, spread)[0])
        return self.was_online

    def draw_absence(self) -> float:
        """7.2: how long (waking hours) I stay away after a session (Weibull, mean set by my
        share of hours online)."""
        p = self.model.params
        share = mean_online_share(self.traits["activity_prob"], p["night_activity"])
        return float(draw_absence(self.model.rng, share, p["session_stay_prob"], p["away_shape"]))

    # ------------------------------------------------------------------ 7.3-7.6 posting
    def post(self, online: bool) -> None:
        if not self.present:  # 7.30: nothing, not even scheduled, before signing up
            return
        rng, m = self.model.rng, self.model
        rate = self.traits["posts_per_hour"] * self.session_intensity
        n_own = rng.poisson(rate) if online else 0
        last = self.last_original  # re-posts re-use a post from before this hour
        for _ in range(n_own):
            self.publish_original(automated=False, last=last)
        for _ in range(self.scheduled_now()):
            self.publish_original(automated=True, last=last)
        if online and self.traits["promo_mentions_per_hour"] > 0:
            for _ in range(rng.poisson(self.traits["promo_mentions_per_hour"])):
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
        k = int(self.traits["scheduled_per_day"])
        if k == 0:
            return 0
        mode = self.traits["schedule_at"]  # 0 own_day, 1 audience_day, 2 own_night
        hour_of_day = self.model.hour % 24
        if mode == 1 and (hour_of_day == 0 or not self.model.audience_ready):
            self.audience_tz = self.model.followers_common_tz(self.index, self.tz)
        reference = self.audience_tz if mode == 1 else self.tz
        table = NIGHT_SCHEDULE if mode == 2 else DAY_SCHEDULE
        return int(table[k, (hour_of_day + reference) % 24])

    def publish_original(self, automated: bool, last: Item | None) -> None:
        """7.3, 7.5 and 7.27: a new post with its appeal; with repost_prob it re-uses the
        content (and appeal) of ``last``, my
        last original post before this hour, if that is at least 6 hours old."""
        rng, m = self.model.rng, self.model
        kind = int((rng.random() > self.content_cum[:-1]).sum())
        quality = self.draw_quality()
        link = kind == PROMO or (kind == INFO and rng.random() < self.traits["link_prob"])
        room = self.random_room() if rng.random() < self.traits["hashtag_prob"] else -1
        appeal = float(np.float32(mean_one_lognormal(rng, 1, m.params["appeal_spread"])[0]))
        content = None
        if rng.random() < self.traits["repost_prob"] and last is not None:
            if last.step <= m.hour - REPOST_MIN_GAP_STEPS:  # same content, new text
                kind, quality, link, content = last.kind, last.quality, last.link, last.content
                appeal = last.appeal
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
            appeal=appeal,
        )
        self.last_original = item

    def draw_quality(self) -> float:
        """My quality, plus noise, in [0, 1] (kept at single precision, like the fast
        engine's item store)."""
        q = self.traits["quality_mean"] + self.model.rng.normal(0, QUALITY_SD)
        return float(np.float32(min(max(q, 0.0), 1.0)))

    def random_room(self) -> int:
        return self.rooms[int(self.model.rng.random() * len(self.rooms))]

    # ------------------------------------------------------------------ tastes
    def is_rt_notice(self, item: Item) -> bool:
        """Is this the notice that someone retweeted my post?"""
        return item.form == RETWEET and item.orig_author == self.index

    def is_addressed(self, item: Item) -> bool:
        """Is this a reply, mention or thanks addressed to me?"""
        return item.target == self.index and not self.is_rt_notice(item)

    def value_of(self, item: Item) -> float:
        """7.11: quality x appetite x relevance x personal boost (or, for a stranger's
        social post, the stranger discount); the notice of a retweet of
        my post is worth notice_value x (1 - the retweeter's promotional share)."""
        m = self.model
        if self.is_rt_notice(item):
            return m.params["notice_value"] * (1.0 - m.accounts[item.author].promo_share)
        relevant = item.room < 0 or item.room in self.rooms
        value = item.quality * self.appetite[item.kind]
        value *= 1.0 if relevant else m.params["offtopic_relevance"]
        if self.is_addressed(item):
            return value * m.params["personal_boost"]
        o = item.orig_author
        if item.kind == SOCIAL and not m.follows(self.index, o):
            value *= m.params["stranger_social_value"]  # a stranger's self-talk
        elif item.kind == SOCIAL:  # a followee's: less if we have no relationship
            related = m.follows(o, self.index) or m.graph[self.index][o]["ack"]
            value *= 1.0 if related else m.params["one_way_social_value"]
        return value

    def promo_excess(self, author: Account) -> float:
        """How far the author's promotional share exceeds what I tolerate, in [0, 1]."""
        tolerance = self.traits["promo_tolerance"]
        over = author.promo_share - tolerance
        return float(np.clip(over / max(1.0 - tolerance, 1e-9), 0.0, 1.0))

    def update_profile_tolerance(self) -> None:
        """7.16: my flood tolerance in a candidate's items *posted* a day: my followees offer
        their items a day, I have read feed_total home items a day of them (scaled up while
        the running count fills since the start), a share s (at most 1; 1 before I read
        anything at home); a candidate posting r a day would bring s x r read, too many when
        r > tolerance / s. Set for every account before the hour's reactions."""
        m = self.model
        offered = sum(m.accounts[c].daily_items for c in m.graph.successors(self.index))
        decay = float(np.exp(-1.0 / m.params["flood_memory_steps"]))
        read = self.feed_total / (1.0 - decay ** (m.hour + 1))
        share = min(1.0, read / max(offered, 1e-12)) if read > 0 else 1.0
        self.profile_tolerance = self.traits["flood_tolerance"] / share

    def flood_excess(self, author: Account) -> float:
        """The share of the author's items a day beyond what I tolerate from one followee,
        in [0, 1) (:meth:`update_profile_tolerance`)."""
        rate = max(author.daily_items, 1e-12)
        return max(1.0 - self.profile_tolerance / rate, 0.0)

    def trust(self, author: Account) -> float:
        """7.13: base + acknowledged + a person behind the posts - promotion."""
        m = self.model
        g = m.graph
        acked = g.has_edge(author.index, self.index) or (
            g.has_edge(self.index, author.index) and g[self.index][author.index]["ack"]
        )
        t = (
            m.params["trust_base"]
            + m.params["trust_ack"] * acked
            + m.params["trust_person"] * (1.0 - author.automated_share)
            - m.params["trust_promo_penalty"] * self.promo_excess(author)
        )
        return float(np.clip(t, 0.0, 1.0))

    def follows_back(self, follower: Account) -> bool:
        """7.17: never with more than follow_back_max_followers followers; else auto always;
        screen if the newcomer posted, shares a room and is not more
        promotional than I tolerate; never."""
        if self.model.graph.in_degree(self.index) > self.model.params["follow_back_max_followers"]:
            return False  # too many followers to look at every newcomer
        if self.policy == 0:
            return True
        if self.policy == 2:
            return False
        shares_room = bool(set(self.rooms) & set(follower.rooms))
        return (
            follower.has_posted
            and shares_room
            and follower.promo_share <= self.traits["promo_tolerance"]
        )

    # ------------------------------------------------------------------ 7.11-7.16 reacting
    def react(self, item: Item) -> Reaction:
        """My reactions to one item I read this hour (7.12-7.16), decided on the state
        before anything I or others do this hour; the model applies them rule by rule."""
        m, p, rng = self.model, self.model.params, self.model.rng
        rt_notice, addressed = self.is_rt_notice(item), self.is_addressed(item)
        value = self.value_of(item)
        o = item.orig_author  # whose content this is
        r = Reaction(reader=self.index, item=item, value=value, rt_notice=rt_notice)
        # 7.13 clicks: a link, click_base_prob x value x trust in the content's author
        if item.link and o != self.index:
            trust = self.trust(m.accounts[o])
            r.click = rng.random() < p["click_base_prob"] * value * trust
        # 7.14 retweets: posts and retweets of others; more if I know (and they know) them
        if item.form in (ORIGINAL, RETWEET) and o != self.index:
            knows = m.follows(self.index, o)
            acquainted = knows and m.graph[self.index][o]["ack"]
            prob = (
                p["retweet_base_prob"]
                * value
                * self.traits["retweet_propensity"]
                * (p["know_retweet_boost"] if knows else 1.0)
                * (p["acquainted_retweet_boost"] if acquainted else 1.0)
                * (p["link_retweet_boost"] if item.link else 1.0)
                * (item.appeal if knows else min(item.appeal, p["stranger_appeal_cap"]))  # 7.27
            )
            r.retweet = rng.random() < min(prob, 1.0)
        # 7.15 replies (questions draw more) and thanks for a retweet of my post
        if not rt_notice and o != self.index:
            question = item.kind == QUESTION and item.form == ORIGINAL
            boost = p["question_reply_boost"] if question else 1.0
            prob = p["reply_base_prob"] * value * self.traits["reply_propensity"] * boost
            r.reply = rng.random() < min(prob, 1.0)
        if rt_notice:
            r.thank = rng.random() < self.traits["thank_prob"]
        # 7.16 following the content's author (or whoever retweeted my post)
        c = item.author if rt_notice else o
        if (
            c != self.index
            and self.traits["follow_propensity"] > 0
            and not m.follows(self.index, c)
            and not m.blocked_either(self.index, c)
        ):
            prob = self.follow_probability(m.accounts[c], value, addressed or rt_notice)
            if rng.random() < prob:
                r.follow = c
        return r

    def follow_probability(self, c: Account, value: float, noticed: bool) -> float:
        """7.16: follow_base_prob x value x propensity x saturation x profile check (how
        promotional, how often the candidate posts)."""
        m, p = self.model, self.model.params
        saturation = 1.0 / (1.0 + m.graph.out_degree(self.index) / p["follow_saturation"])
        profile = (1.0 - p["profile_promo_penalty"] * self.promo_excess(c)) * (
            1.0 - p["profile_flood_penalty"] * self.flood_excess(c)
        )
        prob = (
            p["follow_base_prob"]
            * value
            * self.traits["follow_propensity"]
            * saturation
            * profile
            * (p["notice_follow_boost"] if noticed else 1.0)
        )
        return min(prob, 1.0)


@dataclass
class Reaction:
    """What one reader decided about one item it read."""

    reader: int
    item: Item
    value: float
    rt_notice: bool
    click: bool = False
    retweet: bool = False
    reply: bool = False
    thank: bool = False
    follow: int = -1  # the account to follow, or -1
