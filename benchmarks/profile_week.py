"""Where a default week's CPU time goes: per phase of ``PartyModel.step`` and per function.

1. Phases: each phase function called by ``step()`` (and the recorder's ``collect``) is
   wrapped with a CPU-time timer; ``--weeks`` default weeks (320 accounts, 168 h, seeds 1, 2,
   ...) are run and each phase's share of the run's CPU time printed, in µs per hour.
2. Functions: the same weeks under cProfile: self time per function (share of the total),
   calls per hour, and the number of function calls cProfile counts per hour (numpy's
   operators such as ``a + b`` or ``a[mask]`` are not function calls and are not counted).

At 320 accounts most arrays hold tens to hundreds of values, so a phase's cost is mostly the
fixed cost of its numpy calls (about 0.3-2 µs each, more through Python-level wrappers such as
``np.flatnonzero``, ``np.unique``, ``np.select``). cProfile adds its own cost per call, so its
shares overstate functions making many small calls; the phase shares (1) do not. Usage:

    python benchmarks/profile_week.py [--weeks 5] [--top 30]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import print_machine  # noqa: E402

PHASES = (
    "online_now",
    "post_phase",
    "read_phase",
    "with_recommended",
    "react_phase",
    "update_worth",
    "follow_back_phase",
    "suggestion_phase",
    "unfollow_phase",
    "everyday_unfollow_phase",
)
HOURS = 168


def _timed(fn, name: str, spent: collections.Counter):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start

    return wrapper


def phases(weeks: int) -> None:
    """CPU time per phase of the step, the phases wrapped in the model's module."""
    import sim.engine.model as model_module
    from sim import PartyModel
    from sim.engine.warm import warm

    spent: collections.Counter = collections.Counter()
    originals = {name: getattr(model_module, name) for name in PHASES}
    close, collect = model_module.PartyModel._close_hour, model_module.Recorder.collect
    try:
        for name, fn in originals.items():
            setattr(model_module, name, _timed(fn, name, spent))
        model_module.PartyModel._close_hour = _timed(close, "_close_hour", spent)
        model_module.Recorder.collect = _timed(collect, "collect (recorder)", spent)
        warm()  # the compiled loops in use (PARTYSIM_KERNELS)
        PartyModel("default", seed=99, agents=False).run(24)  # warm-up
        spent.clear()
        total = 0.0
        for seed in range(1, weeks + 1):
            model = PartyModel("default", seed=seed, agents=False)
            start = time.process_time()
            model.run(HOURS)
            total += time.process_time() - start
    finally:
        for name, fn in originals.items():
            setattr(model_module, name, fn)
        model_module.PartyModel._close_hour, model_module.Recorder.collect = close, collect
    hours = weeks * HOURS
    print(f"phases: {weeks} default weeks, {total / hours * 1e6:.0f} µs CPU per hour (timers on)")
    for name, seconds in spent.most_common():
        print(f"  {name:26s} {seconds / hours * 1e6:6.0f} µs/h  {seconds / total:6.1%}")
    rest = total - sum(spent.values())
    print(f"  {'rest of step()':26s} {rest / hours * 1e6:6.0f} µs/h  {rest / total:6.1%}")


def functions(weeks: int, top: int) -> None:
    """Self time per function under cProfile, and function calls per hour."""
    from sim import PartyModel
    from sim.engine.warm import warm

    warm()
    PartyModel("default", seed=99, agents=False).run(24)  # warm-up
    profile = cProfile.Profile()
    for seed in range(1, weeks + 1):
        model = PartyModel("default", seed=seed, agents=False)
        profile.enable()
        model.run(HOURS)
        profile.disable()
    stats = pstats.Stats(profile).stats
    total = sum(row[2] for row in stats.values())
    calls = sum(row[1] for row in stats.values())
    hours = weeks * HOURS
    print(f"functions (cProfile): {calls / hours:.0f} function calls per hour")
    rows = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for (file, _line, name), (_, n_calls, self_s, cum_s, _) in rows:
        where = f"{Path(file).name}:{name}" if file != "~" else name
        print(
            f"  {self_s / total:5.1%} self {cum_s / total:6.1%} cum "
            f"{n_calls / hours:7.1f}/h  {where}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=5)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    print_machine()
    phases(args.weeks)
    functions(args.weeks, args.top)


if __name__ == "__main__":
    main()
