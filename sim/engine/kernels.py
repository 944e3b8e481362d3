"""Whether the hour's busiest rules run as compiled loops (numba) or as numpy calls.

At a few hundred accounts most of an hour's cost is the fixed cost of many small numpy calls
(about 0.6-2 µs each, whatever the size of the array); a compiled loop over the same values
pays that cost once. The loops live in :mod:`sim.engine.compiled`; each does exactly what the
numpy code beside it does, in the same order, so a run is bit-identical either way
(``tests/test_kernels.py`` compares whole runs). The numpy code stays the readable statement
of each rule, with the reference engine (``sim/reference``) stating it one account at a time.

The compiled loops are used when numba can be imported, unless the environment variable
``PARTYSIM_KERNELS`` is ``off`` (or ``0``, ``no``, ``numpy``). numba is imported at the first
use, not with :mod:`sim`: a process that runs the party pays about 0.6 s once to load the
compiled code (the first run on a machine compiles it, about 10 s, and caches it next to
:mod:`sim.engine.compiled`), which a long-lived process (a sweep worker, the app, a notebook)
wins back within a few default weeks.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from types import ModuleType

ENV = "PARTYSIM_KERNELS"
_OFF = ("0", "off", "no", "numpy", "false")
_state: dict[str, bool | None] = {"on": None}
_loaded: dict[str, ModuleType] = {}


def available() -> bool:
    """Whether numba is installed."""
    return importlib.util.find_spec("numba") is not None


def enabled() -> bool:
    """Whether the compiled loops are used (decided once per process)."""
    if _state["on"] is None:
        wanted = os.environ.get(ENV, "on").strip().lower() not in _OFF
        _state["on"] = wanted and available()
    return bool(_state["on"])


# Above this many accounts the numpy code is used: the compiled loops look ties and items up
# one at a time, each waiting for its memory, while numpy's gathers over whole arrays keep many
# look-ups in flight; once the party's arrays no longer fit in the caches that wins (24 hours
# measured on one machine, µs per account-step numpy / compiled: 6.1-6.5 / 5.0-5.2 at 10,000
# accounts, 4.9-5.2 / 3.9-4.8 at 30,000, 6.2 / 7.7 at 100,000).
MAX_ACCOUNTS = 30_000


def used_for(n_accounts: int) -> bool:
    """Whether a party of ``n_accounts`` runs the compiled loops."""
    return n_accounts <= MAX_ACCOUNTS and enabled()


def compiled() -> ModuleType:
    """The compiled loops (imports numba the first time)."""
    module = _loaded.get("compiled")
    if module is None:
        from sim.engine import compiled as module

        _loaded["compiled"] = module
    return module


@contextlib.contextmanager
def using(on: bool) -> Iterator[None]:
    """Run the enclosed code with the compiled loops on or off (for comparing the two)."""
    before = _state["on"]
    _state["on"] = bool(on) and available()
    try:
        yield
    finally:
        _state["on"] = before
