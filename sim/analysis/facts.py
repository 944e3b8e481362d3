"""Metric functions of the reality check, on plain arrays.

Each function takes arrays (edges, an event table's columns, a posts table's columns) rather
than a model, so it can be checked on small hand-made inputs (tests/test_check.py).
:func:`measure_model` applies them to a finished run. Edge ``u -> v`` means "u follows v".
"""

from __future__ import annotations

import numpy as np

from sim.engine import reasons as rs
from sim.engine.posting import WEEK_HOURS, WEEKEND_FROM
from sim.engine.posts import INFO, MENTION, ORIGINAL, REPLY, RETWEET, THANKS

ACK_FORMS = (REPLY, MENTION, RETWEET, THANKS)  # forms by which a followee addresses a follower


# ---------------------------------------------------------------------- the follower graph
def reciprocity_of_edges(src, dst) -> float:
    """Share of directed edges u->v whose reverse v->u exists (``networkx.reciprocity``).

    Self-loops and duplicate edges are ignored. 0.0 for an empty graph."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    keep = src != dst
    edges = np.unique(np.c_[src[keep], dst[keep]], axis=0)
    if len(edges) == 0:
        return 0.0
    n = int(edges.max()) + 1
    return float(np.isin(edges[:, 1] * n + edges[:, 0], edges[:, 0] * n + edges[:, 1]).mean())


def mutual_pair_share(src, dst) -> float:
    """Share of connected (unordered) pairs that follow each other: Kwak et al.'s measure.

    With edge reciprocity r, it equals r / (2 - r)."""
    r = reciprocity_of_edges(src, dst)
    return r / (2 - r) if r < 2 else 0.0


def tail_ratios(followers) -> tuple[float, float]:
    """(mean / median, max / median) of follower counts: both well above 1 for a heavy tail.

    A median below 1 is taken as 1, so a party of isolated accounts does not divide by 0."""
    followers = np.asarray(followers, dtype=float)
    if len(followers) == 0:
        return 0.0, 0.0
    median = max(float(np.median(followers)), 1.0)
    return float(followers.mean()) / median, float(followers.max()) / median


def top_share(followers, top: float = 0.01) -> float:
    """Share of all followers held by the top ``top`` of accounts (at least one account).

    0.0 when nobody has a follower."""
    f = np.sort(np.asarray(followers, dtype=float))[::-1]
    total = f.sum()
    if len(f) == 0 or total <= 0:
        return 0.0
    k = max(int(round(top * len(f))), 1)
    return float(f[:k].sum() / total)


def not_followed_back_share(src, dst) -> float:
    """Among accounts that follow someone: the share that none of their followees follows
    back (Kwak et al. 2010's "not followed by any of their followings"). NaN if nobody
    follows anyone."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    if len(src) == 0:
        return float("nan")
    n = int(max(src.max(), dst.max())) + 1
    back = np.isin(dst * n + src, src * n + dst)
    followers = np.unique(src)
    followed_back = np.unique(src[back])
    return float(1.0 - len(followed_back) / len(followers))


# ---------------------------------------------------------------------- ties that break
def _first_event_per_pair(event, actor, target, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(pair key actor*n+target, event) of the first follow/unfollow of each directed pair,
    events taken in recording order."""
    event = np.asarray(event)
    mask = (event == rs.FOLLOW) | (event == rs.UNFOLLOW)
    key = np.asarray(actor, dtype=np.int64)[mask] * n + np.asarray(target, dtype=np.int64)[mask]
    first_key, first = np.unique(key, return_index=True)
    return first_key, event[mask][first]


def start_edges(src_end, dst_end, event, actor, target, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The follow edges present before the first event, rebuilt from the end state and the
    event log: a pair whose first follow/unfollow event is an unfollow existed at the start;
    an edge at the end whose pair has no follow event first existed too. (Edges cut only by a
    block, with no follow or unfollow of the pair, are missed.)"""
    src_end = np.asarray(src_end, dtype=np.int64)
    dst_end = np.asarray(dst_end, dtype=np.int64)
    first_key, first = _first_event_per_pair(event, actor, target, n)
    end_key = src_end * n + dst_end
    pos = np.searchsorted(first_key, end_key)
    pos = np.minimum(pos, max(len(first_key) - 1, 0))
    followed_later = (
        (first_key[pos] == end_key) & (first[pos] == rs.FOLLOW)
        if len(first_key)
        else np.zeros(len(end_key), bool)
    )
    keys = np.union1d(end_key[~followed_later], first_key[first == rs.UNFOLLOW])
    return keys // n, keys % n


def break_hours(src, dst, event, actor, target, step, n: int) -> np.ndarray:
    """Per edge: the hour of its first unfollow (``inf`` if never unfollowed)."""
    event = np.asarray(event)
    un = event == rs.UNFOLLOW
    key = np.asarray(actor, dtype=np.int64)[un] * n + np.asarray(target, dtype=np.int64)[un]
    hour = np.asarray(step, dtype=float)[un]
    order = np.lexsort((hour, key))
    key, hour = key[order], hour[order]
    edge = np.asarray(src, dtype=np.int64) * n + np.asarray(dst, dtype=np.int64)
    pos = np.minimum(np.searchsorted(key, edge), max(len(key) - 1, 0))
    hit = (key[pos] == edge) if len(key) else np.zeros(len(edge), bool)
    return np.where(hit, hour[pos] if len(key) else np.inf, np.inf)


def broken_share_by(flag, broken) -> tuple[float, float]:
    """(share of ties broken where ``flag`` is False, where it is True); NaN for an empty
    group."""
    flag, broken = np.asarray(flag, dtype=bool), np.asarray(broken, dtype=bool)
    off = float(broken[~flag].mean()) if (~flag).any() else float("nan")
    on = float(broken[flag].mean()) if flag.any() else float("nan")
    return off, on


def is_mutual(src, dst) -> np.ndarray:
    """Per edge u->v: does v->u exist in the same edge list?"""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    n = int(max(src.max(initial=0), dst.max(initial=0))) + 1
    return np.isin(dst * n + src, src * n + dst)


def first_ack_hours(src, dst, author, target, form, step, n: int) -> np.ndarray:
    """Per tie ``src -> dst``: the first hour the followee ``dst`` addressed the follower
    ``src`` (a reply, mention, retweet of or thanks to them; from the posts table), ``inf``
    if never."""
    form = np.asarray(form)
    target = np.asarray(target, dtype=np.int64)
    sel = np.isin(form, ACK_FORMS) & (target >= 0)
    key = np.asarray(author, dtype=np.int64)[sel] * n + target[sel]
    hour = np.asarray(step, dtype=float)[sel]
    order = np.lexsort((hour, key))
    key, hour = key[order], hour[order]  # the first hour of each (followee, follower) pair
    pair = np.asarray(dst, dtype=np.int64) * n + np.asarray(src, dtype=np.int64)
    if len(key) == 0:
        return np.full(len(pair), np.inf)
    pos = np.minimum(np.searchsorted(key, pair), len(key) - 1)
    return np.where(key[pos] == pair, hour[pos], np.inf)


def acknowledged_before(src, dst, until, author, target, form, step, n: int) -> np.ndarray:
    """Per tie: had the followee addressed the follower before hour ``until`` (the tie's
    break hour, ``inf`` if it lasted)?"""
    first = first_ack_hours(src, dst, author, target, form, step, n)
    return first < np.asarray(until, dtype=float)


def break_rates_by_acknowledgement(ack_hour, until, hours: int) -> tuple[float, float]:
    """(breaks per tie-day before acknowledgement, breaks per tie-day after it).

    A tie is at risk from hour 0 to its break (or the run's end); it counts as
    unacknowledged until the followee first addresses the follower and acknowledged after,
    so a tie that lasts longer does not look protected only because it had more time to be
    acknowledged. NaN where a state has no exposure."""
    ack_hour = np.asarray(ack_hour, dtype=float)
    until = np.asarray(until, dtype=float)
    end = np.minimum(until, float(hours))
    switch = np.minimum(ack_hour, end)
    broken = np.isfinite(until)
    acked_break = broken & (ack_hour < until)
    exposure = (switch.sum() / 24.0, (end - switch).sum() / 24.0)
    breaks = ((broken & ~acked_break).sum(), acked_break.sum())
    return tuple(
        float(b / e) if e > 0 else float("nan") for b, e in zip(breaks, exposure, strict=True)
    )


def unfollow_prevalence(event, actor, target, ordinary) -> tuple[float, float]:
    """(share of ordinary accounts that unfollowed someone, share that lost a follower to an
    unfollow); ``ordinary`` is a boolean mask over all accounts."""
    ordinary = np.asarray(ordinary, dtype=bool)
    if not ordinary.any():
        return float("nan"), float("nan")
    un = np.asarray(event) == rs.UNFOLLOW
    did = np.zeros(len(ordinary), bool)
    did[np.asarray(actor, dtype=np.int64)[un]] = True
    lost = np.zeros(len(ordinary), bool)
    lost[np.asarray(target, dtype=np.int64)[un]] = True
    return float(did[ordinary].mean()), float(lost[ordinary].mean())


# ---------------------------------------------------------------------- time and cascades
def night_trough(step, n_steps: int) -> float:
    """Items per hour at the quietest hour of day (UTC) over items per hour at the busiest,
    party-wide: 0 for a silent night, 1 for a flat day. Only hours of day the run covered
    count; NaN without items."""
    step = np.asarray(step, dtype=np.int64)
    if len(step) == 0 or n_steps <= 0:
        return float("nan")
    items = np.bincount(step % 24, minlength=24).astype(float)
    covered = np.bincount(np.arange(n_steps) % 24, minlength=24).astype(float)
    rate = items[covered > 0] / covered[covered > 0]
    return float(rate.min() / rate.max()) if rate.max() > 0 else float("nan")


DAY_STARTS = 5  # the local hour clock times are counted from (05:00: the night goes last)


def weekend_delay(author, step, utc_offset, n_steps: int | None = None) -> float:
    """How much later, in hours, accounts are active on a local Saturday or Sunday than on a
    weekday: the mean local clock time (counted from 05:00, so the small hours count as
    late) of the account-hours with at least one item, weekend - weekday. An account-hour
    counts once however many items it made (a burst is one hour of activity). With
    ``n_steps`` (the run's hours) only local days wholly inside the run count. NaN without
    account-hours on both."""
    author = np.asarray(author, dtype=np.int64)
    tz = np.asarray(utc_offset, dtype=np.int64)
    local = np.asarray(step, dtype=np.int64) + tz
    if n_steps is not None:  # the local day's first hour, in UTC hours of the run
        first = (local // 24) * 24 - tz
        keep = (first >= 0) & (first + 24 <= n_steps)
        author, local = author[keep], local[keep]
    if len(local):
        offset = int(local.min())
        pairs = np.unique(author * (int(local.max()) - offset + 1) + (local - offset))
        local = pairs % (int(local.max()) - offset + 1) + offset
    weekend = (local % WEEK_HOURS) >= WEEKEND_FROM
    if not weekend.any() or weekend.all():
        return float("nan")
    clock = (local - DAY_STARTS) % 24
    return float(clock[weekend].mean() - clock[~weekend].mean())


def link_retweet_ratio(link, retweets) -> float:
    """Retweets per original post with a link over retweets per original post without one
    (the arguments: each original post's link flag and the retweets it received), pooled
    over all authors as Suh et al. 2010 measured it (a share of retweets against a share of
    tweets). NaN without posts of both kinds or without retweets of posts without a link."""
    link = np.asarray(link, dtype=bool)
    retweets = np.asarray(retweets, dtype=float)
    if link.all() or not link.any() or retweets[~link].sum() == 0:
        return float("nan")
    return float(retweets[link].mean() / retweets[~link].mean())


def structural_virality(form, orig, parent, min_retweets: int = 10) -> float:
    """Median structural virality (Goel, Anderson, Hofman, Watts 2016) of the cascades with at
    least ``min_retweets`` retweets: a cascade is the tree of an original post and its
    retweets, each retweet joined to the item it was made from (``parent``); its virality is
    the mean distance between two of its nodes, 2(n-1)/n for one broadcast from the root and
    growing with the length of chains. Items are in publication order (a parent before its
    retweets). NaN without such a cascade."""
    form = np.asarray(form)
    orig = np.asarray(orig, dtype=np.int64)
    parent = np.asarray(parent, dtype=np.int64)
    rt = np.flatnonzero(form == RETWEET)
    size = np.ones(len(form), dtype=np.int64)  # nodes of the subtree under each item
    for i in rt[::-1].tolist():
        size[parent[i]] += size[i]
    nodes = np.bincount(orig[rt], minlength=len(form)) + 1  # of each root's whole tree
    n_tree = nodes[orig[rt]]
    # Wiener index: each tree edge (a retweet to its parent) lies on s * (n - s) paths
    paths = np.bincount(orig[rt], weights=size[rt] * (n_tree - size[rt]), minlength=len(form))
    roots = np.flatnonzero(nodes - 1 >= min_retweets)
    if len(roots) == 0:
        return float("nan")
    n = nodes[roots]
    return float(np.median(paths[roots] / (n * (n - 1) / 2)))


def follow_keys_by_hour(start_keys, event, actor, target, step, n: int, hours):
    """The follow graph at the start of each hour asked for (``hours``, ascending), as sorted
    keys ``u * n + v``: the start graph, then the log replayed in its order (a follow adds
    its tie, an unfollow removes it, a block removes both ties between the two, a mute
    changes none). Yields (hour, keys)."""
    event = np.asarray(event)
    actor = np.asarray(actor, dtype=np.int64)
    target = np.asarray(target, dtype=np.int64)
    step = np.asarray(step, dtype=np.int64)
    keep = np.isin(event, (rs.FOLLOW, rs.UNFOLLOW, rs.BLOCK))
    event, actor, target, step = event[keep], actor[keep], target[keep], step[keep]
    start_keys = np.asarray(start_keys, dtype=np.int64)
    universe = np.unique(np.concatenate([start_keys, actor * n + target, target * n + actor]))
    present = np.isin(universe, start_keys)
    forward = np.searchsorted(universe, actor * n + target)
    backward = np.searchsorted(universe, target * n + actor)
    done = 0  # events applied so far (those of hours before the one asked)
    for hour in hours:
        upto = int(np.searchsorted(step, hour, side="left"))  # the log is in time order
        for k in range(done, upto):
            if event[k] == rs.FOLLOW:
                present[forward[k]] = True
            else:  # an unfollow cuts one tie, a block both
                present[forward[k]] = False
                if event[k] == rs.BLOCK:
                    present[backward[k]] = False
        done = max(done, upto)
        yield hour, universe[present]


def one_way_retweet_ratio(start_keys, event, actor, target, step, author, form, orig, posted, n):
    """How readily one-way followers pass a post on, against mutual followers of its author,
    within the same post (Mantel-Haenszel rate ratio over original posts, as Shi, Rui,
    Whinston 2014 compare followers of the same tweet): per post, the retweets by the
    author's one-way followers per one-way follower, over those by mutual followers per
    mutual follower, the ties taken at the hour the post was published (the follow graph
    rebuilt from ``start_keys`` and the log: :func:`follow_keys_by_hour`; at the end of the
    run a retweeter has often been followed back *because* it retweeted). A retweet counts
    for the follower who made it, reached directly or through another retweet; ``posted``
    is each item's hour. NaN without retweets by mutual followers."""
    author = np.asarray(author, dtype=np.int64)
    posted = np.asarray(posted, dtype=np.int64)
    rt = np.flatnonzero(np.asarray(form) == RETWEET)
    post = np.asarray(orig, dtype=np.int64)[rt]
    by, of, hour = author[rt], author[post], posted[post]
    posts, row = np.unique(post, return_inverse=True)
    one_way_rts = np.zeros(len(posts))
    mutual_rts = np.zeros(len(posts))
    one_way_followers = np.zeros(len(posts))
    mutual_followers = np.zeros(len(posts))
    post_hour = posted[posts]
    for h, keys in follow_keys_by_hour(start_keys, event, actor, target, step, n,
                                       np.unique(post_hour).tolist()):  # fmt: skip
        mutual_edge = np.isin((keys % n) * n + keys // n, keys)
        followee = keys % n
        of_h = np.flatnonzero(post_hour == h)
        a = author[posts[of_h]]
        one_way_followers[of_h] = np.bincount(followee, weights=~mutual_edge, minlength=n)[a]
        mutual_followers[of_h] = np.bincount(followee, weights=mutual_edge, minlength=n)[a]
        mine = np.flatnonzero(hour == h)
        follows = np.isin(by[mine] * n + of[mine], keys)
        mutual = follows & np.isin(of[mine] * n + by[mine], keys)
        np.add.at(one_way_rts, row[mine], follows & ~mutual)
        np.add.at(mutual_rts, row[mine], mutual)
    a, b = one_way_followers, mutual_followers
    both = (a > 0) & (b > 0)
    total = np.where(both, a + b, 1.0)
    num = (one_way_rts * b / total)[both].sum()
    den = (mutual_rts * a / total)[both].sum()
    return float(num / den) if den > 0 else float("nan")


def attachment_exponent(followers_at_start, gained) -> float:
    """Preferential attachment's exponent beta (Kunegis, Blattner, Moser 2013): the slope of
    log(1 + follows gained during the run) on log(1 + followers at the start), over accounts
    (least squares). 0 when popularity does not matter, 1 when new followers come in
    proportion to the followers one has. NaN with fewer than 3 accounts or no spread."""
    k = np.log1p(np.asarray(followers_at_start, dtype=float))
    g = np.log1p(np.asarray(gained, dtype=float))
    if len(k) < 3 or np.ptp(k) == 0:
        return float("nan")
    return float(np.polyfit(k, g, 1)[0])


def clustering_ratio(src, dst, n: int, seed: int = 0) -> float:
    """Average clustering of the follow graph (ties taken as undirected) over the same for
    the graph with each account's number of ties kept and who they are shuffled (networkx's
    double edge swaps, 5 per tie, ``seed``): 1 when the ties form no more triangles than
    their degrees make, above 1 for friends of friends. NaN without a triangle in the
    shuffled graph."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(np.asarray(src).tolist(), np.asarray(dst).tolist(), strict=True))
    g.remove_edges_from(nx.selfloop_edges(g))
    shuffled = g.copy()
    edges = shuffled.number_of_edges()
    if edges >= 2 and n >= 4:
        try:
            nx.double_edge_swap(shuffled, nswap=5 * edges, max_tries=100 * edges, seed=seed)
        except nx.NetworkXException:  # too few swaps possible (a near-complete graph): keep
            pass  # those made, so the ratio compares with what could be shuffled
    base = nx.average_clustering(shuffled)
    return float(nx.average_clustering(g) / base) if base > 0 else float("nan")


def burstiness(times) -> float:
    """Goh & Barabasi's B = (sigma - mu) / (sigma + mu) of the gaps between consecutive
    events: -1 periodic, 0 Poisson, towards 1 bursty. NaN with fewer than two gaps or no
    spread and no gap."""
    gaps = np.diff(np.sort(np.asarray(times, dtype=float)))
    if len(gaps) < 2:
        return float("nan")
    mu, sigma = gaps.mean(), gaps.std()
    return float((sigma - mu) / (sigma + mu)) if sigma + mu > 0 else float("nan")


def median_burstiness(author, step, min_items: int = 10) -> float:
    """Median over accounts with at least ``min_items`` items of the burstiness of the gaps
    (in hours) between their items; NaN when no account qualifies."""
    author, step = np.asarray(author, dtype=np.int64), np.asarray(step, dtype=np.int64)
    order = np.lexsort((step, author))
    author, step = author[order], step[order]
    cuts = np.flatnonzero(np.diff(author)) + 1
    values = [burstiness(s) for s in np.split(step, cuts) if len(s) >= min_items]
    values = [b for b in values if np.isfinite(b)]
    return float(np.median(values)) if values else float("nan")


def info_share_by_author(author, kind, form, n: int) -> np.ndarray:
    """Per account: the share of its original posts that are informational (NaN if none)."""
    author, kind, form = np.asarray(author), np.asarray(kind), np.asarray(form)
    orig = form == ORIGINAL
    total = np.bincount(author[orig], minlength=n).astype(float)
    info = np.bincount(author[orig], weights=kind[orig] == INFO, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, info / total, np.nan)


# ---------------------------------------------------------------------- a finished run
def tie_outcomes(model) -> dict[str, float]:
    """Ties present at the start: the share broken by an unfollow, one-way against mutual
    (at the start), and the break rate per tie-day before and after the followee first
    acknowledged the follower."""
    cols, posts, n = model.events.columns(), model.posts, model.n
    e, a, t, s = cols["event"], cols["actor"], cols["target"], cols["step"]
    src, dst = start_edges(model.follows.src, model.follows.dst, e, a, t, n)
    until = break_hours(src, dst, e, a, t, s, n)
    first = first_ack_hours(
        src, dst, posts["author"], posts["target"], posts["form"], posts["step"], n
    )
    one_way, mutual = broken_share_by(is_mutual(src, dst), np.isfinite(until))
    unack, acked = break_rates_by_acknowledgement(first, until, int(model.steps))
    return {"one_way": one_way, "mutual": mutual, "unacknowledged": unack, "acknowledged": acked}


def network_measures(model) -> dict[str, float]:
    """The crowd's network over a run: one-way against mutual followers' retweets (ties at
    each post's hour), preferential attachment's exponent (followers at the start against
    follows gained, over the accounts there at the start) and clustering beyond the degrees
    (at the end)."""
    f, posts, cols, n = model.follows, model.posts, model.events.columns(), model.n
    e, a, t, s = cols["event"], cols["actor"], cols["target"], cols["step"]
    start = np.asarray(model.edges_at_start, dtype=np.int64)
    there = np.asarray(getattr(model, "join_hour", np.zeros(n)), dtype=np.int64) == 0
    gained = np.bincount(np.asarray(t, dtype=np.int64)[np.asarray(e) == rs.FOLLOW], minlength=n)
    return {
        "one_way_retweet_ratio": one_way_retweet_ratio(
            start, e, a, t, s, posts["author"], posts["form"], posts["orig"], posts["step"], n
        ),
        "attachment_exponent": attachment_exponent(
            np.bincount(start % n, minlength=n)[there], gained[there]
        ),
        "clustering_ratio": clustering_ratio(f.src, f.dst, n),
    }


# measures that cost more than the rest (the log replayed, a graph shuffled: about 1 s at the
# default party together): computed only when asked
COSTLY = ("one_way_retweet_ratio", "attachment_exponent", "clustering_ratio")


def measure_model(model, ordinary: str = "regular", names=None) -> dict[str, float]:
    """The crowd's facts for one finished run (see sim/analysis/check.py for bands and
    sources); the :data:`COSTLY` ones only if ``names`` (default: all) asks for them."""
    from sim.analysis.stats import cascade_stats

    f, posts, cols = model.follows, model.posts, model.events.columns()
    if ordinary in model.strategy_names:
        mask = model.strategy_id == model.strategy_names.index(ordinary)
    else:
        mask = np.ones(model.n, dtype=bool)
    did, lost = unfollow_prevalence(cols["event"], cols["actor"], cols["target"], mask)
    ties = tie_outcomes(model)
    orig = posts["form"] == ORIGINAL
    out = {
        "unfollowed_someone": did,
        "lost_a_follower": lost,
        "one_way_minus_mutual_broken": ties["one_way"] - ties["mutual"],
        "unacknowledged_minus_acknowledged_rate": 100
        * (ties["unacknowledged"] - ties["acknowledged"]),
        "not_followed_back": not_followed_back_share(f.src, f.dst),
        "followers_top1_share": top_share(f.in_degree, 0.01),
        "night_trough": night_trough(posts["step"], int(model.steps)),
        "burstiness": median_burstiness(posts["author"], posts["step"]),
        "one_retweet": cascade_stats(posts["retweets"][posts["form"] == ORIGINAL])[
            "share_one_retweet"
        ],
        "weekend_delay": weekend_delay(
            posts["author"], posts["step"], model.utc_offset[posts["author"]], int(model.steps)
        ),
        "link_retweet_ratio": link_retweet_ratio(posts["link"][orig], posts["retweets"][orig]),
        "cascade_virality": structural_virality(posts["form"], posts["orig"], posts["parent"]),
    }
    if names is None or any(name in names for name in COSTLY):
        out |= network_measures(model)
    return out
