"""The strategies as the configuration uses them: each module of :mod:`sim.strategies` (its
plain-words docstring and ``PROFILE``) checked against the parameter registry and made a
:class:`Strategy`; scenarios derive new ones from them (:mod:`sim.config.scenarios`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sim.config.params import ACCOUNT_PARAMS, ParamError, account_defaults
from sim.strategies import PROFILES


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


def _checked(name: str, doc: str, raw: dict[str, Any]) -> Strategy:
    profile = {}
    for key, value in raw.items():
        if key not in ACCOUNT_PARAMS:
            raise ParamError(f"strategy {name}: unknown account parameter '{key}'")
        profile[key] = ACCOUNT_PARAMS[key].coerce(value, f"strategy {name}")
    return Strategy(name, doc, MappingProxyType(profile))


STRATEGIES: dict[str, Strategy] = {
    name: _checked(name, doc, raw) for name, (doc, raw) in PROFILES.items()
}
