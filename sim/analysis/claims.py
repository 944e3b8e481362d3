"""The claims suite's declarations: one :class:`Claim` per comparison, read by the suite
(sim/analysis/claims_suite.py), the tests and the report.

A claim compares outcome A with outcome B over the same seeds: both strategies live in the
same runs (common random numbers), or two scenarios run with the same seeds (paired by seed).
Each claim names the audience rules it rests on, as *knock-outs*: parameter settings that
neutralise them. The suite measures every claim with and without its knock-outs over the same
seeds and under two root seeds, and computes the claim's label from that (never typed here):

- **emergent**: with the named rules neutralised, the effect is still shown, in the same
  direction, and keeps at least ``EMERGENT_SHARE`` of its size: the named rules are not what
  makes it;
- **by construction**: the claim rests on one rule, and neutralising it leaves no effect (not
  shown, and at most ``CONSTRUCTION_SHARE`` of the size in either direction); or the claim
  restates a rule no parameter can switch off (``restates``);
- **mechanism**: otherwise: the named rules carry the effect (neutralised, it is gone, much
  smaller or turned around), but the claim is not one rule restated.

A verdict is **shown** only when it holds under both root seeds (``ROOT_SEEDS``); a claim
whose verdict differs between them is **fragile**. ``expected`` and ``expected_label`` are
what the suite gave last: changing them (or a threshold, or the seeds) is a visible edit
whose commit message carries the figures before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.analysis.check import claim_scenario
from sim.analysis.claims_outcomes import BOTTOM, TOP

REPS = 20  # replications per root seed: enough that "not shown" means a small effect
ROOT_SEEDS = (2026, 7)  # a verdict is shown only where both agree
EMERGENT_SHARE = 0.5  # share of the effect that must survive the knock-out (emergent)
CONSTRUCTION_SHARE = 0.2  # at most this share left (either sign): nothing beyond the rule

EMERGENT, MECHANISM, CONSTRUCTION = "emergent", "mechanism", "by construction"
NO_EFFECT = "no effect to explain"
SHOWN, NOT_SHOWN, REVERSED, FRAGILE = "shown", "not shown", "reversed", "fragile"

CLAIM_FILES = (
    "engaging_equal_content",
    "informers_meformers",
    "posting_rate_sweep",
    "niche_equal_quality",
    "bargain_equal_quality",
)
SWEEP = "posting_rate_sweep"
SWEEP_RATES = (0.05, 0.15, 0.3, 0.6, 1.0, 1.5, 2.5, 4.0)
SWEEP_EXPECTED = REVERSED  # the sweep's curvature test at the scenario's settings, both root seeds
GHOSTS = "ghosts"
THANKS_SCENARIO = "retweets_and_thanks"


def scenario_ref(name: str) -> str:
    """A scenario name for ``PartyModel``: files under scenarios/claims/ by path."""
    return claim_scenario(name) if name in CLAIM_FILES else name


def rate_strategy(rate: float) -> str:
    return "rate_" + f"{rate:g}".replace(".", "_")


@dataclass(frozen=True)
class Claim:
    """Outcome A > outcome B, each ``(scenario, strategy)``.

    ``rules`` are the docs/MODEL.md sections of the rules the claim rests on, ``knockout`` the
    parameter settings (``--set`` keys) that neutralise them; ``restates`` is set instead
    when no parameter can switch the rule off (the claim then restates it). ``expected`` is
    the verdict over both root seeds and ``expected_label`` the computed label, as last
    recorded; ``varies`` says what differs between A and B."""

    number: str
    behaviour: int
    text: str
    a: tuple[str, str]
    b: tuple[str, str]
    outcome: str
    unit: str
    rules: tuple[str, ...] = ()
    knockout: dict = field(default_factory=dict)
    restates: str = ""
    expected: str = SHOWN
    expected_label: str = MECHANISM
    note: str = ""
    varies: str = ""

    def __hash__(self) -> int:  # the knock-out is a dict: hash the claim by its number
        return hash(self.number)

    @property
    def knockout_key(self) -> tuple:
        """The knock-out as a hashable, ordered key (claims that share it share runs)."""
        return tuple(sorted(self.knockout.items()))


NET, NET_UNIT = "net_followers", "net followers per account"
ONE_BEHAVIOUR = "one behaviour"
# the knock-outs: each neutralises one rule (section of docs/MODEL.md)
NOTICE = {"notice_follow_boost": 1.0}  # 7.16: being addressed multiplies the follow chance
PROMO_RULES = {"profile_promo_penalty": 0.0, "unfollow_promo_prob": 0.0}  # 7.16, 7.19
FLOOD_RULES = {"unfollow_flood_prob": 0.0, "profile_flood_penalty": 0.0}  # 7.19, 7.16
STRANGER_CHAT = {"stranger_social_value": 1.0, "one_way_social_value": 1.0}  # 7.11
KNOWN_RETWEETS = {"know_retweet_boost": 1.0, "acquainted_retweet_boost": 1.0}  # 7.14
ACK_RULES = {"acquainted_retweet_boost": 1.0, "one_way_unfollow_boost": 1.0}  # 7.14, 7.19
ROOMS = {"*.browse_share": 0.0}  # 7.10: nobody browses rooms

CLAIMS = (
    Claim("1", 1, "Conversing gains more followers than broadcasting",
          ("billboard_vs_party", "conversationalist"), ("billboard_vs_party", "broadcaster"),
          NET, NET_UNIT, rules=("7.16", "7.19"), knockout={**NOTICE, **PROMO_RULES},
          expected_label=MECHANISM,
          varies="two strategies: content (chat vs promotion) and engagement; 1b varies "
          "engagement only"),
    Claim("1b", 1, "...also with equal content: engaging beats broadcasting",
          ("engaging_equal_content", "engager"), ("engaging_equal_content", "billboard"),
          NET, NET_UNIT, rules=("7.16", "7.14", "7.19"), knockout={**NOTICE, **ACK_RULES},
          varies=f"{ONE_BEHAVIOUR}: engaging (same posts)"),
    Claim("2", 2, "Posting into hashtag rooms exposes you beyond your followers",
          ("hashtag_rooms", "tagger"), ("hashtag_rooms", "untagged"),
          "impressions", "impressions per account", rules=("7.10",), knockout=ROOMS,
          expected_label=MECHANISM, varies=f"{ONE_BEHAVIOUR}: tagging (both browse "
          "their rooms alike)"),
    Claim("2b", 2, "...and strangers met there follow",
          ("hashtag_rooms", "tagger"), ("hashtag_rooms", "untagged"), NET, NET_UNIT,
          rules=("7.10",), knockout=ROOMS, expected_label=CONSTRUCTION,
          varies=f"{ONE_BEHAVIOUR}: tagging (both browse "
          "their rooms alike)"),
    Claim("3", 3, "People retweet those they know: engaged accounts are retweeted more",
          ("retweets_and_thanks", "thanker"), ("retweets_and_thanks", "regular"),
          "retweets", "retweets received per account", rules=("7.14",),
          knockout=KNOWN_RETWEETS,
          expected_label=MECHANISM,
          varies="two strategies (conversationalist who thanks vs the crowd)"),
    Claim("3b", 3, "Thanking retweeters gains followers",
          ("retweets_and_thanks", "thanker"), ("retweets_and_thanks", "no_thanks"),
          NET, NET_UNIT, rules=("7.16",), knockout=NOTICE, expected=NOT_SHOWN,
          expected_label=NO_EFFECT, varies=f"{ONE_BEHAVIOUR}: thanking",
          note="Most thanked retweeters already follow the thanker when thanked (people "
          "retweet those they know; see the share below), so a thank-you has almost nobody "
          "left to convert. Thanks do acknowledge the tie (fewer one-way unfollows, likelier "
          "future retweets), but the follower gain is small: within noise under both root "
          "seeds."),
    Claim("3c", 3, "An influencer's retweet reaches far beyond a small account's",
          ("default", TOP), ("default", BOTTOM),
          "reach_per_retweet", "reads per retweet", rules=("7.9",),
          restates="7.9 home feed: a retweet is read by the retweeter's followers, so its "
          "reach grows with them; no parameter switches that off",
          expected_label=CONSTRUCTION,
          varies="the retweeter's followers (top 10% vs bottom half)",
          note="Accounts ranked by followers at the end of the run, whatever their strategy: "
          "reads of each retweet made by the top 10% against those made by the bottom half."),
    Claim("4", 4, "Blasting people with promotional mentions gets you blocked",
          ("blasting", "blaster"), ("blasting", "broadcaster"),
          "blocks", "blocks received per account", rules=("7.20",),
          knockout={"*.block_tolerance": 50}, expected_label=CONSTRUCTION,
          varies=f"{ONE_BEHAVIOUR}: mentioning strangers"),
    Claim("5", 5, "A moderate posting rate beats flooding (1 an hour vs 4)",
          ("posting_rate", "rate_1"), ("posting_rate", "rate_4"), NET, NET_UNIT,
          rules=("7.19", "7.16"), knockout=FLOOD_RULES, expected=NOT_SHOWN,
          expected_label=NO_EFFECT, varies=f"{ONE_BEHAVIOUR}: posting rate",
          note="The posting-rate map below gives the whole curve, with the flood rules on and "
          "off and for audiences of different tolerance."),
    Claim("5b", 5, "...and beats posting rarely (1 an hour vs 0.05)",
          ("posting_rate", "rate_1"), ("posting_rate", "rate_0_05"), NET, NET_UNIT,
          rules=("7.19", "7.16"), knockout=FLOOD_RULES,
          expected_label=EMERGENT, varies=f"{ONE_BEHAVIOUR}: posting rate"),
    Claim("6", 6, "Replying is how you get noticed",
          ("replies_get_noticed", "replier"), ("replies_get_noticed", "silent"), NET, NET_UNIT,
          rules=("7.16",), knockout=NOTICE, varies=f"{ONE_BEHAVIOUR}: replying"),
    Claim("6b", 6, "...by people who were addressed ('they replied to me' follows)",
          ("replies_get_noticed", "replier"), ("replies_get_noticed", "silent"),
          "addressed_follows", "was_addressed follows received per account",
          rules=("7.16",), knockout=NOTICE, varies=f"{ONE_BEHAVIOUR}: replying"),
    Claim("7", 7, "A curator out-gains a broadcaster where the audience wants information",
          ("niche_newspaper", "curator"), ("niche_newspaper", "broadcaster"), NET, NET_UNIT,
          rules=("7.16", "7.19"), knockout=PROMO_RULES, expected_label=EMERGENT,
          varies="two strategies: content kind and quality (0.85 vs 0.5)"),
    Claim("7b", 7, "The curator does better with news readers than with chatters",
          ("niche_newspaper", "curator"), ("chatty_audience", "curator"), NET, NET_UNIT,
          rules=("7.11",), knockout=STRANGER_CHAT, expected_label=EMERGENT,
          varies="the audience only (same curators)"),
    Claim("7c", 7, "A never-engaging curator out-gains conversationalists among news readers",
          ("niche_newspaper", "curator"), ("niche_newspaper", "conversationalist"),
          NET, NET_UNIT, rules=("7.11",), knockout=STRANGER_CHAT, expected_label=EMERGENT,
          varies="two strategies: content, engagement and quality (0.85 vs 0.5); 7c-eq "
          "gives both the same quality"),
    Claim("7c-eq", 7, "...with equal quality (conversationalists' posts as good as the curator's)",
          ("niche_equal_quality", "curator"), ("niche_equal_quality", "conversationalist"),
          NET, NET_UNIT, rules=("7.11",), knockout=STRANGER_CHAT,
          expected_label=EMERGENT, varies="content and engagement; quality equal (0.85)"),
    Claim("7d", 7, "...but not in a chatty audience",
          ("chatty_audience", "conversationalist"), ("chatty_audience", "curator"),
          NET, NET_UNIT, rules=("7.16",), knockout=NOTICE,
          varies="two strategies: content, engagement and quality"),
    Claim("7e", 7, "A broadcaster wins among bargain hunters (vs at the default party)",
          ("bargain_hunters", "broadcaster"), ("default", "broadcaster"), NET, NET_UNIT,
          rules=("7.16", "7.19"), knockout=PROMO_RULES, expected_label=EMERGENT,
          varies="the audience, and the broadcasters' quality (0.9 vs 0.5)"),
    Claim("7f", 7, "...even against conversationalists there",
          ("bargain_hunters", "broadcaster"), ("bargain_hunters", "conversationalist"),
          NET, NET_UNIT, rules=("7.11",), knockout=STRANGER_CHAT,
          expected_label=EMERGENT,
          varies="two strategies: content, engagement and quality (0.9 vs 0.5); 7f-eq gives "
          "both the same quality",
          note="A close race: the audience likes offers (promo_appetite 0.9) but still values "
          "chat (social_appetite 0.3), and conversationalists also gain from follow-backs. "
          "The broadcaster's offers are worth as much from a stranger as from a friend, the "
          "conversationalists' chat is not (stranger_social_value: the knock-out)."),
    Claim("7f-eq", 7, "...with equal quality (conversationalists' posts as good as the offers)",
          ("bargain_equal_quality", "broadcaster"),
          ("bargain_equal_quality", "conversationalist"), NET, NET_UNIT, rules=("7.11",),
          knockout=STRANGER_CHAT, expected=NOT_SHOWN, expected_label=NO_EFFECT,
          varies="content and engagement; quality equal (0.9)"),
    Claim("9", 9, "Being a person raises click-through (vs scheduled automation)",
          ("automation_trust", "person_promoter"), ("automation_trust", "scheduler"),
          "clicks_per_impression", "clicks per impression", rules=("7.13",),
          knockout={"trust_person": 0.0}, varies="two strategies: automation and engagement"),
    Claim("10", 10, "Screeners do not follow back sales-only accounts",
          ("screening", "conversationalist"), ("screening", "broadcaster"),
          "followed_back_share", "share of own follows returned", rules=("7.17",),
          knockout={"*.promo_tolerance": 1.0},
          varies="two strategies: content and engagement"),
    Claim("11", 11, "Posting in the audience's waking hours gets more retweets",
          ("time_zones", "audience_timed"), ("time_zones", "own_timed"),
          "retweets", "retweets received per account", rules=("7.2",),
          knockout={"night_activity": 1.0},
          expected_label=CONSTRUCTION, varies=f"{ONE_BEHAVIOUR}: when scheduled posts go out",
          note="The knock-out makes the night as active as the working day (evenings stay "
          "busier: rule 7.2's other factors remain)."),
    Claim("12", 12, "Re-posting an item with new text reaches more people per item",
          ("repost", "reposter"), ("repost", "one_shot"),
          "reads_per_item", "reads per distinct item", rules=("7.5",),
          restates="7.5 re-posting: a re-post is a second item carrying the same content, and "
          "reads are summed over the items", expected_label=CONSTRUCTION,
          varies=f"{ONE_BEHAVIOUR}: re-posting",
          note="Reads of every item carrying one of the account's contents (the post, its "
          "re-posts and their retweets: `posts['reads']`), per distinct content."),
    Claim("14", 14, "Following hundreds makes the feed useless (each followee read less)",
          ("following_hundreds", "regular"), ("following_hundreds", "follow_everyone"),
          "read_per_followee", "items read per followee per day", rules=("7.8",),
          knockout={"*.attention": 500}, expected_label=CONSTRUCTION,
          varies=f"{ONE_BEHAVIOUR}: how many accounts one "
          "follows",
          note="Items read: `model.feed_total`, a running count of feed items read over about "
          "`flood_memory_steps` hours, divided by the account's out-degree at the end of the "
          "run. The knock-out raises attention to its maximum (500 items an hour)."),
    Claim("15", 15, "Asking questions draws replies",
          ("questions", "asker"), ("questions", "teller"),
          "replies", "replies received per account", rules=("7.15",),
          knockout={"question_reply_boost": 1.0}, expected_label=CONSTRUCTION,
          varies=f"{ONE_BEHAVIOUR}: asking questions"),
)  # fmt: skip
RULE_13 = (
    "A reply shows in your feed only if you follow both people: a feed rule (sim/engine/feed.py), "
    "tested exactly by tests/test_engine.py::test_reply_shows_only_to_those_following_both_people"
)
