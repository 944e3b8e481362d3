"""Whether the hour's busiest rules run as compiled loops (numba) or as numpy calls.

At a few hundred accounts most of an hour's cost is the fixed cost of many small numpy calls
(about 0.6-2 µs each, whatever the size of the array); a compiled loop over the same values
pays that cost once. The loops live in :mod:`sim.engine.loops`, one module per rule module
(``loops/feed.py`` beside ``feed.py``, ...); each does exactly what the numpy code beside it
does, in the same order, so a run is bit-identical either way
(``tests/test_kernels.py`` compares whole runs, and a process may switch mid-run). The numpy
code stays the readable statement of each rule, with the reference engine
(``sim/reference``) stating it one account at a time.

Why the numpy twin of each looped rule stays (decided for issue 26, measured on an Intel Xeon
with 2 shared cores, numba 0.68): a single default week in a fresh process costs about 0.3 s
CPU on the numpy code, against about 0.7 s to load numba and the cached loops plus 0.1 s for
the week on them (and 25-35 s to compile them the first time on a machine); so ``partysim
run``, the tests of the numpy path and anyone without numba keep fast single runs, and the
on/off identity test (``tests/test_kernels.py``) checks each loop against a second
statement of its rule. The price: a rule lives in two places in the fast engine (the loop
beside it names the numpy function it mirrors, and docs/MODEL.md names both).

The loops' contract (``sim/engine/loops/names.py``): a loop takes a few blocks, not one
argument per array: account state as ``model.state_f``/``state_i``/``state_b`` (rows
declared in :mod:`sim.engine.state`), the per-account parameters as ``model.acct_p``, the
model parameters as ``model.params.vector()``, the item columns as ``posts.Items``, an edge
set as ``sim.engine.state.Lookup``; it indexes them with constants generated into its own file
(``p[RETWEET_BASE_PROB]``, ``state_f[DAILY_ITEMS]``). Each loop has a builder beside it
(``read_hour_for(model, online)``) that takes the blocks from the model, so the argument
list is written once.

Loading the compiled code costs a process about 0.7 s (importing numba, reading the cached
machine code; the first process on a machine compiles it, about 35 s, which ``make install``
does once). That pays in a process that runs more than a default week or two (a sweep
worker, the app, a benchmark, a notebook), not in a single ``partysim run``. So the
environment variable ``PARTYSIM_KERNELS`` chooses:

- ``auto`` (the default): numpy until the process has simulated :data:`AUTO_AFTER`
  account-hours (two default weeks), compiled loops from then on; at once if the process says
  it is about to do that much (:func:`expect`: a long run, a sweep's runs) or after
  :func:`warm`;
- ``on`` (or ``1``, ``yes``, ``true``): compiled loops from the first hour; ``off`` (or ``0``,
  ``no``, ``numpy``, ``false``): never. Any other value is an error (:class:`SettingError`).

Without numba installed the numpy code runs, whatever the setting. Parties of every size use
the loops when they are on (measured at 100,000 and 1,000,000 accounts they are 15-25% faster
than the numpy code there too: ``README.md``, "Reference engine and scale").
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator

from sim.config.errors import SettingError

ENV = "PARTYSIM_KERNELS"
_OFF = ("0", "off", "no", "numpy", "false")
_ON = ("1", "on", "yes", "true")
AUTO_AFTER = 2 * 320 * 168  # account-hours a process runs before ``auto`` loads the loops

# "mode": on / off / auto (read from the environment once); "on": the loops are in use now;
# "work": account-hours simulated by this process so far; "pinned": set by ``using`` (auto
# does not switch while it holds)
_state: dict = {"mode": None, "on": False, "work": 0, "pinned": False}
# the files of the compiled loops (sim/engine/loops/), a file after those it calls into: the
# order sim/engine/loop_names.py writes their names in, and the modules a sweep's fork server
# imports ahead of its workers
LOOP_FILES = (
    "base",
    "rng",
    "edges",
    "feed",
    "ranking",
    "reactions",
    "ties",
    "everyday",
    "posting",
    "hour",
    "recorder",
)
LOOP_MODULES = tuple(f"sim.engine.loops.{name}" for name in LOOP_FILES)


def available() -> bool:
    """Whether numba is installed."""
    return importlib.util.find_spec("numba") is not None


def mode() -> str:
    """``on``, ``off`` or ``auto`` (from ``PARTYSIM_KERNELS``; ``off`` without numba)."""
    if _state["mode"] is None:
        value = os.environ.get(ENV, "auto").strip().lower()
        if value in _OFF:
            chosen = "off"
        elif value in _ON:
            chosen = "on"
        elif value in ("auto", ""):
            chosen = "auto"
        else:
            raise SettingError(
                f"{ENV}={os.environ[ENV]!r}: use auto (the default), on or off "
                "(whether the engine's compiled loops run; see sim/engine/kernels.py)"
            )
        _state["mode"] = chosen if available() else "off"
        _state["on"] = _state["mode"] == "on"
    return _state["mode"]


def enabled() -> bool:
    """Whether the compiled loops are in use now."""
    if _state["mode"] is None:
        mode()
    return _state["on"]


def note_work(account_hours: int) -> None:
    """Count simulated account-hours (called every hour); ``auto`` switches the loops on
    once the process has done enough work to win back their loading."""
    _state["work"] += account_hours
    if _state["pinned"]:
        return
    if not _state["on"] and _state["work"] >= AUTO_AFTER and mode() == "auto":
        _state["on"] = True


def expect(account_hours: int) -> None:
    """The process is about to simulate ``account_hours`` more (``PartyModel.run``, a
    sweep's runs in one process): ``auto`` switches the loops on now if that and the work done
    so far reach :data:`AUTO_AFTER` (the loops are as fast after loading as they will ever be,
    so a process that will pay for loading them anyway should not wait two weeks)."""
    if _state["pinned"]:
        return
    if not _state["on"] and _state["work"] + account_hours >= AUTO_AFTER and mode() == "auto":
        _state["on"] = True


def switch_on() -> bool:
    """Use the compiled loops from here on, unless ``PARTYSIM_KERNELS`` is ``off``; whether
    they are on (:func:`sim.engine.warm.warm` then loads them by running every loop once)."""
    if mode() == "off":
        return False
    _state["on"] = True
    return True


@contextlib.contextmanager
def using(on: bool) -> Iterator[None]:
    """Run the enclosed code with the compiled loops on or off (for comparing the two):
    ``auto`` does not switch them inside."""
    mode()
    before, pinned = _state["on"], _state["pinned"]
    _state["on"], _state["pinned"] = bool(on) and available(), True
    try:
        yield
    finally:
        _state["on"], _state["pinned"] = before, pinned
