"""Shared statistics of the analysis layer: ONE replication-seed rule, ONE interval rule.

``partysim check``, ``partysim claims``, the app's comparison and ``partysim sweep`` all take
their replication seeds from :func:`replication_seeds`, so the same root seed gives the same
replications everywhere; every "mean [95% interval]" over replications is :func:`interval`,
cut at the range the quantity can take, and marked rough below :data:`FEW_REPS` replications.
"""

from __future__ import annotations

import numpy as np


def replication_seeds(root: int, reps: int) -> list[int]:
    """Seeds for ``reps`` replications from one root seed: ``SeedSequence(root).spawn(reps)``,
    each child's first 64-bit word shifted right by one (plain ints below 2**63, so they fit
    a signed 64-bit column in Parquet)."""
    children = np.random.SeedSequence(int(root)).spawn(int(reps))
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


FEW_REPS = 5  # fewer replications than this: an interval is rough, and is marked so
ANY = (-float("inf"), float("inf"))


def interval(values, level: float = 0.95, bounds=ANY) -> tuple[float, float, float]:
    """(mean, low, high): a two-sided Student t-interval for the mean of per-seed values,
    cut at ``bounds``, the range the quantity can take (e.g. ``(0, 1)`` for a share).

    The mean lies in that range, so cutting the interval there never drops a value the
    mean could take: the coverage is the t-interval's, and no bound is impossible (a share
    never gets an interval reaching below 0). Non-finite values are dropped; one value (or
    no spread) gives a zero-width interval."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(v.mean())
    if len(v) < 2 or v.std(ddof=1) == 0:
        return mean, mean, mean
    half = float(half_width(v.std(ddof=1), len(v), level))
    low, high = bounds
    return mean, max(mean - half, float(low)), min(mean + half, float(high))


def cut(low, high, bounds=ANY):
    """``low`` and ``high`` (arrays or numbers) cut at ``bounds``, as :func:`interval` does."""
    return np.maximum(low, bounds[0]), np.minimum(high, bounds[1])


def half_width(std, count, level: float = 0.95):
    """Half the width of :func:`interval` from a sample's standard deviation (ddof 1) and
    size, element-wise; zero for fewer than two values or a missing spread."""
    std = np.nan_to_num(np.asarray(std, dtype=float))
    count = np.asarray(count)
    from scipy import stats  # imported here: ~2 s, and a sweep's runs never need it

    tcrit = stats.t.ppf(0.5 + level / 2, np.maximum(count - 1, 1))
    return np.where(count > 1, tcrit * std / np.sqrt(np.maximum(count, 1)), 0.0)


def cascade_stats(retweets_of_originals) -> dict[str, float | int]:
    """Retweet cascades of original posts, a cascade's size being the retweets of one post:
    ``originals``, ``share_zero_retweets`` (never retweeted), ``share_one_retweet`` (exactly
    one), ``max_size`` and ``max_over_mean`` (largest / mean size; 0 when nothing was
    retweeted). Every share is 0.0 when there are no originals."""
    r = np.asarray(retweets_of_originals, dtype=float)
    n = len(r)
    if n == 0:
        return {
            "originals": 0,
            "share_zero_retweets": 0.0,
            "share_one_retweet": 0.0,
            "max_size": 0,
            "max_over_mean": 0.0,
        }
    mean = float(r.mean())
    return {
        "originals": n,
        "share_zero_retweets": float((r == 0).mean()),
        "share_one_retweet": float((r == 1).mean()),
        "max_size": int(r.max()),
        "max_over_mean": float(r.max()) / mean if mean > 0 else 0.0,
    }
