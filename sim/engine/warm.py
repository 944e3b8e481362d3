"""Load the engine's compiled loops before the first run: ``python -m sim.engine.warm``
(``make install`` compiles them once, ~35 s, cached), or :func:`warm` from code (the app
before its first Play, a sweep's workers, the benchmarks)."""

from __future__ import annotations

import time

from sim.engine import kernels
from sim.engine.model import PartyModel


def warm() -> float:
    """Load the compiled loops now (compiling them if this machine has not yet) and use them
    from here on, unless ``PARTYSIM_KERNELS`` is ``off``; returns the seconds it took."""
    start = time.perf_counter()
    if not kernels.switch_on():
        return 0.0
    PartyModel("default", seed=1, agents=False).run(24)  # every loop, once
    # the ranked feeds' loops (sim.engine.loops.ranking and the For You candidates): only a
    # ranked feed calls them; for_you calls every one the engagement feed does, and more
    PartyModel("default", seed=1, agents=False, feed="for_you").run(24)
    return time.perf_counter() - start


if __name__ == "__main__":
    seconds = warm()
    state = "ready" if kernels.enabled() else f"off ({kernels.ENV}={kernels.mode()} or no numba)"
    print(f"compiled loops {state} ({seconds:.1f} s)")
