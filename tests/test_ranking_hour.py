"""The ranked feeds' whole compiled read (sim/engine/loops/ranking.py: ``ranked_candidates``
then ``rank_and_pick``) gives what the numpy ranking gives, where tests/test_kernels.py does
not look: blocks under For You, follow edges found by binary searches instead of bits, no
room candidates and no diversity; and :func:`sim.engine.warm.warm` loads these loops."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine import edges as edges_module
from sim.engine import kernels
from sim.engine.model import PartyModel
from sim.engine.warm import warm


def _run(scenario, seed: int, hours: int, compiled: bool, **overrides) -> dict:
    with kernels.using(compiled):
        m = PartyModel(scenario, seed=seed, agents=False, **overrides).run(hours)
    n = len(m.posts)
    return {
        "author": m.posts["author"][:n].copy(),
        "reads": m.posts["reads"][:n].copy(),
        "retweets": m.posts["retweets"][:n].copy(),
        "follows": m.follows.keys.copy(),
        "blocks": m.blocks.keys.copy(),
        "seen": m.follows.attrs["seen"].copy(),
        "state_f": m.state_f.copy(),
        "draw": m.rng.random(4),
    }


def _same(plain: dict, compiled: dict) -> None:
    for name, value in plain.items():
        assert np.array_equal(value, compiled[name]), name


@pytest.mark.parametrize(
    ("scenario", "seed", "hours", "overrides"),
    [
        ("blasting", 4, 60, {"feed": "for_you"}),  # blocks: not recommended, not at home
        ("default", 5, 60, {"feed": "for_you", "for_you_room_candidates": 0}),
        ("default", 6, 60, {"feed": "for_you", "author_diversity_decay": 1.0}),
        ("default", 3, 60, {"feed": "engagement", "ranking_affinity_weight": 3.0}),
    ],
)
def test_a_ranked_run_is_the_same_with_and_without_the_compiled_loops(
    scenario, seed, hours, overrides
):
    plain = _run(scenario, seed, hours, False, **overrides)
    assert plain["reads"].sum() > 1_000
    _same(plain, _run(scenario, seed, hours, True, **overrides))


def test_for_you_is_the_same_where_follow_edges_are_searched(monkeypatch):
    """More than BIT_NODES accounts keep no bits: the edges are found by binary searches."""
    monkeypatch.setattr(edges_module, "BIT_NODES", 100)
    plain = _run("default", 2, 40, False, feed="for_you")
    _same(plain, _run("default", 2, 40, True, feed="for_you"))


def test_warm_loads_the_ranked_feeds_loops():
    from sim.engine.loops import feed as feed_loops
    from sim.engine.loops import ranking as loops

    if not kernels.available() or kernels.mode() == "off":
        pytest.skip("the compiled loops are off (no numba, or PARTYSIM_KERNELS=off)")
    with kernels.using(True):
        warm()
    for loop in (
        loops.ranked_candidates,
        loops.rank_and_pick,
        feed_loops.flood_memory,
        feed_loops.read_hour,
    ):
        assert loop.signatures, loop.__name__
