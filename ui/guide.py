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


@dataclass(frozen=True)
class Try:
    text: str
    sets: tuple[str, ...]


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
            tuple(Try(t["text"], tuple(t["set"])) for t in entry.get("try", ())),
        )
        for name, entry in data.items()
    }


def guide_for(preset: str | None) -> Guide:
    return guides().get(preset or "", Guide())
