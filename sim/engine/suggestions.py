"""Who to follow: suggestions shown to online accounts.

Model parameters ``follow_suggestions`` (``none`` | ``popular`` | ``friends_of_friends``) and
``follow_suggestion_rate`` (suggestions per online hour). A *popular* suggestion is an account
drawn in proportion to its followers (the end of a random follow edge); a *friends of friends*
suggestion is a random followee of a random followee. The reader looks at the suggested
account's last original post and follows through the shared follow rule
(:func:`sim.engine.reactions.follow_prob`) on that post's value to it. Suggestions by popularity feed
popularity (Su, Sharma and Goel, WWW 2016, found that recommendations raise inequality).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine import reasons as rs
from sim.engine.feed import ROOM, Reading
from sim.engine.reactions import ReadItems, follow_prob
from sim.engine.ties import follow

if TYPE_CHECKING:
    from sim.engine.party import Party

SOURCES = ("popular", "friends_of_friends")  # the event field ``source``: 0 or 1


def suggestion_phase(model: Party, online: np.ndarray) -> None:
    """Rule *who to follow*: each online account sees Poisson(``follow_suggestion_rate``)
    suggestions; it considers only accounts it does not follow (nor blocked either way) that
    have posted, and follows with the shared follow probability."""
    mode, rate = model.params["follow_suggestions"], model.params["follow_suggestion_rate"]
    f = model.follows
    if mode == "none" or rate <= 0 or len(f) == 0:
        return
    readers = np.flatnonzero(online)
    reader = np.repeat(readers, model.rng.poisson(rate, len(readers)))
    if mode == "popular":
        cand = f.keys[np.floor(model.rng.random(len(reader)) * len(f)).astype(np.int64)] % model.n
    else:
        cand = np.full(len(reader), -1)
        mid = random_followee(model, reader)
        has = mid >= 0
        cand[has] = random_followee(model, mid[has])
    ok = (cand >= 0) & (cand != reader)
    reader, cand = reader[ok], cand[ok]
    ok = ~f.contains(reader, cand) & (model.last_original[cand] >= 0)
    if len(model.blocks):
        ok &= ~model.blocks.contains(reader, cand) & ~model.blocks.contains(cand, reader)
    reader, cand = reader[ok], cand[ok]
    post = model.last_original[cand]
    m = len(reader)
    value = ReadItems(model, Reading(reader, post, np.full(m, ROOM, np.int8), np.zeros(m),
                                np.zeros(m, bool))).value  # fmt: skip
    won = model.rng.random(m) < follow_prob(model, reader, cand, value, np.zeros(m, bool))
    reader, cand = reader[won], cand[won]
    source = SOURCES.index(mode)
    follow(model, reader, cand, rs.FOLLOW_SUGGESTED, source, f.in_degree[cand].astype(float))


def random_followee(model: Party, who: np.ndarray) -> np.ndarray:
    """A uniformly random followee of each account (-1 where it follows no one)."""
    start, end = model.follows.out_ranges(who)
    pick = start + np.floor(model.rng.random(len(who)) * (end - start)).astype(np.int64)
    out = np.full(len(who), -1, dtype=np.int64)
    has = end > start
    out[has] = model.follows.keys[pick[has]] % model.n
    return out
