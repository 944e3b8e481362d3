"""The teaching notes of each preset (ui/guide.toml): things to notice, things to try.

A "try" is a list of `--set`-style overrides; it is applied through the scenario machinery
(``Scenario.with_overrides``), never by new keys in scenario files.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GUIDE_FILE = Path(__file__).with_name("guide.toml")
DOCS = Path(__file__).resolve().parent.parent / "docs"
POSTING_RATE_MAP = DOCS / "claims" / "posting_rate_map.png"
MAP_PRESETS = ("default", "posting_rate")  # presets whose lesson is how often to post
LABEL_WORDS = {
    "emergent": "emerges from several rules: it survives with its named rules switched off",
    "mechanism": "comes from the named rules: switched off, the effect is gone, much smaller "
    "or turned around",
    "by construction": "restates one rule: it shows that the rule works as described",
    "no effect to explain": "no clear effect under both root seeds",
}


EXPECTS = ("more", "fewer", "none")


@dataclass(frozen=True)
class Try:
    """One lesson: a change, and what its comparison shows at these settings."""

    text: str
    sets: tuple[str, ...]
    about: str = ""  # the strategy the lesson is about
    outcome: str = "net_followers"  # a Compare outcome (ui.compare.OUTCOMES)
    runs: int = 5  # replications of each variant
    expect: str = "none"  # B - A for `about`: "more", "fewer" or "none" (no clear difference)
    why: str = ""  # with expect = "none": the reason the lesson gives
    claim: str = ""  # the claims suite's id it demonstrates (docs/claims/claims.json)


@dataclass(frozen=True)
class Guide:
    notice: tuple[str, ...] = ()
    tries: tuple[Try, ...] = ()


@lru_cache(maxsize=1)
def guides() -> dict[str, Guide]:
    """Every preset's notes, read once."""
    with GUIDE_FILE.open("rb") as f:
        data = tomllib.load(f)
    return {
        name: Guide(
            tuple(entry.get("notice", ())),
            tuple(_try(t) for t in entry.get("try", ())),
        )
        for name, entry in data.items()
    }


def _try(entry: dict) -> Try:
    fields = {k: v for k, v in entry.items() if k not in ("text", "set")}
    return Try(entry["text"], tuple(entry["set"]), **fields)


def guide_for(preset: str | None) -> Guide:
    return guides().get(preset or "", Guide())


@lru_cache(maxsize=1)
def _claims() -> tuple[dict, ...]:
    from sim.analysis.claims_report import load_summary

    return tuple(load_summary(DOCS))


def claim_by_id(claim_id: str) -> dict | None:
    """The claims suite's result for one claim id ("5", "7b"), if docs/claims/claims.json
    has it."""
    return next((c for c in _claims() if c["number"] == claim_id), None) if claim_id else None


def claims_for(preset: str | None) -> list[dict]:
    """The claims suite's results (docs/claims/claims.json) that compare strategies of this
    preset: what the suite found, with its computed label."""
    return [c for c in _claims() if preset in c["scenarios"]]
