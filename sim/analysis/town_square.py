"""The town square's reality check: facts of the global Twitter graph, and the population's size.

``partysim check town_square`` measures these facts (bands and sources here, derivations in
docs/CALIBRATION.md, "The town square") instead of the party's. Every metric takes plain
arrays (edges, follower counts, a posts table's columns), so tests can check it on hand-made
inputs; :func:`measure_town_square` applies them to a finished run. Edge ``u -> v`` means
"u follows v".
"""

from __future__ import annotations

import numpy as np

from sim.analysis.fact import INF, POSITIVE, SHARE, Fact
from sim.analysis.facts import mutual_pair_share, not_followed_back_share, top_share
from sim.analysis.tails import fit_tail
from sim.engine.posts import ORIGINAL, RETWEET

KWAK = "Kwak, Lee, Park, Moon 2010, What is Twitter, a social network or a news media? (WWW)"
CHA = "Cha, Haddadi, Benevenuto, Gummadi 2010, Measuring user influence in Twitter: the "
CHA += "million follower fallacy (ICWSM)"
BRUNER = "Bruner 2013, Tweets loud and quiet (O'Reilly Radar; 400,000 sampled accounts)"
TWOP = "Twopcharts 2014, reported by the Wall Street Journal (Digits, 11 April 2014) and "
TWOP += "Hindustan Times (14 April 2014)"
PEW = "Wojcik, Hughes 2019, Sizing up Twitter users (Pew Research Center)"
CSN = "Clauset, Shalizi, Newman 2009, Power-law distributions in empirical data (SIAM Review)"


def town_square_facts() -> tuple[Fact, ...]:
    """The town square's facts (:class:`sim.analysis.fact.Fact`)."""
    return (
        Fact("ts_mutual_pairs", "share of connected pairs that follow each other", 0.15, 0.30,
             f"{KWAK}: 22.1% of connected pairs mutual in the 2009 graph (band set here: "
             "0.15-0.30 around it)", value_range=SHARE),
        Fact("ts_not_followed_back", "share of accounts none of whose followees follows them "
             "back", 0.50, 0.85, f"{KWAK}: 67.6% of users are not followed back by any of "
             "their followings (band set here around it, as docs/CALIBRATION.md has said "
             "since the party's derivation)", value_range=SHARE),
        Fact("ts_tail_exponent", "fitted exponent alpha of the follower density p(x) ~ "
             "x^-alpha above xmin (discrete MLE, xmin by KS; Clauset et al. 2009, powerlaw "
             "package)", 2.0, 2.6, f"{KWAK}: followers fit a power law of exponent 2.276 "
             "up to 10^5 followers (band set here: 2.0-2.6 around it); method: " + CSN,
             value_range=(1.0, INF)),
        Fact("ts_tail_decades", "decades the fitted tail spans, log10(max followers / xmin)",
             2.0, INF, f"{KWAK}: the fitted line spans four decades (10 to 10^5) of a 41.7 "
             "million-account graph (band set here: at least two decades at 10^5 accounts, "
             "where at most five are possible)", value_range=POSITIVE),
        Fact("ts_followers_mean_median", "mean / median followers", 2.0, INF,
             f"{TWOP}: 77 followers per account on average; {BRUNER}: the median account has "
             "a single follower (61 among accounts active in 30 days; 1,000 followers is the "
             "96th percentile). Band set here: the mean at least twice the median",
             value_range=POSITIVE),
        Fact("ts_followers_top1_share", "share of all followers held by the top 1% of "
             "accounts", 0.20, 0.60, f"{KWAK}: a power-law density of exponent 2.276 from "
             "its lowest value gives the top 1% a share 0.01^(1 - 1/1.276) = 0.37 (band set "
             "here: 0.20-0.60 around that derivation)", value_range=SHARE),
        Fact("ts_popularity_vs_influence", "Spearman rank correlation of followers and "
             "retweets received, over accounts that posted an original", 0.2, 0.8,
             f"{CHA}: popular accounts are not necessarily influential; followers and "
             "retweets are correlated but rank accounts differently, the more so at the top "
             "(band set here from that shape: positive, well below 1)", value_range=(-1.0, 1.0)),
        Fact("ts_retweet_reach", "median over retweeted originals by accounts with at most "
             "the median followers of active accounts: new recipients via retweets / the "
             "author's followers",
             1.0, INF, f"{KWAK}, Fig. 14: up to 1,000 followers, a retweeted tweet reaches "
             "about 1,000 additional recipients whatever its author's followers (band set "
             "here: a retweet at least doubles a small account's audience)",
             value_range=POSITIVE),
        Fact("ts_never_posted", "share of active accounts (there at the end: not gone) with "
             "no item (post, reply, retweet, mention, thanks) in a week", 0.52, 0.82, f"{TWOP}: 126 million accounts sent "
             "a tweet in 30 days against 241 million monthly active users (Twitter), so at "
             "least 52% of active users are silent in a month, and in any shorter window; "
             f"{PEW}: the median adult user tweets twice a month, so at least half the users "
             "post in a week with chance 1 - e^-0.46 = 0.37: at most 1 - 0.5 x 0.37 = 0.82 "
             "silent (a week's band; shorter runs land higher)", value_range=SHARE),
        Fact("ts_top10_items_share", "share of all items made by the 10% most active of the "
             "active accounts",
             0.70, 0.90, f"{PEW}: the most active 10% of users produce 80% of tweets (band "
             "set here: 0.70-0.90)", value_range=SHARE),
    )  # fmt: skip


# ---------------------------------------------------------------------- metrics on arrays
def spearman(x, y) -> float:
    """Spearman's rank correlation (average ranks for ties); NaN with fewer than 3 values or
    no spread."""
    from scipy.stats import spearmanr

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(spearmanr(x, y).statistic)


def followers_of(src, dst, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(start, followers): account v's followers are ``followers[start[v]:start[v + 1]]``."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    order = np.argsort(dst, kind="stable")
    start = np.zeros(n + 1, dtype=np.int64)
    start[1:] = np.cumsum(np.bincount(dst, minlength=n))
    return start, src[order]


def retweet_new_recipients(src, dst, n: int, orig, retweeter, orig_author) -> dict:
    """Per retweeted original: how many accounts its retweets reached that its author's own
    followers did not (Kwak et al. 2010's "additional recipients"): the distinct followers of
    its retweeters, less the author and the author's followers, on the given graph.

    ``orig``, ``retweeter``, ``orig_author`` are the retweets' columns. Returns
    ``{"orig": ids, "author": authors, "new": counts}``, one entry per retweeted original."""
    orig = np.asarray(orig, dtype=np.int64)
    retweeter = np.asarray(retweeter, dtype=np.int64)
    author = np.asarray(orig_author, dtype=np.int64)
    if len(orig) == 0:
        empty = np.array([], dtype=np.int64)
        return {"orig": empty, "author": empty, "new": empty}
    start, follower = followers_of(src, dst, n)
    k = start[retweeter + 1] - start[retweeter]
    pos = np.repeat(start[retweeter] - np.cumsum(k) + k, k) + np.arange(k.sum())
    who = follower[pos]
    o, a = np.repeat(orig, k), np.repeat(author, k)
    edge = set_keys(src, dst, n)
    new = (who != a) & ~np.isin(who * n + a, edge)
    pairs = np.unique(np.c_[o[new], who[new]], axis=0) if new.any() else np.empty((0, 2), int)
    ids, first = np.unique(orig, return_index=True)
    counts = np.zeros(len(ids), dtype=np.int64)
    if len(pairs):
        hit, c = np.unique(pairs[:, 0], return_counts=True)
        counts[np.searchsorted(ids, hit)] = c
    return {"orig": ids, "author": author[first], "new": counts}


def set_keys(src, dst, n: int) -> np.ndarray:
    """Sorted keys ``src * n + dst`` of the edges (for membership tests)."""
    return np.unique(np.asarray(src, dtype=np.int64) * n + np.asarray(dst, dtype=np.int64))


def retweet_reach(src, dst, n: int, followers, orig, retweeter, orig_author, active=None) -> float:
    """Median, over retweeted originals whose author has at most the median followers (the
    median over the ``active`` accounts, a boolean mask; all by default), of new recipients /
    the author's followers (at least 1). NaN without such an original."""
    followers = np.asarray(followers, dtype=float)
    r = retweet_new_recipients(src, dst, n, orig, retweeter, orig_author)
    among = followers if active is None else followers[np.asarray(active, dtype=bool)]
    small = followers[r["author"]] <= (np.median(among) if len(among) else np.inf)
    if not small.any():
        return float("nan")
    return float(np.median(r["new"][small] / np.maximum(followers[r["author"][small]], 1.0)))


def share_never_posted(author, n: int, active=None) -> float:
    """Share of the ``n`` accounts (of the ``active`` ones, a boolean mask, if given) that
    made no item at all."""
    made = np.bincount(np.asarray(author, dtype=np.int64), minlength=n) > 0
    if active is not None:
        made = made[np.asarray(active, dtype=bool)]
    return float(1.0 - made.mean()) if len(made) else 0.0


def top_items_share(author, n: int, top: float = 0.10, active=None) -> float:
    """Share of all items made by the ``top`` most active accounts (of all ``n``, or of the
    ``active`` ones, a boolean mask)."""
    items = np.bincount(np.asarray(author, dtype=np.int64), minlength=n)
    return top_share(items if active is None else items[np.asarray(active, dtype=bool)], top)


def active_accounts(model) -> np.ndarray:
    """The platform's users in the sense of the active-user facts (Twopcharts' monthly active
    users, Pew's adults who use Twitter): the accounts there at the end of the run, not the
    ones that never signed up in it or left for good (rules joining and leaving)."""
    present = getattr(model, "present", None)
    return np.ones(model.n, dtype=bool) if present is None else np.asarray(present, dtype=bool)


# ---------------------------------------------------------------------- a finished run
def measure_town_square(model) -> dict[str, float]:
    """Every town-square fact's measure for one finished run, plus the tail fit's details
    (``tail_*``) and the absolute follower figures the ratios stand on."""
    f, p, n = model.follows, model.posts, model.n
    active = active_accounts(model)  # the active-user facts (Pew, Twopcharts) count these
    followers = f.in_degree.astype(float)
    fit = fit_tail(followers)
    median = max(float(np.median(followers)), 1.0)
    rt = p["form"] == RETWEET
    posted = np.bincount(p["author"][p["form"] == ORIGINAL], minlength=n) > 0
    received = np.bincount(p["orig_author"][rt], minlength=n)
    return {
        "ts_mutual_pairs": mutual_pair_share(f.src, f.dst),
        "ts_not_followed_back": not_followed_back_share(f.src, f.dst),
        "ts_tail_exponent": fit["alpha"],
        "ts_tail_decades": fit["decades"],
        "ts_followers_mean_median": float(followers.mean()) / median,
        "ts_followers_top1_share": top_share(followers, 0.01),
        "ts_popularity_vs_influence": spearman(followers[posted], received[posted]),
        "ts_retweet_reach": retweet_reach(
            f.src,
            f.dst,
            n,
            followers,
            p["orig"][rt],
            p["author"][rt],
            p["orig_author"][rt],
            active,
        ),  # fmt: skip
        "ts_never_posted": share_never_posted(p["author"], n, active),
        "ts_top10_items_share": top_items_share(p["author"], n, 0.10, active),
        **{f"tail_{k}": v for k, v in fit.items()},
        "followers_mean": float(followers.mean()),
        "followers_median": float(np.median(followers)),
        "followers_max": float(followers.max()),
    }


# ---------------------------------------------------------------------- the population's size
def resize(scenario, n_accounts: int):
    """The scenario with every group's count scaled to ``n_accounts`` in the same shares
    (largest remainders, so the counts add up exactly; a group keeps at least one account
    if it had one; any accounts too many are taken one at a time from the largest
    group). The scenario format has one count per group and no shares, so this is how one
    setting resizes the town square (``partysim check town_square --accounts N``). Fewer
    accounts than groups with accounts is refused (:class:`ScenarioError`)."""
    from sim.config.errors import ScenarioError
    from sim.config.scenarios import load

    sc = load(scenario)
    counts = np.array([g.count for g in sc.groups], dtype=float)
    groups = int(np.count_nonzero(counts))
    if n_accounts < groups:
        raise ScenarioError(
            f"--accounts {n_accounts:,}: {sc.name} has {groups} groups and each keeps at least "
            f"one account, so it needs at least {groups} accounts"
        )
    exact = counts * n_accounts / counts.sum()
    base = np.floor(exact).astype(np.int64)
    base = np.where((counts > 0) & (base == 0), 1, base)
    left = int(n_accounts - base.sum())
    if left > 0:
        base[np.argsort(-(exact - np.floor(exact)), kind="stable")[:left]] += 1
    for _ in range(-left):  # too many: one at a time from the largest (never below one)
        base[int(np.argmax(base))] -= 1
    over = {f"{g.name}.count": int(c) for g, c in zip(sc.groups, base, strict=True)}
    return sc.with_overrides(over, where="--accounts")
