"""Shared analysis helpers: one interval rule, one per-account outcome."""

import numpy as np
import pandas as pd
import pytest

from sim.analysis import metrics
from sim.analysis.stats import half_width, interval


def test_the_vectorised_half_width_is_the_interval_rule():
    rng = np.random.default_rng(1)
    for n in (2, 3, 10, 40):
        v = rng.normal(5, 2, n)
        mean, low, high = interval(v)
        assert half_width(v.std(ddof=1), n) == pytest.approx(high - mean)
    assert half_width([np.nan, 1.0], [1, 1]).tolist() == [0.0, 0.0]  # one value: no spread


def test_per_account_divides_counters_and_nets_followers_per_run():
    table = pd.DataFrame(
        {
            "seed": [1, 1, 2, 2],
            "strategy": ["a"] * 4,
            "step": [1, 2, 1, 2],
            "accounts": [4, 4, 4, 4],
            "posts": [8, 20, 4, 4],
            "followers_mean": [10.0, 12.5, 3.0, 2.0],
        }
    )
    assert metrics.per_account(table, "posts").tolist() == [2, 5, 1, 1]
    assert metrics.per_account(table, "followers_mean").tolist() == [10.0, 12.5, 3.0, 2.0]
    assert metrics.per_account(table, "net_followers").tolist() == [0.0, 2.5, 0.0, -1.0]
