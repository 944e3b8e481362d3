"""Everyday unfollows: ties that are no longer worth keeping.

Every follow edge keeps a *worth*: a running average of the value (rule *value*) of the items
its reader has read from the followee at home. Now and then a reader looks again at one of its
followees and keeps the tie only if it is still worth something: the tie's value is its worth
(nothing if the followee has gone silent) plus ``relationship_value`` for each of two
relationships, the followee following back and the followee having acknowledged the reader
(replied to, mentioned, retweeted or thanked them). So mutual and acknowledged ties last longer
by mechanism: the relationship is part of what the reader gets from the tie. No rule here
looks at anyone's strategy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine import kernels
from sim.engine import reasons as rs
from sim.engine.feed import HOME
from sim.engine.ties import unfollow

if TYPE_CHECKING:
    from sim.engine.feed import Reading
    from sim.engine.party import Party


def update_worth(model: Party, reading: Reading, value: np.ndarray) -> None:
    """Rule *tie worth*: each follow edge's worth moves towards the value of the items read
    from the followee at home this hour (``tie_worth_memory_items`` items of memory; several
    items in one hour count as their mean, weighted by their number)."""
    if kernels.enabled():
        from sim.engine.loops import everyday as loops
        from sim.engine.loops.base import rows_of_reading

        touched, n_items, mean = loops.worth_updates(
            rows_of_reading(reading), value, model.posts.items(), model.follows.lookup_arrays()
        )
        if len(touched):
            keep = (1.0 - 1.0 / model.params["tie_worth_memory_items"]) ** n_items
            loops.move_worth(model.follows.attrs["worth"], touched, keep, mean)
        return
    home = np.flatnonzero(reading.source == HOME)
    if len(home) == 0:
        return
    poster = model.posts["author"][reading.post[home]].astype(np.int64)
    pos, found = model.follows.find(reading.reader[home], poster)
    pos, v = pos[found], value[home][found]
    n_items = np.bincount(pos, minlength=len(model.follows))
    touched = np.flatnonzero(n_items)
    mean = np.bincount(pos, weights=v, minlength=len(model.follows))[touched] / n_items[touched]
    keep = (1.0 - 1.0 / model.params["tie_worth_memory_items"]) ** n_items[touched]
    worth = model.follows.attrs["worth"]
    worth[touched] = keep * worth[touched] + (1.0 - keep) * mean


def tie_value(model: Party, reader, followee, pos) -> tuple[np.ndarray, np.ndarray]:
    """What a tie (edge ``pos``) is worth to its reader: the followee's items (nothing once
    silent) plus the relationship. Returns (value, hours the followee has been silent)."""
    p, f = model.params, model.follows
    silent_hours = model.hour - model.last_item_step[followee]
    items = np.where(silent_hours > p["silence_steps"], 0.0, f.attrs["worth"][pos])
    mutual = f.contains(followee, reader)
    relation = p["relationship_value"] * (mutual.astype(float) + f.attrs["ack"][pos])
    return items + relation, silent_hours


def everyday_unfollow_phase(model: Party, online: np.ndarray) -> None:
    """Rule *everyday unfollow*: with ``tie_review_prob`` x its ``pruning_propensity`` an
    online account looks at one of its followees at random and drops the tie if its value
    is below ``unfollow_value_floor`` (below ``cleanup_value_floor`` while it follows more
    than ``feed_capacity`` accounts).
    The reason recorded: *gone silent* if the followee has posted nothing for
    ``silence_steps`` hours, else *feed clean-up* if only the clean-up floor condemns it, else
    *not worth reading*."""
    p, f = model.params, model.follows
    if kernels.enabled():
        from sim.engine.loops import everyday as loops

        r, b, why, fields = loops.everyday_unfollows_for(model, online)
        unfollow(model, r, b, why, *fields)
        return
    readers = np.flatnonzero(online)
    start, end = f.out_ranges(readers)
    review_prob = p["tie_review_prob"] * model.acct["pruning_propensity"][readers]
    review = (end > start) & (model.rng.random(len(readers)) < review_prob)
    readers, start, end = readers[review], start[review], end[review]
    if len(readers) == 0:
        return
    pos = start + np.floor(model.rng.random(len(readers)) * (end - start)).astype(np.int64)
    followee = f.keys[pos] % model.n
    value, silent_hours = tie_value(model, readers, followee, pos)
    following = f.out_degree[readers]
    crowded = following > p["feed_capacity"]
    floor = np.where(crowded, p["cleanup_value_floor"], p["unfollow_value_floor"])
    drop = value < floor
    silent = silent_hours > p["silence_steps"]
    reason = np.where(
        silent,
        rs.UNFOLLOW_SILENT,
        np.where(value < p["unfollow_value_floor"], rs.UNFOLLOW_IRRELEVANT, rs.UNFOLLOW_CLEANUP),
    )
    r, b, why = readers[drop], followee[drop], reason[drop]
    v, hours, n_following = value[drop], silent_hours[drop], following[drop]
    # fields per reason: silent (hours, value); irrelevant (value, floor);
    # clean-up (following, capacity, value)
    unfollow(
        model,
        r,
        b,
        why,
        np.select(
            [why == rs.UNFOLLOW_SILENT, why == rs.UNFOLLOW_IRRELEVANT], [hours, v], n_following
        ),
        np.select(
            [why == rs.UNFOLLOW_SILENT, why == rs.UNFOLLOW_IRRELEVANT],
            [v, np.full(len(v), p["unfollow_value_floor"])],
            p["feed_capacity"],
        ),
        np.where(why == rs.UNFOLLOW_CLEANUP, v, 0.0),
    )
