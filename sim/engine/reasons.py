"""The event vocabulary: the kinds of event (:data:`EVENT_KINDS`: follow, unfollow, block,
mute, with their words and how the network picture draws them) and the reason registry: why
a tie was made, broken or muted, with named fields and words.

Every event in the event log carries one reason from :data:`REASONS`. A reason has a code (its
position in the registry, stored in the log), a name (in events.csv), its event kind
(:data:`FOLLOW`, :data:`UNFOLLOW` or :data:`BLOCK`; a mute carries the reason of the unfollow
it replaced), up to four named fields (stored as floats, so a flood tolerance of 10.6 stays
10.6) and a text template that puts the event into words from the actor's point of view, its
verb the event kind's. A rule records an event with the reason's
code and the values of its fields, in the declared order; :func:`sim.engine.events.describe` reads
the registry, so adding a reason means adding one :class:`Reason` here and nothing else.

Field formats (how a value reads in the text):

- ``share``: a fraction shown as a percentage ("41%");
- ``number``: a plain number ("10.6", "19");
- ``account``: an account index shown as its handle ("@regular12");
- ``room``: a room index shown as the room's name ("#books");
- ``kind``: a content kind ("informational");
- ``addressed``: the form of an item addressed to the actor ("replied to me");
- ``hours``: a number of hours ("31 hours");
- ``mentions``: a count of unsolicited promotional mentions, with its noun;
- ``source``: where a follow suggestion came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine.posts import FORM_NAMES, KIND_NAMES, MENTION, REPLY, RETWEET, THANKS


@dataclass(frozen=True)
class EventKind:
    """One kind of event (its code is its position in :data:`EVENT_KINDS`), with its words and
    how the live network picture draws it. Every table, story and picture reads these."""

    code: int
    name: str  # in events.csv
    plural: str  # the run summary's count ("unfollows": 12)
    done: str  # by the actor: "unfollowed"
    done_to: str  # to the target: "was unfollowed by"
    colour: str  # '#rrggbb', away from every strategy's colour (sim/analysis/palette.py)
    dash: tuple[float, float]  # line dash in the network picture
    marker: str  # symbol on the account it hit
    line: str  # the line style in words, for the picture's legend


EVENT_KINDS: tuple[EventKind, ...] = (
    EventKind(0, "follow", "follows", "followed", "was followed by", "#43A047", (1, 0),
              "circle", "solid"),
    EventKind(1, "unfollow", "unfollows", "unfollowed", "was unfollowed by", "#FF1744", (7, 3),
              "triangle-down", "dashed"),
    EventKind(2, "block", "blocks", "blocked", "was blocked by", "#651FFF", (2, 2.5),
              "cross", "dotted"),
    # rule *mute*: an unfollow replaced by a mute carries the unfollow's reason
    EventKind(3, "mute", "mutes", "muted", "was muted by", "#00B8D4", (1, 6),
              "diamond", "sparse dots"),
)  # fmt: skip
EVENT_NAMES = tuple(k.name for k in EVENT_KINDS)
FOLLOW, UNFOLLOW, BLOCK, MUTE = (
    EVENT_NAMES.index(k) for k in ("follow", "unfollow", "block", "mute")
)
N_FIELDS = 4  # value slots per event in the log

_ADDRESSED_WORDS = {
    REPLY: "replied to me",
    RETWEET: "retweeted my post",
    MENTION: "mentioned me",
    THANKS: "thanked me",
}
SUGGESTION_SOURCES = ("popular accounts", "friends of friends")


@dataclass(frozen=True)
class Field:
    """A named value of a reason and how it reads in words."""

    name: str
    format: str  # see the module docstring
    help: str


@dataclass(frozen=True)
class Reason:
    """One reason: its code, name, event kind, fields and text template."""

    code: int
    name: str
    event: int
    fields: tuple[Field, ...]
    template: str  # str.format template over {done} (the kind's verb), {target}, the fields
    help: str


def _f(name: str, fmt: str, help: str) -> Field:
    return Field(name, fmt, help)


_VALUE = _f("value", "number", "the item's value to me (rule *value*)")
_KIND = _f("kind", "kind", "kind of content of the post")

_DECLARED = [
    ("liked_post_in_feed", FOLLOW, (_VALUE, _KIND),
     "{done} {target}: liked their {kind} post in my feed",
     "Rule *follow*: a post read at home (e.g. retweeted by a followee) or in a feed."),
    ("saw_retweet", FOLLOW, (_VALUE, _KIND, _f("retweeter", "account", "who retweeted it")),
     "{done} {target}: liked their {kind} post, retweeted by {retweeter}",
     "Rule *follow*: a post retweeted into my home feed."),
    ("met_in_room", FOLLOW, (_VALUE, _KIND, _f("room", "room", "room where we met")),
     "{done} {target}: met them in {room} and liked their {kind} post",
     "Rule *follow*: a post read while browsing a room."),
    ("was_addressed", FOLLOW, (_VALUE, _KIND, _f("form", "addressed", "how they reached me")),
     "{done} {target}: they {form}",
     "Rule *follow*: they replied to, mentioned, thanked or retweeted me."),
    ("auto_follow_back", FOLLOW, (), "{done} back {target} automatically",
     "Rule *follow back*, policy auto."),
    ("screened_follow_back", FOLLOW,
     (_f("promo_share", "share", "their recent posts that are promotional"),
      _f("promo_tolerance", "share", "my promo_tolerance")),
     "{done} back {target} after a look at their profile: {promo_share} of their recent "
     "posts promotional, within my limit of {promo_tolerance}",
     "Rule *follow back*, policy screen."),
    ("feed_flooded", UNFOLLOW,
     (_f("share_of_feed", "share", "their share of my home items over the last day"),
      _f("items_from_them", "number", "items read from them over about a day"),
      _f("feed_items", "number", "home items read in all over about a day"),
      _f("flood_tolerance", "number", "my flood_tolerance (items a day)")),
     "{done} {target}: {share_of_feed} of my feed over the last day came from them "
     "({items_from_them} of {feed_items} items); I put up with {flood_tolerance} a day",
     "Rule *flood*."),
    ("too_promotional", UNFOLLOW,
     (_f("promo_share", "share", "their recent posts that are promotional"),
      _f("promo_tolerance", "share", "my promo_tolerance")),
     "{done} {target}: {promo_share} of their recent posts are promotional; "
     "I put up with {promo_tolerance}",
     "Rule *too promotional*."),
    ("unsolicited_mentions", BLOCK,
     (_f("mentions", "mentions", "unsolicited promotional mentions received from them"),
      _f("cut_my_follow", "number", "1 if I followed them: the block cut that tie"),
      _f("cut_their_follow", "number", "1 if they followed me: the block cut that tie")),
     "{done} {target}: {mentions} from them",
     "Rule *block*."),
    ("not_worth_reading", UNFOLLOW,
     (_f("tie_value", "number", "what their items and our relationship are worth to me"),
      _f("value_floor", "number", "unfollow_value_floor: below this a tie is dropped")),
     "{done} {target}: their posts no longer interest me (worth {tie_value} to me, "
     "below {value_floor})",
     "Rule *everyday unfollow*, irrelevance."),
    ("gone_silent", UNFOLLOW,
     (_f("silent_hours", "hours", "hours since their last post"),
      _f("tie_value", "number", "what our relationship is worth to me")),
     "{done} {target}: nothing from them for {silent_hours}",
     "Rule *everyday unfollow*, silence."),
    ("feed_clean_up", UNFOLLOW,
     (_f("following", "number", "accounts I follow"),
      _f("can_read", "number", "accounts I can keep up with (feed_capacity)"),
      _f("tie_value", "number", "what their items and our relationship are worth to me")),
     "{done} {target} while cleaning up my feed: I follow {following} accounts and can "
     "keep up with {can_read}; they were among the least worth reading",
     "Rule *everyday unfollow*, feed clean-up."),
    ("suggested", FOLLOW,
     (_f("source", "source", "where the suggestion came from"),
      _f("followers", "number", "their followers when suggested")),
     "{done} {target}: suggested ({source})",
     "Rule *who to follow*."),
    ("chosen", FOLLOW, (),
     "{done} {target}: their own choice",
     "A direct action: a workshop game's participant chose to follow (sim/engine/actions.py)."),
    ("signed_up", FOLLOW,
     (_f("list_size", "number", "accounts on the suggested list when I signed up"),),
     "{done} {target}: suggested when I signed up (a list of {list_size})",
     "Rule *sign-up suggestions* (sim/engine/joining.py)."),
]  # fmt: skip

REASONS: tuple[Reason, ...] = tuple(
    Reason(code, name, event, fields, template, help)
    for code, (name, event, fields, template, help) in enumerate(_DECLARED)
)
BY_NAME: dict[str, Reason] = {r.name: r for r in REASONS}
REASON_NAMES: tuple[str, ...] = tuple(r.name for r in REASONS)
FIELD_NAMES: tuple[str, ...] = tuple(dict.fromkeys(f.name for r in REASONS for f in r.fields))

# codes as named constants, for the rules that record them
FOLLOW_FEED = BY_NAME["liked_post_in_feed"].code
FOLLOW_RETWEET = BY_NAME["saw_retweet"].code
FOLLOW_ROOM = BY_NAME["met_in_room"].code
FOLLOW_NOTICE = BY_NAME["was_addressed"].code
FOLLOW_BACK_AUTO = BY_NAME["auto_follow_back"].code
FOLLOW_BACK_SCREEN = BY_NAME["screened_follow_back"].code
UNFOLLOW_FLOOD = BY_NAME["feed_flooded"].code
UNFOLLOW_PROMO = BY_NAME["too_promotional"].code
BLOCK_MENTIONS = BY_NAME["unsolicited_mentions"].code
UNFOLLOW_IRRELEVANT = BY_NAME["not_worth_reading"].code
UNFOLLOW_SILENT = BY_NAME["gone_silent"].code
UNFOLLOW_CLEANUP = BY_NAME["feed_clean_up"].code
FOLLOW_SUGGESTED = BY_NAME["suggested"].code
FOLLOW_CHOSEN = BY_NAME["chosen"].code
FOLLOW_SIGNUP = BY_NAME["signed_up"].code


def words(fmt: str, value: float, handle, room_name) -> str:
    """One field value in words, by its format."""
    if fmt == "share":
        return f"{value:.0%}"
    if fmt == "number":
        return f"{round(value, 2):g}"
    if fmt == "mentions":
        return f"{value:g} unsolicited promotional mention" + ("" if value == 1 else "s")
    if fmt == "hours":
        return f"{value:.0f} hours"
    if fmt == "account":
        return "@" + handle(int(value))
    if fmt == "room":
        return room_name(int(value))
    if fmt == "kind":
        k = int(value)
        return KIND_NAMES[k] if 0 <= k < len(KIND_NAMES) else ""
    if fmt == "addressed":
        k = int(value)
        return _ADDRESSED_WORDS.get(k, f"sent me a {FORM_NAMES[k]}")
    if fmt == "source":
        return SUGGESTION_SOURCES[int(value)]
    raise ValueError(f"unknown field format {fmt!r}")


NAMED_FORMATS = ("account", "room", "kind", "addressed", "source")


def name_of(fmt: str, value: float, handle, room_name) -> str:
    """A coded field value as a name for tables (handle, room, kind, form, suggestion source)."""
    k = int(value)
    if fmt == "account":
        return handle(k)
    if fmt == "addressed":
        return FORM_NAMES[k]
    if fmt == "kind":
        return KIND_NAMES[k] if 0 <= k < len(KIND_NAMES) else ""
    return words(fmt, value, handle, room_name)


def text(reason: Reason, target: str, values, handle, room_name, event: int | None = None) -> str:
    """The reason in words, given the target's handle (with '@') and the field values; the
    verb is the event kind's (``event``; default the reason's own: an unfollow's reason
    recorded with a mute reads "muted @x: ...")."""
    named = {
        f.name: words(f.format, float(v), handle, room_name)
        for f, v in zip(reason.fields, values, strict=False)
    }
    done = EVENT_KINDS[reason.event if event is None else event].done
    return reason.template.format(done=done, target=target, **named)
