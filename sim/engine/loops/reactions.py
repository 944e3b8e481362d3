"""Compiled loops of :mod:`sim.engine.reactions`: the reaction rules' decisions and what they change.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine.loops.base import distinct_in, edge_at, is_edge
from sim.engine.loops.rng import generator


@njit(cache=True, inline="always", error_model="numpy")
def _own_words_quality(rng, chosen, reader, quality_mean):
    """The quality, before clipping, of the items written for the rows ``chosen``: the
    writer's ``quality_mean`` + N(0, 0.15), drawn in row order (``reactions.own_words``)."""
    rows = np.nonzero(chosen)[0]
    out = np.empty(len(rows))
    for k in range(len(rows)):
        out[k] = quality_mean[reader[rows[k]]] + rng.normal(0.0, 0.15)
    return out


# the parameters react_items reads, in the order of its ``p`` argument
REACT_PARAMS = (
    "offtopic_relevance",
    "personal_boost",
    "stranger_social_value",
    "one_way_social_value",
    "notice_value",
    "click_base_prob",
    "trust_base",
    "trust_ack",
    "trust_person",
    "trust_promo_penalty",
    "retweet_base_prob",
    "know_retweet_boost",
    "acquainted_retweet_boost",
    "reply_base_prob",
    "question_reply_boost",
    "follow_base_prob",
    "follow_saturation",
    "profile_promo_penalty",
    "profile_flood_penalty",
    "notice_follow_boost",
)


@njit(cache=True, inline="always", error_model="numpy")
def _promo_excess(promo_share, promo_tolerance, reader, author):
    tolerance = promo_tolerance[reader]
    over = promo_share[author] - tolerance
    return min(max(over / max(1.0 - tolerance, 1e-9), 0.0), 1.0)


@njit(cache=True, error_model="numpy")
def react_items(
    rng_handle,
    reader,
    item,
    author,
    orig_author,
    form,
    kind,
    room,
    quality,
    appeal,
    link,
    target,
    interest_mask,
    appetite,
    promo_share,
    automated_share,
    daily_items,
    promo_tolerance,
    profile_tolerance,
    retweet_propensity,
    reply_propensity,
    thank_prob,
    follow_propensity,
    quality_mean,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    ack,
    out_degree,
    b_flags,
    b_bits,
    b_offsets,
    b_keys,
    n,
    p,
    passable,
    impressions,
    reads,
    social,
    question,
    original,
    retweet_form,
    mention,
    promo,
    source,
    room_source,
    follow_codes,
    home_source,
    edge_ack,
):
    """The reaction rules' decisions for every item read (:func:`sim.engine.reactions.
    react_phase` up to the state changes): the value of each item (``item_value``), the
    impressions and reads counted (``count_impressions``, in place), and which items are
    clicked, retweeted, replied to, thanked for and whose author is followed, with the random
    numbers drawn from ``rng`` in the numpy code's order (clicks, retweets, replies and their
    quality, thanks and their quality, follows). Also the rows that are promotional mentions
    addressed to the reader (the block rule looks at them after this hour's follows).
    ``author``, ``orig_author``, ``form``, ``kind`` and ``source`` are per row read; the
    other item columns are the post store's; ``edge_ack`` is the Reading's (whether the home
    feed's follow edge was acknowledged). For the follows, also whom each follows and why
    (``reactions._follows``: ``follow_codes`` are the reasons FOLLOW_FEED, FOLLOW_ROOM,
    FOLLOW_RETWEET, FOLLOW_NOTICE; the reason's field: the room, the retweeter, the form)."""
    rng = generator(rng_handle)
    # the edge sets' look-up arrays (passed one by one: a tuple costs ~15 µs per array to pass)
    follows = (f_flags, f_bits, f_offsets, f_keys)
    blocks = (b_flags, b_bits, b_offsets, b_keys)
    m = len(reader)
    value = np.empty(m)
    rt_notice = np.zeros(m, dtype=np.bool_)
    addressed = np.zeros(m, dtype=np.bool_)
    follows_orig = np.zeros(m, dtype=np.bool_)
    related = np.zeros(m, dtype=np.bool_)
    acquainted = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r, it, oa = reader[i], item[i], orig_author[i]
        rt_notice[i] = form[i] == retweet_form and oa == r
        addressed[i] = target[it] == r and not rt_notice[i]
        if source[i] == home_source and form[i] != retweet_form:
            # read at home from its author: the follow edge the feed read it through (the
            # reader's ties have not changed since)
            follows_orig[i] = True
            acquainted[i] = edge_ack[i]
        elif is_edge(follows, n, r, oa):
            follows_orig[i] = True
            acquainted[i] = ack[edge_at(follows[2], follows[3], n, r, oa)]
        related[i] = acquainted[i] or is_edge(follows, n, oa, r)
        # rule value
        rm = room[it]
        in_rooms = (interest_mask[r] >> np.uint64(max(rm, 0))) & np.uint64(1)
        relevance = 1.0 if (rm < 0 or in_rooms == 1) else p[0]
        v = quality[it] * appetite[r, kind[i]] * relevance
        v = v * (p[1] if addressed[i] else 1.0)
        if kind[i] == social and not addressed[i] and not rt_notice[i]:
            if not follows_orig[i]:
                if p[2] != 1.0:
                    v *= p[2]
            elif not related[i] and p[3] != 1.0:
                v *= p[3]
        if rt_notice[i]:
            v = p[4] * (1.0 - promo_share[author[i]])
        value[i] = v
        if not rt_notice[i]:  # an impression for the content's author, a read of the item
            impressions[oa] += 1
            reads[it] += 1
    # rule click
    clicked = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r, oa = reader[i], orig_author[i]
        if link[item[i]] and oa != r:
            acked = 1.0 if related[i] else 0.0
            t = (
                p[6]
                + p[7] * acked
                + p[8] * (1.0 - automated_share[oa])
                - p[9] * _promo_excess(promo_share, promo_tolerance, r, oa)
            )
            t = min(max(t, 0.0), 1.0)
            clicked[i] = rng.random() < p[5] * value[i] * t
    # rule retweet
    retweeted = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r, oa = reader[i], orig_author[i]
        if passable[form[i]] and oa != r:
            prob = (
                p[10]
                * value[i]
                * retweet_propensity[r]
                * (p[11] if follows_orig[i] else 1.0)
                * (p[12] if acquainted[i] else 1.0)
                * appeal[item[i]]
            )
            retweeted[i] = rng.random() < min(prob, 1.0)
    # rule reply, then the replies' quality
    replied = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r = reader[i]
        if not rt_notice[i] and orig_author[i] != r:
            q = p[14] if (kind[i] == question and form[i] == original) else 1.0
            prob = p[13] * value[i] * reply_propensity[r] * q
            replied[i] = rng.random() < min(prob, 1.0)
    reply_quality = _own_words_quality(rng, replied, reader, quality_mean)
    # rule thanks, then the thanks' quality
    thanked = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        if rt_notice[i]:
            thanked[i] = rng.random() < thank_prob[reader[i]]
    thank_quality = _own_words_quality(rng, thanked, reader, quality_mean)
    # rule follow: the content's author (or whoever retweeted my post)
    followed = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        r = reader[i]
        c = author[i] if rt_notice[i] else orig_author[i]
        if c == r or not follow_propensity[r] > 0:
            continue
        if follows_orig[i] if c == orig_author[i] else is_edge(follows, n, r, c):
            continue
        if is_edge(blocks, n, r, c) or is_edge(blocks, n, c, r):
            continue
        saturation = 1.0 / (1.0 + out_degree[r] / p[16])
        rate = daily_items[c]
        tolerance = profile_tolerance[r]  # rule 7.16 (reactions.update_profile_tolerance)
        flood = max(1.0 - tolerance / max(rate, 1e-12), 0.0)
        profile = (1.0 - p[17] * _promo_excess(promo_share, promo_tolerance, r, c)) * (
            1.0 - p[18] * flood
        )
        noticed = addressed[i] or rt_notice[i]
        prob = (
            p[15]
            * value[i]
            * follow_propensity[r]
            * saturation
            * profile
            * (p[19] if noticed else 1.0)
        )
        followed[i] = rng.random() < min(prob, 1.0)
    mentions = np.zeros(m, dtype=np.bool_)
    for i in range(m):
        mentions[i] = addressed[i] and form[i] == mention and kind[i] == promo
    # whom each follow is of, and why: the first that applies of noticed, a retweet, read in
    # a room, else from the feed
    follow_rows = followed.nonzero()[0]
    whom = np.empty(len(follow_rows), dtype=np.int64)
    why = np.empty(len(follow_rows), dtype=np.int64)
    field = np.zeros(len(follow_rows), dtype=np.int64)
    for j in range(len(follow_rows)):
        i = follow_rows[j]
        whom[j] = author[i] if rt_notice[i] else orig_author[i]
        if addressed[i] or rt_notice[i]:
            why[j], field[j] = follow_codes[3], form[i]
        elif form[i] == retweet_form:
            why[j], field[j] = follow_codes[2], author[i]
        elif source[i] == room_source:
            why[j], field[j] = follow_codes[1], room[item[i]]
        else:
            why[j] = follow_codes[0]
    return (
        value,
        clicked.nonzero()[0],
        retweeted.nonzero()[0],
        replied.nonzero()[0],
        reply_quality,
        thanked.nonzero()[0],
        thank_quality,
        follow_rows,
        whom,
        why,
        field,
        mentions.nonzero()[0],
        rt_notice,
        addressed,
    )


@njit(cache=True, error_model="numpy")
def react_outcomes(
    reader,
    item,
    author,
    orig_author,
    kind,
    clicked,
    retweeted,
    replied,
    reply_quality,
    thanked,
    thank_quality,
    orig,
    content,
    quality,
    appeal,
    link,
    room,
    retweets,
    replies,
    col_author,
    col_form,
    col_kind,
    col_orig_author,
    col_target,
    col_step,
    col_parent,
    retweet_log,
    shift,
    clicks,
    retweets_received,
    replies_received,
    retweets_made,
    replies_made,
    start,
    hour,
    retweet_form,
    reply_form,
    thanks_form,
    social,
):
    """What the reaction rules' decisions change (:func:`sim.engine.reactions.click`,
    ``retweet``, ``reply`` and ``thank`` after their draws): the counters and the items'
    retweet and reply counts (in place), the retweets that pass (a reader retweets a post
    once: ``retweet_log`` holds reader x ``shift`` + post, sorted) and the new items, in the
    order the numpy code appends them (retweets, replies, thanks), written into the post
    store's columns from row ``start`` on (the columns have room for them; the caller counts
    them in: :meth:`sim.engine.posts.PostStore.commit`). Returns (the log keys to add, where
    they go, the number of new items)."""
    for i in clicked:
        clicks[orig_author[i]] += 1
    # retweets: the first of each (reader, post) in this batch, if not in the log before
    h = len(retweeted)
    rk = np.empty(h, dtype=np.int64)
    for j in range(h):
        i = retweeted[j]
        rk[j] = reader[i] * shift + orig[item[i]]
    keys, first, where, found = distinct_in(rk, retweet_log)
    log_new, log_pos = keys[~found], where[~found]
    once = np.zeros(h, dtype=np.bool_)
    once[first[~found]] = True
    c = len(log_new)
    w = start  # the next new item's row
    for j in range(h):
        if not once[j]:
            continue
        i = retweeted[j]
        it, o = item[i], orig[item[i]]
        retweets[o] += 1
        retweets_made[reader[i]] += 1
        retweets_received[orig_author[i]] += 1
        col_author[w], col_form[w], col_kind[w] = reader[i], retweet_form, kind[i]
        orig[w], col_orig_author[w], content[w] = o, orig_author[i], content[it]
        room[w], quality[w], appeal[w] = room[it], quality[it], appeal[it]
        link[w], col_target[w], col_step[w] = link[it], orig_author[i], hour
        col_parent[w] = it  # the item read: the post itself or a retweet of it
        w += 1
    for j in range(len(replied)):
        i = replied[j]
        replies[item[i]] += 1
        replies_made[reader[i]] += 1
        replies_received[orig_author[i]] += 1
        col_author[w], col_form[w], col_kind[w] = reader[i], reply_form, social
        orig[w], col_orig_author[w], content[w] = w, reader[i], w
        room[w], quality[w] = room[item[i]], min(max(reply_quality[j], 0.0), 1.0)
        appeal[w], link[w], col_target[w], col_step[w] = 1.0, False, orig_author[i], hour
        w += 1
    for j in range(len(thanked)):
        i = thanked[j]
        col_author[w], col_form[w], col_kind[w] = reader[i], thanks_form, social
        orig[w], col_orig_author[w], content[w] = w, reader[i], w
        room[w], quality[w] = -1, min(max(thank_quality[j], 0.0), 1.0)
        appeal[w], link[w], col_target[w], col_step[w] = 1.0, False, author[i], hour
        w += 1
    return log_new[:c], log_pos[:c], w - start
