"""Feed speed: microseconds per account-step of the engagement and for_you feeds against the
chronological feed, side by side in one run (target: ranked feeds at most 1.5x).

The default party scaled to N accounts (10,000 by default) runs ``--steps`` hours under each
feed, same seed; the feeds take turns for ``--rounds`` rounds (the machine's load hits all of
them alike) and the fastest round of each counts. Usage:

    python benchmarks/bench_feeds.py
    python benchmarks/bench_feeds.py --accounts 10000 --steps 48 --rounds 3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import scaled_default  # noqa: E402
from machine import print_machine  # noqa: E402

FEEDS = ("chronological", "engagement", "for_you")


def time_feed(feed: str, n_accounts: int, steps: int) -> tuple[float, float, int]:
    """CPU seconds (process time: the other work on the machine does not count) for
    ``steps`` hours of the scaled default party on ``feed`` (set-up excluded), CPU seconds of
    it spent in the reading phase (where the feeds differ), and the number of accounts."""
    import sim.engine.model
    from sim.engine.warm import warm

    warm()  # the compiled loops in use for every feed (PARTYSIM_KERNELS)
    spent = [0.0]
    read_phase = sim.engine.model.read_phase

    def timed_read_phase(*args):
        t = time.process_time()
        out = read_phase(*args)
        spent[0] += time.process_time() - t
        return out

    sim.engine.model.read_phase = timed_read_phase
    try:
        model = sim.engine.model.PartyModel(
            scaled_default(n_accounts), seed=1, agents=False, feed=feed
        )
        t0 = time.process_time()
        model.run(steps)
        return time.process_time() - t0, spent[0], model.n
    finally:
        sim.engine.model.read_phase = read_phase


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print_machine()
    best: dict[str, tuple[float, float]] = {}
    n = args.accounts
    for r in range(args.rounds):
        for feed in FEEDS:
            seconds, reading, n = time_feed(feed, args.accounts, args.steps)
            if seconds < best.get(feed, (float("inf"), 0.0))[0]:
                best[feed] = (seconds, reading)
            print(f"round {r + 1} {feed:<14} {seconds:.2f} s (reading {reading:.2f} s)", flush=True)
    base = best["chronological"][0]
    per = n * args.steps / 1e6
    print(f"{n} accounts, {args.steps} hours, best of {args.rounds} rounds:")
    print(f"{'feed':<14} {'us/account-step':>16} {'x chronological':>16} {'reading us':>11}")
    for feed in FEEDS:
        total, reading = best[feed]
        print(f"{feed:<14} {total / per:>16.2f} {total / base:>16.2f} {reading / per:>11.2f}")


if __name__ == "__main__":
    main()
