"""Reactions: one rule set for every reader, whoever wrote the item.

Each item read has a *value* to its reader: the item's quality x the reader's appetite for
that kind of content x its relevance (is it tagged with one of the reader's rooms?) x the
personal boost when it is addressed to the reader. Every reaction probability is a base rate
from the registry x value x the reader's own propensity. Nothing here looks at the author's
strategy; authors differ only in what they post and how they behave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine import kernels
from sim.engine import reasons as rs
from sim.engine.edges import flatnonzero
from sim.engine.feed import ROOM, Reading, offered_items
from sim.engine.posts import (
    FORM_NAMES,
    MENTION,
    ORIGINAL,
    PROMO,
    QUESTION,
    REPLY,
    RETWEET,
    SOCIAL,
    THANKS,
)
from sim.engine.ties import block_after_mentions, follow

if TYPE_CHECKING:
    from sim.engine.party import Party

_PASSABLE = np.isin(np.arange(len(FORM_NAMES)), (ORIGINAL, RETWEET))  # by form: retweetable


def react_phase(model: Party, reading: Reading, online: np.ndarray) -> np.ndarray:
    """Apply the reaction rules to everything read this hour, in a fixed order; returns the
    value of each item read to its reader. The profile check's bound is set first for the
    accounts ``online`` this hour (they read, and who-to-follow suggests to them)."""
    update_profile_tolerance(model, flatnonzero(online))
    if len(reading) == 0:
        return np.zeros(0)
    if kernels.enabled():
        return _react_compiled(model, reading)
    read = ReadItems(model, reading)
    count_impressions(model, read)
    click(model, read)
    new_retweets = retweet(model, read)
    new_replies = reply(model, read)
    new_thanks = thank(model, read)
    follow_from_reading(model, read)
    unsolicited_mentions(model, read)
    for columns in (new_retweets, new_replies, new_thanks):
        if columns is not None:
            model.posts.append(**columns)
    return read.value


def _react_compiled(model: Party, reading: Reading) -> np.ndarray:
    """:func:`react_phase` with the rules' decisions taken in one compiled loop
    (:func:`sim.engine.loops.reactions.react_items`: the same draws in the same order); the state
    changes that follow them are the numpy code's own."""
    from sim.engine.loops import reactions as loops
    from sim.engine.loops.edges import insert_at

    read = ReadItems(model, reading, ties=False)
    rows = loops.rows_of(read, reading)
    decided = loops.react_items_for(model, rows)
    read.value, chosen = decided[0], decided[1:7]
    followed, whom, why, field, mentions, read.rt_notice, read.addressed = decided[7:]
    log_new, log_pos, n_new = loops.react_outcomes_for(model, rows, chosen)
    model.posts.commit(n_new)  # (numpy appends them after the follows and blocks: none reads items)
    log = model.retweeted
    if len(log_new):
        log.keys = insert_at(log.keys, log_pos, log_new)
    if len(followed):  # _follows, its reasons found in the loop
        follow(
            model,
            read.reader[followed],
            whom,
            why,
            read.value[followed],
            read.kind[followed],
            field,
        )
    _block_senders(model, read, mentions)
    return read.value


class ReadItems:
    """What was read this hour, one row per item read, gathered once: ``reader``, ``item`` (an
    index into the post store), ``author`` (who posted it; the retweeter for a retweet),
    ``orig_author`` (whose content it is), the reader's ties with the content's author
    (``follows_orig``: the reader follows them; ``acquainted``: ... and they acknowledged that
    follow; ``related``: they acknowledged it or follow the reader back) and the item's
    ``value`` to its reader."""

    def __init__(self, model: Party, reading: Reading, ties: bool = True) -> None:
        posts = model.posts
        self.reader, self.item, self.source = reading.reader, reading.post, reading.source
        self.author = posts["author"][self.item].astype(np.int64)
        self.orig_author = posts["orig_author"][self.item].astype(np.int64)
        self.form = posts["form"][self.item]
        self.kind = posts["kind"][self.item]
        if not ties:  # the compiled rules look the ties up themselves
            return
        # "someone retweeted my post" and "someone addressed me" (reply, mention, thanks)
        self.rt_notice = (self.form == RETWEET) & (self.orig_author == self.reader)
        self.addressed = (posts["target"][self.item] == self.reader) & ~self.rt_notice
        # the ties as they were before this hour's reactions, looked up once for all the
        # rules (the follow edges do not change until the follow rule adds some)
        follows = model.follows
        pos, self.follows_orig, back = follows.find_both_ways(self.reader, self.orig_author)
        ack = follows.attrs["ack"][pos] if len(follows) else np.zeros(len(pos), dtype=bool)
        self.acquainted = self.follows_orig & ack
        self.related = back | self.acquainted
        self.value = item_value(model, self)

    def follows_author(self, model: Party, sel: np.ndarray, who: np.ndarray) -> np.ndarray:
        """Does ``reader[sel]`` follow ``who`` (the content's author, or another account)?"""
        out = self.follows_orig[sel]
        ask = flatnonzero(who != self.orig_author[sel])
        if len(ask):
            out[ask] = model.follows.contains(self.reader[sel[ask]], who[ask])
        return out


def item_value(model: Party, it: ReadItems) -> np.ndarray:
    """Rule *value*: quality x appetite for the kind x relevance x personal boost x, for a
    social post by someone the reader does not follow, the stranger discount (by a followee
    with no relationship to the reader, the one-way discount)."""
    posts, p = model.posts, model.params
    room = posts["room"][it.item]
    in_rooms = (model.interest_mask[it.reader] >> np.maximum(room, 0).astype(np.uint64)) & 1
    relevance = np.where((room < 0) | (in_rooms == 1), 1.0, p["offtopic_relevance"])
    value = posts["quality"][it.item] * model.appetite[it.reader, it.kind] * relevance
    value = value * np.where(it.addressed, p["personal_boost"], 1.0)
    # self-talk interests those who know the author: a stranger's chat is worth less
    chat = flatnonzero((it.kind == SOCIAL) & ~it.addressed & ~it.rt_notice)
    if p["stranger_social_value"] != 1.0 and len(chat):
        stranger = chat[~it.follows_orig[chat]]
        value[stranger] *= p["stranger_social_value"]
    # ... and a followee's chat is worth less to a follower they have no relationship with
    followed = chat[it.follows_orig[chat]]
    if p["one_way_social_value"] != 1.0 and len(followed):
        value[followed[~it.related[followed]]] *= p["one_way_social_value"]
    noticed = p["notice_value"] * (1.0 - model.promo_share[it.author])
    return np.where(it.rt_notice, noticed, value)


def count_impressions(model: Party, it: ReadItems) -> None:
    """Every item read is an impression for the author of its content, and one read of the
    item itself (a retweet's reads are the retweeter's reach)."""
    others = flatnonzero(~it.rt_notice)
    model.count["impressions"] += np.bincount(it.orig_author[others], minlength=model.n)
    read = it.item[others]  # and one read of each item; all are recent: count from the oldest
    if len(read):
        lo = int(read.min())
        reads = model.posts.cols["reads"]
        reads[lo : int(read.max()) + 1] += np.bincount(read - lo).astype(reads.dtype)


def trust(
    model: Party, reader: np.ndarray, author: np.ndarray, acked: np.ndarray | None = None
) -> np.ndarray:
    """Rule *trust*: base + acknowledged + a person behind the posts - promotion beyond the
    reader's tolerance, clipped to [0, 1]. Acknowledged: the author acknowledged the
    reader's follow or follows the reader (``acked``, looked up if not given)."""
    p = model.params
    if acked is None:
        pos, found, acked = model.follows.find_both_ways(reader, author)
        acked[found] |= model.follows.attrs["ack"][pos[found]]
    t = (
        p["trust_base"]
        + p["trust_ack"] * acked
        + p["trust_person"] * (1.0 - model.automated_share[author])
        - p["trust_promo_penalty"] * promo_excess(model, reader, author)
    )
    return np.clip(t, 0.0, 1.0)


def promo_excess(model: Party, reader: np.ndarray, author: np.ndarray) -> np.ndarray:
    """How far the author's promotional share exceeds what the reader tolerates, in [0, 1]
    (0 at or below the reader's ``promo_tolerance``, 1 for an all-promotion account)."""
    tolerance = model.acct["promo_tolerance"][reader]
    over = model.promo_share[author] - tolerance
    return np.clip(over / np.maximum(1.0 - tolerance, 1e-9), 0.0, 1.0)


def update_profile_tolerance(model: Party, readers: np.ndarray | None = None) -> None:
    """Rule 7.16's profile check in the units of ``flood_tolerance`` (items *read* a day from
    one followee). A reader's followees offer it their items a day (``daily_items``); it has
    read ``feed_total`` home items a day of them lately (a running count since the start,
    scaled up by 1 / (1 - decay^hours) while it fills), a share s of what they offer (at most
    1; 1 before it has read anything at home). A candidate posting r items a day would bring
    it about s x r items read a day, beyond its tolerance when r > ``flood_tolerance`` / s:
    that bound is ``model.profile_tolerance``, set once an hour before the reactions for the
    accounts online this hour (``readers``; every account if not given), the only ones who
    follow anyone this hour (from what they read, or a suggestion): the others keep the
    bound of the last hour they were online."""
    readers = np.arange(model.n) if readers is None else readers
    offered = offered_items(model, readers)  # what its followees offer its home feed a day
    decay = np.exp(-1.0 / model.params["flood_memory_steps"])
    read = model.feed_total[readers] / (1.0 - decay ** (model.hour + 1))
    share = np.where(read > 0, np.minimum(1.0, read / np.maximum(offered, 1e-12)), 1.0)
    # a reader whose running count has decayed to almost nothing (weeks without a home read)
    # tolerates anything: the bound overflows to inf, as the rule says, without a warning
    with np.errstate(over="ignore"):
        model.profile_tolerance[readers] = model.acct["flood_tolerance"][readers] / share


def flood_excess(model: Party, reader: np.ndarray, author: np.ndarray) -> np.ndarray:
    """The share of the author's items a day (as its profile shows them) beyond what the
    reader expects to tolerate from one followee, in [0, 1): 0 within the reader's
    ``profile_tolerance`` (:func:`update_profile_tolerance`), 1 - tolerance / items a day
    above it."""
    rate = model.daily_items[author]
    tolerance = model.profile_tolerance[reader]
    return np.maximum(1.0 - tolerance / np.maximum(rate, 1e-12), 0.0)


def click(model: Party, it: ReadItems) -> None:
    """Rule *click*: a link is clicked with click_base_prob x value x trust in its author."""
    sel = flatnonzero(model.posts["link"][it.item] & (it.orig_author != it.reader))
    prob = (
        model.params["click_base_prob"]
        * it.value[sel]
        * trust(model, it.reader[sel], it.orig_author[sel], it.related[sel])
    )
    _clicks(model, it, sel[model.rng.random(len(sel)) < prob])


def _clicks(model: Party, it: ReadItems, hit: np.ndarray) -> None:
    model.count["clicks"] += np.bincount(it.orig_author[hit], minlength=model.n)


def retweet(model: Party, it: ReadItems) -> dict | None:
    """Rule *retweet*: posts and retweets of others may be passed on, more readily when the
    reader follows the content's author (people retweet those they know), and more again
    when that author has acknowledged the reader before (a relationship), and more when it
    carries a link (something to pass on); the chance is x the post's appeal (rule *appeal*),
    which for a reader who does not follow the author counts at most ``stranger_appeal_cap``
    (what makes a post special speaks to its author's audience). One retweets a post once: a
    reader meeting it again (through another retweet) does not pass it on a second time."""
    p, posts = model.params, model.posts
    ok = _PASSABLE[it.form] & (it.orig_author != it.reader)
    sel = flatnonzero(ok)
    knows, acquainted = it.follows_orig[sel], it.acquainted[sel]
    appeal = posts["appeal"][it.item[sel]]
    prob = (
        p["retweet_base_prob"]
        * it.value[sel]
        * model.acct["retweet_propensity"][it.reader[sel]]
        * np.where(knows, p["know_retweet_boost"], 1.0)
        * np.where(acquainted, p["acquainted_retweet_boost"], 1.0)
        * np.where(posts["link"][it.item[sel]], p["link_retweet_boost"], 1.0)
        * np.where(knows, appeal, np.minimum(appeal, p["stranger_appeal_cap"]))
    )
    return _pass_on(model, it, sel[model.rng.random(len(sel)) < np.minimum(prob, 1.0)])


def _pass_on(model: Party, it: ReadItems, hit: np.ndarray) -> dict | None:
    """The retweets of the rows ``hit`` (a post once per reader): counts and new items."""
    posts = model.posts
    item = it.item[hit]
    orig = posts["orig"][item]
    once = model.retweeted.first_time(it.reader[hit], orig)
    hit, item, orig = hit[once], item[once], orig[once]
    if len(hit) == 0:
        return None
    reader, orig_author = it.reader[hit], it.orig_author[hit]
    np.add.at(posts.cols["retweets"], orig, 1)
    model.n_retweets_made += np.bincount(reader, minlength=model.n)
    model.count["retweets_received"] += np.bincount(orig_author, minlength=model.n)
    return {
        "author": reader,
        "form": RETWEET,  # one value for every row
        "orig": orig,
        "parent": item,
        "orig_author": orig_author,
        "content": posts["content"][item],
        "kind": it.kind[hit],
        "quality": posts["quality"][item],
        "appeal": posts["appeal"][item],
        "link": posts["link"][item],
        "room": posts["room"][item],
        "target": orig_author,
        "step": model.hour,
    }


def reply(model: Party, it: ReadItems) -> dict | None:
    """Rule *reply*: questions draw ``question_reply_boost`` times more replies; a reply or
    mention addressed to the reader may be answered (conversations)."""
    p = model.params
    sel = flatnonzero(~it.rt_notice & (it.orig_author != it.reader))
    is_question = (it.kind[sel] == QUESTION) & (it.form[sel] == ORIGINAL)
    prob = (
        p["reply_base_prob"]
        * it.value[sel]
        * model.acct["reply_propensity"][it.reader[sel]]
        * np.where(is_question, p["question_reply_boost"], 1.0)
    )
    return _replies(model, it, sel[model.rng.random(len(sel)) < np.minimum(prob, 1.0)])


def _replies(model: Party, it: ReadItems, hit: np.ndarray, quality=None) -> dict | None:
    """The replies to the rows ``hit``: counts and new items (``quality`` as own_words)."""
    if len(hit) == 0:
        return None
    posts = model.posts
    np.add.at(posts.cols["replies"], it.item[hit], 1)
    model.n_replies_made += np.bincount(it.reader[hit], minlength=model.n)
    model.count["replies_received"] += np.bincount(it.orig_author[hit], minlength=model.n)
    return own_words(
        model,
        it.reader[hit],
        REPLY,
        target=it.orig_author[hit],
        room=posts["room"][it.item[hit]],
        drawn=quality,
    )


def thank(model: Party, it: ReadItems) -> dict | None:
    """Rule *thanks*: seeing a retweet of one's post, thank the retweeter (``thank_prob``)."""
    sel = flatnonzero(it.rt_notice)
    hit = sel[model.rng.random(len(sel)) < model.acct["thank_prob"][it.reader[sel]]]
    return _thanks(model, it, hit)


def _thanks(model: Party, it: ReadItems, hit: np.ndarray, quality=None) -> dict | None:
    if len(hit) == 0:
        return None
    return own_words(model, it.reader[hit], THANKS, target=it.author[hit], room=-1, drawn=quality)


def own_words(model: Party, authors, form, target, room, drawn=None) -> dict:
    """Columns of new social items (replies, thanks) written by ``authors``: quality is the
    author's ``quality_mean`` + N(0, 0.15), clipped to [0, 1] (``drawn``: that sum, if the
    caller drew it already)."""
    m = len(authors)
    if drawn is None:
        drawn = model.acct["quality_mean"][authors] + model.rng.normal(0, 0.15, m)
    quality = np.clip(drawn, 0, 1)
    return {
        "author": authors,
        "form": form,  # one value for every row
        "kind": SOCIAL,
        "quality": quality,
        "target": target,
        "room": room,
        "step": model.hour,
    }


def follow_from_reading(model: Party, it: ReadItems) -> None:
    """Rule *follow*: follow the content's author (or whoever retweeted my post) with
    follow_base_prob x value x propensity x saturation x profile check, boosted by
    ``notice_follow_boost`` when they addressed me."""
    noticed = it.addressed | it.rt_notice
    cand = np.where(it.rt_notice, it.author, it.orig_author)
    sel = np.flatnonzero((cand != it.reader) & (model.acct["follow_propensity"][it.reader] > 0))
    r, c = it.reader[sel], cand[sel]
    fresh = ~it.follows_author(model, sel, c)
    if len(model.blocks):
        fresh &= ~model.blocks.contains(r, c) & ~model.blocks.contains(c, r)
    sel, r, c = sel[fresh], r[fresh], c[fresh]
    prob = follow_prob(model, r, c, it.value[sel], noticed[sel])
    _follows(model, it, sel[model.rng.random(len(sel)) < prob], cand, noticed)


def _follows(model: Party, it: ReadItems, sel: np.ndarray, cand, noticed) -> None:
    """The readers of rows ``sel`` follow ``cand`` (the content's author, or whoever retweeted
    their post), each with the reason that applies (``noticed``: it addressed them)."""
    # the first that applies: noticed, a retweet, read in a room, else from the feed (nested
    # np.where: np.select costs about six times more on batches this small)
    in_room = np.where(it.source[sel] == ROOM, rs.FOLLOW_ROOM, rs.FOLLOW_FEED)
    reason = np.where(it.form[sel] == RETWEET, rs.FOLLOW_RETWEET, in_room)
    reason = np.where(noticed[sel], rs.FOLLOW_NOTICE, reason)
    z = np.where(reason == rs.FOLLOW_ROOM, model.posts["room"][it.item[sel]], 0)
    z = np.where(reason == rs.FOLLOW_RETWEET, it.author[sel], z)
    z = np.where(reason == rs.FOLLOW_NOTICE, it.form[sel], z)
    follow(model, it.reader[sel], cand[sel], reason, it.value[sel], it.kind[sel], z)


def follow_prob(model: Party, r, c, value, noticed) -> np.ndarray:
    """The shared follow probability of reader ``r`` for candidate ``c``: follow_base_prob x
    value x propensity x saturation x profile check (how promotional, how often it posts; x
    ``notice_follow_boost`` if noticed)."""
    p = model.params
    saturation = 1.0 / (1.0 + model.follows.out_degree[r] / p["follow_saturation"])
    profile = (1.0 - p["profile_promo_penalty"] * promo_excess(model, r, c)) * (
        1.0 - p["profile_flood_penalty"] * flood_excess(model, r, c)
    )
    prob = (
        p["follow_base_prob"]
        * value
        * model.acct["follow_propensity"][r]
        * saturation
        * profile
        * np.where(noticed, p["notice_follow_boost"], 1.0)
    )
    return np.minimum(prob, 1.0)


def unsolicited_mentions(model: Party, it: ReadItems) -> None:
    """Rule *block*: promotional mentions from accounts one does not follow are counted per
    sender; at ``block_tolerance`` of them the reader blocks the sender."""
    _block_senders(model, it, flatnonzero(it.addressed & (it.form == MENTION) & (it.kind == PROMO)))


def _block_senders(model: Party, it: ReadItems, sel: np.ndarray) -> None:
    """Rows ``sel`` are promotional mentions addressed to their reader: count those from
    accounts the reader does not follow (now, after this hour's follows)."""
    if len(sel) == 0:
        return
    sel = sel[~model.follows.contains(it.reader[sel], it.author[sel])]
    block_after_mentions(model, it.reader[sel], it.author[sel])
