"""Shared helpers for the engine tests."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import sim
from sim.config import scenarios

SMALL = {
    "regular.count": 60,
    "conversationalist.count": 6,
    "broadcaster.count": 6,
    "over_poster.count": 5,
    "curator.count": 4,
    "scheduler.count": 4,
    "blaster.count": 3,
}


def small_model(seed: int = 1, **overrides) -> sim.PartyModel:
    """The default party shrunk to ~90 accounts (fast), with optional overrides."""
    return sim.PartyModel("default", seed=seed, **{**SMALL, **overrides})


def check_invariants(model: sim.PartyModel) -> None:
    """Everything that must hold for any state of any run."""
    f = model.follows
    src, dst = f.src, f.dst
    assert (src != dst).all(), "self-follow"
    assert (np.diff(f.keys) > 0).all(), "duplicate or unsorted edges"
    assert (f.in_degree == np.bincount(dst, minlength=model.n)).all()
    assert (f.out_degree == np.bincount(src, minlength=model.n)).all()
    if len(f):
        assert f.n_mutual == int(f.contains(dst, src).sum())
    b = model.blocks
    if len(b):
        assert not f.contains(b.src, b.dst).any(), "a blocker still follows the blocked"
        assert not f.contains(b.dst, b.src).any(), "a blocked account still follows its blocker"
    for name, values in model.count.items():
        assert (values >= 0).all(), name
    c = model.count
    expected = (
        model.followers_at_start
        + c["followers_gained"]
        - c["unfollows_received"]
        - c["followers_lost_to_blocks"]
    )
    assert (f.in_degree == expected).all(), "follower counts do not reconcile with events"
    log = model.events
    assert log.count(0) == c["followers_gained"].sum()
    assert log.count(1) == c["unfollows_received"].sum()
    assert log.count(2) == c["blocks_received"].sum() == len(b)
    authored = np.bincount(model.posts["author"], minlength=model.n)
    assert (authored == c["posts"]).all()
    posts = model.posts
    reads = np.bincount(posts["orig_author"], weights=posts["reads"], minlength=model.n)
    assert (reads == c["impressions"]).all(), "item reads do not add up to impressions"


@pytest.fixture
def default_scenario():
    return scenarios.load("default")


@pytest.fixture(autouse=True)
def keep_main_module():
    """Streamlit's AppTest leaves ``sys.modules["__main__"]`` pointing at app.py; Dask's and
    multiprocessing's spawned workers re-run ``__main__``, so a later test's workers would
    start differently (warm) depending on which tests ran before. Put it back after each test."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
