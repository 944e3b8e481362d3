"""Ranked home feeds: ``engagement`` and ``for_you`` (model parameter ``feed``).

Both start from the chronological feed's candidates (:func:`sim.engine.feed.home_feed`: followees'
items new since the reader last looked, a conversation only if the reader follows both people,
one item per content). Instead of reading them newest first, the reader reads the top of a
ranking by one shared *score*, the same for every author, whatever its strategy::

    score = 0.5 ** (age / ranking_half_life_steps)
            x (1 + ranking_engagement_weight x ln(1 + retweets + replies of the content))
            x (1 + ranking_affinity_weight x ln(1 + the reader's interactions with its author))

Interactions are the reader's replies, retweets, mentions and thanks addressed to the
content's author in the last ``ranking_memory_steps`` hours.

``for_you`` adds out-of-network candidates, original posts by accounts the reader does not
follow: what the reader's followees engaged with since the reader last looked (the original a
followee retweeted; for a reply, the replied-to author's latest post) and the
those of the ``for_you_room_candidates`` most engaged recent posts of each of the reader's
rooms that are new since the reader last looked. An author-
diversity heuristic multiplies the k-th item (0-based, by score) of the same author by
``author_diversity_decay ** k``; then ``for_you_out_of_network_share`` of the home slots go to
the best out-of-network items and the rest to the best in-network ones (slots one side cannot
fill go to the other). Out-of-network items are read as source ``RECOMMENDED``: no follow
edge, so the flood and promotion unfollow rules do not see them. Nothing here draws a random
number. docs/FEEDS.md states the rules in words; sim/reference/ranking.py is the same ranking
one reader at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine import kernels
from sim.engine.edges import expand_ranges
from sim.engine.feed import (
    Reading,
    _grow_shown,
    followee_items,
    home_feed,
    rank_within_groups,
)
from sim.engine.posts import ORIGINAL, REPLY, RETWEET

if TYPE_CHECKING:
    from sim.engine.party import Party

RECOMMENDED = 3  # a fourth reading source beside sim.engine.feed's NOTIFICATION, HOME, ROOM
NO_EDGE = -1


def ranked_feed(model: Party, readers: np.ndarray, budget: np.ndarray):
    """Rule *ranked home feed*: the in-network items each reader reads, (reader, post,
    follow-edge position) like :func:`sim.engine.feed.home_feed`; under ``for_you`` the
    out-of-network items read are kept in ``model.recommended`` for :func:`with_recommended`."""
    if kernels.enabled():
        return _ranked_compiled(model, readers, budget)
    followed = followee_items(model, readers)  # one pass over the followees for both
    slot, post, e_pos = home_candidates(model, readers, followed)
    n_in = len(post)
    if model.params["feed"] == "for_you":
        x_slot, x_post = out_of_network_candidates(model, readers, slot, post, followed)
        slot, post = np.concatenate((slot, x_slot)), np.concatenate((post, x_post))
        e_pos = np.concatenate((e_pos, np.full(len(x_post), NO_EDGE, dtype=np.int64)))
        share, decay = (
            model.params["for_you_out_of_network_share"],
            model.params["author_diversity_decay"],
        )
    else:
        share, decay = 0.0, 1.0
    oon = np.arange(len(post)) >= n_in
    score = item_scores(model, readers[slot], post)
    if decay < 1.0:
        score = score * author_diversity(model, slot, post, score, decay)
    chosen = top_with_quota(slot, post, score, oon, budget, share)
    home, recs = chosen[~oon[chosen]], chosen[oon[chosen]]
    model.recommended = (readers[slot[recs]], post[recs])
    return readers[slot[home]], post[home], e_pos[home]


def _ranked_compiled(model: Party, readers: np.ndarray, budget: np.ndarray):
    """:func:`ranked_feed` as two compiled loops (:mod:`sim.engine.loops.ranking`): every
    reader's candidates and affinity counts in one pass (``ranked_candidates``), then each
    reader's scores, author diversity and quota (``rank_and_pick``), the score's factors
    looked up in :func:`score_tables`; the same items chosen and the same draw."""
    from sim.engine.loops import ranking as loops

    for_you = model.params["feed"] == "for_you"
    share = model.params["for_you_out_of_network_share"] if for_you else 0.0
    decay = model.params["author_diversity_decay"] if for_you else 1.0
    _grow_shown(model, len(model.posts))
    budget = budget.astype(np.int64)
    cands = loops.ranked_candidates_for(model, readers, budget, for_you)
    model._shown_stamp += 2 * len(readers)
    if cands.n_home:  # home_feed's newest-first cut draws one number per candidate
        model.rng.random(cands.n_home)
    home_slot, home_post, home_edge, rec_slot, rec_post = loops.rank_and_pick(
        tuple(cands),
        score_tables(model, cands, decay),
        budget,
        out_of_network_quota(share, budget),
        decay < 1.0,
    )
    model.recommended = (readers[rec_slot], rec_post)
    return readers[home_slot], home_post, home_edge


def score_tables(model: Party, cands, decay: float) -> tuple:
    """The score's factors (:func:`item_scores`) and the author-diversity multiplier
    (:func:`diversity_multiplier`) for every value the candidates ``cands``
    (:class:`sim.engine.loops.ranking.Candidates`) take, by the same numpy operations: a
    :class:`~sim.engine.loops.ranking.ScoreTables` as a plain tuple."""
    p = model.params

    def values(column: np.ndarray) -> np.ndarray:  # 0, 1, ... up to the largest
        return np.arange(int(column.max()) + 1 if len(column) else 1).astype(np.float64)

    most = int(np.diff(cands.start).max()) if len(cands.start) > 1 else 1
    return (
        0.5 ** (values(cands.age) / p["ranking_half_life_steps"]),
        1.0 + p["ranking_engagement_weight"] * np.log1p(values(cands.engagement)),
        1.0 + p["ranking_affinity_weight"] * np.log1p(values(cands.talks)),
        diversity_multiplier(decay, np.arange(max(most, 1))),
    )


def _rank_compiled(model, slot, n_in, post, score, budget, share, decay) -> np.ndarray:
    """:func:`author_diversity` and :func:`top_with_quota` as compiled loops, one reader at
    a time, over candidates given (:mod:`sim.engine.loops.ranking`: the same items chosen;
    the multiplier and the quota are the numpy ones, :func:`diversity_multiplier`,
    :func:`out_of_network_quota`): the per-reader steps of ``rank_and_pick`` on their own,
    which tests/test_ranking_loops.py checks on made-up candidates with many ties."""
    from sim.engine.loops import ranking as loops

    slot = slot.astype(np.int64)
    if decay < 1.0:
        author = model.posts["author"][post].astype(np.int64)
        k = loops.author_ranks(slot, n_in, post, score, author, len(budget), model.n)
        score = score * diversity_multiplier(decay, k)
    return np.flatnonzero(loops.quota_pick(
        slot, n_in, post, score, budget.astype(np.int64), out_of_network_quota(share, budget)
    ))  # fmt: skip


def with_recommended(model: Party, reading: Reading) -> Reading:
    """The hour's reading plus the out-of-network items of a ``for_you`` feed (source
    ``RECOMMENDED``, no follow edge); unchanged for the other feeds."""
    reader, post = getattr(model, "recommended", (np.zeros(0, np.int64),) * 2)
    model.recommended = (np.zeros(0, np.int64),) * 2
    if len(reader) == 0:
        return reading
    return Reading(
        reader=np.concatenate((reading.reader, reader)).astype(np.int64),
        post=np.concatenate((reading.post, post)).astype(np.int64),
        source=np.concatenate((reading.source, np.full(len(reader), RECOMMENDED, dtype=np.int8))),
        edge_seen=np.concatenate((reading.edge_seen, np.zeros(len(reader)))),
        edge_ack=np.concatenate((reading.edge_ack, np.zeros(len(reader), dtype=bool))),
    )


def home_candidates(model: Party, readers: np.ndarray, followed=None):
    """The chronological feed's candidates, unread-limited: (slot in ``readers``, post,
    follow-edge position), grouped by reader. ``followed``: as in
    :func:`sim.engine.feed.home_feed`."""
    unlimited = np.full(len(readers), np.iinfo(np.int64).max)
    reader, post, e_pos = home_feed(model, readers, unlimited, followed)
    return np.searchsorted(readers, reader), post.astype(np.int64), e_pos  # reader-sorted


def item_scores(model: Party, reader: np.ndarray, post: np.ndarray) -> np.ndarray:
    """The shared predicted-engagement score of each (reader, post) (see the module text)."""
    posts, p = model.posts, model.params
    age = (model.hour - posts["step"][post]).astype(np.float64)
    orig = posts["orig"][post]
    engagement = (posts["retweets"][orig] + posts["replies"][orig]).astype(np.float64)
    talks = interactions(model, reader, posts["orig_author"][post].astype(np.int64))
    return (
        0.5 ** (age / p["ranking_half_life_steps"])
        * (1.0 + p["ranking_engagement_weight"] * np.log1p(engagement))
        * (1.0 + p["ranking_affinity_weight"] * np.log1p(talks))
    )


def interactions(model: Party, reader: np.ndarray, author: np.ndarray) -> np.ndarray:
    """How many items ``reader`` addressed to ``author`` (reply, retweet, mention, thanks)
    in the last ``ranking_memory_steps`` hours."""
    posts, n = model.posts, model.n
    lo = posts.first_index_of_step(model.hour - model.params["ranking_memory_steps"] + 1)
    target = posts["target"][lo:].astype(np.int64)
    sent = target >= 0
    keys = np.sort(posts["author"][lo:][sent].astype(np.int64) * n + target[sent])
    if len(keys) == 0:
        return np.zeros(len(reader))
    # each (sender, addressee) pair once, with its count: one search of the asked pairs
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    pairs, counts = keys[first], np.diff(np.concatenate((first, [len(keys)])))
    want = reader.astype(np.int64) * n + author
    at = np.minimum(pairs.searchsorted(want), len(pairs) - 1)
    return np.where(pairs[at] == want, counts[at], 0).astype(np.float64)


def out_of_network_candidates(model, readers, in_slot, in_post, followed=None):
    """For You candidates from outside the reader's network, (slot, post), one per pair:
    originals the reader's followees engaged with since the reader last looked, and the
    most engaged new posts of the reader's rooms; only posts in the feed window, not the
    reader's own, by accounts it neither follows nor blocked, not already in its feed."""
    posts = model.posts
    e_slot, e_post = followee_engagements(model, readers, followed)
    r_slot, r_post = popular_in_rooms(model, readers)
    slot = np.concatenate((e_slot, r_slot)).astype(np.int64)
    post = np.concatenate((e_post, r_post)).astype(np.int64)
    lo = posts.first_index_of_step(model.hour - model.params["feed_window_steps"] + 1)
    ok = post >= lo
    span = len(posts) + 1
    key = distinct(slot[ok] * span + post[ok])  # one per (reader, post) before look-ups
    shown = np.sort(in_slot.astype(np.int64) * span + posts["orig"][in_post])
    if len(shown):
        key = key[shown[np.minimum(np.searchsorted(shown, key), len(shown) - 1)] != key]
    slot, post = key // span, key % span
    reader, author = readers[slot], posts["author"][post].astype(np.int64)
    keep = (author != reader) & ~model.follows.contains(reader, author)
    if len(model.blocks):
        keep &= ~model.blocks.contains(reader, author)
    return slot[keep], post[keep]


def followee_engagements(model: Party, readers: np.ndarray, followed=None):
    """(slot, post): for each retweet or reply a followee made since the reader last looked
    (within the feed window), the original it engaged with (for a reply: the replied-to
    author's latest original post; the model does not record which post a reply answers).
    ``followed``: as in :func:`sim.engine.feed.home_feed`."""
    posts = model.posts
    if followed is None and kernels.enabled():
        from sim.engine.loops import feed as loops

        lo = posts.first_index_of_step(model.hour - model.params["feed_window_steps"] + 1)
        return loops.followee_engaged_for(model, readers, lo)
    slot, _, item = followee_items(model, readers) if followed is None else followed
    form = posts["form"][item]
    engages = (form == RETWEET) | (form == REPLY)
    slot, item, form = slot[engages], item[engages], form[engages]
    engaged = np.where(
        form == RETWEET, posts["orig"][item], model.last_original[posts["target"][item]]
    )
    ok = engaged >= 0
    return slot[ok], engaged[ok]


def popular_in_rooms(model: Party, readers: np.ndarray):
    """(slot, post): of the ``for_you_room_candidates`` most engaged original posts
    (retweets + replies; newer first among equals) of each of the reader's rooms in the feed
    window, those published since the reader last looked."""
    posts, k = model.posts, int(model.params["for_you_room_candidates"])
    lo = posts.first_index_of_step(model.hour - model.params["feed_window_steps"] + 1)
    rooms = posts["room"][lo:]
    idx = lo + np.flatnonzero((rooms >= 0) & (posts["form"][lo:] == ORIGINAL))
    if k == 0 or len(idx) == 0 or len(readers) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    room = posts["room"][idx].astype(np.int64)
    engagement = posts["retweets"][idx].astype(np.int64) + posts["replies"][idx]
    order = np.lexsort((-idx, -engagement, room))
    idx, room = idx[order], room[order]
    top = rank_within_groups(room) < k  # each room's k best, grouped by room
    idx, room = idx[top], room[top]
    first = np.searchsorted(room, np.arange(model.n_rooms))
    last = np.searchsorted(room, np.arange(model.n_rooms), side="right")
    interests = model.interests[readers]
    slot = np.repeat(np.arange(len(readers)), interests.shape[1])
    their_room = interests.ravel().astype(np.int64)
    slot, their_room = slot[their_room >= 0], their_room[their_room >= 0]
    pair, pos = expand_ranges(first[their_room], last[their_room])
    slot, post = slot[pair], idx[pos]
    fresh = post >= model.seen_upto[readers[slot]]
    return slot[fresh], post[fresh]


def author_diversity(model, slot, post, score, decay) -> np.ndarray:
    """Multiplier ``decay ** k`` for the k-th (0-based) item of the same poster in the same
    reader's candidates, ordered by score (newest first among equals)."""
    author = model.posts["author"][post].astype(np.int64)
    group = slot * model.n + author
    if len(post) and int(group.max()) >= (2**62) // max(len(post), 1):
        group = dense_ids(group)  # keeps group x len(post) within int64 on huge parties
    return diversity_multiplier(decay, ranks_within(group, best_first(score, post)))


def diversity_multiplier(decay: float, k: np.ndarray) -> np.ndarray:
    """``decay ** k`` for an item with ``k`` items of the same poster above it."""
    return decay ** k.astype(np.float64)


def out_of_network_quota(share: float, budget: np.ndarray) -> np.ndarray:
    """The home slots each reader gives to out-of-network items: ``round(share x budget)``."""
    return np.floor(share * budget + 0.5).astype(np.int64)


def top_with_quota(slot, post, score, oon, budget, share) -> np.ndarray:
    """Indices read: per reader, the best ``round(share x budget)`` out-of-network items and
    the best of the rest in-network; slots one side cannot fill go to the best items left.
    Ranked by score, newest first among equals."""
    if len(post) == 0:
        return np.zeros(0, dtype=np.int64)
    quota_out = out_of_network_quota(share, budget)
    quota = np.where(oon, quota_out[slot], (budget - quota_out)[slot])
    best = best_first(score, post)
    first = ranks_within(slot * 2 + oon, best) < quota
    left = budget - np.bincount(slot[first], minlength=len(budget))
    rest = np.flatnonzero(~first)
    rest = rest[left[slot[rest]] > 0]  # only readers with slots left
    second = rest[ranks_within(slot[rest], best[rest]) < left[slot[rest]]]
    return np.sort(np.concatenate((np.flatnonzero(first), second)))


# Sorting helpers. Sorts of one int64 key are several times faster than np.lexsort or
# np.unique (hash-based in numpy 2.x) at these sizes, and keys are unique, so any sort works.
def best_first(score: np.ndarray, post: np.ndarray) -> np.ndarray:
    """Each element's position in the order: highest score first, newer post first among
    equal scores (elements with equal score and post, i.e. of different readers, in any
    order)."""
    by_score = np.argsort(-score)
    s = score[by_score]
    dense = np.empty(len(score), dtype=np.int64)
    dense[by_score] = np.cumsum(np.concatenate(([0], s[1:] != s[:-1])))
    top = int(post.max()) + 1 if len(post) else 1
    rank = np.empty(len(score), dtype=np.int64)
    rank[np.argsort(dense * top + (top - 1 - post))] = np.arange(len(score))
    return rank


def ranks_within(group: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each group (non-negative integers), in the order of ``rank``."""
    span = int(rank.max()) + 1 if len(rank) else 1
    order = np.argsort(group.astype(np.int64) * span + rank)
    out = np.empty(len(rank), dtype=np.int64)
    out[order] = rank_within_groups(group[order])
    return out


def dense_ids(key: np.ndarray) -> np.ndarray:
    """0, 1, 2... numbering the distinct values of ``key`` in increasing order."""
    order = np.argsort(key)
    k = key[order]
    ids = np.empty(len(key), dtype=np.int64)
    ids[order] = np.cumsum(np.concatenate(([0], k[1:] != k[:-1])))
    return ids


def distinct(key: np.ndarray) -> np.ndarray:
    """The sorted distinct values of ``key``."""
    k = np.sort(key)
    return k[np.concatenate(([True], k[1:] != k[:-1]))] if len(k) else k
