"""Reference engine, the issue-11 rules one account at a time: tie worth, everyday
unfollows and who-to-follow suggestions (docs/MODEL.md 7.22-7.24)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.engine import reasons as rs

if TYPE_CHECKING:
    from sim.reference.party import ReferenceParty

HOME = "home"


def update_worth(m: ReferenceParty, reading, decisions) -> None:
    """7.22: each tie's worth moves towards the mean value of the items read from the
    followee at home this hour, with memory ``tie_worth_memory_items`` items."""
    values: dict[tuple[int, int], list[float]] = {}
    for (a, item, source), d in zip(reading, decisions, strict=True):
        if source == HOME and m.follows(a.index, item.author):
            values.setdefault((a.index, item.author), []).append(d.value)
    keep_one = 1.0 - 1.0 / m.params["tie_worth_memory_items"]
    for (u, v), vals in values.items():
        keep = keep_one ** len(vals)
        data = m.graph[u][v]
        data["worth"] = keep * data["worth"] + (1.0 - keep) * (sum(vals) / len(vals))


def tie_value(m: ReferenceParty, u: int, v: int) -> tuple[float, int]:
    """What u's tie to v is worth to u: v's items (nothing once silent) plus the relationship
    (v follows u back; v acknowledged u). Returns (value, hours v has been silent)."""
    p, data = m.params, m.graph[u][v]
    silent_hours = m.hour - m.accounts[v].last_item_step
    items = 0.0 if silent_hours > p["silence_steps"] else data["worth"]
    relationships = int(m.follows(v, u)) + int(data["ack"])
    return items + p["relationship_value"] * relationships, silent_hours


def everyday_unfollow(m: ReferenceParty, online: list) -> None:
    """7.23: an online account looks at one random followee with ``tie_review_prob`` x its
    ``pruning_propensity`` and
    drops the tie if it is worth less than the floor (the clean-up floor while it follows
    more than ``feed_capacity`` accounts)."""
    p = m.params
    going = []
    for a in online:
        followees = sorted(m.graph.successors(a.index))
        review_prob = p["tie_review_prob"] * a.traits["pruning_propensity"]  # 7.26
        if not followees or m.rng.random() >= review_prob:
            continue
        b = followees[int(m.rng.random() * len(followees))]
        value, silent_hours = tie_value(m, a.index, b)
        crowded = len(followees) > p["feed_capacity"]
        floor = p["cleanup_value_floor"] if crowded else p["unfollow_value_floor"]
        if value >= floor:
            continue
        if silent_hours > p["silence_steps"]:
            going.append((a.index, b, rs.UNFOLLOW_SILENT))
        elif value < p["unfollow_value_floor"]:
            going.append((a.index, b, rs.UNFOLLOW_IRRELEVANT))
        else:
            going.append((a.index, b, rs.UNFOLLOW_CLEANUP))
    for u, v, reason in going:
        m.unfollow_edge(u, v, reason)


def suggest(m: ReferenceParty, online: list) -> None:
    """7.24: each online account sees Poisson(``follow_suggestion_rate``) suggestions
    (popular: the end of a random follow edge; friends of friends: a random followee's random
    followee) and follows with the shared follow probability on the value of the suggested
    account's last original post."""
    mode, rate = m.params["follow_suggestions"], m.params["follow_suggestion_rate"]
    if mode == "none" or rate <= 0:
        return
    edges = sorted(m.graph.edges)
    if not edges:
        return
    picks = []
    for a in online:
        for _ in range(m.rng.poisson(rate)):
            if mode == "popular":
                c = edges[int(m.rng.random() * len(edges))][1]
            else:
                c = random_followee(m, random_followee(m, a.index))
            picks.append((a, c))
    for a, c in picks:
        if c < 0 or c == a.index or m.follows(a.index, c) or m.blocked_either(a.index, c):
            continue
        post = m.accounts[c].last_original
        if post is None:
            continue
        prob = a.follow_probability(m.accounts[c], a.value_of(post), noticed=False)
        if m.rng.random() < prob:
            m.follow(a.index, c, rs.FOLLOW_SUGGESTED)


def random_followee(m: ReferenceParty, i: int) -> int:
    """A random followee of account i (-1 if none or if i is -1)."""
    if i < 0:
        return -1
    followees = sorted(m.graph.successors(i))
    return followees[int(m.rng.random() * len(followees))] if followees else -1
