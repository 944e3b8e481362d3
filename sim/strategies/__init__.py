"""Strategies: declarative behaviour profiles, one small module each.

A strategy is only how an account behaves: how often and what it posts, whether it replies,
retweets, follows, follows back, thanks, schedules or blasts. It is a set of values for
account-scope parameters (see :mod:`sim.config.params`); everything it does not set keeps the
registry default. How others react to an account is decided by shared rules that never look
at the strategy's name.

Each module here holds a docstring in plain words and a ``PROFILE`` dict. New modules are
discovered automatically. A scenario file can derive a new strategy from one of these plus
overrides, without Python (see :mod:`sim.config.scenarios`).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sim.config.params import ACCOUNT_PARAMS, ParamError, account_defaults


@dataclass(frozen=True)
class Strategy:
    """A named behaviour profile: the account-parameter values it sets."""

    name: str
    description: str
    profile: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def values(self) -> dict[str, Any]:
        """Every account parameter: registry defaults overlaid with this profile."""
        return {**account_defaults(), **self.profile}

    def derive(
        self, name: str, description: str, overrides: dict[str, Any], where: str = ""
    ) -> Strategy:
        """A new strategy: this profile plus checked ``overrides``."""
        checked = {k: ACCOUNT_PARAMS[k].coerce(v, where) for k, v in overrides.items()}
        # the profile keeps what differs from the registry, so two derivations with the same
        # values (e.g. from another base) are the same strategy
        defaults = account_defaults()
        merged = {**self.profile, **checked}
        profile = {k: v for k, v in merged.items() if v != defaults[k]}
        return Strategy(name, description, MappingProxyType(profile))


def _discover() -> dict[str, Strategy]:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        profile = dict(module.PROFILE)
        for key, value in profile.items():
            if key not in ACCOUNT_PARAMS:
                raise ParamError(f"strategy {info.name}: unknown account parameter '{key}'")
            profile[key] = ACCOUNT_PARAMS[key].coerce(value, f"strategy {info.name}")
        doc = " ".join((module.__doc__ or "").split())
        found[info.name] = Strategy(info.name, doc, MappingProxyType(profile))
    return found


STRATEGIES: dict[str, Strategy] = _discover()
