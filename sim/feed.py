"""What each online account reads this hour: notifications, the home feed, its rooms.

Attention is limited: an account reads at most ``attention`` items an hour. Notifications
(replies, mentions, thanks and retweets addressed to it, even from strangers) come first;
``browse_share`` of its attention goes to browsing one of its rooms; the rest goes to the home
feed, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.edges import expand_ranges
from sim.posts import ADDRESSED_FORMS, ORIGINAL, RETWEET

if TYPE_CHECKING:
    from sim.model import PartyModel

NOTIFICATION, HOME, ROOM = 0, 1, 2
SOURCE_NAMES = ("notification", "home", "room")


@dataclass
class Reading:
    """The items read this hour: one row per (reader, item), with where it was read."""

    reader: np.ndarray
    post: np.ndarray
    source: np.ndarray

    def __len__(self) -> int:
        return len(self.reader)


def read_phase(model: PartyModel, online: np.ndarray) -> Reading:
    """Assemble what every online account reads this hour."""
    readers = np.flatnonzero(online)
    attention = model.acct["attention"][readers].astype(np.int64)
    n_r, n_p = notifications(model, online)
    read_notifs = np.bincount(np.searchsorted(readers, n_r), minlength=len(readers))
    browse = model.acct["browse_share"][readers] * attention
    browse_n = np.floor(browse + model.rng.random(len(readers))).astype(np.int64)
    home_budget = np.maximum(attention - read_notifs - browse_n, 0)
    h_r, h_p = home_feed(model, readers, home_budget)
    b_r, b_p = room_browse(model, readers, np.minimum(browse_n, attention - read_notifs))
    model.seen_upto[readers] = len(model.posts)
    parts = [(n_r, n_p, NOTIFICATION), (h_r, h_p, HOME), (b_r, b_p, ROOM)]
    return Reading(
        reader=np.concatenate([r for r, _, _ in parts]).astype(np.int64),
        post=np.concatenate([p for _, p, _ in parts]).astype(np.int64),
        source=np.concatenate([np.full(len(r), s, dtype=np.int8) for r, _, s in parts]),
    )


def notifications(model: PartyModel, online: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rule *notifications*: deliver pending items addressed to online accounts.

    At most ``attention`` per account per hour, oldest first; undelivered ones wait up to
    ``notification_ttl_steps`` hours; items from an account the reader blocked are dropped.
    """
    pending = model.pending_notifications
    posts = model.posts
    target = posts["target"][pending]
    deliver = online[target]
    expired = posts["step"][pending] < model.hour - model.p["notification_ttl_steps"]
    model.pending_notifications = pending[~deliver & ~expired]
    post, reader = pending[deliver], target[deliver].astype(np.int64)
    order = np.argsort(reader, kind="stable")
    post, reader = post[order], reader[order]
    rank = rank_within_groups(reader)
    keep = rank < model.acct["attention"][reader]
    if len(model.blocks):
        keep &= ~model.blocks.contains(reader, posts["author"][post])
    return reader[keep], post[keep]


def home_feed(model: PartyModel, readers: np.ndarray, budget: np.ndarray):
    """Rule *home feed*: new items from followees, newest first, cut at ``budget``.

    Shows followees' posts and retweets since the reader last looked (within
    ``feed_window_steps``); a reply or mention shows only if the reader follows both people
    in the conversation; a retweet of the reader's own post comes as a notification instead;
    the same content reaches the reader once.
    """
    posts, follows, n = model.posts, model.follows, model.n
    window = model.p["feed_window_steps"]
    lo = posts.first_index_of_step(model.hour - window + 1)
    authors = posts["author"][lo:]
    order = np.argsort(authors, kind="stable")
    counts = np.bincount(authors, minlength=n)
    first = np.cumsum(counts) - counts
    e_start, e_end = follows.out_ranges(readers)
    slot, e_pos = expand_ranges(e_start, e_end)
    followee = follows.keys[e_pos] % n
    has = counts[followee] > 0
    slot, followee = slot[has], followee[has]
    pair, p_pos = expand_ranges(first[followee], first[followee] + counts[followee])
    slot = slot[pair]
    post = lo + order[p_pos]
    reader = readers[slot]
    keep = post >= model.seen_upto[reader]
    form = posts["form"][post]
    addressed = np.isin(form, ADDRESSED_FORMS)
    target = posts["target"][post]
    keep[addressed] &= (target[addressed] != reader[addressed]) & follows.contains(
        reader[addressed], target[addressed]
    )
    retweet = form == RETWEET
    orig_author = posts["orig_author"][post]
    keep[retweet] &= orig_author[retweet] != reader[retweet]
    if len(model.blocks):
        keep[retweet] &= ~model.blocks.contains(reader[retweet], orig_author[retweet])
    slot, post = slot[keep], post[keep]
    slot, post = drop_repeated_content(model, slot, post)
    chosen = newest_first(model, slot, post, budget)
    return readers[slot[chosen]], post[chosen]


def drop_repeated_content(model: PartyModel, slot: np.ndarray, post: np.ndarray):
    """Keep one item per (reader, content shown) where a post and its retweets meet."""
    posts = model.posts
    shared = (posts["form"][post] == RETWEET) | (posts["retweets"][post] > 0)
    if not shared.any():
        return slot, post
    key = slot[shared].astype(np.int64) * (len(posts) + 1) + posts["orig"][post[shared]]
    _, first = np.unique(key, return_index=True)
    keep = ~shared
    keep[np.flatnonzero(shared)[first]] = True
    return slot[keep], post[keep]


def newest_first(model: PartyModel, slot: np.ndarray, post: np.ndarray, budget: np.ndarray):
    """Indices of the items each reader reads: whole hours newest first until the budget runs
    out, then a random share of the hour where it runs out."""
    if len(post) == 0:
        return np.zeros(0, dtype=np.int64)
    age = model.hour - model.posts["step"][post]
    n_ages = int(age.max()) + 1
    counts = np.bincount(slot * n_ages + age, minlength=len(budget) * n_ages)
    counts = counts.reshape(len(budget), n_ages)
    cum = np.cumsum(counts, axis=1)
    full = (cum <= budget[:, None]).sum(axis=1)  # ages read completely
    read_before = np.where(full > 0, cum[np.arange(len(budget)), np.maximum(full - 1, 0)], 0)
    partial_n = counts[np.arange(len(budget)), np.minimum(full, n_ages - 1)]
    frac = np.where(partial_n > 0, (budget - read_before) / np.maximum(partial_n, 1), 0.0)
    u = model.rng.random(len(post))
    keep = (age < full[slot]) | ((age == full[slot]) & (u < frac[slot]))
    return np.flatnonzero(keep)


def room_browse(model: PartyModel, readers: np.ndarray, browse_n: np.ndarray):
    """Rule *room browsing*: each reader opens one of its rooms and reads ``browse_n`` random
    original posts tagged there in the last ``browse_window_steps`` hours, skipping its own
    and its followees' posts (those reach it at home) and blocked authors."""
    posts = model.posts
    lo = posts.first_index_of_step(model.hour - model.p["browse_window_steps"] + 1)
    rooms = posts["room"][lo:]
    idx = lo + np.flatnonzero((rooms >= 0) & (posts["form"][lo:] == ORIGINAL))
    room_of_post = posts["room"][idx].astype(np.int64)
    order = np.argsort(room_of_post, kind="stable")
    counts = np.bincount(room_of_post, minlength=model.n_rooms)
    first = np.cumsum(counts) - counts
    room = model.pick_rooms(readers, tagged=np.ones(len(readers), dtype=bool))
    slot = np.repeat(np.arange(len(readers)), browse_n)
    avail = counts[room[slot]]
    draw = np.floor(model.rng.random(len(slot)) * avail).astype(np.int64)
    slot, pos = slot[avail > 0], (first[room[slot]] + draw)[avail > 0]
    post = idx[order[pos]]
    key = np.unique(slot.astype(np.int64) * (len(posts) + 1) + post)
    slot, post = key // (len(posts) + 1), key % (len(posts) + 1)
    reader, author = readers[slot], posts["author"][post]
    keep = (author != reader) & ~model.follows.contains(reader, author)
    if len(model.blocks):
        keep &= ~model.blocks.contains(reader, author)
    return reader[keep], post[keep]


def rank_within_groups(sorted_keys: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each run of equal values of an already sorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_keys)) + 1]
    lengths = np.diff(np.r_[starts, len(sorted_keys)])
    return np.arange(len(sorted_keys)) - np.repeat(starts, lengths)
