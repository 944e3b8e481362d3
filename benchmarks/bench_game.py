"""The workshop game on the server, with 30 simulated participants (threads, no browser).

Measures, at the default preset with 30 seats:

- choice_to_engine_ms (p50, p95, max): from a participant's choice (``Game.choose``, as the
  phone page calls it) to the value being in the account's parameters, while the server's
  clock thread plays the round at the game's speed (a choice waits for the hour being
  computed: the game's lock is taken per hour);
- choice_to_trainer_screen_s_max: that plus the trainer screen's refresh period (its live
  part reruns every ui.game_trainer.REFRESH_SECONDS): the longest a choice takes to show;
- round_compute_s: the CPU time of one round (24 hours) played at once, mean of the rounds;
- round_wall_s: one round's wall time at the game's default speed (12 simulated hours per
  second), from Start to the round's end, with the participants choosing meanwhile;
- machine: CPU model, cores, load, versions (benchmarks/machine.py).

Prints one JSON line with --json. A benchmark, not a test: numbers depend on the machine.
    python benchmarks/bench_game.py --json [--players 30] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from machine import machine  # noqa: E402

TRAINER_REFRESH_S = 1.0  # ui.game_trainer.REFRESH_SECONDS (not imported: no Streamlit here)


def participant(game, pid, token, account, stop, latencies, rate_options):
    """Change posts_per_hour every ~2.5 s (under the rate limit) and time its arrival."""
    k = 0
    while not stop.is_set():
        value = rate_options[k % len(rate_options)]
        t0 = time.perf_counter()
        game.choose(pid, token, {"posts_per_hour": value})
        if game.model.acct["posts_per_hour"][account] == value:
            latencies.append(time.perf_counter() - t0)
        k += 1
        stop.wait(2.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--players", type=int, default=30, help="simulated participants")
    parser.add_argument("--rounds", type=int, default=3, help="rounds to play (24 h each)")
    args = parser.parse_args()
    from sim.engine import kernels
    from sim.game import GameStore

    report = {"machine": machine()}
    kernels.warm()  # as the app does before the first game
    store = GameStore(None)
    game, trainer = store.create("default", rounds=args.rounds + 1, hours_per_round=24,
                                 max_players=args.players, choice_seconds=0)  # fmt: skip
    seats = [game.join(f"sim {i}") for i in range(args.players)]
    # one round at once: the compute time of 24 hours
    t0 = time.perf_counter()
    game.play_round()
    compute = [time.perf_counter() - t0]
    # the other rounds on the clock thread, with every participant choosing meanwhile
    store.start_clock()
    latencies: list[float] = []
    walls = []
    for _ in range(args.rounds - 1):
        stop = threading.Event()
        threads = [threading.Thread(target=participant, args=(
            game, pid, token, game.players[pid].account, stop, latencies, (0.5, 1.0, 2.0)))
            for pid, token in seats]  # fmt: skip
        start_round = game.round
        t0 = time.perf_counter()
        game.next_round(trainer)
        for t in threads:
            t.start()
        while game.round == start_round:
            time.sleep(0.01)
        walls.append(time.perf_counter() - t0)
        stop.set()
        for t in threads:
            t.join()
    store.stop_clock()
    t0 = time.perf_counter()
    game.play_round()
    compute.append(time.perf_counter() - t0)
    ms = sorted(x * 1000 for x in latencies)
    report.update(
        players=args.players,
        accounts=game.model.n,
        choices=len(ms),
        choice_to_engine_ms={
            "p50": round(statistics.median(ms), 2),
            "p95": round(ms[int(0.95 * (len(ms) - 1))], 2),
            "max": round(ms[-1], 2),
        },
        choice_to_trainer_screen_s_max=round(ms[-1] / 1000 + TRAINER_REFRESH_S, 2),
        round_compute_s=round(statistics.mean(compute), 3),
        round_wall_s=round(statistics.mean(walls), 2),
        speed_hours_per_s=game.speed,
    )
    print(json.dumps(report) if args.json else json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
