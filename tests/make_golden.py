"""Regenerate tests/golden_default.json: run this only after a deliberate change of the
model's rules or defaults, and say so in the commit message.

    python tests/make_golden.py
"""

import json
from pathlib import Path

import sim
from sim.analysis import metrics

GOLDEN = Path(__file__).with_name("golden_default.json")
SEED, STEPS = 7, 72


def golden_run() -> dict:
    return metrics.summary(sim.PartyModel("default", seed=SEED).run(STEPS))


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(golden_run(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}")
