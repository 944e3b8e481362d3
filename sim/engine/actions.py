"""Direct actions: an account replies to an item, retweets it or follows its author because
the person playing it chose so (a workshop game's participant, :mod:`sim.game`), not because
a rule drew it.

An action chosen between two hours is queued (:func:`queue`) and carried out at the start
of the next hour (:func:`carry_out`, called by the model's step before anyone posts), with
the same bookkeeping as the rules' own reactions: a retweet and a reply are new items of that
hour (the author is notified, counted, profiled), made by the reactions' own code
(:func:`sim.engine.reactions._pass_on`, :func:`~sim.engine.reactions._replies`); a follow is
a follow edge with reason ``chosen`` (the followee may follow back). Nothing is drawn at
random except a reply's quality (the author's ``quality_mean`` + N(0, 0.15), as for every
reply). A run with no queued action draws nothing here and is unchanged.

:func:`can_act` says whether an account may act on an item now, in words a player reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine import reasons as rs
from sim.engine.feed import HOME, Reading, shows_followee
from sim.engine.posts import FORM_NAMES, KIND_NAMES, ORIGINAL, RETWEET
from sim.engine.reactions import ReadItems, _pass_on, _replies
from sim.engine.ties import follow

if TYPE_CHECKING:
    from sim.engine.party import Party

ACTIONS = ("reply", "retweet", "follow")


def queue(party: Party, account: int, action: str, item: int) -> None:
    """Queue ``account``'s ``action`` on post ``item`` for the next hour (checked first with
    :func:`can_act`)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    if not 0 <= account < party.n:
        raise ValueError(f"no account {account} (the party has {party.n})")
    party.queued_actions.append((int(account), action, int(item)))


def can_act(
    party: Party, account: int, action: str, item: int, at: int | None = None
) -> str | None:
    """Why ``account`` may not ``action`` post ``item`` in hour ``at`` (None: it may). ``at``:
    the hour it would be carried out, by default the next one (the caller is between two
    hours). The item must reach the account within the home feed's window then
    (:func:`reaching`) and not be its own content; a post is retweeted once, an account
    followed once."""
    if action not in ACTIONS:
        return f"unknown action: one of {', '.join(ACTIONS)}"
    posts = party.posts
    if not 0 <= item < len(posts):
        return "no such item"
    at = party.hour + 1 if at is None else at
    if item < posts.first_index_of_step(at - party.params["feed_window_steps"] + 1):
        return "that item has left your feed (too old)"
    content_author = int(posts["orig_author"][item])
    if not reaching(party, account, np.array([item], dtype=np.int64))[0]:
        return "that item is not in your feed"
    if content_author == account:
        return "that is your own post"
    if action == "retweet":
        if posts["form"][item] not in (ORIGINAL, RETWEET):
            return "only posts and retweets can be retweeted"
        orig = int(posts["orig"][item])
        queued = any(a == account and act == "retweet" and int(posts["orig"][i]) == orig
                     for a, act, i in party.queued_actions)  # fmt: skip
        if queued or party.retweeted.has(account, orig):
            return "you have retweeted that post already"
    if action == "follow":
        queued = any(a == account and act == "follow" and
                     int(posts["orig_author"][i]) == content_author
                     for a, act, i in party.queued_actions)  # fmt: skip
        if queued or party.follows.contains(np.array([account]), np.array([content_author]))[0]:
            return f"you follow {party.handle(content_author)} already"
    return None


def reaching(party: Party, account: int, items: np.ndarray) -> np.ndarray:
    """Mask of the ``items`` that reach ``account``'s feed: a post or retweet by someone its
    home feed shows (followed, not muted), an original post tagged in one of its rooms, or an
    item addressed to it; never an item by or of someone on the other side of a block (either
    way), as the feed, the rooms and the notifications never show one."""
    posts = party.posts
    author = posts["author"][items].astype(np.int64)
    content_author = posts["orig_author"][items].astype(np.int64)
    form = posts["form"][items]
    room = posts["room"][items].astype(np.int64)
    me = np.full(len(items), account, dtype=np.int64)
    passed = (form == ORIGINAL) | (form == RETWEET)
    followed = passed & shows_followee(party, me, author)
    bits = np.uint64(party.interest_mask[account]) >> np.maximum(room, 0).astype(np.uint64)
    in_room = (form == ORIGINAL) & (room >= 0) & ((bits & np.uint64(1)) == 1)
    reach = followed | in_room | (posts["target"][items] == account)
    if len(party.blocks):
        for other in (author, content_author):
            reach &= ~party.blocks.contains(me, other) & ~party.blocks.contains(other, me)
    return reach


def carry_out(party: Party) -> None:
    """Carry out the queued actions, in the order they were chosen (the start of an hour)."""
    if not party.queued_actions:
        return
    queued, party.queued_actions = party.queued_actions, []
    for account, action, item in queued:
        if can_act(party, account, action, item, at=party.hour) is not None:
            continue  # no longer possible (e.g. a block came in between)
        if action == "follow":
            follow(party, [account], [int(party.posts["orig_author"][item])], rs.FOLLOW_CHOSEN)
            continue
        one = Reading(
            reader=np.array([account], dtype=np.int64),
            post=np.array([item], dtype=np.int64),
            source=np.array([HOME], dtype=np.int8),
            edge_seen=np.zeros(1),
            edge_ack=np.zeros(1, dtype=bool),
        )
        read = ReadItems(party, one)
        hit = np.zeros(1, dtype=np.int64)
        columns = _pass_on(party, read, hit) if action == "retweet" else _replies(party, read, hit)
        if columns is not None:
            party.posts.append(**columns)


def feed_items(party: Party, account: int, most: int = 8, keep=None) -> list[dict]:
    """The newest items that reach ``account`` for the next hour (what :func:`can_act`
    accepts; not its own content), at most ``most``, newest first: what a player's feed shows
    to act on. ``keep``: these items instead (a list already shown, with what may be done
    with each now)."""
    posts = party.posts
    if keep is None:
        lo = posts.first_index_of_step(party.hour + 1 - party.params["feed_window_steps"] + 1)
        idx = np.arange(lo, len(posts))
        reach = reaching(party, account, idx) & (posts["orig_author"][lo:] != account)
        keep = idx[reach][::-1][:most]
    out = []
    for i in keep:
        i = int(i)
        if not 0 <= i < len(posts):
            continue
        out.append({
            "item": i,
            "hour": int(posts["step"][i]),
            "by": party.handle(int(posts["author"][i])),
            "content_by": party.handle(int(posts["orig_author"][i])),
            "form": FORM_NAMES[int(posts["form"][i])],
            "kind": KIND_NAMES[int(posts["kind"][i])],
            "room": party.room_name(int(posts["room"][i])) if posts["room"][i] >= 0 else "",
            "can": {a: can_act(party, account, a, i) is None for a in ACTIONS},
        })  # fmt: skip
    return out
