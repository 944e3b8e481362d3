"""The server's games: each under its join code, saved as ``CODE.jsonl`` in one folder, and
one clock thread that plays every running game.

A server restart reads the folder back (:meth:`GameStore.load_saved`): each game resumes at
its last finished round. Games never share anything but the clock thread.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Any

from sim.game.game import Game, GameError
from sim.game.log import GameFileError, read_records

LOG = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector
CODE_LENGTH = 6
CODE_PATTERN = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
MAX_GAMES = 20  # per server: each holds a party in memory
CLOCK_SECONDS = 0.1


def games_dir() -> Path:
    """Where games are saved: $PARTYSIM_GAMES, else games/ in the working directory."""
    return Path(os.environ.get("PARTYSIM_GAMES") or "games")


def normal_code(code: Any) -> str:
    """A join code as typed (any case, spaces around), checked; never echoes the input."""
    text = code.strip().upper() if isinstance(code, str) else ""
    if not CODE_PATTERN.fullmatch(text):
        raise GameError(f"a join code is {CODE_LENGTH} letters and digits, e.g. K7QH2M")
    return text


class GameStore:
    """The games of one server, by join code."""

    def __init__(self, root: Path | None = None, max_games: int = MAX_GAMES) -> None:
        self.root = root
        self.max_games = max_games
        self.games: dict[str, Game] = {}
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def create(self, preset: str = "default", **settings: Any) -> tuple[Game, str]:
        """A new game under a fresh code; returns it and the trainer's token."""
        with self.lock:
            if len(self.games) >= self.max_games:
                raise GameError(f"this server holds {self.max_games} games already")
            code = self._new_code()
            path = self.root / f"{code}.jsonl" if self.root is not None else None
            game, token = Game.create(code, preset, path=path, **settings)
            self.games[code] = game
            return game, token

    def get(self, code: Any) -> Game:
        code = normal_code(code)
        game = self.games.get(code)
        if game is None:
            raise GameError(f"no game with code {code} on this server")
        return game

    def load_saved(self) -> list[str]:
        """Resume every game saved under ``root``; returns the codes (unreadable files are
        skipped and named in the log of the caller)."""
        if self.root is None or not self.root.is_dir():
            return []
        found = []
        for path in sorted(self.root.glob("*.jsonl")):
            if not CODE_PATTERN.fullmatch(path.stem) or path.stem in self.games:
                continue
            try:
                game = Game.restore(read_records(path), path)
            except (GameFileError, KeyError, ValueError):
                continue
            self.games[game.code] = game
            found.append(game.code)
        return found

    def _new_code(self) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.games:
                return code

    # ------------------------------------------------------------------ the clock
    def tick_all(self) -> None:
        """Advance every game; an error in one game's hour halts that game (logged, shown to
        its trainer) and the clock goes on for the others."""
        for game in list(self.games.values()):
            try:
                game.tick()
            except Exception as err:  # noqa: BLE001  (one game's fault must not stop all)
                LOG.exception("game %s halted at hour %s", game.code, game.model.steps)
                game.halt(f"{type(err).__name__}: {err}")

    def start_clock(self, interval: float = CLOCK_SECONDS) -> None:
        """Play every running game from a daemon thread (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(interval):
                self.tick_all()

        self._thread = threading.Thread(target=loop, name="partysim-game-clock", daemon=True)
        self._thread.start()

    def stop_clock(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
