"""A game's seats and who sits in them: the party with its ``players`` group, participants,
their display names and tokens (kept only as hashes)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sim.config.scenarios import Scenario, from_dict, load, to_toml
from sim.game.results import PLAYER_STRATEGY

PLAYERS_GROUP = "players"
MAX_NAME_CHARS = 24
# letters (any script), digits, spaces and . ' - _ ; it starts with a letter or digit: no
# markup, no quotes that end an attribute, no control characters
NAME_PATTERN = re.compile(r"[^\W_][\w .'\-]*")


class GameError(ValueError):
    """A request the game refuses; the message is for the person who sent it."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def game_scenario(preset: str | Scenario, max_players: int, seed: int, steps: int) -> Scenario:
    """The preset with a ``players`` group of ``max_players`` seats (regular behaviour, the
    time zones of the preset's first group), ``steps`` hours and ``seed``."""
    base = load(preset)
    data = tomllib.loads(to_toml(base))
    if PLAYER_STRATEGY in base.strategies or PLAYERS_GROUP in [g.name for g in base.groups]:
        raise GameError(f"the preset already has a '{PLAYERS_GROUP}' group or strategy")
    data["strategies"] = {
        **data.get("strategies", {}),
        PLAYER_STRATEGY: {"base": "regular", "description": "a workshop participant's seat"},
    }
    first = base.groups[0].values
    data["groups"] = [*data["groups"], {
        "name": PLAYERS_GROUP, "strategy": PLAYER_STRATEGY, "count": max_players,
        "tz_offset": first["tz_offset"], "tz_spread": first["tz_spread"],
    }]  # fmt: skip
    data.update(seed=seed, steps=steps)
    return from_dict(data, source=f"game from {base.name}")


@dataclass
class Player:
    """A participant: their seat (account) and the hash of their token."""

    pid: str
    name: str
    account: int
    token_hash: str
    joined_hour: int
    recent: deque = field(default_factory=deque)  # times of their last changes


def check_name(name: Any) -> str:
    """A display name: 1 to 24 letters, digits, spaces and . ' - _ (no markup)."""
    if not isinstance(name, str):
        raise GameError("a name is text")
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_NAME_CHARS or not NAME_PATTERN.fullmatch(name):
        raise GameError(
            f"a name is 1 to {MAX_NAME_CHARS} letters, digits, spaces and . ' - _ "
            "(starting with a letter or digit)"
        )
    return name
