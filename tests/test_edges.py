"""EdgeSet against a plain Python set of pairs: random batches of adds and removes (with
duplicates, self-loops and missing edges), checking keys, attributes, degrees, the mutual
count and what each call returns."""

import copy
import pickle

import numpy as np
import pytest

from sim.engine import edges as edges_module
from sim.engine import kernels
from sim.engine.edges import (
    EdgeSet,
    delete_sorted,
    insert_sorted,
    stable_order,
)


def _mutual(pairs: set) -> int:
    return sum((v, u) in pairs for u, v in pairs)


@pytest.mark.parametrize(
    "compiled", [False, True, "mixed", "big"], ids=["numpy", "compiled", "mixed", "big"]
)
@pytest.mark.parametrize("membership", ["dense", "bits", "sparse"])
@pytest.mark.parametrize("n", [1, 7, 40])
def test_random_batches_match_a_set_of_pairs(n, membership, compiled, monkeypatch):
    """``mixed``: the compiled loops (which insert and remove in place, in arrays with room
    to spare) and the numpy code (which makes new arrays) take turns on the same edge set;
    ``big``: the loops are on, but batches large against the edges go through numpy."""
    if compiled and not kernels.available():
        pytest.skip("numba is not installed")
    monkeypatch.setitem(kernels._state, "on", bool(compiled))
    if compiled == "big":
        monkeypatch.setattr(edges_module, "LOOP_BATCH", 8)
    # membership kept as a table of flags (small graphs), of bits (mid-sized ones), or by
    # binary searches only (large ones)
    monkeypatch.setattr(edges_module, "DENSE_NODES", n if membership == "dense" else n - 1)
    monkeypatch.setattr(edges_module, "BIT_NODES", n if membership == "bits" else n - 1)
    rng = np.random.default_rng(n)
    edges = EdgeSet(n, attrs={"w": np.float64, "flag": np.bool_})
    assert (edges._dense is not None) == (membership == "dense")
    assert (edges._bits is not None) == (membership == "bits")
    pairs: dict[tuple[int, int], float] = {}
    for step in range(60):
        if compiled == "mixed":
            kernels._state["on"] = step % 4 < 2
        m = int(rng.integers(0, 30))
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        if step % 3 == 2:
            before = set(pairs)
            got = edges.remove(src, dst)
            wanted = {(int(s), int(d)) for s, d in zip(src, dst, strict=True)} & before
            assert {(int(src[i]), int(dst[i])) for i in got} == wanted
            assert len(got) == len(wanted)
            for pair in wanted:
                del pairs[pair]
        else:
            got = edges.add(src, dst)
            new = [(int(src[i]), int(dst[i])) for i in got]
            assert len(set(new)) == len(new)
            assert all(u != v and (u, v) not in pairs for u, v in new)
            firsts = {}
            for i, pair in enumerate(zip(src.tolist(), dst.tolist(), strict=True)):
                firsts.setdefault(pair, i)
            assert all(firsts[pair] == i for pair, i in zip(new, got, strict=True))
            for pair in new:
                pairs[pair] = 0.0  # a new edge's attributes start at zero
        expected = np.array(sorted(u * n + v for u, v in pairs), dtype=np.int64)
        assert np.array_equal(edges.keys, expected)
        # attributes stay aligned with the keys: each edge carries its own key (or 0 if new)
        assert edges.attrs["w"].tolist() == [pairs[(k // n, k % n)] for k in expected.tolist()]
        assert len(edges.attrs["flag"]) == len(expected)
        edges.attrs["w"][:] = edges.keys
        for u, v in pairs:
            pairs[(u, v)] = float(u * n + v)
        assert edges.n_mutual == _mutual(set(pairs))
        assert np.array_equal(edges.out_degree, np.bincount(expected // n, minlength=n))
        assert np.array_equal(edges.in_degree, np.bincount(expected % n, minlength=n))
        qs, qd = rng.integers(0, n, 25), rng.integers(0, n, 25)
        has = np.array([(int(s), int(d)) in pairs for s, d in zip(qs, qd, strict=True)])
        assert np.array_equal(edges.contains(qs, qd), has)
        pos, found = edges.find(qs, qd)
        assert np.array_equal(found, has)
        assert np.array_equal(edges.keys[pos[found]], qs[found] * n + qd[found])
        pos, found, back = edges.find_both_ways(qs, qd)
        assert np.array_equal(found, has)
        assert np.array_equal(edges.keys[pos[found]], qs[found] * n + qd[found])
        assert np.array_equal(back, edges.contains(qd, qs))
        start, end = edges.out_ranges(np.arange(n))
        assert np.array_equal(end - start, edges.out_degree)


@pytest.mark.parametrize("compiled", [False, True], ids=["numpy", "compiled"])
def test_attributes_of_new_edges_start_at_zero_and_old_ones_keep_theirs(compiled, monkeypatch):
    if compiled and not kernels.available():
        pytest.skip("numba is not installed")
    monkeypatch.setitem(kernels._state, "on", compiled)
    edges = EdgeSet(10, attrs={"w": np.float64})
    edges.add(np.array([1, 3, 5]), np.array([2, 4, 6]))
    edges.attrs["w"][:] = [1.0, 2.0, 3.0]
    edges.add(np.array([0, 4, 9]), np.array([1, 5, 8]))
    assert edges.attrs["w"].tolist() == [0.0, 1.0, 2.0, 0.0, 3.0, 0.0]
    edges.remove(np.array([3, 7]), np.array([4, 7]))
    assert edges.attrs["w"].tolist() == [0.0, 1.0, 0.0, 3.0, 0.0]


@pytest.mark.parametrize("compiled", [False, True], ids=["numpy", "compiled"])
def test_a_copy_changes_apart_from_its_original(compiled, monkeypatch):
    """A deep copy (or an unpickled edge set) shares no arrays with its original, also where
    the compiled loops keep the keys in a longer array and change it in place."""
    if compiled and not kernels.available():
        pytest.skip("numba is not installed")
    monkeypatch.setitem(kernels._state, "on", compiled)
    edges = EdgeSet(10, attrs={"w": np.float64})
    edges.add(np.array([1, 3, 5, 7]), np.array([2, 4, 6, 8]))
    edges.attrs["w"][:] = [1.0, 2.0, 3.0, 4.0]
    keys, w, degree = edges.keys.copy(), edges.attrs["w"].copy(), edges.out_degree.copy()
    for twin in (copy.deepcopy(edges), pickle.loads(pickle.dumps(edges))):
        twin.add(np.array([0, 2]), np.array([1, 3]))
        twin.remove(np.array([3]), np.array([4]))
        twin.attrs["w"][:] = -1.0
        assert twin.keys.tolist() == [1, 12, 23, 56, 78]
        assert np.array_equal(edges.keys, keys)
        assert np.array_equal(edges.attrs["w"], w)
        assert np.array_equal(edges.out_degree, degree)


def test_empty_set_finds_nothing():
    edges = EdgeSet(5)
    pos, found = edges.find(np.array([1, 2]), np.array([3, 4]))
    assert not found.any() and pos.tolist() == [0, 0]
    assert edges.remove(np.array([1]), np.array([2])).tolist() == []


def test_pair_log_lets_each_pair_through_once():
    from sim.engine.edges import PairLog

    log = PairLog()
    first = log.first_time(np.array([1, 2, 1, 1]), np.array([7, 7, 7, 8]))
    assert first.tolist() == [True, True, False, True]  # (1, 7) twice in one batch: once
    again = log.first_time(np.array([2, 3, 1]), np.array([7, 7, 9]))
    assert again.tolist() == [False, True, True]  # (2, 7) was let through before
    assert log.keys.tolist() == sorted(log.keys.tolist()) and len(log.keys) == 5


def test_no_reader_retweets_the_same_post_twice():
    import sim
    from sim.engine.posts import RETWEET

    model = sim.PartyModel("default", seed=3, agents=False).run(72)
    posts = model.posts
    rt = posts["form"] == RETWEET
    assert rt.sum() > 50
    pairs = posts["author"][rt].astype(np.int64) * len(posts) + posts["orig"][rt]
    assert len(np.unique(pairs)) == len(pairs)


@pytest.mark.parametrize("n_values", [1, 300, 1 << 16, (1 << 16) + 1, 1_000_000, 1 << 32])
@pytest.mark.parametrize("size", [0, 50, 20_000])
def test_stable_order_is_numpys_stable_argsort(n_values, size):
    # one 16-bit radix pass, two of them (wider values, large arrays), or numpy's own sort;
    # many repeated values, so the order among equal values (stability) is checked too
    rng = np.random.default_rng(size + n_values % 97)
    values = rng.integers(0, min(n_values, max(size // 3, 1)), size) * (
        n_values // max(size, 1) or 1
    )
    values = np.minimum(values, n_values - 1)
    assert np.array_equal(stable_order(values, n_values), values.argsort(kind="stable"))


@pytest.mark.parametrize("size", [0, 3, 100, 50_000])
@pytest.mark.parametrize("changes", [0, 1, 4, 30, 2_000])
def test_insert_and_delete_sorted_are_numpys_insert_and_delete(size, changes):
    # slices for a few changes (or one per 2,048 values of a large array), else a mask
    rng = np.random.default_rng(size + changes)
    values = np.sort(rng.integers(0, 10**9, size))
    new = np.sort(rng.integers(0, 10**9, changes))
    pos = values.searchsorted(new)
    assert np.array_equal(insert_sorted(values, pos, new), np.insert(values, pos, new))
    floats = rng.random(size)
    assert np.array_equal(insert_sorted(floats, pos, new * 0.5), np.insert(floats, pos, new * 0.5))
    gone = np.unique(rng.integers(0, size, changes)) if size else np.zeros(0, dtype=np.int64)
    assert np.array_equal(delete_sorted(values, gone), np.delete(values, gone))


def _run(n_accounts: int, hours: int) -> list[np.ndarray]:
    """Every post column, the follow and block keys and the counters after a run of the
    default party's mix scaled to ``n_accounts``."""
    from dataclasses import replace

    from sim import PartyModel
    from sim.config.scenarios import load

    sc = load("default")
    scale = n_accounts / sc.n_accounts
    sc = replace(sc, groups=[replace(g, count=round(g.count * scale)) for g in sc.groups])
    model = PartyModel(sc, seed=4, agents=False).run(hours)
    posts = [col[: len(model.posts)] for _, col in sorted(model.posts.cols.items())]
    return [*posts, model.follows.keys, model.blocks.keys, model._count_rows]


def test_a_run_is_the_same_whichever_way_membership_is_kept(monkeypatch):
    # a party of 2,600 accounts (more than DENSE_NODES) for 20 hours: the bit table gives
    # exactly the run that binary searches give
    monkeypatch.setattr(edges_module, "BIT_NODES", 0)
    searched = _run(2_600, 20)
    monkeypatch.setattr(edges_module, "BIT_NODES", 10**6)
    with_bits = _run(2_600, 20)
    assert len(searched[0]) > 1_000  # the party did post
    assert all(np.array_equal(a, b) for a, b in zip(searched, with_bits, strict=True))
