"""Strategies: declarative behaviour profiles, one small module each.

A strategy is only how an account behaves: how often and what it posts, whether it replies,
retweets, follows, follows back, thanks, schedules or blasts. It is a set of values for
account-scope parameters (see :mod:`sim.config.params`); everything it does not set keeps the
registry default. How others react to an account is decided by shared rules that never look
at the strategy's name.

Each module here holds a docstring in plain words and a ``PROFILE`` dict: data only. New
modules are discovered automatically (:data:`PROFILES`); :mod:`sim.config.strategies` checks
each profile against the parameter registry and makes it a ``Strategy``. A scenario file can
derive a new strategy from one of these plus overrides, without Python (see
:mod:`sim.config.scenarios`).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def _discover() -> dict[str, tuple[str, dict[str, Any]]]:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[info.name] = (" ".join((module.__doc__ or "").split()), dict(module.PROFILE))
    return found


# every strategy module's name -> (its docstring in one line, its PROFILE)
PROFILES: dict[str, tuple[str, dict[str, Any]]] = _discover()
