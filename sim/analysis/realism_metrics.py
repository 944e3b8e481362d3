"""Realism measures of a run (issue 11): the crowd compared with published facts.

Plain functions of a finished :class:`sim.PartyModel` (or of arrays), used by the engine's
tests and the calibration notes (docs/CALIBRATION.md); the reality check (sim/analysis/check.py) keeps
its own bands and sources.
"""

from __future__ import annotations

import numpy as np

from sim.engine.posts import ORIGINAL, RETWEET
from sim.engine.reasons import UNFOLLOW


def follower_tail(followers: np.ndarray) -> dict[str, float]:
    """Mean/median of followers (median floored at 1) and the top 1% accounts' share."""
    f = np.sort(np.asarray(followers, dtype=float))[::-1]
    top = max(1, int(round(0.01 * len(f))))
    return {
        "mean_over_median": float(f.mean() / max(np.median(f), 1.0)),
        "top1_share": float(f[:top].sum() / max(f.sum(), 1.0)),
    }


def share_not_followed_back(src: np.ndarray, dst: np.ndarray, n: int) -> float:
    """Share of accounts that follow someone and are followed back by none of them
    (Kwak et al. 2010: 67.6% of users)."""
    keys = np.asarray(src, np.int64) * n + dst
    mutual = np.isin(np.asarray(dst, np.int64) * n + src, keys)
    following = np.bincount(src, minlength=n) > 0
    followed_back = np.bincount(src[mutual], minlength=n) > 0
    return float((following & ~followed_back).sum() / max(following.sum(), 1))


def burstiness(times: np.ndarray) -> float:
    """B = (sigma - mu) / (sigma + mu) of the gaps between sorted event times
    (Goh and Barabasi 2008): 0 for a Poisson process, towards 1 for bursts, NaN under 3 events."""
    gaps = np.diff(np.sort(np.asarray(times, dtype=float)))
    if len(gaps) < 2 or gaps.mean() == 0:
        return float("nan")
    mu, sd = gaps.mean(), gaps.std()
    return float((sd - mu) / (sd + mu))


def post_burstiness(model, min_posts: int = 5) -> float:
    """Median burstiness of the gaps between an account's original posts by hand."""
    posts = model.posts
    own = (posts["form"] == ORIGINAL) & ~posts["automated"]
    author, step = posts["author"][own], posts["step"][own]
    values = [
        burstiness(step[author == a])
        for a in np.flatnonzero(np.bincount(author, minlength=model.n) >= min_posts)
    ]
    return float(np.nanmedian(values)) if values else float("nan")


def night_trough(model) -> float:
    """Items published in the quietest UTC hour of the day / in the mean hour."""
    per_hour = np.bincount(model.posts["step"] % 24, minlength=24).astype(float)
    return float(per_hour.min() / max(per_hour.mean(), 1e-12))


def cascade_shape(model) -> dict[str, float]:
    """Share of originals never retweeted and with exactly one retweet; share of retweets
    made 12 hours or more after their original."""
    posts = model.posts
    orig = posts["form"] == ORIGINAL
    rt = posts["retweets"][orig]
    late = posts["form"] == RETWEET
    delay = posts["step"][late] - posts["step"][posts["orig"][late]]
    return {
        "share_zero": float((rt == 0).mean()) if len(rt) else float("nan"),
        "share_one": float((rt == 1).mean()) if len(rt) else float("nan"),
        "share_late_retweets": float((delay >= 12).mean()) if len(delay) else float("nan"),
    }


def unfollow_prevalence(model, accounts: np.ndarray | None = None) -> float:
    """Share of accounts (default: all) unfollowed at least once."""
    cols = model.events.columns()
    hit = np.zeros(model.n, dtype=bool)
    hit[cols["target"][cols["event"] == UNFOLLOW]] = True
    return float(hit[accounts].mean() if accounts is not None else hit.mean())


class TieHazards:
    """Unfollow hazards per tie-hour by the tie's state, measured while a model runs:
    call :meth:`step` instead of ``model.step()``."""

    def __init__(self, model, reasons: tuple[int, ...] | None = None) -> None:
        self.model = model
        self.reasons = reasons  # count only unfollows for these reason codes (default: all)
        self.exposure = {"one_way": 0, "mutual": 0, "acked": 0, "unacked": 0}
        self.broken = dict.fromkeys(self.exposure, 0)

    def step(self) -> None:
        m, f = self.model, self.model.follows
        keys = f.keys.copy()
        mutual = f.contains(f.dst, f.src)
        acked = f.attrs["ack"].copy()
        first = len(m.events)
        m.step()
        cols = m.events.columns()
        new = slice(first, len(cols["step"]))
        hit = cols["event"][new] == UNFOLLOW
        if self.reasons is not None:
            hit &= np.isin(cols["reason"][new], self.reasons)
        gone_keys = cols["actor"][new][hit] * m.n + cols["target"][new][hit]
        gone = np.isin(keys, gone_keys)
        for name, mask in (
            ("one_way", ~mutual),
            ("mutual", mutual),
            ("acked", acked),
            ("unacked", ~acked),
        ):
            self.exposure[name] += int(mask.sum())
            self.broken[name] += int((gone & mask).sum())

    def hazards(self) -> dict[str, float]:
        """Unfollows per 1,000 tie-hours, by tie state."""
        return {k: 1000 * self.broken[k] / max(self.exposure[k], 1) for k in self.exposure}
