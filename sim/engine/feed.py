"""What each online account reads this hour: notifications, the home feed, its rooms.

Attention is limited: an account reads at most ``attention`` items an hour. Notifications
(replies, mentions, thanks and retweets addressed to it, even from strangers) come first;
``browse_share`` of its attention goes to browsing one of its rooms; the rest goes to the home
feed, newest first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.engine import kernels
from sim.engine.edges import expand_ranges, flatnonzero, stable_order, trues, unique_first
from sim.engine.posts import ADDRESSED_FORMS, FORM_NAMES, ORIGINAL, RETWEET

if TYPE_CHECKING:
    from sim.engine.party import Party

NOTIFICATION, HOME, ROOM = 0, 1, 2
# a ranked home feed: (party, readers, budget) -> (reader, post, follow-edge position)
RankedFeed = Callable[["Party", np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]
_ADDRESSED = np.isin(np.arange(len(FORM_NAMES)), ADDRESSED_FORMS)  # by form


@dataclass
class Reading:
    """The items read this hour: one row per (reader, item), with where it was read."""

    reader: np.ndarray
    post: np.ndarray
    source: np.ndarray
    # for home items, the reader's follow edge to the poster as it was when read:
    # items from it in the last day ("seen") and whether it was acknowledged
    edge_seen: np.ndarray
    edge_ack: np.ndarray

    def __len__(self) -> int:
        return len(self.reader)


def read_phase(model: Party, online: np.ndarray, ranked_feed: RankedFeed) -> Reading:
    """Assemble what every online account reads this hour; the home feed is the chronological
    one (:func:`home_feed`) or, under a ranked ``feed``, ``ranked_feed``
    (:func:`sim.engine.ranking.ranked_feed`, which builds on this module)."""
    if model.params["feed"] == "chronological" and kernels.enabled():
        return _read_compiled(model, online)
    readers = flatnonzero(online)
    attention = model.acct["attention"][readers].astype(np.int64)
    n_r, n_p = notifications(model, online)
    read_notifs = np.bincount(readers.searchsorted(n_r), minlength=len(readers))
    browse = model.acct["browse_share"][readers] * attention
    browse_n = np.floor(browse + model.rng.random(len(readers))).astype(np.int64)
    home_budget = np.maximum(attention - read_notifs - browse_n, 0)
    if model.params["feed"] == "chronological":
        h_r, h_p, h_edge = home_feed(model, readers, home_budget)
    else:
        h_r, h_p, h_edge = ranked_feed(model, readers, home_budget)
    record_feed_shares(model, h_r, h_edge)
    b_r, b_p = room_browse(model, readers, np.minimum(browse_n, attention - read_notifs))
    model.seen_upto[readers] = len(model.posts)
    n_n, n_h, n_b = len(n_r), len(h_r), len(b_r)
    home = slice(n_n, n_n + n_h)  # the home items' rows; notifications before, rooms after
    edge_seen, edge_ack = np.zeros(n_n + n_h + n_b), np.zeros(n_n + n_h + n_b, dtype=bool)
    edge_seen[home] = model.follows.attrs["seen"][h_edge]
    edge_ack[home] = model.follows.attrs["ack"][h_edge]
    source = np.empty(n_n + n_h + n_b, dtype=np.int8)
    source[:n_n], source[home], source[n_n + n_h :] = NOTIFICATION, HOME, ROOM
    return Reading(
        reader=np.concatenate([n_r, h_r, b_r], dtype=np.int64),
        post=np.concatenate([n_p, h_p, b_p], dtype=np.int64),
        source=source,
        edge_seen=edge_seen,
        edge_ack=edge_ack,
    )


def _read_compiled(model: Party, online: np.ndarray) -> Reading:
    """:func:`read_phase` under the chronological feed as one compiled loop
    (:func:`sim.engine.loops.feed.read_hour`: the same items from the same draws)."""
    from sim.engine.loops import feed as loops

    _grow_shown(model, len(model.posts))
    model.pending_notifications, reader, post, source, edge_seen, edge_ack = loops.read_hour_for(
        model, online
    )
    model._shown_stamp += int(np.count_nonzero(online))
    return Reading(reader=reader, post=post, source=source, edge_seen=edge_seen, edge_ack=edge_ack)


def notifications(model: Party, online: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rule *notifications*: deliver pending items addressed to online accounts.

    At most ``attention`` per account per hour, oldest first; undelivered ones wait up to
    ``notification_ttl_steps`` hours; items from an account the reader blocked are dropped.
    """
    pending = model.pending_notifications
    posts = model.posts
    target = posts["target"][pending]
    deliver = online[target]
    expired = posts["step"][pending] < model.hour - model.params["notification_ttl_steps"]
    model.pending_notifications = pending[~deliver & ~expired]
    post, reader = pending[deliver], target[deliver].astype(np.int64)
    order = stable_order(reader, model.n)
    post, reader = post[order], reader[order]
    rank = rank_within_groups(reader)
    keep = rank < model.acct["attention"][reader]
    if len(model.blocks):
        keep &= ~model.blocks.contains(reader, posts["author"][post])
    return reader[keep], post[keep]


def home_feed(model: Party, readers: np.ndarray, budget: np.ndarray, followed=None):
    """Rule *home feed*: new items from followees, newest first, cut at ``budget``.

    Shows followees' posts and retweets since the reader last looked (within
    ``feed_window_steps``); a reply or mention shows only if the reader follows both people
    in the conversation; a retweet of the reader's own post comes as a notification instead;
    the same content reaches the reader once. Returns (reader, post, follow-edge position).
    ``followed`` is :func:`followee_items` for these readers if the caller already has it.
    """
    if followed is None and kernels.enabled():
        slot, e_pos, post = _home_items_compiled(model, readers)
        chosen = newest_first(model, slot, post, budget)
        return readers[slot[chosen]], post[chosen], e_pos[chosen]
    posts, follows = model.posts, model.follows
    slot, e_pos, post = followee_items(model, readers) if followed is None else followed
    form = posts["form"][post]
    keep = trues(len(post))
    addressed = flatnonzero(_ADDRESSED[form])
    reader, target = readers[slot[addressed]], posts["target"][post[addressed]]
    keep[addressed] = (target != reader) & follows.contains(reader, target)
    retweet = flatnonzero(form == RETWEET)
    reader, orig_author = readers[slot[retweet]], posts["orig_author"][post[retweet]]
    keep[retweet] = orig_author != reader
    if len(model.blocks):
        keep[retweet] &= ~model.blocks.contains(reader, orig_author)
    slot, post, e_pos = slot[keep], post[keep], e_pos[keep]
    unique = distinct_content(model, slot, post)
    slot, post, e_pos = slot[unique], post[unique], e_pos[unique]
    chosen = newest_first(model, slot, post, budget)
    return readers[slot[chosen]], post[chosen], e_pos[chosen]


def _grow_shown(model: Party, end: int) -> None:
    """Room in ``model._shown`` (which content each reader was shown, see
    :func:`sim.engine.loops.feed.home_items`) for every item up to ``end``."""
    if len(model._shown) < end:
        model._shown = np.zeros(max(end, 2 * len(model._shown)), dtype=np.int64)
        model._shown_stamp = 1


def _home_items_compiled(model: Party, readers: np.ndarray):
    """:func:`home_feed`'s candidates before the newest-first cut, as one compiled loop
    (:func:`sim.engine.loops.feed.home_items`; the same items in the same order)."""
    from sim.engine.loops import feed as loops

    _grow_shown(model, len(model.posts))
    out = loops.home_items_for(model, readers)
    model._shown_stamp += len(readers)
    return out


def followee_items(model: Party, readers: np.ndarray):
    """Every item the readers' followees published since each reader last looked (within
    ``feed_window_steps``), muted followees left out: (slot in ``readers``, follow-edge
    position, post), one pass over each reader's followees shared by the home feed and the For
    You candidates."""
    posts, follows, n = model.posts, model.follows, model.n
    lo = posts.first_index_of_step(model.hour - model.params["feed_window_steps"] + 1)
    authors = posts["author"][lo:].astype(np.int64)
    order = stable_order(authors, n)  # grouped by author, oldest first within
    counts = np.bincount(authors, minlength=n)
    run_end = counts.cumsum()
    span = len(posts) + 1
    by_author = authors[order] * span + (lo + order)
    slot, e_pos = expand_ranges(*follows.out_ranges(readers))
    followee = follows.keys[e_pos] % n
    has = counts[followee] > 0
    has &= ~follows.attrs["muted"][e_pos]  # rule *mute*: a muted followee's items don't come
    slot, e_pos, followee = slot[has], e_pos[has], followee[has]
    # only what is new since the reader last looked: a binary search within each run
    fresh = by_author.searchsorted(followee * span + model.seen_upto[readers[slot]])
    pair, p_pos = expand_ranges(fresh, run_end[followee])
    return slot[pair], e_pos[pair], lo + order[p_pos]


def shows_followee(model: Party, reader: np.ndarray, author: np.ndarray) -> np.ndarray:
    """Whether each ``reader``'s home feed shows ``author``'s items: it follows the author
    and has not muted it (rule *mute*)."""
    pos, found = model.follows.find(reader, author)
    if not found.any():
        return found
    out = found.copy()
    out[found] = ~model.follows.attrs["muted"][pos[found]]
    return out


def offered_items(model: Party, readers: np.ndarray) -> np.ndarray:
    """For each of ``readers``, the items a day its followees offer its home feed (their
    ``daily_items``), a muted followee's left out (rule *mute*): what the profile check (rule
    7.16, :func:`sim.engine.reactions.update_profile_tolerance`) weighs a reader's reading
    against."""
    if kernels.enabled():  # the same sums, over the readers' edges only
        from sim.engine.loops import feed as loops

        return loops.offered_items_for(model, np.asarray(readers, dtype=np.int64))
    f = model.follows
    offer = np.where(f.attrs["muted"], 0.0, model.daily_items[f.dst])  # muted: nothing
    return np.bincount(f.src, weights=offer, minlength=model.n)[readers]


def record_feed_shares(model: Party, reader: np.ndarray, edge: np.ndarray) -> None:
    """Keep, per follow edge, a running count of the items read from that followee over
    about ``flood_memory_steps`` hours, and per reader the total (for the *flood* rule)."""
    decay = np.exp(-1.0 / model.params["flood_memory_steps"])
    if kernels.enabled():  # the same sums in place (the ranked feeds; the chronological
        from sim.engine.loops import feed as loops  # feed's read_hour has them inline)

        loops.flood_memory(model.follows.attrs["seen"], model.feed_total, reader, edge, decay)
        return
    model.follows.attrs["seen"] *= decay
    model.feed_total *= decay
    model.follows.attrs["seen"] += np.bincount(edge, minlength=len(model.follows))
    model.feed_total += np.bincount(reader, minlength=model.n)


def distinct_content(model: Party, slot: np.ndarray, post: np.ndarray) -> np.ndarray:
    """Mask keeping one item per (reader, content shown) where a post and its retweets meet."""
    posts = model.posts
    shared = (posts["form"][post] == RETWEET) | (posts["retweets"][post] > 0)
    keep = ~shared
    if shared.any():
        key = slot[shared].astype(np.int64) * (len(posts) + 1) + posts["orig"][post[shared]]
        keep[flatnonzero(shared)[unique_first(key)[1]]] = True
    return keep


def newest_first(model: Party, slot: np.ndarray, post: np.ndarray, budget: np.ndarray):
    """Indices of the items each reader reads: whole hours newest first until the budget runs
    out, then, of the hour where it runs out, as many as the budget has left, a uniformly
    random subset (those with the smallest of one uniform draw per item)."""
    if len(post) == 0:
        return np.zeros(0, dtype=np.int64)
    u = model.rng.random(len(post))  # drawn even when every item fits: the same stream
    if budget.min() >= len(post):  # every item fits (the ranked feeds' candidates)
        return np.arange(len(post))
    age = model.hour - model.posts["step"][post]
    if kernels.enabled():
        from sim.engine.loops import feed as loops

        return flatnonzero(loops.newest_first(slot, age, budget, u))
    n_ages = int(age.max()) + 1
    counts = np.bincount(slot * n_ages + age, minlength=len(budget) * n_ages)
    # cum[r, a]: reader r's items younger than a hours (a leading column of zeros)
    cum = np.zeros((len(budget), n_ages + 1), dtype=np.int64)
    counts.reshape(len(budget), n_ages).cumsum(axis=1, out=cum[:, 1:])
    full = np.count_nonzero(cum[:, 1:] <= budget[:, None], axis=1)  # ages read completely
    rows = np.arange(len(budget))
    read_before = cum[rows, full]
    partial_n = cum[rows, np.minimum(full + 1, n_ages)] - read_before  # items of age `full`
    left = np.where(partial_n > 0, budget - read_before, 0)
    cut = full[slot]
    read = age < cut
    edge = flatnonzero(age == cut)  # the hour where the budget runs out
    if len(edge):
        edge = edge[np.lexsort((u[edge], slot[edge]))]  # by reader, smallest draw first
        s = slot[edge]
        rank = np.arange(len(edge)) - np.searchsorted(s, s)  # place within the reader's hour
        read[edge[rank < left[s]]] = True
    return flatnonzero(read)


def room_browse(model: Party, readers: np.ndarray, browse_n: np.ndarray):
    """Rule *room browsing*: each reader opens one of its rooms and reads ``browse_n`` random
    original posts tagged there in the last ``browse_window_steps`` hours, skipping its own
    and its followees' posts (those reach it at home) and blocked authors."""
    posts = model.posts
    lo = posts.first_index_of_step(model.hour - model.params["browse_window_steps"] + 1)
    if kernels.enabled():
        from sim.engine.loops import feed as loops

        u_room = model.rng.random(len(readers))  # drawn as pick_rooms and below draw them
        u_pick = model.rng.random(int(browse_n.sum()))
        return loops.room_items(
            readers,
            browse_n,
            u_room,
            u_pick,
            model.state_i,
            model.interests,
            lo,
            len(posts),
            posts.items(),
            model.follows.loop_arrays(),
            model.blocks.lookup_arrays(),
            model.params.vector(),
        )
    rooms = posts["room"][lo:]
    idx = lo + flatnonzero((rooms >= 0) & (posts["form"][lo:] == ORIGINAL))
    room_of_post = posts["room"][idx].astype(np.int64)
    order = stable_order(room_of_post, model.n_rooms)
    counts = np.bincount(room_of_post, minlength=model.n_rooms)
    first = counts.cumsum() - counts
    room = model.pick_rooms(readers, tagged=trues(len(readers)))
    slot = np.arange(len(readers)).repeat(browse_n)
    slot_room = room[slot]
    avail = counts[slot_room]
    draw = np.floor(model.rng.random(len(slot)) * avail).astype(np.int64)
    some = flatnonzero(avail > 0)
    slot, pos = slot[some], first[slot_room[some]] + draw[some]
    post = idx[order[pos]]
    key = slot.astype(np.int64) * (len(posts) + 1) + post
    key.sort()  # sort-based: fast here
    new = trues(len(key))
    new[1:] = key[1:] != key[:-1]
    slot, post = np.divmod(key[new], len(posts) + 1)
    reader, author = readers[slot], posts["author"][post]
    keep = (author != reader) & ~model.follows.contains(reader, author)
    if len(model.blocks):
        keep &= ~model.blocks.contains(reader, author)
    return reader[keep], post[keep]


def rank_within_groups(sorted_keys: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each run of equal values of an already sorted array: each
    position minus the first position of its value (one binary search for all; on long
    arrays a running maximum of the runs' first positions, which is linear: 5,000 values
    71 against 208 µs)."""
    n = len(sorted_keys)
    if n <= 1024:
        return np.arange(n) - sorted_keys.searchsorted(sorted_keys)
    first = np.arange(n)
    first[1:][sorted_keys[1:] == sorted_keys[:-1]] = 0  # 0 where a run goes on
    np.maximum.accumulate(first, out=first)
    return np.arange(n) - first
