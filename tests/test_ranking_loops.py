"""The ranked feeds' compiled ranking (sim/engine/loops/ranking.py) chooses what the numpy
ranking (sim/engine/ranking.py) chooses, on random candidates with many tied scores: the
author-diversity ranks and the in-network / out-of-network quota, reader by reader.
Whole runs with and without the loops are compared in tests/test_kernels.py."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim.engine import ranking
from sim.engine.loops import ranking as loops


def candidates(seed: int, n_readers: int = 40, n_accounts: int = 30):
    """Candidates like ranked_feed's: in-network rows grouped by reader, then out-of-network
    rows grouped by reader; one reader's posts differ; scores from a few values (ties)."""
    rng = np.random.default_rng(seed)
    slots, oon = [], []
    for side in (False, True):
        for s in range(n_readers):
            m = int(rng.integers(0, 25 if not side else 8))
            if s % 7 == 3:  # a reader with many candidates (the merge sort's runs)
                m = 60
            slots.append(np.full(m, s))
            oon.append(np.full(m, side))
    slot = np.concatenate(slots).astype(np.int64)
    is_oon = np.concatenate(oon)
    post = np.empty(len(slot), dtype=np.int64)
    for s in range(n_readers):  # distinct posts per reader
        rows = np.flatnonzero(slot == s)
        post[rows] = rng.choice(500, size=len(rows), replace=False)
    author_of = rng.integers(0, n_accounts, size=500)  # a few authors: big groups
    score = rng.choice([0.25, 0.5, 0.5, 1.0, 2.0], size=len(slot)) * rng.choice([1.0, 3.0])
    budget = rng.integers(0, 30, size=n_readers)
    model = SimpleNamespace(posts={"author": author_of}, n=n_accounts)
    return model, slot, int(np.count_nonzero(~is_oon)), post, score, budget, is_oon


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("share", "decay"), [(0.5, 0.5), (0.0, 1.0), (1.0, 0.0), (0.2, 0.9)])
def test_the_compiled_ranking_chooses_what_numpy_chooses(seed, share, decay):
    model, slot, n_in, post, score, budget, is_oon = candidates(seed)
    assert not is_oon[:n_in].any() and is_oon[n_in:].all()
    numpy_score = score
    if decay < 1.0:
        numpy_score = score * ranking.author_diversity(model, slot, post, score, decay)
    wanted = ranking.top_with_quota(slot, post, numpy_score, is_oon, budget, share)
    got = ranking._rank_compiled(model, slot, n_in, post, score, budget, share, decay)
    assert len(wanted) > 100
    assert np.array_equal(got, wanted)


def test_author_ranks_count_the_same_readers_better_items_by_the_same_author():
    # one reader, author 0's items scored 1, 3, 3 (post 5 newer than post 2), author 1 alone
    slot = np.zeros(4, dtype=np.int64)
    post = np.array([1, 2, 5, 7], dtype=np.int64)
    score = np.array([1.0, 3.0, 3.0, 9.0])
    author = np.array([0, 0, 0, 1], dtype=np.int64)
    k = loops.author_ranks(slot, 4, post, score, author, 1, 2)
    assert k.tolist() == [2, 1, 0, 0]


def test_keep_best_keeps_the_best_k_whatever_their_order():
    rng = np.random.default_rng(3)
    score = rng.choice([1.0, 2.0, 3.0], size=200)
    post = rng.permutation(200).astype(np.int64)
    for k in (0, 1, 5, 37, 200, 250):
        rows = rng.permutation(200).astype(np.int64)
        chosen = np.zeros(200, dtype=np.bool_)
        took = loops.keep_best(rows, 0, 200, k, score, post, np.empty(200, np.int64), chosen)
        best = np.lexsort((-post, -score))[: min(k, 200)]
        assert took == min(k, 200) and set(np.flatnonzero(chosen)) == set(best.tolist())
