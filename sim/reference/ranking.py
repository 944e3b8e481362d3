"""Reference engine, ranked home feeds (``engagement``, ``for_you``): one reader at a time.

The same rules as sim/engine/ranking.py (docs/FEEDS.md), written for reading: score every candidate,
apply the author-diversity discount, fill the out-of-network quota and the in-network rest,
give slots one side cannot fill to the best items left.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.engine.posts import ORIGINAL, REPLY, RETWEET
from sim.reference.party import Item

if TYPE_CHECKING:
    from sim.reference.agents import Account
    from sim.reference.party import ReferenceParty

RECOMMENDED = "recommended"


def ranked_home_feed(m: ReferenceParty, a: Account, budget: int, inn: list[Item]):
    """(in-network items read, out-of-network items read) for reader ``a`` from its
    in-network candidates ``inn`` (the chronological feed's, 7.9)."""
    for_you = m.params["feed"] == "for_you"
    oon = out_of_network_candidates(m, a, inn) if for_you else []
    scored = [[score(m, a, it), it, False] for it in inn] + [
        [score(m, a, it), it, True] for it in oon
    ]
    if for_you and m.params["author_diversity_decay"] < 1.0:
        seen_of: dict[int, int] = {}
        for entry in sorted(scored, key=lambda e: (-e[0], -e[1].index)):
            k = seen_of.get(entry[1].author, 0)
            seen_of[entry[1].author] = k + 1
            entry[0] *= m.params["author_diversity_decay"] ** float(k)
    share = m.params["for_you_out_of_network_share"] if for_you else 0.0
    quota_out = math.floor(share * budget + 0.5)
    best = sorted(scored, key=lambda e: (-e[0], -e[1].index))
    picked = [e for e in best if e[2]][:quota_out] + [e for e in best if not e[2]][
        : budget - quota_out
    ]
    chosen = {id(e) for e in picked}
    left = budget - len(picked)
    picked += [e for e in best if id(e) not in chosen][: max(left, 0)]
    return [e[1] for e in picked if not e[2]], [e[1] for e in picked if e[2]]


def score(m: ReferenceParty, a: Account, it: Item) -> float:
    """Recency x (1 + w x ln(1 + engagement of the content)) x (1 + w x ln(1 + my
    interactions with its author))."""
    p = m.params
    orig = m.items[it.orig]
    engagement = float(orig.retweets + orig.replies)
    talks = float(interactions(m).get((a.index, it.orig_author), 0))
    return (
        0.5 ** ((m.hour - it.step) / p["ranking_half_life_steps"])
        * (1.0 + p["ranking_engagement_weight"] * math.log1p(engagement))
        * (1.0 + p["ranking_affinity_weight"] * math.log1p(talks))
    )


def interactions(m: ReferenceParty) -> dict[tuple[int, int], int]:
    """(sender, addressee) -> items addressed in the last ``ranking_memory_steps`` hours."""
    key = (m.hour, len(m.items))
    if getattr(m, "_talks_key", None) != key:
        counts: dict[tuple[int, int], int] = {}
        for it in m.items[m.first_item_since(m.hour - m.params["ranking_memory_steps"] + 1) :]:
            if it.target >= 0:
                counts[(it.author, it.target)] = counts.get((it.author, it.target), 0) + 1
        m._talks_key, m._talks = key, counts
    return m._talks


def out_of_network_candidates(m: ReferenceParty, a: Account, inn: list[Item]) -> list[Item]:
    """Originals my followees engaged with since I last looked, and the most engaged new
    posts of my rooms: in the feed window, not mine, by accounts I neither follow nor
    blocked, not already in my in-network candidates."""
    found: list[Item] = []
    for f in m.graph.successors(a.index):
        for it in m.window.get(f, ()):
            if it.index < a.seen_upto or it.form not in (RETWEET, REPLY):
                continue
            if it.form == RETWEET:
                found.append(m.items[it.orig])
            elif m.accounts[it.target].last_original is not None:
                found.append(m.accounts[it.target].last_original)
    k = int(m.params["for_you_room_candidates"])
    for room in a.rooms:
        found += [it for it in popular_originals(m).get(room, [])[:k] if it.index >= a.seen_upto]
    lo = m.first_item_since(m.hour - m.params["feed_window_steps"] + 1)
    shown = {it.orig for it in inn}
    out: dict[int, Item] = {}
    for it in found:
        if (
            it.index >= lo
            and it.author != a.index
            and not m.follows(a.index, it.author)
            and (a.index, it.author) not in m.blocks
            and it.index not in shown
        ):
            out[it.index] = it
    return [out[i] for i in sorted(out)]


def popular_originals(m: ReferenceParty) -> dict[int, list[Item]]:
    """Room -> its original posts in the feed window, most engaged first (newest first among
    equals); computed once an hour."""
    key = (m.hour, len(m.items))
    if getattr(m, "_popular_key", None) != key:
        lo = m.first_item_since(m.hour - m.params["feed_window_steps"] + 1)
        rooms: dict[int, list[Item]] = {}
        for it in m.items[lo:]:
            if it.room >= 0 and it.form == ORIGINAL:
                rooms.setdefault(it.room, []).append(it)
        for items in rooms.values():
            items.sort(key=lambda it: (-(it.retweets + it.replies), -it.index))
        m._popular_key, m._popular = key, rooms
    return m._popular
