"""Being online and posting: the daily rhythm, scheduled posts, blasting.

One step is one simulated hour. An account is online in a waking hour of its own time zone
with its ``activity_prob`` (evenings a little more); scheduled posts go out at fixed hours
whether or not the owner is online.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine.posts import INFO, MENTION, PROMO

if TYPE_CHECKING:
    from sim.engine.model import PartyModel

# How likely one is online at each local hour, relative to activity_prob: the night 00-07
# (night_activity, see day_curve), the working day, a stronger evening.
DAY_CURVE = np.array([0] * 8 + [1.0] * 10 + [1.4] * 5 + [0.6], dtype=float)
NIGHT_HOURS = 8


def day_curve(night_activity: float) -> np.ndarray:
    """The daily curve with the night hours at ``night_activity`` (low, not zero)."""
    curve = DAY_CURVE.copy()
    curve[:NIGHT_HOURS] = night_activity
    return curve


def session_start_prob(base, stay_prob: float):
    """Chance of starting a session when offline, so that with sessions going on with
    ``stay_prob`` the long-run share of hours online is still ``base``:
    base = s / (1 - stay + stay * s)  =>  s = base (1 - stay) / (1 - stay * base)."""
    return base * (1.0 - stay_prob) / (1.0 - stay_prob * base)


QUALITY_SD = 0.15
REPOST_MIN_GAP_STEPS = 6


def schedule_table(first_hour: int, n_hours: int) -> np.ndarray:
    """Posts per local hour for k = 0..24 scheduled posts a day spread over ``n_hours`` hours
    starting at ``first_hour``: row k, column local hour."""
    table = np.zeros((25, 24), dtype=np.int64)
    for k in range(1, 25):
        hours = (first_hour + (np.arange(k) * n_hours) // k) % 24
        table[k] = np.bincount(hours, minlength=24)
    return table


DAY_SCHEDULE = schedule_table(9, 12)  # 09:00-20:59 local
NIGHT_SCHEDULE = schedule_table(1, 6)  # 01:00-06:59 local


def online_now(model: PartyModel) -> np.ndarray:
    """Rule *online* (sessions): who is online this hour (bool per account).

    Base chance b = min(``activity_prob`` x the daily curve at the local hour, 1), with the
    night at ``night_activity``. An account online last hour stays on with
    ``session_stay_prob`` (its session goes on), else comes online like an offline account,
    with the start chance that keeps the share of hours online at b (bursty, not more)."""
    local = (model.hour_of_day + model.tz) % 24
    curve = day_curve(model.params["night_activity"])
    base = np.minimum(model.acct["activity_prob"] * curve[local], 1.0)
    stay = model.params["session_stay_prob"]
    u = model.rng.random(model.n)
    start = session_start_prob(base, stay)
    online = np.where(model.was_online, u < stay + (1.0 - stay) * start, u < start)
    model.was_online = online
    model.n_hours_online += online
    return online


def scheduled_now(model: PartyModel) -> np.ndarray:
    """Rule *scheduling*: scheduled posts each account sends this hour (0 for most).

    ``own_day``/``own_night`` use the owner's time zone; ``audience_day`` the most common time
    zone among its current followers (recomputed once a day, at 00:00 UTC).
    """
    counts = np.zeros(model.n, dtype=np.int64)
    who = model.schedulers
    if len(who) == 0:
        return counts
    if model.hour_of_day == 0 or model.audience_tz is None:
        model.audience_tz = audience_time_zones(model, who)
    local = (model.hour_of_day + model.audience_tz) % 24
    k = model.acct["scheduled_per_day"][who].astype(np.int64)
    night = model.schedule_mode[who] == 2
    counts[who] = np.where(night, NIGHT_SCHEDULE[k, local], DAY_SCHEDULE[k, local])
    return counts


def audience_time_zones(model: PartyModel, who: np.ndarray) -> np.ndarray:
    """Reference time zone for each scheduler: its own, or its followers' most common one."""
    tz = model.tz[who].copy()
    audience = model.schedule_mode[who] == 1
    if not audience.any():
        return tz
    src, dst = model.follows.src, model.follows.dst
    slot = np.full(model.n, -1)
    slot[who[audience]] = np.arange(audience.sum())
    mine = slot[dst] >= 0
    table = np.zeros((audience.sum(), 27), dtype=np.int64)
    np.add.at(table, (slot[dst[mine]], model.tz[src[mine]] + 12), 1)
    has_followers = table.sum(axis=1) > 0
    chosen = np.where(has_followers, table.argmax(axis=1) - 12, tz[audience])
    tz[audience] = chosen
    return tz


def post_phase(model: PartyModel, online: np.ndarray) -> None:
    """Rules *posting*, *scheduling*, *reposting* and *blasting* for this hour."""
    rng, acct = model.rng, model.acct
    n_own = np.where(online, rng.poisson(acct["posts_per_hour"]), 0)
    n_sched = scheduled_now(model)
    authors = np.repeat(np.arange(model.n), n_own + n_sched)
    # within each author's run, the first n_own items are by hand, the rest scheduled
    run_start = np.repeat(np.cumsum(n_own + n_sched) - (n_own + n_sched), n_own + n_sched)
    automated = (np.arange(len(authors)) - run_start) >= n_own[authors]
    if len(authors):
        publish_originals(model, authors, automated)
    blast(model, online)


def publish_originals(model: PartyModel, authors: np.ndarray, automated: np.ndarray) -> None:
    """Draw kind, quality, link and room of new original posts; some re-post older content."""
    rng, acct, posts = model.rng, model.acct, model.posts
    m = len(authors)
    kind = (rng.random(m)[:, None] > model.content_cum[authors, :-1]).sum(axis=1)
    quality = np.clip(acct["quality_mean"][authors] + rng.normal(0, QUALITY_SD, m), 0, 1)
    link = (kind == PROMO) | ((kind == INFO) & (rng.random(m) < acct["link_prob"][authors]))
    room = model.pick_rooms(authors, tagged=rng.random(m) < acct["hashtag_prob"][authors])
    columns = {
        "author": authors,
        "kind": kind,
        "quality": quality,
        "link": link,
        "room": room,
        "step": model.hour,
        "automated": automated,
    }
    last = model.last_original[authors]
    repost = (rng.random(m) < acct["repost_prob"][authors]) & (last >= 0)
    repost[repost] &= posts["step"][last[repost]] <= model.hour - REPOST_MIN_GAP_STEPS
    if repost.any():
        src = last[repost]
        for name in ("kind", "quality", "link"):
            columns[name][repost] = posts[name][src]
        content = np.arange(posts.size, posts.size + m, dtype=np.int64)
        content[repost] = posts["content"][src]
        columns["content"] = content
    idx = posts.append(**columns)
    model.last_original[authors] = idx  # the last one wins for authors with several


def blast(model: PartyModel, online: np.ndarray) -> None:
    """Rule *blasting*: unsolicited promotional mentions to strangers met in one's rooms."""
    rate = model.acct["promo_mentions_per_hour"]
    if not rate.any():
        return
    n = np.where(online, model.rng.poisson(rate), 0)
    authors = np.repeat(np.arange(model.n), n)
    if len(authors) == 0:
        return
    room = model.pick_rooms(authors, tagged=np.ones(len(authors), dtype=bool))
    targets = model.random_room_member(room)
    ok = targets != authors
    authors, room, targets = authors[ok], room[ok], targets[ok]
    m = len(authors)
    quality = np.clip(
        model.acct["quality_mean"][authors] + model.rng.normal(0, QUALITY_SD, m), 0, 1
    )
    model.posts.append(
        author=authors,
        form=np.full(m, MENTION),
        kind=np.full(m, PROMO),
        quality=quality,
        link=np.ones(m, dtype=bool),
        room=room,
        target=targets,
        step=model.hour,
    )
