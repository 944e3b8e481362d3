"""The parameter registry: every parameter of the model is declared here, once.

Each :class:`Param` has a name, a default, an allowed range (or choices), a unit and a help
text. The scenario loader, the command line (``--set``), the sweep runner, the app's widgets
and docs/MODEL.md all read these declarations; nothing else holds a default.

Two scopes:

- ``model``: one value for the whole party (reaction rates, feed window, rooms...).
- ``account``: one value per population group; a strategy preset sets some of them, a group in
  a scenario file may override any of them.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, Literal

Scope = Literal["model", "account"]


class ParamError(ValueError):
    """A parameter name or value that the registry does not accept."""


@dataclass(frozen=True)
class Param:
    """One declared parameter: its default, allowed range, unit and meaning."""

    name: str
    default: float | int | str
    low: float | None
    high: float | None
    unit: str
    help: str
    scope: Scope
    section: str
    choices: tuple[str, ...] | None = None

    @property
    def kind(self) -> type:
        """The Python type of the value (float, int or str)."""
        return type(self.default)

    def describe_range(self) -> str:
        """The allowed values in words, for error messages and docs."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        kind = "an integer" if self.kind is int else "a number"
        return f"{kind} from {self.low:g} to {self.high:g}"

    def coerce(self, value: Any, where: str = "") -> float | int | str:
        """Return ``value`` checked against type and range, or raise :class:`ParamError`.

        ``where`` names the source (a file, ``--set``) for the message.
        """
        prefix = f"{where}: " if where else ""
        what = f"{prefix}'{self.name}' must be {self.describe_range()}"
        if self.choices:
            if not isinstance(value, str) or value not in self.choices:
                raise ParamError(f"{what} (got {shown(value)})")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParamError(f"{what} (got {shown(value)}, a {type(value).__name__})")
        # NaN, inf and integers beyond a float's range are out of every range
        if isinstance(value, float) and not math.isfinite(value):
            raise ParamError(f"{what} {self.unit_note()}(got {shown(value)})")
        if not (self.low <= value <= self.high):
            raise ParamError(f"{what} {self.unit_note()}(got {shown(value)})")
        if self.kind is int:
            if value != int(value):
                raise ParamError(f"{what} (got {shown(value)})")
            return int(value)
        return float(value)

    def unit_note(self) -> str:
        return f"[{self.unit}] " if self.unit else ""


_M, _A = "model", "account"
FEED_CHOICES = ("chronological", "engagement", "for_you")

MODEL_PARAMS: dict[str, Param] = {
    p.name: p
    for p in [
        # --- rooms and the initial network
        Param(
            name="n_rooms",
            default=12,
            low=1,
            high=64,
            unit="rooms",
            help="Number of hashtag rooms at the party.",
            scope=_M,
            section="Rooms",
        ),
        Param(
            name="room_popularity_exponent",
            default=1.0,
            low=0.0,
            high=3.0,
            unit="Zipf exponent",
            help="How uneven room popularity is: interest in room k is proportional to 1/k^exponent.",
            scope=_M,
            section="Rooms",
        ),
        Param(
            name="init_room_prob",
            default=0.7,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Share of the initial follow ties made inside a room the follower is interested in.",
            scope=_M,
            section="Initial network",
        ),
        Param(
            name="popularity_tail",
            default=1.3,
            low=1.05,
            high=5.0,
            unit="Pareto shape",
            help="Tail of the initial attractiveness of accounts (smaller = a few stars attract "
            "most initial follows).",
            scope=_M,
            section="Initial network",
        ),
        Param(
            name="init_fof_share",
            default=0.0,
            low=0.0,
            high=1.0,
            unit="share of ties",
            help="Share of the initial follow ties found through the account's other initial "
            "ties, a followee's followee (friends of friends); the rest are met as above.",
            scope=_M,
            section="Initial network",
        ),
        Param(
            name="join_window_steps",
            default=168,
            low=1,
            high=100_000,
            unit="hours",
            help="Accounts that join during the run (an account's join_prob) sign up at an hour "
            "drawn uniformly from 1 to this many hours.",
            scope=_M,
            section="Initial network",
        ),
        Param(
            name="individual_spread",
            default=0.35,
            low=0.0,
            high=2.0,
            unit="lognormal sd",
            help="Accounts of a group differ: their quality, activity, appetites and tolerances are "
            "the group's value times a lognormal factor with this spread (clipped to range).",
            scope=_M,
            section="Population",
        ),
        # --- feeds and attention
        Param(
            name="feed_window_steps",
            default=48,
            low=1,
            high=168,
            unit="hours",
            help="How far back the home feed reaches: a reader back after a while catches up on what "
            "is new since its last visit, newest first, but never older than this.",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="browse_window_steps",
            default=3,
            low=1,
            high=24,
            unit="hours",
            help="Room browsing shows the posts tagged in the room during the last this many hours.",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="notification_ttl_steps",
            default=24,
            low=1,
            high=168,
            unit="hours",
            help="Unread notifications older than this are lost.",
            scope=_M,
            section="Feed",
        ),
        # --- ranked feeds (sim/engine/ranking.py, docs/FEEDS.md)
        Param(
            name="feed",
            default="chronological",
            low=None,
            high=None,
            unit="",
            help="How the home feed is ordered: chronological (followees' new items, newest "
            "first), engagement (followees' new items ranked by predicted engagement) or "
            "for_you (engagement ranking over followees' items plus out-of-network picks).",
            scope=_M,
            section="Feed",
            choices=FEED_CHOICES,
        ),
        Param(
            name="ranking_half_life_steps",
            default=6.0,
            low=0.5,
            high=48.0,
            unit="hours",
            help="Ranked feeds: an item's score halves with every this many hours of age.",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="ranking_engagement_weight",
            default=1.0,
            low=0.0,
            high=10.0,
            unit="x",
            help="Ranked feeds: weight of the item's engagement so far (retweets + replies "
            "of its content), score x (1 + weight x ln(1 + engagement)).",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="ranking_affinity_weight",
            default=1.0,
            low=0.0,
            high=10.0,
            unit="x",
            help="Ranked feeds: weight of the reader's past interactions with the content's "
            "author (replies, retweets, mentions, thanks), score x (1 + weight x ln(1 + n)).",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="ranking_memory_steps",
            default=72,
            low=1,
            high=336,
            unit="hours",
            help="Ranked feeds: how far back the reader's interactions with an author count.",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="for_you_out_of_network_share",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="share of home reads",
            help="For You: share of the home-feed slots given to the best out-of-network "
            "items (Twitter 2023: about half); unused slots go to the other side.",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="for_you_room_candidates",
            default=5,
            low=0,
            high=50,
            unit="items per room",
            help="For You: the most engaged new posts of each of the reader's rooms that are "
            "candidates (beside items the reader's followees engaged with).",
            scope=_M,
            section="Feed",
        ),
        Param(
            name="author_diversity_decay",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="factor",
            help="For You: each further item by the same author in one visit has its score "
            "multiplied by this again (1 = no author-diversity heuristic).",
            scope=_M,
            section="Feed",
        ),
        # --- reactions (one rule set for every reader)
        Param(
            name="retweet_base_prob",
            default=0.012,
            low=0.0,
            high=1.0,
            unit="probability per item",
            help="Chance of retweeting an item of value 1, before the reader's propensity.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="reply_base_prob",
            default=0.025,
            low=0.0,
            high=1.0,
            unit="probability per item",
            help="Chance of replying to an item of value 1, before the reader's propensity.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="follow_base_prob",
            default=0.03,
            low=0.0,
            high=1.0,
            unit="probability per item",
            help="Chance of following the author of an item of value 1 that one does not follow yet.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="click_base_prob",
            default=0.08,
            low=0.0,
            high=1.0,
            unit="probability per item",
            help="Chance of clicking the link of an item of value 1 from a fully trusted author.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="question_reply_boost",
            default=4.0,
            low=1.0,
            high=20.0,
            unit="x",
            help="Questions draw this many times more replies than other posts.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="personal_boost",
            default=3.0,
            low=1.0,
            high=20.0,
            unit="x",
            help="Value multiplier of an item addressed to the reader (a reply or mention of them).",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="know_retweet_boost",
            default=3.0,
            low=1.0,
            high=20.0,
            unit="x",
            help="People retweet those they know: multiplier when the reader follows the author.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="link_retweet_boost",
            default=1.5,
            low=1.0,
            high=10.0,
            unit="x",
            help="Retweet multiplier for an item carrying a link: something to pass on "
            "(Suh et al. 2010: tweets with URLs are retweeted about 1.5x as often).",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="acquainted_retweet_boost",
            default=2.0,
            low=1.0,
            high=20.0,
            unit="x",
            help="Extra retweet multiplier when the author has acknowledged the reader before "
            "(replied to, thanked or retweeted them): a relationship, not just a follow.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="notice_follow_boost",
            default=6.0,
            low=1.0,
            high=50.0,
            unit="x",
            help="Follow-probability multiplier when the author addressed the reader (reply, mention, "
            "retweet of the reader's post): replying is how you get noticed.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="notice_value",
            default=0.8,
            low=0.0,
            high=1.0,
            unit="value",
            help="Value of seeing that someone retweeted one's own post.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="offtopic_relevance",
            default=0.3,
            low=0.0,
            high=1.0,
            unit="value factor",
            help="Relevance of an item tagged with a room outside the reader's interests.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="stranger_social_value",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="value factor",
            help="Value of a social post (self-talk) from an account the reader does not follow, "
            "relative to the same post from a followee: chat about someone's day interests "
            "those who know them. Information, questions and promotion are not discounted.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="one_way_social_value",
            default=0.7,
            low=0.0,
            high=1.0,
            unit="value factor",
            help="Value of a followee's social post (self-talk) to a reader with no relationship to "
            "them (the followee neither follows the reader back nor ever acknowledged them), "
            "relative to a friend's: one follows an acquaintance's chat less for its own sake.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="follow_saturation",
            default=150,
            low=1,
            high=5000,
            unit="accounts",
            help="Willingness to follow more accounts halves when one already follows this many.",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="profile_promo_penalty",
            default=1.0,
            low=0.0,
            high=1.0,
            unit="factor",
            help="Before following, readers glance at the profile: follow chance is multiplied by "
            "1 - penalty x how far the author's promotional share exceeds the reader's "
            "promo_tolerance (as a fraction of the room left above it).",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="profile_flood_penalty",
            default=1.0,
            low=0.0,
            high=1.0,
            unit="factor",
            help="The profile also shows how often the author posts: follow chance is "
            "multiplied by 1 - penalty x the share of the author's recent items a day beyond "
            "what the reader would tolerate, its flood_tolerance divided by the share of its "
            "feed it reads (0 when within it). An assumption (docs/MODEL.md 7.16).",
            scope=_M,
            section="Reactions",
        ),
        # --- trust and clicks
        Param(
            name="trust_base",
            default=0.3,
            low=0.0,
            high=1.0,
            unit="trust",
            help="Trust in any author.",
            scope=_M,
            section="Trust",
        ),
        Param(
            name="trust_ack",
            default=0.3,
            low=0.0,
            high=1.0,
            unit="trust",
            help="Extra trust when the author has acknowledged the reader (follows back, replied, "
            "thanked, retweeted).",
            scope=_M,
            section="Trust",
        ),
        Param(
            name="trust_person",
            default=0.4,
            low=0.0,
            high=1.0,
            unit="trust",
            help="Extra trust scaled by the share of the author's recent posts made by a person "
            "(not scheduled automation).",
            scope=_M,
            section="Trust",
        ),
        Param(
            name="trust_promo_penalty",
            default=0.4,
            low=0.0,
            high=1.0,
            unit="trust",
            help="Trust lost, scaled by how far the author's promotional share exceeds the reader's "
            "promo_tolerance.",
            scope=_M,
            section="Trust",
        ),
        # --- ties that break
        Param(
            name="unfollow_flood_prob",
            default=1.0,
            low=0.0,
            high=1.0,
            unit="probability per active hour",
            help="Chance of unfollowing, per active hour, a followee that exceeds one's flood "
            "tolerance, before it is multiplied by the reader's pruning_propensity and the "
            "tie's relationship factor (one_way_unfollow_boost).",
            scope=_M,
            section="Ties",
        ),
        Param(
            name="unfollow_promo_prob",
            default=0.03,
            low=0.0,
            high=1.0,
            unit="probability per item",
            help="Chance of unfollowing after reading a promotional item from a followee whose "
            "recent posts are more promotional than one tolerates.",
            scope=_M,
            section="Ties",
        ),
        Param(
            name="one_way_unfollow_boost",
            default=2.0,
            low=1.0,
            high=10.0,
            unit="x",
            help="Relationship factor of the flood and promotion unfollows: their chance is x this "
            "for a one-way tie the followee never acknowledged, x 1 with one relationship "
            "(followed back, or acknowledged), / this with both.",
            scope=_M,
            section="Ties",
        ),
        Param(
            name="mute_instead_prob",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Chance that a reader about to unfollow a followee it has a relationship with "
            "(followed back, or acknowledged) mutes it instead: the tie stays, the followee's "
            "items stop reaching the reader's home feed, and the followee is not told. 0 turns "
            "muting off.",
            scope=_M,
            section="Ties",
        ),
        Param(
            name="pruning_spread",
            default=2.5,
            low=0.0,
            high=4.0,
            unit="lognormal sd",
            help="People differ in how readily they prune their follow list: an account's "
            "pruning_propensity is its group's value times a lognormal factor with this spread "
            "(larger: most rarely unfollow, a few prune a lot).",
            scope=_M,
            section="Ties",
        ),
        Param(
            name="profile_memory_posts",
            default=20,
            low=1,
            high=500,
            unit="posts",
            help="An account's profile (promotional share, automated share) averages about this many "
            "recent posts.",
            scope=_M,
            section="Ties",
        ),
        Param(
            name="flood_memory_steps",
            default=24,
            low=1,
            high=168,
            unit="hours",
            help="Feed shares per followee are averaged over about this many hours.",
            scope=_M,
            section="Ties",
        ),
        # --- everyday unfollows (issue 11)
        Param(
            name="tie_review_prob",
            default=0.03,
            low=0.0,
            high=1.0,
            unit="probability per online hour",
            help="Chance that an online account looks again at one of its followees, at random, "
            "and asks whether the tie is still worth keeping.",
            scope=_M,
            section="Everyday unfollows",
        ),
        Param(
            name="tie_worth_memory_items",
            default=10,
            low=1,
            high=500,
            unit="items",
            help="A tie's worth averages the value of about this many recent items read from the "
            "followee at home.",
            scope=_M,
            section="Everyday unfollows",
        ),
        Param(
            name="tie_worth_start",
            default=0.3,
            low=0.0,
            high=2.0,
            unit="value",
            help="Worth of a new tie before any of the followee's items has been read.",
            scope=_M,
            section="Everyday unfollows",
        ),
        Param(
            name="relationship_value",
            default=0.1,
            low=0.0,
            high=2.0,
            unit="value",
            help="Added to a tie's worth when the followee follows the reader back, and again when "
            "it has acknowledged the reader (replied to, mentioned, retweeted or thanked them): "
            "what the relationship itself is worth.",
            scope=_M,
            section="Everyday unfollows",
        ),
        Param(
            name="unfollow_value_floor",
            default=0.15,
            low=0.0,
            high=2.0,
            unit="value",
            help="A reviewed tie worth less than this (items plus relationship) is dropped.",
            scope=_M,
            section="Everyday unfollows",
        ),
        Param(
            name="silence_steps",
            default=36,
            low=1,
            high=2000,
            unit="hours",
            help="A followee with no item for longer than this has gone silent: its items count as "
            "worth nothing, only the relationship remains.",
            scope=_M,
            section="Everyday unfollows",
        ),
        Param(
            name="feed_capacity",
            default=60,
            low=1,
            high=100000,
            unit="accounts",
            help="Followees one can keep up with; above this, feed clean-up drops reviewed ties worth "
            "less than cleanup_value_floor.",
            scope=_M,
            section="Everyday unfollows",
        ),
        Param(
            name="cleanup_value_floor",
            default=0.25,
            low=0.0,
            high=2.0,
            unit="value",
            help="The floor of the everyday unfollow rule for an account following more than "
            "feed_capacity accounts.",
            scope=_M,
            section="Everyday unfollows",
        ),
        # --- time and popularity (issue 11)
        Param(
            name="night_activity",
            default=0.1,
            low=0.0,
            high=1.0,
            unit="x activity_prob",
            help="Relative chance of being online in a night hour (00:00-07:59 local): low, not zero.",
            scope=_M,
            section="Time",
        ),
        Param(
            name="weekend_shift",
            default=2,
            low=0,
            high=6,
            unit="hours",
            help="How much later the day runs on a local Saturday and Sunday (hour 0 of a "
            "party is a Monday, 00:00 UTC): Golder and Macy 2011 find the weekend's morning "
            "peak about 2 hours later.",
            scope=_M,
            section="Time",
        ),
        Param(
            name="session_stay_prob",
            default=0.7,
            low=0.0,
            high=0.95,
            unit="probability per hour",
            help="Chance that an online account's session goes on into the next hour; the chance of "
            "starting one is lowered so that the share of hours online stays as activity_prob "
            "and the daily curve say (sessions make activity bursty, not larger).",
            scope=_M,
            section="Time",
        ),
        Param(
            name="away_shape",
            default=0.4,
            low=0.1,
            high=1.0,
            unit="Weibull shape",
            help="When a session ends the account stays away for a Weibull-distributed time (in "
            "waking hours) with this shape and a mean that keeps its share of hours online: 1 is "
            "memoryless (gaps nearly Poisson); smaller is heavier-tailed (many short breaks, a "
            "few absences of days: bursty activity).",
            scope=_M,
            section="Time",
        ),
        Param(
            name="session_intensity_spread",
            default=2.0,
            low=0.0,
            high=3.0,
            unit="lognormal sd",
            help="Sessions differ in how much one posts: a new session draws an intensity, "
            "lognormal with mean 1 and this spread, that multiplies the account's "
            "posts_per_hour for the session (0: every session alike).",
            scope=_M,
            section="Time",
        ),
        Param(
            name="appeal_spread",
            default=1.2,
            low=0.0,
            high=3.0,
            unit="lognormal sd",
            help="Original posts differ in how much they invite being passed on: each post's "
            "appeal is a lognormal factor with mean 1 and this spread, multiplying the chance "
            "that a reader retweets it (0: every post equally retweetable).",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="stranger_appeal_cap",
            default=1.0,
            low=1.0,
            high=1000.0,
            unit="factor",
            help="The most a post's appeal counts for a reader who does not follow its author "
            "(met through a retweet or in a room): what makes a post special speaks to its "
            "author's audience (1: a stranger passes it on as an ordinary post; 1000: appeal "
            "counts for everyone).",
            scope=_M,
            section="Reactions",
        ),
        Param(
            name="follow_suggestions",
            default="none",
            low=None,
            high=None,
            unit="",
            help="Who-to-follow suggestions shown to online accounts: none, popular accounts (drawn "
            "in proportion to their followers) or friends of friends (a followee's followee). "
            "A suggestion is accepted through the shared follow rule, on the value of the "
            "account's last post.",
            scope=_M,
            section="Popularity",
            choices=("none", "popular", "friends_of_friends"),
        ),
        Param(
            name="follow_back_max_followers",
            default=100,
            low=0,
            high=1000000,
            unit="followers",
            help="An account with more followers than this no longer follows anyone back: it cannot "
            "look at every newcomer (popular accounts rarely reciprocate).",
            scope=_M,
            section="Popularity",
        ),
        Param(
            name="follow_suggestion_rate",
            default=0.5,
            low=0.0,
            high=5.0,
            unit="suggestions per online hour",
            help="Mean number of who-to-follow suggestions an online account sees in an hour.",
            scope=_M,
            section="Popularity",
        ),
    ]
}

FAME_CHOICES = ("drawn", "top")  # start_fame: an attractiveness drawn, or a top draw
SCHEDULE_CHOICES = ("own_day", "audience_day", "own_night")

ACCOUNT_PARAMS: dict[str, Param] = {
    p.name: p
    for p in [
        # --- posting behaviour
        Param(
            name="posts_per_hour",
            default=0.25,
            low=0.0,
            high=10.0,
            unit="posts per active hour",
            help="How often the account posts while it is online.",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="social_weight",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="weight",
            help="Relative weight of social posts (chat, jokes, personal news) in the content mix.",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="info_weight",
            default=0.3,
            low=0.0,
            high=1.0,
            unit="weight",
            help="Relative weight of informational posts (news, tips, links to others' work).",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="promo_weight",
            default=0.1,
            low=0.0,
            high=1.0,
            unit="weight",
            help="Relative weight of promotional posts (one's own product, always with a link).",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="question_weight",
            default=0.1,
            low=0.0,
            high=1.0,
            unit="weight",
            help="Relative weight of questions to the audience.",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="quality_mean",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="quality",
            help="Mean quality (appeal) of the account's posts; each post varies around it.",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="link_prob",
            default=0.4,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Share of informational posts carrying a link (promotional posts always do).",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="hashtag_prob",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Share of posts tagged with one of the account's rooms (visible to room browsers).",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="repost_prob",
            default=0.0,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Share of posts that re-post one's last item with new text, at least 6 hours later.",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="scheduled_per_day",
            default=0,
            low=0,
            high=24,
            unit="posts per day",
            help="Automated posts sent by a scheduler, whether or not the owner is online.",
            scope=_A,
            section="Posting",
        ),
        Param(
            name="schedule_at",
            default="own_day",
            low=None,
            high=None,
            unit="",
            help="When scheduled posts go out: during the owner's day, during the day of most of "
            "its followers, or during the owner's night.",
            scope=_A,
            section="Posting",
            choices=SCHEDULE_CHOICES,
        ),
        Param(
            name="promo_mentions_per_hour",
            default=0.0,
            low=0.0,
            high=10.0,
            unit="mentions per active hour",
            help="Unsolicited promotional @-mentions sent to random strangers (blasting).",
            scope=_A,
            section="Posting",
        ),
        # --- engaging behaviour
        Param(
            name="reply_propensity",
            default=1.0,
            low=0.0,
            high=10.0,
            unit="x",
            help="Multiplier on the shared reply rule: 0 never replies.",
            scope=_A,
            section="Engaging",
        ),
        Param(
            name="retweet_propensity",
            default=1.0,
            low=0.0,
            high=10.0,
            unit="x",
            help="Multiplier on the shared retweet rule: 0 never retweets.",
            scope=_A,
            section="Engaging",
        ),
        Param(
            name="follow_propensity",
            default=1.0,
            low=0.0,
            high=10.0,
            unit="x",
            help="Multiplier on the shared follow rule: 0 never follows anyone.",
            scope=_A,
            section="Engaging",
        ),
        Param(
            name="thank_prob",
            default=0.3,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Chance of thanking (replying to) someone who retweeted one's post.",
            scope=_A,
            section="Engaging",
        ),
        Param(
            name="follow_back_auto_prob",
            default=0.2,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Share of the group that follows back every new follower automatically.",
            scope=_A,
            section="Engaging",
        ),
        Param(
            name="follow_back_screen_prob",
            default=0.6,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Share of the rest that screens new followers (recent posts) before following back; "
            "the others never follow back.",
            scope=_A,
            section="Engaging",
        ),
        Param(
            name="start_fame",
            default="drawn",
            low=None,
            high=None,
            unit="",
            help="The account's attractiveness in the initial network: drawn like anyone's, or "
            "one of the largest draws (famous before the party starts: media, celebrities, "
            "brands); the draws themselves are the same either way.",
            scope=_A,
            section="Initial network",
            choices=FAME_CHOICES,
        ),
        Param(
            name="join_prob",
            default=0.0,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Chance that the account is not there at the start and signs up during the "
            "run (at an hour up to join_window_steps): until then it is offline, posts "
            "nothing, follows nobody and nobody can meet it.",
            scope=_A,
            section="Initial network",
        ),
        Param(
            name="quit_prob",
            default=0.0,
            low=0.0,
            high=1.0,
            unit="probability",
            help="Chance that the account, once signed up and its sign-up follows made, never "
            "comes back: never online, in no room. An account there at the start that quit "
            "did so before the party: its only ties are its sign-up follows (signup_follows).",
            scope=_A,
            section="Initial network",
        ),
        Param(
            name="signup_follows",
            default=0,
            low=0,
            high=2000,
            unit="accounts",
            help="Accounts an account that joins during the run (join_prob) follows at sign-up "
            "from the platform's suggested list: the accounts famous before the party "
            "(start_fame top), drawn at random (a scenario asking for them with nobody famous is "
            "refused). An account "
            "that quit before the party (quit_prob) starts with these ties only.",
            scope=_A,
            section="Initial network",
        ),
        Param(
            name="initial_following",
            default=25,
            low=0,
            high=2000,
            unit="accounts",
            help="Mean number of accounts followed at the start.",
            scope=_A,
            section="Engaging",
        ),
        # --- the reader: attention and time
        Param(
            name="attention",
            default=20,
            low=1,
            high=500,
            unit="items per active hour",
            help="How many items the account reads in an hour online (notifications first).",
            scope=_A,
            section="Reading",
        ),
        Param(
            name="browse_share",
            default=0.25,
            low=0.0,
            high=1.0,
            unit="share of attention",
            help="Share of attention spent browsing one's hashtag rooms (meeting strangers).",
            scope=_A,
            section="Reading",
        ),
        Param(
            name="n_interests",
            default=3,
            low=1,
            high=10,
            unit="rooms",
            help="Number of rooms the account is interested in.",
            scope=_A,
            section="Reading",
        ),
        Param(
            name="activity_prob",
            default=0.35,
            low=0.0,
            high=1.0,
            unit="probability per waking hour",
            help="Chance of being online in a waking hour (08:00-23:00 local; evenings a bit more).",
            scope=_A,
            section="Reading",
        ),
        Param(
            name="tz_offset",
            default=0,
            low=-12,
            high=14,
            unit="hours from UTC",
            help="Time zone of the group.",
            scope=_A,
            section="Reading",
        ),
        Param(
            name="tz_spread",
            default=0,
            low=0,
            high=12,
            unit="hours",
            help="Accounts' time zones vary uniformly by up to this many hours around the offset.",
            scope=_A,
            section="Reading",
        ),
        # --- the reader: tastes and tolerances
        Param(
            name="social_appetite",
            default=0.6,
            low=0.0,
            high=1.0,
            unit="value",
            help="How much the account values social posts and questions.",
            scope=_A,
            section="Tastes",
        ),
        Param(
            name="info_appetite",
            default=0.5,
            low=0.0,
            high=1.0,
            unit="value",
            help="How much the account values informational posts.",
            scope=_A,
            section="Tastes",
        ),
        Param(
            name="promo_appetite",
            default=0.1,
            low=0.0,
            high=1.0,
            unit="value",
            help="How much the account values promotional posts.",
            scope=_A,
            section="Tastes",
        ),
        Param(
            name="pruning_propensity",
            default=0.03,
            low=0.0,
            high=50.0,
            unit="x unfollow chances",
            help="How readily the account prunes its follow list: it multiplies the chance of "
            "every unfollow it decides (flood, too promotional, the everyday tie review). Varies "
            "between accounts with pruning_spread.",
            scope=_A,
            section="Tastes",
        ),
        Param(
            name="flood_tolerance",
            default=20.0,
            low=1.0,
            high=500.0,
            unit="items per day",
            help="Items a day from one followee before the feed feels flooded.",
            scope=_A,
            section="Tastes",
        ),
        Param(
            name="promo_tolerance",
            default=0.4,
            low=0.0,
            high=1.0,
            unit="share",
            help="Highest promotional share of an account's recent posts one puts up with: above it "
            "one follows less readily, trusts links less, unfollows and does not follow back.",
            scope=_A,
            section="Tastes",
        ),
        Param(
            name="block_tolerance",
            default=2,
            low=1,
            high=50,
            unit="mentions",
            help="Unsolicited promotional mentions from one account before blocking it.",
            scope=_A,
            section="Tastes",
        ),
    ]
}

# account parameters that vary between the accounts of one group (see individual_spread)
INDIVIDUAL = (
    "quality_mean",
    "activity_prob",
    "social_appetite",
    "info_appetite",
    "promo_appetite",
    "flood_tolerance",
    "promo_tolerance",
    "block_tolerance",
    "pruning_propensity",
)
# INDIVIDUAL parameters that vary with their own spread instead of individual_spread
INDIVIDUAL_SPREAD = {"pruning_propensity": "pruning_spread"}
CONTENT_WEIGHTS = ("social_weight", "info_weight", "promo_weight", "question_weight")


def unknown_key_message(key: str, allowed, where: str = "", what: str = "key") -> str:
    """The error text for an unknown key, with the closest allowed names."""
    prefix = f"{where}: " if where else ""
    if what in ("model parameter", "account parameter") and "[" in where and _top_level(key):
        return (
            f"{prefix}{quoted(key)} is a top-level key of the scenario: write it above the "
            "first table header ([params], [strategies.NAME], [[groups]]); in TOML a key "
            "written below a header is that table's"
        )
    elsewhere = misplaced(key, what)
    if elsewhere:
        return f"{prefix}{elsewhere}"
    close = difflib.get_close_matches(str(key)[:200], list(allowed), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"{prefix}unknown {what} {quoted(key)}{hint}"


# a scenario file's top-level keys (sim.config.scenarios reads them from here: an unknown
# parameter's message says when a key is one of them, written below a table's header)
SCENARIO_TOP_KEYS = (
    "name",
    "description",
    "claim",
    "population",
    "steps",
    "seed",
    "rooms",
    "params",
    "strategies",
    "groups",
    "sweep",
)


def _top_level(key: Any) -> bool:
    """Is ``key`` one of a scenario file's top-level keys that is not a table of its own?"""
    return key in SCENARIO_TOP_KEYS and key not in ("params", "strategies", "groups", "sweep")


def misplaced(key: Any, what: str) -> str:
    """Where ``key`` belongs when it is a parameter of the other scope (a model parameter in
    a group, an account parameter in ``[params]``); "" otherwise."""
    if what == "account parameter" and key in MODEL_PARAMS:
        return (
            f"{quoted(key)} is a model parameter (the same for the whole party): set it in "
            f"[params] or with --set {key}=VALUE, not in a group or strategy"
        )
    if what in ("model parameter", "parameter") and key in ACCOUNT_PARAMS:
        return (
            f"{quoted(key)} is an account parameter (account parameters take a group): set it "
            f"in a group ([[groups]]) or a strategy ([strategies.NAME]), or with --set "
            f"GROUP.{key}=VALUE (*.{key} for every group)"
        )
    return ""


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` on one line and at most about ``limit`` characters (for messages:
    a user's value may be a huge string or a deeply nested array)."""
    try:
        text = repr(value)
    except RecursionError:
        text = f"<a deeply nested {type(value).__name__}>"
    except ValueError:  # an int past Python's 4,300-digit conversion limit
        text = f"an integer of {value.bit_length() * 0.30103:,.0f} digits"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quoted(name: Any, limit: int = 60) -> str:
    """A key or name for a message: ``'name'`` when plain, else its escaped repr."""
    text = str(name)
    plain = text.isprintable() and "'" not in text and len(text) <= limit
    return f"'{text}'" if plain else shown(text, limit)


def model_defaults() -> dict[str, Any]:
    """The default value of every model-scope parameter."""
    return {name: p.default for name, p in MODEL_PARAMS.items()}


def account_defaults() -> dict[str, Any]:
    """The default value of every account-scope parameter."""
    return {name: p.default for name, p in ACCOUNT_PARAMS.items()}
