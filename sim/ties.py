"""Ties that form and break: follow, follow back, unfollow, block.

Edge ``u -> v`` means "u follows v" (v's followers are its in-edges). Every change of a tie
goes through :func:`follow`, :func:`unfollow` or :func:`block`, which update the graph, the
counters and the event log together; "why did this account unfollow that one?" is answered
here and in :mod:`sim.events`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import events as ev
from sim.feed import HOME, Reading
from sim.posts import PROMO

if TYPE_CHECKING:
    from sim.model import PartyModel

AUTO, SCREEN, NEVER = 0, 1, 2


def follow(model: PartyModel, src, dst, reason, x=0.0, y=0.0, z=0) -> None:
    """``src`` follows ``dst`` (never across a block); new followers are notified so the
    followee can follow back."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    values = [np.broadcast_to(np.asarray(v), src.shape) for v in (reason, x, y, z)]
    if len(model.blocks):
        ok = ~model.blocks.contains(src, dst) & ~model.blocks.contains(dst, src)
        src, dst, values = src[ok], dst[ok], [v[ok] for v in values]
    added = model.follows.add(src, dst)
    if len(added) == 0:
        return
    s, d = src[added], dst[added]
    model.events.record(model.hour, ev.FOLLOW, s, d, *(v[added] for v in values))
    model.count["followers_gained"] += np.bincount(d, minlength=model.n)
    model.follow_notices.append(np.stack([s, d, np.full(len(s), model.hour)]))


def unfollow(model: PartyModel, src, dst, reason, x=0.0, y=0.0, z=0) -> None:
    """``src`` stops following ``dst``."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    removed = model.follows.remove(src, dst)
    if len(removed) == 0:
        return
    pick = lambda v: np.broadcast_to(np.asarray(v), src.shape)[removed]  # noqa: E731
    model.events.record(
        model.hour, ev.UNFOLLOW, src[removed], dst[removed], pick(reason), pick(x), pick(y), pick(z)
    )
    model.count["unfollows_received"] += np.bincount(dst[removed], minlength=model.n)


def block(model: PartyModel, src, dst, reason, x=0.0) -> None:
    """``src`` blocks ``dst``: ties both ways are cut and ``dst`` can no longer reach ``src``."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    added = model.blocks.add(src, dst)
    if len(added) == 0:
        return
    s, d = src[added], dst[added]
    model.follows.remove(np.r_[s, d], np.r_[d, s])
    model.events.record(
        model.hour,
        ev.BLOCK,
        s,
        d,
        reason,
        np.broadcast_to(np.asarray(x, dtype=float), src.shape)[added],
    )
    model.count["blocks_received"] += np.bincount(d, minlength=model.n)


def block_after_mentions(model: PartyModel, readers: np.ndarray, senders: np.ndarray) -> None:
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
        block(model, hits_r, hits_s, ev.BLOCK_MENTIONS, x=np.array(hits_n, dtype=float))


def follow_back_decisions(
    model: PartyModel, follower: np.ndarray, followee: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rule *follow back*: does ``followee`` follow ``follower`` back, and why.

    ``auto`` accounts follow every new follower back. ``screen`` accounts look at the
    newcomer's profile first: it must have posted, share at least one of their rooms, and its
    recent posts must be at most ``screen_promo_max`` promotional (sales-only accounts are not
    followed back). ``never`` accounts do not follow back.
    """
    policy = model.follow_back[followee]
    share = model.promo_share[follower]
    shares_room = (model.interest_mask[follower] & model.interest_mask[followee]) != 0
    screened = (
        (policy == SCREEN)
        & model.has_posted[follower]
        & shares_room
        & (share <= model.p["screen_promo_max"])
    )
    auto = policy == AUTO
    return auto | screened, np.where(auto, ev.FOLLOW_BACK_AUTO, ev.FOLLOW_BACK_SCREEN)


def follow_back_phase(model: PartyModel, online: np.ndarray) -> None:
    """Online accounts look at their new followers (notices wait until they are online)."""
    if not model.follow_notices:
        return
    notices = np.concatenate(model.follow_notices, axis=1)
    follower, followee = notices[0], notices[1]
    now = online[followee]
    model.follow_notices = [notices[:, ~now]] if (~now).any() else []
    follower, followee = follower[now], followee[now]
    back, reason = follow_back_decisions(model, follower, followee)
    back &= model.follows.contains(follower, followee)
    follow(
        model,
        followee[back],
        follower[back],
        reason[back],
        x=model.promo_share[follower[back]],
        y=model.p["screen_promo_max"],
    )


def feed_shares(model: PartyModel, reading: Reading) -> tuple[np.ndarray, np.ndarray]:
    """Update each follower's running count of items per followee (about one day's worth)
    and its total; returns (reader, followee) of home items read this hour."""
    decay = np.exp(-1.0 / model.p["flood_memory_steps"])
    model.follows.attrs["seen"] *= decay
    model.feed_total *= decay
    home = reading.source == HOME
    reader, poster = reading.reader[home], model.posts["author"][reading.post[home]]
    pos, found = model.follows.find(reader, poster)
    np.add.at(model.follows.attrs["seen"], pos[found], 1.0)
    model.feed_total += np.bincount(reader, minlength=model.n)
    return reader, poster


def unfollow_phase(model: PartyModel, reading: Reading) -> None:
    """Rules *flood* and *too promotional*: unfollow a followee that floods the feed or whose
    recent posts are more promotional than one tolerates; ``one_way_unfollow_boost`` times
    more readily when the tie is one-way and was never acknowledged."""
    p, acct = model.p, model.acct
    reader, poster = feed_shares(model, reading)
    kind = model.posts["kind"][reading.post[reading.source == HOME]]
    key = np.unique(reader * model.n + poster)
    r, b = key // model.n, key % model.n
    pos, found = model.follows.find(r, b)
    r, b, pos = r[found], b[found], pos[found]
    seen = model.follows.attrs["seen"][pos]
    lonely = ~model.follows.attrs["ack"][pos] & ~model.follows.contains(b, r)
    boost = np.where(lonely, p["one_way_unfollow_boost"], 1.0)
    flooded = seen > acct["flood_tolerance"][r]
    go = flooded & (model.rng.random(len(r)) < p["unfollow_flood_prob"] * boost)
    unfollow(
        model,
        r[go],
        b[go],
        ev.UNFOLLOW_FLOOD,
        x=seen[go],
        y=model.feed_total[r[go]],
        z=acct["flood_tolerance"][r[go]].astype(np.int64),
    )
    promo = kind == PROMO
    pr, pb = reader[promo], poster[promo]
    too = model.promo_share[pb] > acct["promo_tolerance"][pr]
    pr, pb = pr[too], pb[too]
    pos, found = model.follows.find(pr, pb)
    pr, pb, pos = pr[found], pb[found], pos[found]
    lonely = ~model.follows.attrs["ack"][pos] & ~model.follows.contains(pb, pr)
    prob = p["unfollow_promo_prob"] * np.where(lonely, p["one_way_unfollow_boost"], 1.0)
    go = model.rng.random(len(pr)) < prob
    unfollow(
        model,
        pr[go],
        pb[go],
        ev.UNFOLLOW_PROMO,
        x=model.promo_share[pb[go]],
        y=acct["promo_tolerance"][pr[go]],
    )
