"""The workshop game: participants play their own account in the trainer's live party.

- :mod:`sim.game.controls`: what a participant may change (their account's behaviour, within
  the registry's ranges) and how it is applied between two hours;
- :mod:`sim.game.seats`: the party with its seats, participants, names and tokens;
- :mod:`sim.game.game`: one game (joining, choices, rate limit, rounds, the clock);
- :mod:`sim.game.store`: the server's games by join code, saved and resumed;
- :mod:`sim.game.log`: the game's record (JSON Lines) and its exact replay;
- :mod:`sim.game.results`: the leaderboard by net followers, beside the built-in strategies.

docs/GAME.md explains how to run one.
"""

from sim.game.game import Game, GameError
from sim.game.store import GameStore

__all__ = ["Game", "GameError", "GameStore"]
