"""The compiled loops (sim/engine/compiled.py) change nothing but speed: whole runs with them
and without them are identical, value for value, in every membership mode of the edge sets
and under every feed. The numpy code is the statement of each rule; these tests hold the
compiled code to it."""

import os
from dataclasses import replace

import numpy as np
import pytest

from sim import PartyModel
from sim.config.scenarios import load
from sim.engine import edges as edges_module
from sim.engine import kernels

pytestmark = pytest.mark.skipif(
    not kernels.available(), reason="numba is not installed (the compiled loops are off)"
)


def _scaled(name: str, n_accounts: int):
    sc = load(name)
    scale = n_accounts / sc.n_accounts
    return replace(sc, groups=[replace(g, count=round(g.count * scale)) for g in sc.groups])


def _state(model: PartyModel) -> dict[str, np.ndarray]:
    """Everything a run leaves behind: items, ties, blocks, counters, events, the recorded
    outcomes and the next random number."""
    out = {f"posts.{name}": col[: len(model.posts)] for name, col in model.posts.cols.items()}
    out["follows"] = model.follows.keys
    out.update({f"follows.{k}": v for k, v in model.follows.attrs.items()})
    out["blocks"] = model.blocks.keys
    out["counts"] = model._count_rows
    out.update({f"events.{c}": v for c, v in model.events.columns().items()})
    out["recorded"] = model.datacollector.get_model_vars_dataframe().to_numpy()
    out["next draw"] = np.array([model.rng.random()])
    return out


def _both_ways(scenario, seed: int, hours: int, **overrides):
    runs = []
    for on in (False, True):
        with kernels.using(on):
            runs.append(
                _state(PartyModel(scenario, seed=seed, agents=False, **overrides).run(hours))
            )
    return runs


def _assert_same(plain: dict, compiled: dict) -> None:
    assert plain.keys() == compiled.keys()
    for name, value in plain.items():
        assert np.array_equal(value, compiled[name], equal_nan=value.dtype.kind == "f"), name


@pytest.mark.parametrize(
    ("scenario", "seed", "hours", "overrides"),
    [
        ("default", 1, 168, {}),
        ("default", 2, 100, {"feed": "for_you"}),
        ("default", 3, 100, {"feed": "engagement"}),
        # For You's quota and author diversity at their edges (both sides short, decay 0)
        (
            "default",
            7,
            80,
            {
                "feed": "for_you",
                "for_you_out_of_network_share": 0.9,
                "author_diversity_decay": 0.0,
                "for_you_room_candidates": 20,
            },
        ),
        (
            "default",
            8,
            80,
            {"feed": "for_you", "for_you_out_of_network_share": 0.1, "author_diversity_decay": 0.9},
        ),
        ("blasting", 4, 120, {}),  # promotional mentions, blocks
        # rules joining and leaving: a third of the crowd and the schedulers sign up during
        # the run, and 40% of the crowd never comes back
        (
            "default",
            9,
            100,
            {
                "regular.join_prob": 0.3,
                "scheduler.join_prob": 0.5,
                "join_window_steps": 80,
                "broadcaster.start_fame": "top",
                "*.signup_follows": 5,
                "regular.quit_prob": 0.4,  # rule leaving: before the party and after sign-up
            },
        ),
        ("retweets_and_thanks", 5, 120, {}),
        ("replies_get_noticed", 6, 120, {}),
    ],
)
def test_a_run_is_the_same_with_and_without_the_compiled_loops(scenario, seed, hours, overrides):
    plain, compiled = _both_ways(scenario, seed, hours, **overrides)
    assert len(plain["posts.author"]) > 1_000 and len(plain["events.actor"]) > 50
    _assert_same(plain, compiled)


@pytest.mark.parametrize("mode", ["bits", "searched"])
def test_the_same_at_a_size_where_ties_are_bits_or_searched(mode, monkeypatch):
    """2,600 accounts: the follow edges kept as one bit per possible edge, or (with the
    bits switched off) found by binary searches, as on graphs of more than 16,384 accounts."""
    if mode == "searched":
        monkeypatch.setattr(edges_module, "BIT_NODES", 1_000)
    plain, compiled = _both_ways(_scaled("default", 2_600), 7, 20)
    assert len(plain["posts.author"]) > 1_000
    _assert_same(plain, compiled)


@pytest.mark.parametrize(
    ("value", "mode"),
    [("off", "off"), ("numpy", "off"), ("on", "on"), ("auto", "auto"), ("", "auto")],
)
def test_the_switch_reads_the_environment(value, mode, monkeypatch):
    monkeypatch.setenv(kernels.ENV, value)
    monkeypatch.setitem(kernels._state, "mode", None)
    monkeypatch.setitem(kernels._state, "work", 0)
    monkeypatch.setitem(kernels._state, "on", False)
    assert kernels.mode() == mode
    assert kernels.enabled() == (mode == "on")


def test_auto_switches_the_loops_on_after_enough_work(monkeypatch):
    """``auto``: numpy for a process's first two default weeks, compiled loops after."""
    monkeypatch.setenv(kernels.ENV, "auto")
    monkeypatch.setitem(kernels._state, "mode", None)
    monkeypatch.setitem(kernels._state, "work", 0)
    monkeypatch.setitem(kernels._state, "on", False)
    model = PartyModel("default", seed=8, agents=False)
    model.run(168)
    assert not kernels.enabled()  # one default week: not yet
    model.run(168)
    assert kernels.enabled()


def _fresh_auto(monkeypatch) -> None:
    monkeypatch.setenv(kernels.ENV, "auto")
    monkeypatch.setitem(kernels._state, "mode", None)
    monkeypatch.setitem(kernels._state, "work", 0)
    monkeypatch.setitem(kernels._state, "on", False)


class _Stop(Exception):
    pass


def test_auto_uses_the_loops_from_the_first_hour_of_a_long_run(monkeypatch):
    """A run announced as long as what ``auto`` waits for (``run(steps)`` tells the switch)
    does not spend its first two weeks on numpy; a short one (a single default week) does."""
    seen = []

    def first_hour(done, total):
        seen.append(kernels.enabled())
        raise _Stop

    _fresh_auto(monkeypatch)
    model = PartyModel("default", seed=8, agents=False)
    with pytest.raises(_Stop):
        model.run(168, progress=first_hour)
    with pytest.raises(_Stop):
        model.run(2 * 168, progress=first_hour)
    assert seen == [False, True]


def test_sweep_workers_start_with_the_loops_when_their_share_is_long(monkeypatch, tmp_path):
    """A pool's workers fork from a server that loaded the loops when each worker's share of
    the runs reaches ``AUTO_AFTER`` (or with PARTYSIM_KERNELS=on), not for a short sweep."""
    from sim.sweeps import load_sweep
    from sim.sweeps.engines import _warm_workers

    _fresh_auto(monkeypatch)
    file = tmp_path / "s.toml"
    file.write_text(
        'name = "s"\nscenario = "default"\n[sweep]\nreps = 2\nsteps = 168\n'
        "[sweep.grid]\nfollow_base_prob = [0.02, 0.04]\n"
    )
    week = load_sweep(file).tasks()  # 4 default weeks
    assert _warm_workers(week, jobs=2)  # 2 weeks each: what auto waits for
    assert not _warm_workers(week, jobs=4)  # 1 week each: numpy pays
    monkeypatch.setenv(kernels.ENV, "on")
    monkeypatch.setitem(kernels._state, "mode", None)
    assert _warm_workers(week, jobs=4)
    monkeypatch.setenv(kernels.ENV, "off")
    monkeypatch.setitem(kernels._state, "mode", None)
    assert not _warm_workers(week, jobs=1)


_WARM_POOL = """
import os, sys
from concurrent.futures import ProcessPoolExecutor


def probe(_):
    from sim.engine import kernels

    compiled = sys.modules.get("sim.engine.loops.feed")
    return kernels.enabled(), bool(compiled and compiled.read_hour.overloads)


if __name__ == "__main__":
    from sim.sweeps.engines import _init_worker, _mp_context

    with ProcessPoolExecutor(
        1, mp_context=_mp_context(True), initializer=_init_worker, initargs=(os.getpid(), True)
    ) as pool:
        print(pool.submit(probe, 0).result(timeout=300))
"""


def test_a_warm_pool_worker_has_the_loops_loaded_before_its_first_run(tmp_path):
    """A long sweep's pool workers fork from a server that loaded the compiled loops: before
    any run, a worker has them on and their machine code in memory (in a fresh process, so
    that its fork server is started for this pool)."""
    import subprocess
    import sys

    script = tmp_path / "warm_pool.py"
    script.write_text(_WARM_POOL)
    env = {**os.environ, kernels.ENV: "auto"}
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "(True, True)"


def test_using_holds_against_auto(monkeypatch):
    """Inside ``kernels.using(False)`` the numpy code runs even when ``auto`` would switch
    to the loops (a long run, a process past two weeks): the comparisons rely on it."""
    _fresh_auto(monkeypatch)
    monkeypatch.setitem(kernels._state, "work", kernels.AUTO_AFTER)
    seen = []
    with kernels.using(False):
        PartyModel("default", seed=2, agents=False).run(
            2, progress=lambda done, total: seen.append(kernels.enabled())
        )
    assert seen == [False, False]
    PartyModel("default", seed=2, agents=False).run(
        1, progress=lambda done, total: seen.append(kernels.enabled())
    )
    assert seen == [False, False, True]  # outside, auto switches as before


def test_switching_the_loops_on_mid_run_changes_nothing():
    """``auto`` switches a process to the compiled loops between two hours of a run: the run
    must be the one it would have been without them."""
    with kernels.using(False):
        plain = _state(PartyModel("default", seed=9, agents=False).run(168))
        model = PartyModel("default", seed=9, agents=False).run(70)
    with kernels.using(True):
        switched = _state(model.run(98))
    _assert_same(plain, switched)


def test_an_unknown_setting_is_a_one_line_error(monkeypatch, capsys):
    """``PARTYSIM_KERNELS=fast`` is not silently taken for ``auto``: the command line says
    which values it takes, in one line, and exits with the usage code."""
    from sim.cli.main import main

    monkeypatch.setenv(kernels.ENV, "fast")
    monkeypatch.setitem(kernels._state, "mode", None)
    assert main(["run", "default", "--set", "steps=2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "PARTYSIM_KERNELS='fast'" in err and "auto" in err


def test_loops_draw_from_each_models_own_generator():
    """The loops draw from the model's own numpy generator through its addresses
    (``sim.engine.loops.rng.generator_handle``): two models stepped in turn, and a deep copy run beside
    its original, give each the run it gives alone, without the loops."""
    import copy

    with kernels.using(False):
        alone_a = _state(PartyModel("default", seed=4, agents=False).run(48))
        alone_b = _state(PartyModel("platform_engagement", seed=5, agents=False).run(48))
    with kernels.using(True):
        a = PartyModel("default", seed=4, agents=False).run(24)
        b = PartyModel("platform_engagement", seed=5, agents=False)
        twin = copy.deepcopy(a)
        for _ in range(24):
            a.step()
            b.step()
            b.step()
            twin.step()
        b.run(0)
    _assert_same(alone_a, _state(a))
    # (a deep copy's count views no longer write into its count rows, loops or not: compared
    # without them)
    without_counts = lambda state: {k: v for k, v in state.items() if k != "counts"}  # noqa: E731
    _assert_same(without_counts(alone_a), without_counts(_state(twin)))
    with kernels.using(True):
        b_again = _state(PartyModel("platform_engagement", seed=5, agents=False).run(48))
    _assert_same(alone_b, b_again)
    _assert_same(alone_b, _state(b))


def test_the_loops_poisson_draws_are_numpys():
    """The compiled loops draw posts and blasts per hour with ``sim.engine.loops.rng.poisson``, a port of
    numpy's algorithm: over rates from 0 to a million (the multiplication method below 10,
    PTRS from 10, where numba 0.68's own draw truncates a step where numpy floors: rarely, but
    after that the whole stream is shifted; over these rates it differs in most values) it
    gives numpy's values from the same stream and leaves the generator where numpy leaves
    it; a negative rate is an error, as in numpy."""
    from numba import njit

    from sim.engine.loops import rng as compiled

    @njit
    def draws(handle, lam):
        rng = compiled.generator(handle)
        out = np.empty(len(lam), dtype=np.int64)
        for i in range(len(lam)):
            out[i] = compiled.poisson(rng, lam[i])
        return out

    lam = np.concatenate(
        [np.linspace(0, 9.999, 5_000), np.linspace(10, 12, 20_000), np.geomspace(12, 1e6, 5_000)]
    )
    lam[::97] = 0.0  # a zero rate draws nothing
    for seed in range(3):
        ours, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
        assert np.array_equal(draws(compiled.generator_handle(ours), lam), theirs.poisson(lam))
        assert ours.bit_generator.state == theirs.bit_generator.state
    with pytest.raises(ValueError, match="rate"):
        draws(compiled.generator_handle(np.random.default_rng(0)), np.array([1.0, -0.5]))
