"""Compiled loops of :mod:`sim.engine.posting`: sessions, authors, original posts, blasts.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine.loops.rng import generator, poisson


@njit(cache=True, error_model="numpy")
def online_hour(
    rng_handle,
    hour_of_day,
    tz,
    activity,
    curve,
    curve_peak,
    share,
    was,
    stay_prob,
    away_left,
    absence_scale,
    away_shape,
):
    """:func:`sim.engine.posting.online_now` up to the new sessions' intensity: who goes on,
    who comes back, the absences (``away_left``, updated in place) of the sessions that end.
    The same draws in the same order: ``random(n)`` for staying, ``random(n)`` for coming back,
    ``weibull`` for the ended sessions, ``standard_normal`` for the new sessions' intensity
    (numba's Generator methods give numpy's values). Returns (online, the accounts whose
    session starts, their normal draws for :func:`sim.engine.posting.mean_one_from_normal`)."""
    rng = generator(rng_handle)
    n = len(activity)
    base = np.empty(n)
    for i in range(n):
        local = (hour_of_day + tz[i]) % 24
        if local < 0:
            local += 24
        base[i] = min(activity[i] * curve[local], 1.0)
    u_stay = rng.random(n)
    going_on = np.empty(n, dtype=np.bool_)
    for i in range(n):
        going_on[i] = was[i] and u_stay[i] < stay_prob
        if not was[i] and share[i] > 0:  # an hour away counts base / share waking hours
            away_left[i] -= base[i] / share[i]
    u_back = rng.random(n)
    online = np.empty(n, dtype=np.bool_)
    n_started = 0
    n_ended = 0
    for i in range(n):
        back = (
            not was[i]
            and away_left[i] <= 0
            and u_back[i] * min(activity[i] * curve_peak, 1.0) < base[i]
        )
        online[i] = going_on[i] or back
        n_started += back
        n_ended += was[i] and not going_on[i]
    weibull = rng.weibull(away_shape, n_ended)
    started = np.empty(n_started, dtype=np.int64)
    k = 0
    j = 0
    for i in range(n):
        if was[i] and not going_on[i]:
            away_left[i] = absence_scale[i] * weibull[k]
            k += 1
        elif online[i] and not was[i]:
            started[j] = i
            j += 1
    return online, started, rng.standard_normal(n_started)


@njit(cache=True, error_model="numpy")
def hour_authors(rng_handle, online, posts_per_hour, intensity, n_sched):
    """The hour's new originals' authors and whether each is scheduled
    (:func:`sim.engine.posting.post_phase`): Poisson(``posts_per_hour`` x ``intensity``)
    posts by hand (drawn for every account in turn, kept for those online), then its
    scheduled ones, in account order."""
    rng = generator(rng_handle)
    n = len(online)
    n_drawn = np.empty(n, dtype=np.int64)
    for i in range(n):
        n_drawn[i] = poisson(rng, posts_per_hour[i] * intensity[i])
    total = 0
    for i in range(n):
        total += (n_drawn[i] if online[i] else 0) + n_sched[i]
    authors = np.empty(total, dtype=np.int64)
    automated = np.empty(total, dtype=np.bool_)
    m = 0
    for i in range(n):
        n_own = n_drawn[i] if online[i] else 0
        for j in range(n_own + n_sched[i]):
            authors[m] = i
            automated[m] = j >= n_own
            m += 1
    return authors, automated


@njit(cache=True, error_model="numpy")
def original_posts(
    authors,
    automated,
    u_kind,
    noise,
    u_link,
    u_tag,
    u_room,
    appeal,
    u_repost,
    content_cum,
    quality_mean,
    link_prob,
    hashtag_prob,
    n_interests,
    interests,
    repost_prob,
    last_original,
    post_step,
    post_kind,
    post_quality,
    post_link,
    post_appeal,
    post_content,
    post_author,
    post_form,
    post_orig,
    post_orig_author,
    post_target,
    post_room,
    post_automated,
    hour,
    min_gap,
    size,
    promo,
    info,
    original,
):
    """New original posts' columns (:func:`sim.engine.posting.publish_originals`) from its
    random numbers, drawn by the caller in the numpy code's order: the kind (``u_kind``
    against the author's cumulative content shares), quality (+ ``noise``, clipped), a link
    (promotional, or informational with ``link_prob``), a room (with ``hashtag_prob``, one of
    the author's interests), ``appeal``; and re-posts of the author's last original, at least
    ``min_gap`` hours old (its kind, quality, link, appeal and content id). The items are
    written into the post store's columns (``post_``) from row ``size`` on, which have room
    for them (the caller counts them in: :meth:`sim.engine.posts.PostStore.commit`), and
    each author's ``last_original`` becomes its last new one."""
    m = len(authors)
    for i in range(m):
        a = authors[i]
        w = size + i
        k = 0
        for j in range(content_cum.shape[1] - 1):
            k += u_kind[i] > content_cum[a, j]
        quality = min(max(quality_mean[a] + noise[i], 0.0), 1.0)
        link = k == promo or (k == info and u_link[i] < link_prob[a])
        pick = interests[a, np.int64(np.floor(u_room[i] * n_interests[a]))]
        post_room[w] = pick if u_tag[i] < hashtag_prob[a] else -1
        post_appeal[w], post_content[w] = appeal[i], w
        last = last_original[a]  # (as the hour began: updated below)
        if u_repost[i] < repost_prob[a] and last >= 0 and post_step[last] <= hour - min_gap:
            k, quality, link = post_kind[last], post_quality[last], post_link[last]
            post_appeal[w], post_content[w] = post_appeal[last], post_content[last]
        post_kind[w], post_quality[w], post_link[w] = k, quality, link
        post_author[w], post_form[w], post_orig[w], post_orig_author[w] = a, original, w, a
        post_target[w], post_step[w], post_automated[w] = -1, hour, automated[i]
    for i in range(m):
        last_original[authors[i]] = size + i  # the last one wins for authors with several


@njit(cache=True, error_model="numpy")
def blast_counts(rng_handle, rate, online):
    """:func:`sim.engine.posting.blast`'s number of mentions per account: Poisson(``rate``)
    for each account with a rate above 0, in turn (online or not), kept for those online."""
    rng = generator(rng_handle)
    count = np.zeros(len(rate), dtype=np.int64)
    for i in range(len(rate)):
        if rate[i] != 0:
            drawn = poisson(rng, rate[i])
            if online[i]:
                count[i] = drawn
    return count


@njit(cache=True, error_model="numpy")
def blast_items(
    rng_handle,
    count,
    n_interests,
    interests,
    room_size,
    room_first,
    room_members,
    quality_mean,
    quality_sd,
    post_author,
    post_form,
    post_kind,
    post_orig,
    post_orig_author,
    post_content,
    post_room,
    post_quality,
    post_appeal,
    post_link,
    post_target,
    post_step,
    size,
    hour,
    mention,
    promo,
):
    """:func:`sim.engine.posting.blast`'s new mentions, ``count`` per account
    (:func:`blast_counts`): a random interest room per mention (``pick_rooms``), a random
    member of it as target (``random_room_member``), mentions of oneself dropped, then quality
    = clip(quality_mean + N(0, ``quality_sd``), 0, 1); promotional, with a link, tagged with
    the room. Written into the post store's columns (``post_``) from row ``size`` on (room for
    ``count.sum()`` rows; the caller counts them in); returns their number."""
    rng = generator(rng_handle)
    total = 0
    for i in range(len(count)):
        total += count[i]
    authors = np.empty(total, dtype=np.int64)
    m = 0
    for i in range(len(count)):
        for _ in range(count[i]):
            authors[m] = i
            m += 1
    u_room = rng.random(total)
    room = np.empty(total, dtype=np.int64)
    for k in range(total):
        a = authors[k]
        room[k] = interests[a, int(np.floor(u_room[k] * n_interests[a]))]
    u_member = rng.random(total)
    targets = np.empty(total, dtype=np.int64)
    keep = 0
    for k in range(total):
        r = room[k]
        target = room_members[room_first[r] + int(np.floor(u_member[k] * room_size[r]))]
        if target != authors[k]:  # no mentions of oneself
            authors[keep] = authors[k]
            room[keep] = r
            targets[keep] = target
            keep += 1
    noise = rng.normal(0.0, quality_sd, keep)
    for k in range(keep):
        a, w = authors[k], size + k
        post_quality[w] = min(max(quality_mean[a] + noise[k], 0.0), 1.0)
        post_author[w], post_form[w], post_kind[w], post_orig[w] = a, mention, promo, w
        post_orig_author[w], post_content[w], post_room[w] = a, w, room[k]
        post_appeal[w], post_link[w], post_target[w], post_step[w] = 1.0, True, targets[k], hour
    return keep
