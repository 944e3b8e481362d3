"""Ties that form and break: follow, follow back, unfollow, block.

Edge ``u -> v`` means "u follows v" (v's followers are its in-edges). Every change of a tie
goes through :func:`follow`, :func:`unfollow` or :func:`block`, which update the graph, the
counters and the event log together; "why did this account unfollow that one?" is answered
here and in :mod:`sim.engine.events`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine import kernels
from sim.engine import reasons as rs
from sim.engine.edges import unique_first
from sim.engine.feed import HOME, Reading
from sim.engine.posts import PROMO

if TYPE_CHECKING:
    from sim.engine.party import Party

AUTO, SCREEN, NEVER = 0, 1, 2


def follow(model: Party, src, dst, reason, *values) -> None:
    """``src`` follows ``dst`` (never across a block); new followers are notified so the
    followee can follow back. ``values``: the reason's fields (see :mod:`sim.engine.reasons`)."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    values = [_per_edge(v, src.shape) for v in (reason, *values)]
    start = {"worth": model.params["tie_worth_start"]}
    added = model.follows.add(src, dst, unless=model.blocks, start=start)
    if len(added) == 0:
        return
    s, d = src[added], dst[added]
    model.events.record(model.hour, rs.FOLLOW, s, d, *(v[added] for v in values))
    count_each(model.count["followers_gained"], d)
    count_each(model.n_follows_made, s)
    notice = np.empty((3, len(s)), dtype=np.int64)  # new follower, followee, hour
    notice[0], notice[1], notice[2] = s, d, model.hour
    model.follow_notices.append(notice)


def unfollow(model: Party, src, dst, reason, *values) -> None:
    """``src`` stops following ``dst``, or mutes it instead (:func:`mute_instead`);
    ``values``: the reason's fields."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    if model.params["mute_instead_prob"] > 0 and len(src):
        go = ~mute_instead(model, src, dst, reason, values)
        src, dst = src[go], dst[go]
        reason, values = (
            _per_edge(reason, go.shape)[go],
            [_per_edge(v, go.shape)[go] for v in values],
        )
    removed = model.follows.remove(src, dst)
    if len(removed) == 0:
        return
    pick = lambda v: _per_edge(v, src.shape)[removed]  # noqa: E731
    model.events.record(
        model.hour, rs.UNFOLLOW, src[removed], dst[removed], pick(reason), *map(pick, values)
    )
    count_each(model.count["unfollows_received"], dst[removed])


def mute_instead(model: Party, src, dst, reason, values) -> np.ndarray:
    """Rule *mute*: a reader about to unfollow a followee it has a relationship with (the
    followee follows back, or has acknowledged the follow) mutes it instead with chance
    ``mute_instead_prob``: the tie stays (the followee keeps the follower and is not told),
    the followee's items stop reaching the reader's home feed (:func:`sim.engine.feed.
    followee_items`). A mute is logged with the unfollow's reason; muting a followee already
    muted changes nothing. Returns which of the unfollows are not carried out."""
    follows = model.follows
    pos, found = follows.find(src, dst)
    pos = np.where(found, pos, 0)
    related = found & (follows.attrs["ack"][pos] | follows.contains(dst, src))
    candidates = np.flatnonzero(related)
    keep = np.zeros(len(src), dtype=bool)
    keep[candidates[model.rng.random(len(candidates)) < model.params["mute_instead_prob"]]] = True
    muted = follows.attrs["muted"]
    new = np.flatnonzero(keep & ~muted[pos])
    new = np.sort(new[unique_first(pos[new])[1]])  # one mute per tie, in the batch's order
    if len(new):
        muted[pos[new]] = True
        pick = lambda v: _per_edge(v, src.shape)[new]  # noqa: E731
        model.events.record(
            model.hour, rs.MUTE, src[new], dst[new], pick(reason), *map(pick, values)
        )
    return keep


def block(model: Party, src, dst, reason, mentions=0.0) -> None:
    """``src`` blocks ``dst``: ties both ways are cut and ``dst`` can no longer reach ``src``."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    added = model.blocks.add(src, dst)
    if len(added) == 0:
        return
    s, d = src[added], dst[added]
    cut_src, cut_dst = np.concatenate((s, d)), np.concatenate((d, s))  # np.r_: ~10 µs a call
    cut = model.follows.remove(cut_src, cut_dst)
    count_each(model.count["followers_lost_to_blocks"], cut_dst[cut])
    was = np.zeros(len(cut_src), dtype=bool)
    was[cut] = True  # which of the two ties existed (and were cut): s -> d, then d -> s
    model.events.record(
        model.hour,
        rs.BLOCK,
        s,
        d,
        reason,
        np.broadcast_to(np.asarray(mentions, dtype=float), src.shape)[added],
        was[: len(s)].astype(float),
        was[len(s) :].astype(float),
    )
    count_each(model.count["blocks_received"], d)


def count_each(counter: np.ndarray, who: np.ndarray) -> None:
    """One more in ``counter`` for each account in ``who`` (repeats count each time): a
    bincount added, or, with the compiled loops on, a loop (a few µs less for the hour's few
    tie changes)."""
    if kernels.enabled():
        from sim.engine.loops import ties as loops

        loops.count_each(counter, who)
    else:
        counter += np.bincount(who, minlength=len(counter))


def _per_edge(value, shape: tuple[int]) -> np.ndarray:
    """``value`` (one per edge, or one for all) as an array of ``shape``; an array that has
    the shape already is used as it is (np.broadcast_to costs several µs a call)."""
    if isinstance(value, np.ndarray) and value.shape == shape:
        return value
    return np.broadcast_to(np.asarray(value), shape)


def block_after_mentions(model: Party, readers: np.ndarray, senders: np.ndarray) -> None:
    """Count unsolicited promotional mentions per (reader, sender); block at tolerance."""
    hits_r, hits_s, hits_n = [], [], []
    for r, s in zip(readers.tolist(), senders.tolist(), strict=True):
        key = r * model.n + s
        seen = model.blast_counts.get(key, 0) + 1
        model.blast_counts[key] = seen
        if seen >= model.acct["block_tolerance"][r]:
            hits_r.append(r)
            hits_s.append(s)
            hits_n.append(seen)
    if hits_r:
        block(model, hits_r, hits_s, rs.BLOCK_MENTIONS, np.array(hits_n, dtype=float))


def follow_back_decisions(
    model: Party, follower: np.ndarray, followee: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rule *follow back*: does ``followee`` follow ``follower`` back, and why.

    ``auto`` accounts follow every new follower back. ``screen`` accounts look at the
    newcomer's profile first: it must have posted, share at least one of their rooms, and its
    recent posts must be no more promotional than the screener's own ``promo_tolerance``
    (sales-only accounts are not followed back). ``never`` accounts do not follow back, nor
    does anyone with more than ``follow_back_max_followers`` followers.
    """
    policy = model.follow_back[followee]
    share = model.promo_share[follower]
    shares_room = (model.interest_mask[follower] & model.interest_mask[followee]) != 0
    screened = (
        (policy == SCREEN)
        & model.has_posted[follower]
        & shares_room
        & (share <= model.acct["promo_tolerance"][followee])
    )
    auto = policy == AUTO
    busy = model.follows.in_degree[followee] > model.params["follow_back_max_followers"]
    back = (auto | screened) & ~busy
    return back, np.where(auto, rs.FOLLOW_BACK_AUTO, rs.FOLLOW_BACK_SCREEN)


def follow_back_phase(model: Party, online: np.ndarray) -> None:
    """Online accounts look at their new followers (notices wait until they are online)."""
    if not model.follow_notices:
        return
    waiting = model.follow_notices
    notices = waiting[0] if len(waiting) == 1 else np.concatenate(waiting, axis=1)
    follower, followee = notices[0], notices[1]
    now = online[followee]
    if not now.any():  # nobody online to look (the rule draws no random numbers)
        model.follow_notices = [notices]
        return
    later = ~now
    model.follow_notices = [notices[:, later]] if later.any() else []
    follower, followee = follower[now], followee[now]
    if kernels.enabled():  # the same decisions in one loop
        from sim.engine.loops import ties as loops

        back, reason = loops.follow_back_decisions_for(model, follower, followee)
    else:
        back, reason = follow_back_decisions(model, follower, followee)
        back &= model.follows.contains(follower, followee)
    if not back.any():
        return
    follow(
        model,
        followee[back],
        follower[back],
        reason[back],
        model.promo_share[follower[back]],
        model.acct["promo_tolerance"][followee[back]],
    )


def unfollow_phase(model: Party, reading: Reading) -> None:
    """Rules *flood* and *too promotional*: unfollow a followee that floods the feed or whose
    recent posts are more promotional than one tolerates; the chance is scaled by the tie's
    relationships (see :func:`_one_way_boost`) and by the reader's ``pruning_propensity``
    (rule *pruning*: some people prune, most rarely do)."""
    p, acct = model.params, model.acct
    if kernels.enabled():
        from sim.engine.loops import ties as loops

        boost = relationship_factor(model, np.arange(3.0))  # by number of relationships
        r, b, flood, fields = loops.flood_and_promo_unfollows_for(model, reading, boost)
        reason = np.where(flood, rs.UNFOLLOW_FLOOD, rs.UNFOLLOW_PROMO)
        unfollow(model, r, b, reason, *fields)
        return
    home = np.flatnonzero(reading.source == HOME)
    reader, poster = reading.reader[home], model.posts["author"][reading.post[home]]
    seen, acked = reading.edge_seen[home], reading.edge_ack[home]
    # flood: one chance per flooded (reader, followee) pair per hour
    flooded = np.flatnonzero(seen > acct["flood_tolerance"][reader])
    key = reader[flooded] * model.n + poster[flooded]
    flooded = flooded[unique_first(key)[1]]
    boost = _one_way_boost(model, reader[flooded], poster[flooded], acked[flooded])
    boost = boost * acct["pruning_propensity"][reader[flooded]]
    flood = flooded[model.rng.random(len(flooded)) < p["unfollow_flood_prob"] * boost]
    # too promotional: a chance with every promotional item read from such a followee
    promo = np.flatnonzero(
        (model.posts["kind"][reading.post[home]] == PROMO)
        & (model.promo_share[poster] > acct["promo_tolerance"][reader])
    )
    boost = _one_way_boost(model, reader[promo], poster[promo], acked[promo])
    boost = boost * acct["pruning_propensity"][reader[promo]]
    promo = promo[model.rng.random(len(promo)) < p["unfollow_promo_prob"] * boost]
    # both kinds of unfollow in one batch (flood first, so it is the recorded reason)
    r, b = reader[flood], poster[flood]
    pr, pb = reader[promo], poster[promo]
    cat = np.concatenate
    unfollow(
        model,
        cat((r, pr)),
        cat((b, pb)),
        cat((np.full(len(r), rs.UNFOLLOW_FLOOD), np.full(len(pr), rs.UNFOLLOW_PROMO))),
        # fields: flood (share of feed, items from them, feed items, tolerance);
        # too promotional (promo share, promo tolerance)
        cat((seen[flood] / np.maximum(model.feed_total[r], 1e-12), model.promo_share[pb])),
        cat((seen[flood], acct["promo_tolerance"][pr])),
        cat((model.feed_total[r], np.zeros(len(pr)))),
        cat((acct["flood_tolerance"][r], np.zeros(len(pr)))),
    )


def _one_way_boost(model: Party, reader, followee, acked) -> np.ndarray:
    """The relationship factor of an unfollow chance: ``one_way_unfollow_boost`` ^ (1 - the
    number of relationships), counting the followee following back and having acknowledged
    the reader: x boost for a one-way, never acknowledged tie, x 1 with one relationship,
    / boost with both (what the relationship is worth protects the tie)."""
    return relationship_factor(
        model, acked.astype(float) + model.follows.contains(followee, reader)
    )


def relationship_factor(model: Party, n_relationships: np.ndarray) -> np.ndarray:
    """``one_way_unfollow_boost`` ^ (1 - the number of relationships) (see _one_way_boost)."""
    return model.params["one_way_unfollow_boost"] ** (1.0 - n_relationships)
