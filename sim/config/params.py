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


def _p(name, default, low, high, unit, help, scope, section, choices=None) -> Param:
    return Param(name, default, low, high, unit, help, scope, section, choices)


_M, _A = "model", "account"
FEED_CHOICES = ("chronological", "engagement", "for_you")

MODEL_PARAMS: dict[str, Param] = {
    p.name: p
    for p in [
        # --- rooms and the initial network
        _p("n_rooms", 12, 1, 64, "rooms", "Number of hashtag rooms at the party.", _M, "Rooms"),
        _p(
            "room_popularity_exponent",
            1.0,
            0.0,
            3.0,
            "Zipf exponent",
            "How uneven room popularity is: interest in room k is proportional to 1/k^exponent.",
            _M,
            "Rooms",
        ),
        _p(
            "init_room_prob",
            0.7,
            0.0,
            1.0,
            "probability",
            "Share of the initial follow ties made inside a room the follower is interested in.",
            _M,
            "Initial network",
        ),
        _p(
            "popularity_tail",
            1.3,
            1.05,
            5.0,
            "Pareto shape",
            "Tail of the initial attractiveness of accounts (smaller = a few stars attract "
            "most initial follows).",
            _M,
            "Initial network",
        ),
        _p(
            "individual_spread",
            0.35,
            0.0,
            2.0,
            "lognormal sd",
            "Accounts of a group differ: their quality, activity, appetites and tolerances are "
            "the group's value times a lognormal factor with this spread (clipped to range).",
            _M,
            "Population",
        ),
        # --- feeds and attention
        _p(
            "feed_window_steps",
            48,
            1,
            168,
            "hours",
            "How far back the home feed reaches: a reader back after a while catches up on what "
            "is new since its last visit, newest first, but never older than this.",
            _M,
            "Feed",
        ),
        _p(
            "browse_window_steps",
            3,
            1,
            24,
            "hours",
            "Room browsing shows the posts tagged in the room during the last this many hours.",
            _M,
            "Feed",
        ),
        _p(
            "notification_ttl_steps",
            24,
            1,
            168,
            "hours",
            "Unread notifications older than this are lost.",
            _M,
            "Feed",
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
        _p(
            "retweet_base_prob",
            0.012,
            0.0,
            1.0,
            "probability per item",
            "Chance of retweeting an item of value 1, before the reader's propensity.",
            _M,
            "Reactions",
        ),
        _p(
            "reply_base_prob",
            0.025,
            0.0,
            1.0,
            "probability per item",
            "Chance of replying to an item of value 1, before the reader's propensity.",
            _M,
            "Reactions",
        ),
        _p(
            "follow_base_prob",
            0.03,
            0.0,
            1.0,
            "probability per item",
            "Chance of following the author of an item of value 1 that one does not follow yet.",
            _M,
            "Reactions",
        ),
        _p(
            "click_base_prob",
            0.08,
            0.0,
            1.0,
            "probability per item",
            "Chance of clicking the link of an item of value 1 from a fully trusted author.",
            _M,
            "Reactions",
        ),
        _p(
            "question_reply_boost",
            4.0,
            1.0,
            20.0,
            "x",
            "Questions draw this many times more replies than other posts.",
            _M,
            "Reactions",
        ),
        _p(
            "personal_boost",
            3.0,
            1.0,
            20.0,
            "x",
            "Value multiplier of an item addressed to the reader (a reply or mention of them).",
            _M,
            "Reactions",
        ),
        _p(
            "know_retweet_boost",
            3.0,
            1.0,
            20.0,
            "x",
            "People retweet those they know: multiplier when the reader follows the author.",
            _M,
            "Reactions",
        ),
        _p(
            "acquainted_retweet_boost",
            2.0,
            1.0,
            20.0,
            "x",
            "Extra retweet multiplier when the author has acknowledged the reader before "
            "(replied to, thanked or retweeted them): a relationship, not just a follow.",
            _M,
            "Reactions",
        ),
        _p(
            "notice_follow_boost",
            6.0,
            1.0,
            50.0,
            "x",
            "Follow-probability multiplier when the author addressed the reader (reply, mention, "
            "retweet of the reader's post): replying is how you get noticed.",
            _M,
            "Reactions",
        ),
        _p(
            "notice_value",
            0.8,
            0.0,
            1.0,
            "value",
            "Value of seeing that someone retweeted one's own post.",
            _M,
            "Reactions",
        ),
        _p(
            "offtopic_relevance",
            0.3,
            0.0,
            1.0,
            "value factor",
            "Relevance of an item tagged with a room outside the reader's interests.",
            _M,
            "Reactions",
        ),
        _p(
            "stranger_social_value",
            0.5,
            0.0,
            1.0,
            "value factor",
            "Value of a social post (self-talk) from an account the reader does not follow, "
            "relative to the same post from a followee: chat about someone's day interests "
            "those who know them. Information, questions and promotion are not discounted.",
            _M,
            "Reactions",
        ),
        _p(
            "one_way_social_value",
            0.7,
            0.0,
            1.0,
            "value factor",
            "Value of a followee's social post (self-talk) to a reader with no relationship to "
            "them (the followee neither follows the reader back nor ever acknowledged them), "
            "relative to a friend's: one follows an acquaintance's chat less for its own sake.",
            _M,
            "Reactions",
        ),
        _p(
            "follow_saturation",
            150,
            1,
            5000,
            "accounts",
            "Willingness to follow more accounts halves when one already follows this many.",
            _M,
            "Reactions",
        ),
        _p(
            "profile_promo_penalty",
            1.0,
            0.0,
            1.0,
            "factor",
            "Before following, readers glance at the profile: follow chance is multiplied by "
            "1 - penalty x how far the author's promotional share exceeds the reader's "
            "promo_tolerance (as a fraction of the room left above it).",
            _M,
            "Reactions",
        ),
        # --- trust and clicks
        _p("trust_base", 0.3, 0.0, 1.0, "trust", "Trust in any author.", _M, "Trust"),
        _p(
            "trust_ack",
            0.3,
            0.0,
            1.0,
            "trust",
            "Extra trust when the author has acknowledged the reader (follows back, replied, "
            "thanked, retweeted).",
            _M,
            "Trust",
        ),
        _p(
            "trust_person",
            0.4,
            0.0,
            1.0,
            "trust",
            "Extra trust scaled by the share of the author's recent posts made by a person "
            "(not scheduled automation).",
            _M,
            "Trust",
        ),
        _p(
            "trust_promo_penalty",
            0.4,
            0.0,
            1.0,
            "trust",
            "Trust lost, scaled by how far the author's promotional share exceeds the reader's "
            "promo_tolerance.",
            _M,
            "Trust",
        ),
        # --- ties that break
        _p(
            "unfollow_flood_prob",
            0.25,
            0.0,
            1.0,
            "probability per active hour",
            "Chance of unfollowing, per active hour, a followee that exceeds one's flood "
            "tolerance.",
            _M,
            "Ties",
        ),
        _p(
            "unfollow_promo_prob",
            0.03,
            0.0,
            1.0,
            "probability per item",
            "Chance of unfollowing after reading a promotional item from a followee whose "
            "recent posts are more promotional than one tolerates.",
            _M,
            "Ties",
        ),
        _p(
            "one_way_unfollow_boost",
            2.0,
            1.0,
            10.0,
            "x",
            "Relationship factor of the flood and promotion unfollows: their chance is x this "
            "for a one-way tie the followee never acknowledged, x 1 with one relationship "
            "(followed back, or acknowledged), / this with both.",
            _M,
            "Ties",
        ),
        _p(
            "profile_memory_posts",
            20,
            1,
            500,
            "posts",
            "An account's profile (promotional share, automated share) averages about this many "
            "recent posts.",
            _M,
            "Ties",
        ),
        _p(
            "flood_memory_steps",
            24,
            1,
            168,
            "hours",
            "Feed shares per followee are averaged over about this many hours.",
            _M,
            "Ties",
        ),
        # --- everyday unfollows (issue 11)
        _p(
            "tie_review_prob",
            0.03,
            0.0,
            1.0,
            "probability per online hour",
            "Chance that an online account looks again at one of its followees, at random, "
            "and asks whether the tie is still worth keeping.",
            _M,
            "Everyday unfollows",
        ),
        _p(
            "tie_worth_memory_items",
            10,
            1,
            500,
            "items",
            "A tie's worth averages the value of about this many recent items read from the "
            "followee at home.",
            _M,
            "Everyday unfollows",
        ),
        _p(
            "tie_worth_start",
            0.3,
            0.0,
            2.0,
            "value",
            "Worth of a new tie before any of the followee's items has been read.",
            _M,
            "Everyday unfollows",
        ),
        _p(
            "relationship_value",
            0.1,
            0.0,
            2.0,
            "value",
            "Added to a tie's worth when the followee follows the reader back, and again when "
            "it has acknowledged the reader (replied to, mentioned, retweeted or thanked them): "
            "what the relationship itself is worth.",
            _M,
            "Everyday unfollows",
        ),
        _p(
            "unfollow_value_floor",
            0.15,
            0.0,
            2.0,
            "value",
            "A reviewed tie worth less than this (items plus relationship) is dropped.",
            _M,
            "Everyday unfollows",
        ),
        _p(
            "silence_steps",
            36,
            1,
            2000,
            "hours",
            "A followee with no item for longer than this has gone silent: its items count as "
            "worth nothing, only the relationship remains.",
            _M,
            "Everyday unfollows",
        ),
        _p(
            "feed_capacity",
            60,
            1,
            100000,
            "accounts",
            "Followees one can keep up with; above this, feed clean-up drops reviewed ties worth "
            "less than cleanup_value_floor.",
            _M,
            "Everyday unfollows",
        ),
        _p(
            "cleanup_value_floor",
            0.25,
            0.0,
            2.0,
            "value",
            "The floor of the everyday unfollow rule for an account following more than "
            "feed_capacity accounts.",
            _M,
            "Everyday unfollows",
        ),
        # --- time and popularity (issue 11)
        _p(
            "night_activity",
            0.1,
            0.0,
            1.0,
            "x activity_prob",
            "Relative chance of being online in a night hour (00:00-07:59 local): low, not zero.",
            _M,
            "Time",
        ),
        _p(
            "session_stay_prob",
            0.7,
            0.0,
            0.95,
            "probability per hour",
            "Chance that an online account's session goes on into the next hour; the chance of "
            "starting one is lowered so that the share of hours online stays as activity_prob "
            "and the daily curve say (sessions make activity bursty, not larger).",
            _M,
            "Time",
        ),
        _p(
            "follow_suggestions",
            "none",
            None,
            None,
            "",
            "Who-to-follow suggestions shown to online accounts: none, popular accounts (drawn "
            "in proportion to their followers) or friends of friends (a followee's followee). "
            "A suggestion is accepted through the shared follow rule, on the value of the "
            "account's last post.",
            _M,
            "Popularity",
            ("none", "popular", "friends_of_friends"),
        ),
        _p(
            "follow_back_max_followers",
            100,
            0,
            1000000,
            "followers",
            "An account with more followers than this no longer follows anyone back: it cannot "
            "look at every newcomer (popular accounts rarely reciprocate).",
            _M,
            "Popularity",
        ),
        _p(
            "follow_suggestion_rate",
            0.5,
            0.0,
            5.0,
            "suggestions per online hour",
            "Mean number of who-to-follow suggestions an online account sees in an hour.",
            _M,
            "Popularity",
        ),
    ]
}

SCHEDULE_CHOICES = ("own_day", "audience_day", "own_night")

ACCOUNT_PARAMS: dict[str, Param] = {
    p.name: p
    for p in [
        # --- posting behaviour
        _p(
            "posts_per_hour",
            0.25,
            0.0,
            10.0,
            "posts per active hour",
            "How often the account posts while it is online.",
            _A,
            "Posting",
        ),
        _p(
            "social_weight",
            0.5,
            0.0,
            1.0,
            "weight",
            "Relative weight of social posts (chat, jokes, personal news) in the content mix.",
            _A,
            "Posting",
        ),
        _p(
            "info_weight",
            0.3,
            0.0,
            1.0,
            "weight",
            "Relative weight of informational posts (news, tips, links to others' work).",
            _A,
            "Posting",
        ),
        _p(
            "promo_weight",
            0.1,
            0.0,
            1.0,
            "weight",
            "Relative weight of promotional posts (one's own product, always with a link).",
            _A,
            "Posting",
        ),
        _p(
            "question_weight",
            0.1,
            0.0,
            1.0,
            "weight",
            "Relative weight of questions to the audience.",
            _A,
            "Posting",
        ),
        _p(
            "quality_mean",
            0.5,
            0.0,
            1.0,
            "quality",
            "Mean quality (appeal) of the account's posts; each post varies around it.",
            _A,
            "Posting",
        ),
        _p(
            "link_prob",
            0.4,
            0.0,
            1.0,
            "probability",
            "Share of informational posts carrying a link (promotional posts always do).",
            _A,
            "Posting",
        ),
        _p(
            "hashtag_prob",
            0.5,
            0.0,
            1.0,
            "probability",
            "Share of posts tagged with one of the account's rooms (visible to room browsers).",
            _A,
            "Posting",
        ),
        _p(
            "repost_prob",
            0.0,
            0.0,
            1.0,
            "probability",
            "Share of posts that re-post one's last item with new text, at least 6 hours later.",
            _A,
            "Posting",
        ),
        _p(
            "scheduled_per_day",
            0,
            0,
            24,
            "posts per day",
            "Automated posts sent by a scheduler, whether or not the owner is online.",
            _A,
            "Posting",
        ),
        _p(
            "schedule_at",
            "own_day",
            None,
            None,
            "",
            "When scheduled posts go out: during the owner's day, during the day of most of "
            "its followers, or during the owner's night.",
            _A,
            "Posting",
            SCHEDULE_CHOICES,
        ),
        _p(
            "promo_mentions_per_hour",
            0.0,
            0.0,
            10.0,
            "mentions per active hour",
            "Unsolicited promotional @-mentions sent to random strangers (blasting).",
            _A,
            "Posting",
        ),
        # --- engaging behaviour
        _p(
            "reply_propensity",
            1.0,
            0.0,
            10.0,
            "x",
            "Multiplier on the shared reply rule: 0 never replies.",
            _A,
            "Engaging",
        ),
        _p(
            "retweet_propensity",
            1.0,
            0.0,
            10.0,
            "x",
            "Multiplier on the shared retweet rule: 0 never retweets.",
            _A,
            "Engaging",
        ),
        _p(
            "follow_propensity",
            1.0,
            0.0,
            10.0,
            "x",
            "Multiplier on the shared follow rule: 0 never follows anyone.",
            _A,
            "Engaging",
        ),
        _p(
            "thank_prob",
            0.3,
            0.0,
            1.0,
            "probability",
            "Chance of thanking (replying to) someone who retweeted one's post.",
            _A,
            "Engaging",
        ),
        _p(
            "follow_back_auto_prob",
            0.2,
            0.0,
            1.0,
            "probability",
            "Share of the group that follows back every new follower automatically.",
            _A,
            "Engaging",
        ),
        _p(
            "follow_back_screen_prob",
            0.6,
            0.0,
            1.0,
            "probability",
            "Share of the rest that screens new followers (recent posts) before following back; "
            "the others never follow back.",
            _A,
            "Engaging",
        ),
        _p(
            "initial_following",
            25,
            0,
            2000,
            "accounts",
            "Mean number of accounts followed at the start.",
            _A,
            "Engaging",
        ),
        # --- the reader: attention and time
        _p(
            "attention",
            20,
            1,
            500,
            "items per active hour",
            "How many items the account reads in an hour online (notifications first).",
            _A,
            "Reading",
        ),
        _p(
            "browse_share",
            0.25,
            0.0,
            1.0,
            "share of attention",
            "Share of attention spent browsing one's hashtag rooms (meeting strangers).",
            _A,
            "Reading",
        ),
        _p(
            "n_interests",
            3,
            1,
            10,
            "rooms",
            "Number of rooms the account is interested in.",
            _A,
            "Reading",
        ),
        _p(
            "activity_prob",
            0.35,
            0.0,
            1.0,
            "probability per waking hour",
            "Chance of being online in a waking hour (08:00-23:00 local; evenings a bit more).",
            _A,
            "Reading",
        ),
        _p("tz_offset", 0, -12, 14, "hours from UTC", "Time zone of the group.", _A, "Reading"),
        _p(
            "tz_spread",
            0,
            0,
            12,
            "hours",
            "Accounts' time zones vary uniformly by up to this many hours around the offset.",
            _A,
            "Reading",
        ),
        # --- the reader: tastes and tolerances
        _p(
            "social_appetite",
            0.6,
            0.0,
            1.0,
            "value",
            "How much the account values social posts and questions.",
            _A,
            "Tastes",
        ),
        _p(
            "info_appetite",
            0.5,
            0.0,
            1.0,
            "value",
            "How much the account values informational posts.",
            _A,
            "Tastes",
        ),
        _p(
            "promo_appetite",
            0.1,
            0.0,
            1.0,
            "value",
            "How much the account values promotional posts.",
            _A,
            "Tastes",
        ),
        _p(
            "flood_tolerance",
            20.0,
            1.0,
            500.0,
            "items per day",
            "Items a day from one followee before the feed feels flooded.",
            _A,
            "Tastes",
        ),
        _p(
            "promo_tolerance",
            0.4,
            0.0,
            1.0,
            "share",
            "Highest promotional share of an account's recent posts one puts up with: above it "
            "one follows less readily, trusts links less, unfollows and does not follow back.",
            _A,
            "Tastes",
        ),
        _p(
            "block_tolerance",
            2,
            1,
            50,
            "mentions",
            "Unsolicited promotional mentions from one account before blocking it.",
            _A,
            "Tastes",
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
)
CONTENT_WEIGHTS = ("social_weight", "info_weight", "promo_weight", "question_weight")


def unknown_key_message(key: str, allowed, where: str = "", what: str = "key") -> str:
    """The error text for an unknown key, with the closest allowed names."""
    prefix = f"{where}: " if where else ""
    close = difflib.get_close_matches(str(key)[:200], list(allowed), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"{prefix}unknown {what} {quoted(key)}{hint}"


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` on one line and at most about ``limit`` characters (for messages:
    a user's value may be a huge string or a deeply nested array)."""
    try:
        text = repr(value)
    except RecursionError:
        text = f"<a deeply nested {type(value).__name__}>"
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
