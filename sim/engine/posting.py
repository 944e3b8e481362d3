"""Being online and posting: the daily rhythm, scheduled posts, blasting.

One step is one simulated hour. An account is online in sessions, separated by absences of
heavy-tailed length, mostly in the waking hours of its own time zone (``activity_prob``,
evenings a little more); scheduled posts go out at fixed hours whether or not the owner is
online.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.engine import kernels
from sim.engine.edges import flatnonzero, trues
from sim.engine.posts import INFO, MENTION, PROMO

if TYPE_CHECKING:
    from sim.engine.party import Party

# How likely one is online at each local hour, relative to activity_prob: the night 00-07
# (night_activity, see day_curve), the working day, a stronger evening.
DAY_CURVE = np.array([0] * 8 + [1.0] * 10 + [1.4] * 5 + [0.6], dtype=float)
DAY_CURVE_PEAK = DAY_CURVE.max()
NIGHT_HOURS = 8


WEEK_HOURS = 7 * 24  # hour 0 of a party is a Monday, 00:00 UTC
WEEKEND_FROM = 5 * 24  # Saturday 00:00, in hours since Monday 00:00


def curve_hour(hour, tz, weekend_shift):
    """Rule *week*: the hour of the daily curve an account lives at ``hour`` (hours since the
    party's Monday 00:00 UTC) in time zone ``tz``: its local hour, on a local Saturday or
    Sunday ``weekend_shift`` hours earlier (the weekend's day starts and ends later). Scalars
    or arrays; the compiled twin is :func:`sim.engine.loops.posting.online_hour`."""
    local = hour + tz
    weekend = (local % WEEK_HOURS) >= WEEKEND_FROM
    return (local - np.where(weekend, int(weekend_shift), 0)) % 24


def day_curve(night_activity: float) -> np.ndarray:
    """The daily curve with the night hours at ``night_activity`` (low, not zero)."""
    curve = DAY_CURVE.copy()
    curve[:NIGHT_HOURS] = night_activity
    return curve


def mean_online_share(activity, night_activity: float):
    """The share of its hours an account with ``activity`` (its ``activity_prob``) is online
    over a day: the mean over the 24 local hours of min(activity x the daily curve, 1)."""
    curve = day_curve(night_activity)
    values, hours = np.unique(curve, return_counts=True)
    total = sum(h * np.minimum(activity * v, 1.0) for v, h in zip(values, hours, strict=True))
    return total / 24.0


AWAY_OFFSET = 1.5  # hours: see mean_away_hours


def mean_away_hours(share, stay_prob: float):
    """Mean absence, in waking hours, that keeps the share of hours online at ``share`` when
    sessions last L = 1 / (1 - stay_prob) hours on average: L (1 - share) / share hours
    away, less ``AWAY_OFFSET`` for the hour of return and the wait for a waking hour after
    the absence has run out (measured: the share online then stays within 5% of ``share``
    for ``session_stay_prob`` 0.5-0.9); inf for ``share`` 0."""
    length = 1.0 / (1.0 - stay_prob)
    share = np.asarray(share, dtype=float)
    with np.errstate(divide="ignore"):
        away = length * (1.0 - share) / share - AWAY_OFFSET
    return np.maximum(away, 0.0)


def draw_absence(rng: np.random.Generator, share, stay_prob: float, shape: float):
    """Rule *absence*: how long (in waking hours) an account stays away after a session:
    Weibull(``shape``) scaled to the mean :func:`mean_away_hours` (shape 1: exponential,
    memoryless; below 1: many short breaks and a few long absences)."""
    scale = absence_scale(share, stay_prob, shape)
    with np.errstate(invalid="ignore"):  # an account never online stays away (inf)
        return scale * rng.weibull(shape, np.shape(share))


def absence_scale(share, stay_prob: float, shape: float):
    """The Weibull scale of :func:`draw_absence` for accounts online ``share`` of their
    hours (fixed per account: :func:`initial_absence` keeps it for every later absence)."""
    return mean_away_hours(np.asarray(share, dtype=float), stay_prob) / math.gamma(1 + 1 / shape)


def initial_absence(model: Party) -> None:
    """At the start everyone is offline, part-way through an absence: a uniform share of one
    drawn absence is left (an approximation of a process that has been running). Each
    account's share of hours online (:func:`mean_online_share`) is fixed: kept, not
    recomputed every hour."""
    p = model.params
    share = mean_online_share(model.acct["activity_prob"], p["night_activity"])
    model.online_share[:] = share
    model._absence_scale = absence_scale(share, p["session_stay_prob"], p["away_shape"])
    away = draw_absence(model.rng, share, p["session_stay_prob"], p["away_shape"])
    model.away_left[:] = model.rng.random(model.n) * away


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


def online_now(model: Party) -> np.ndarray:
    """Rules *online* (sessions) and *absence*: who is online this hour (bool per account).

    An account online last hour stays on with ``session_stay_prob`` (its session goes on);
    when a session ends it stays away for a drawn time (:func:`draw_absence`, in waking
    hours). An hour away counts as b / b_day waking hours, where b = min(``activity_prob`` x
    the daily curve at the local hour, 1) (the night at ``night_activity``) and b_day is b's
    mean over the day, so a night hour counts little. Once the absence has run out the
    account comes back in an hour with chance b / b_peak (b_peak: its busiest hour's b), so
    it comes back in its waking hours. A new session draws its intensity
    (:func:`draw_intensity`)."""
    p = model.params
    if kernels.enabled():  # the same sessions from the same draws, in one loop
        from sim.engine.loops import posting as loops

        online, started, normal = loops.online_hour_for(
            model, day_curve(p["night_activity"]), DAY_CURVE_PEAK
        )
    else:
        online, started = _sessions(model)
        normal = None  # drawn by draw_intensity
    if model.n_absent:  # rule joining: never online before signing up (the draws unchanged)
        if normal is None:
            normal = model.rng.standard_normal(len(started))
        there = model.present[started]
        started, normal = started[there], normal[there]
        online &= model.present
    model.session_intensity[started] = draw_intensity(
        model.rng, len(started), p["session_intensity_spread"], normal
    )
    model.was_online[:] = online
    model.n_hours_online += online
    return online


def _sessions(model: Party) -> tuple[np.ndarray, np.ndarray]:
    """:func:`online_now`'s sessions and absences in numpy: who is online this hour and whose
    session starts; the absences of the sessions that end are drawn (``away_left``)."""
    p = model.params
    act = model.acct["activity_prob"]
    local = curve_hour(model.hour, model.tz, p["weekend_shift"])
    base = np.minimum(act * day_curve(p["night_activity"])[local], 1.0)
    share = model.online_share
    peak = np.minimum(act * DAY_CURVE_PEAK, 1.0)
    was = model.was_online
    going_on = was & (model.rng.random(model.n) < p["session_stay_prob"])
    away = ~was
    # hours away count b / b_day each (0 for those online: subtracting 0 changes nothing)
    weight = np.divide(base, share, out=np.zeros(model.n), where=away & (share > 0))
    model.away_left -= weight
    back = away & (model.away_left <= 0) & (model.rng.random(model.n) * peak < base)
    ended = flatnonzero(was & ~going_on)
    # draw_absence for the accounts whose session ended (their scales kept: the same values;
    # an account never online, whose scale is inf, has no session to end)
    model.away_left[ended] = model._absence_scale[ended] * model.rng.weibull(
        p["away_shape"], len(ended)
    )
    return going_on | back, flatnonzero(back)


def draw_intensity(
    rng: np.random.Generator, m: int, spread: float, normal: np.ndarray | None = None
) -> np.ndarray:
    """Rule *session intensity*: how busy ``m`` new sessions are, a factor on the account's
    ``posts_per_hour`` for the whole session: lognormal with mean 1 and sd ``spread`` of its
    log (most sessions quiet, a few with a burst of posts). ``normal``: its ``m`` standard
    normal draws if already drawn from ``rng`` (the compiled sessions loop draws them)."""
    if normal is None:
        return mean_one_lognormal(rng, m, spread)
    return mean_one_from_normal(normal, spread)


def scheduled_now(model: Party) -> np.ndarray:
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
    counts[who] = _schedule_day(model)[model.hour_of_day]
    if model.n_absent:  # rule joining: nothing scheduled before signing up
        counts[~model.present] = 0
    return counts


def _schedule_day(model: Party) -> np.ndarray:
    """Each scheduler's posts at each UTC hour of the day (24 x schedulers), from its
    ``scheduled_per_day``, mode and reference time zone; made again whenever one of those
    arrays is replaced (the reference time zones: once a day)."""
    made_from = (
        model.audience_tz,
        model.schedulers,
        model.schedule_mode,
        model.acct["scheduled_per_day"],
    )
    kept = model._schedule_cache
    if kept is not None and all(a is b for a, b in zip(kept[0], made_from, strict=True)):
        return kept[1]
    who = model.schedulers
    local = (np.arange(24)[:, None] + model.audience_tz[None, :]) % 24
    k = model.acct["scheduled_per_day"][who].astype(np.int64)[None, :]
    night = (model.schedule_mode[who] == 2)[None, :]
    day = np.where(night, NIGHT_SCHEDULE[k, local], DAY_SCHEDULE[k, local])
    model._schedule_cache = (made_from, day)
    return day


def audience_time_zones(model: Party, who: np.ndarray) -> np.ndarray:
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


def post_phase(model: Party, online: np.ndarray) -> None:
    """Rules *posting*, *scheduling*, *reposting* and *blasting* for this hour."""
    rng, acct = model.rng, model.acct
    if kernels.enabled():  # the same authors from the same draws, in one loop
        from sim.engine.loops import posting as c
        from sim.engine.loops.rng import generator_handle

        authors, automated = c.hour_authors(
            generator_handle(rng),
            online,
            acct["posts_per_hour"],
            model.session_intensity,
            scheduled_now(model),
        )
    else:
        n_own = np.where(online, rng.poisson(acct["posts_per_hour"] * model.session_intensity), 0)
        n_sched = scheduled_now(model)
        authors = np.repeat(np.arange(model.n), n_own + n_sched)
        # within each author's run, the first n_own items are by hand, the rest scheduled
        run_start = np.repeat(np.cumsum(n_own + n_sched) - (n_own + n_sched), n_own + n_sched)
        automated = (np.arange(len(authors)) - run_start) >= n_own[authors]
    if len(authors):
        publish_originals(model, authors, automated)
    blast(model, online)


def publish_originals(model: Party, authors: np.ndarray, automated: np.ndarray) -> None:
    """Draw kind, quality, link, room and appeal of new original posts; some re-post older
    content (with its kind, quality, link and appeal)."""
    if kernels.enabled():
        _publish_compiled(model, authors, automated)
        return
    rng, acct, posts = model.rng, model.acct, model.posts
    m = len(authors)
    kind = (rng.random(m)[:, None] > model.content_cum[authors, :-1]).sum(axis=1)
    quality = np.clip(acct["quality_mean"][authors] + rng.normal(0, QUALITY_SD, m), 0, 1)
    link = (kind == PROMO) | ((kind == INFO) & (rng.random(m) < acct["link_prob"][authors]))
    room = model.pick_rooms(authors, tagged=rng.random(m) < acct["hashtag_prob"][authors])
    appeal = draw_appeal(rng, m, model.params["appeal_spread"])
    columns = {
        "author": authors,
        "kind": kind,
        "quality": quality,
        "link": link,
        "room": room,
        "step": model.hour,
        "automated": automated,
        "appeal": appeal,
    }
    last = model.last_original[authors]
    repost = (rng.random(m) < acct["repost_prob"][authors]) & (last >= 0)
    repost[repost] &= posts["step"][last[repost]] <= model.hour - REPOST_MIN_GAP_STEPS
    if repost.any():
        src = last[repost]
        for name in ("kind", "quality", "link", "appeal"):
            columns[name][repost] = posts[name][src]
        content = np.arange(posts.size, posts.size + m, dtype=np.int64)
        content[repost] = posts["content"][src]
        columns["content"] = content
    idx = posts.append(**columns)
    model.last_original[authors] = idx  # the last one wins for authors with several


def _publish_compiled(model: Party, authors: np.ndarray, automated: np.ndarray) -> None:
    """:func:`publish_originals` in one compiled loop (:func:`sim.engine.loops.posting.original_posts`), from the same draws in the same order, writing the new items into the
    post store in place (:meth:`~sim.engine.posts.PostStore.room_for`)."""
    from sim.engine.loops import posting as loops

    rng = model.rng
    m = len(authors)
    u_kind = rng.random(m)
    noise = rng.normal(0, QUALITY_SD, m)
    u_link = rng.random(m)
    u_tag = rng.random(m)
    u_room = rng.random(m)  # pick_rooms' draw
    appeal = draw_appeal(rng, m, model.params["appeal_spread"])
    u_repost = rng.random(m)
    draws = (u_kind, noise, u_link, u_tag, u_room, appeal, u_repost)
    loops.original_posts_for(model, authors, automated, draws, REPOST_MIN_GAP_STEPS)


def draw_appeal(rng: np.random.Generator, m: int, spread: float) -> np.ndarray:
    """Rule *appeal*: ``m`` posts' appeal, lognormal with mean 1 and sd ``spread`` of its log
    (most posts a little below 1, a few far above: the ones that get passed on)."""
    return mean_one_lognormal(rng, m, spread)


def mean_one_lognormal(rng: np.random.Generator, m: int, spread: float) -> np.ndarray:
    """``m`` draws of exp(N(-spread^2 / 2, spread)): mean 1, median exp(-spread^2 / 2)."""
    return mean_one_from_normal(rng.standard_normal(m), spread)


def mean_one_from_normal(normal: np.ndarray, spread: float) -> np.ndarray:
    """:func:`mean_one_lognormal` from its standard normal draws: exp(spread x normal -
    spread^2 / 2), in numpy (its vectorised exp may differ from libm's in the last bit)."""
    return np.exp(spread * normal - spread**2 / 2)


def blast(model: Party, online: np.ndarray) -> None:
    """Rule *blasting*: unsolicited promotional mentions to strangers met in one's rooms."""
    rate = model.acct["promo_mentions_per_hour"]
    if kernels.enabled():  # the same mentions from the same draws, written in place
        from sim.engine.loops import posting as c
        from sim.engine.loops.rng import generator_handle

        handle = generator_handle(model.rng)
        count = c.blast_counts(handle, rate, online)
        total = int(count.sum())
        if not total:
            return
        c.blast_items_for(model, handle, count, QUALITY_SD)
        return
    if not rate.any():
        return
    # drawn for the accounts that blast only: a zero rate draws nothing (the same stream)
    blasters = rate.nonzero()[0]
    n = np.zeros(model.n, dtype=np.int64)
    n[blasters] = model.rng.poisson(rate[blasters])
    n[~online] = 0
    authors = np.repeat(np.arange(model.n), n)
    if len(authors) == 0:
        return
    room = model.pick_rooms(authors, tagged=trues(len(authors)))
    targets = model.random_room_member(room)
    ok = targets != authors
    authors, room, targets = authors[ok], room[ok], targets[ok]
    m = len(authors)
    quality = np.clip(
        model.acct["quality_mean"][authors] + model.rng.normal(0, QUALITY_SD, m), 0, 1
    )
    _publish_mentions(model, authors, room, targets, quality)


def _publish_mentions(model: Party, authors, room, targets, quality) -> None:
    """The blasted mentions as new items: promotional, with a link, tagged with the room."""
    model.posts.append(
        author=authors,
        form=MENTION,  # one value for every row
        kind=PROMO,
        quality=quality,
        link=True,
        room=room,
        target=targets,
        step=model.hour,
    )
