"""What the claims suite measures in one finished run: per strategy, the outcomes the claims
compare (:func:`strategy_outcomes`), the thanks figures of claim 3b and the reach of a
retweet by accounts with many or few followers (claim 3c)."""

from __future__ import annotations

import numpy as np

from sim.engine import reasons as rs
from sim.engine.posts import ORIGINAL, RETWEET, THANKS


def thanks_outcomes(model, mine: np.ndarray) -> tuple[float, float]:
    """(share of thanked retweeters that already followed the thanker when thanked, share that
    followed the thanker at or after the thanks); NaN when the strategy thanked nobody.

    "Already followed" is read from the end state: the edge exists and was not created by a
    follow event at or after the thanks (an edge removed later is missed)."""
    posts = model.posts
    sel = (posts["form"] == THANKS) & mine[posts["author"]]
    thanker, retweeter, step = posts["author"][sel], posts["target"][sel], posts["step"][sel]
    if len(thanker) == 0:
        return float("nan"), float("nan")
    cols = model.events.columns()
    fol = cols["event"] == rs.FOLLOW
    n = model.n
    key = cols["actor"][fol] * n + cols["target"][fol]
    order = np.argsort(key, kind="stable")
    key, when = key[order], cols["step"][fol][order]
    pair = retweeter.astype(np.int64) * n + thanker
    if len(key) == 0:  # no follows yet (a very short run)
        key, when = np.full(1, -1, dtype=np.int64), np.zeros(1, dtype=cols["step"].dtype)
    last = np.searchsorted(key, pair, side="right") - 1
    later = (last >= 0) & (key[np.maximum(last, 0)] == pair) & (when[np.maximum(last, 0)] >= step)
    follows_now = model.follows.find(retweeter.astype(np.int64), thanker.astype(np.int64))[1]
    return float((follows_now & ~later).mean()), float(later.mean())


def strategy_outcomes(model) -> dict[str, dict[str, float | list]]:
    """Per strategy: per-account outcomes from the summary plus ones computed from state."""
    from sim.analysis import metrics

    rows = metrics.summary(model)["strategies"]
    posts, f = model.posts, model.follows
    cols = model.events.columns()
    noticed = (cols["event"] == rs.FOLLOW) & (cols["reason"] == rs.FOLLOW_NOTICE)
    noticed_by = np.bincount(cols["target"][noticed], minlength=model.n)
    mutual_out = np.bincount(f.src[f.find(f.dst, f.src)[1]], minlength=model.n)
    nets_all = f.in_degree - model.followers_at_start
    reads = posts["reads"]
    out = {}
    for i, name in enumerate(model.strategy_names):
        row, mine = rows[name], model.strategy_id == i
        n = max(row["accounts"], 1)
        originals = (posts["form"] == ORIGINAL) & mine[posts["author"]]
        contents = np.unique(posts["content"][originals])
        carrying = np.isin(posts["content"], contents)  # its posts, re-posts and retweets
        following = np.maximum(f.out_degree[mine], 1)
        nets = nets_all[mine]
        thanked_following, thanked_followed = thanks_outcomes(model, mine)
        out[name] = {
            "net_followers": row["net_followers_mean"],
            "posts_per_day": float(model.count["posts"][mine].mean() / max(model.steps / 24, 1e-9))
            if mine.any()
            else float("nan"),
            "share_no_gain": float((nets <= 0).mean()) if len(nets) else float("nan"),
            "blocks": row["blocks_received"] / n,
            "replies": row["replies_received"] / n,
            "retweets": row["retweets_received"] / n,
            "impressions": row["impressions"] / n,
            "clicks_per_impression": row["clicks"] / max(row["impressions"], 1),
            "reads_per_item": float(reads[carrying].sum()) / max(len(contents), 1),
            "read_per_followee": float((model.feed_total[mine] / following).mean()),
            "addressed_follows": float(noticed_by[mine].mean()),
            "followed_back_share": float((mutual_out[mine] / following).mean()),
            "thanked_already_following": thanked_following,
            "thanked_then_followed": thanked_followed,
            "nets": nets.tolist(),
        }
    out.update(reach_by_followers(model))
    return out


TOP, BOTTOM = "@top_10%_followers", "@bottom_half_followers"


def reach_by_followers(model) -> dict[str, dict[str, float]]:
    """Reads per retweet made by the accounts with the most followers at the end of the run
    (top 10%) and by those in the bottom half, whatever their strategy: the reach of a
    retweet by an influencer against one by a small account."""
    posts, followers = model.posts, model.follows.in_degree
    rank = np.argsort(np.argsort(-followers, kind="stable"), kind="stable")
    top, bottom = rank < max(model.n // 10, 1), rank >= model.n // 2
    rt = posts["form"] == RETWEET
    by, reads = posts["author"][rt], posts["reads"][rt]
    out = {}
    for name, group in ((TOP, top), (BOTTOM, bottom)):
        mine = group[by]
        out[name] = {
            "reach_per_retweet": float(reads[mine].mean()) if mine.any() else float("nan"),
            "followers": float(followers[group].mean()),
        }
    return out
