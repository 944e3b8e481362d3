"""Rule *initial network*, friends of friends (docs/MODEL.md section 5, item 4; Jackson and
Rogers 2007): a share ``init_fof_share`` of the initial ties are found through the follower's
other ties, which clusters the start graph beyond its degrees in both engines, if only a
little at the party's density (two hops reach nearly everyone: docs/CALIBRATION.md); at share
0 (the default) nothing is drawn and the start graph is the one before the rule."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.analysis.facts import clustering_ratio
from sim.reference import ReferencePartyModel


def start_clustering(model) -> float:
    n, keys = model.n, model.follows.keys
    return clustering_ratio(keys // n, keys % n, n)


def reference_clustering(model) -> float:
    src, dst = zip(*model.graph.edges, strict=True)
    return clustering_ratio(np.array(src), np.array(dst), model.n)


@pytest.mark.parametrize("seed", [1, 2])
def test_friends_of_friends_cluster_the_start_graph(seed):
    plain = sim.PartyModel("default", seed=seed, agents=False)
    closed = sim.PartyModel("default", seed=seed, agents=False, init_fof_share=0.5)
    assert start_clustering(closed) > start_clustering(plain) + 0.04
    # the same number of ties, give or take the ones that found a tie already made
    assert abs(len(closed.follows) - len(plain.follows)) < 0.15 * len(plain.follows)
    assert not (closed.follows.src == closed.follows.dst).any(), "no self-follows"


def test_the_reference_engine_clusters_alike():
    plain = np.mean([reference_clustering(ReferencePartyModel("default", seed=s)) for s in (1, 2)])
    closed = np.mean([
        reference_clustering(ReferencePartyModel("default", seed=s, init_fof_share=0.5))
        for s in (1, 2)
    ])  # fmt: skip
    assert closed > plain + 0.04, (plain, closed)


def test_share_zero_draws_nothing():
    a = sim.PartyModel("default", seed=3, agents=False)
    b = sim.PartyModel("default", seed=3, agents=False, init_fof_share=0.0)
    assert np.array_equal(a.follows.keys, b.follows.keys)
    assert a.rng.random() == b.rng.random()
