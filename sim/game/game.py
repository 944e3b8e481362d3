"""One workshop game: a party on the server, a trainer who runs its clock, participants who
each play one account.

The party is the trainer's preset plus a ``players`` group of ``max_players`` seats
(:func:`sim.game.seats.game_scenario`), so each participant's account is placed like an
ordinary account. Joining takes a free seat; a participant's choices change only that seat's
behaviour parameters.

Every method that changes the game takes the lock, so a choice lands between two hours and
is stamped with the hours already played: the replay applies it at the same point.
"""

from __future__ import annotations

import hmac
import numbers
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from sim.config.scenarios import MAX_SEED, ScenarioError, load, to_toml
from sim.engine.actions import ACTIONS, can_act, feed_items, queue
from sim.game.controls import ChoiceError, apply_settings, check_settings, room_limits
from sim.game.log import FORMAT_VERSION, LIMITS, MOVES, build_model, play_moves, write_records
from sim.game.seats import (  # noqa: F401 (names the game's users import from here)
    PLAYERS_GROUP,
    GameError,
    Player,
    check_name,
    game_scenario,
    token_hash,
)

RATE_LIMIT_ACTIONS = 5  # a participant's changes per RATE_LIMIT_SECONDS
RATE_LIMIT_SECONDS = 10.0
MAX_DEBT_HOURS = 48  # the clock never sprints more than this to catch up
STATUSES = ("lobby", "playing", "choosing", "paused", "ended")


def _checked(key: str, value: Any) -> int:
    low, high = LIMITS[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise GameError(f"'{key}' must be an integer from {low} to {high} (got {value!r})")
    return value


class Game:
    """A game's party, seats, clock and record. Build with :meth:`create` or :meth:`restore`."""

    def __init__(self, header: dict[str, Any], path: Path | None = None, clock=time.monotonic):
        self.header = header
        self.code = header["code"]
        self.rounds = header["rounds"]
        self.hours_per_round = header["hours_per_round"]
        self.max_players = header["max_players"]
        self.choice_seconds = header["choice_seconds"]
        self.speed = float(header["speed"])  # simulated hours per second while playing
        self.path = path
        self.clock = clock
        self.lock = threading.RLock()
        self.model = build_model(header)
        self.seats = list(range(self.model.n - self.max_players, self.model.n))
        self.players: dict[str, Player] = {}
        self.records: list[dict[str, Any]] = [header]
        self.status = "lobby"
        self.round = 0  # rounds finished
        self.revealed = False
        self.deadline: float | None = None  # end of the choosing countdown
        self.fault: str | None = None  # why the clock stopped this game (see halt)
        self._anchor = (0.0, 0)

    # ------------------------------------------------------------------ creating, restoring
    @classmethod
    def create(cls, code: str, preset: str = "default", *, rounds: int = 7,
               hours_per_round: int = 24, max_players: int = 30, seed: int | None = None,
               choice_seconds: int = 60, speed: float = 12.0, path: Path | None = None,
               clock=time.monotonic) -> tuple[Game, str]:  # fmt: skip
        """A new game and the trainer's token (shown once, kept only as a hash)."""
        rounds = _checked("rounds", rounds)
        hours = _checked("hours_per_round", hours_per_round)
        seats = _checked("max_players", max_players)
        choice = _checked("choice_seconds", choice_seconds)
        base = load(preset)
        seed = base.seed if seed is None else seed
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise GameError(f"'seed' must be an integer from 0 to {MAX_SEED}")
        if not 0.5 <= float(speed) <= 200:
            raise GameError("'speed' must be from 0.5 to 200 simulated hours per second")
        try:
            scenario = game_scenario(base, seats, seed, rounds * hours)
        except ScenarioError as err:
            raise GameError(str(err)) from None
        token = secrets.token_urlsafe(18)
        header = {
            "type": "game", "version": FORMAT_VERSION, "code": code, "preset": base.name,
            "seed": seed, "rounds": rounds, "hours_per_round": hours, "max_players": seats,
            "choice_seconds": choice, "speed": float(speed),
            "scenario_toml": to_toml(scenario), "trainer_hash": token_hash(token),
        }  # fmt: skip
        game = cls(header, path, clock)
        game.save()
        return game, token

    @classmethod
    def restore(cls, records: list[dict[str, Any]], path: Path | None = None,
                clock=time.monotonic) -> Game:  # fmt: skip
        """The game as it was at its last finished round (or its end): the seats, the moves
        up to that hour, the rounds; what happened in an unfinished round is dropped."""
        game = cls(records[0], path, clock)
        done = [r for r in records if r["type"] in ("round", "end")]
        until = max((r["hour"] for r in done), default=0)
        moves = [r for r in records if r["type"] in MOVES and r["hour"] <= until]
        play_moves(game.model, moves, until)
        for r in records[1:]:
            if r["type"] == "join":
                game.players[r["player"]] = Player(
                    r["player"], r["name"], r["account"], r["token_hash"], r["hour"]
                )
            if r["type"] not in MOVES or r["hour"] <= until:
                game.records.append(r)
        game.round = sum(r["type"] == "round" for r in records)
        game.revealed = any(r["type"] == "reveal" for r in records)
        ended = any(r["type"] == "end" for r in records)
        game.status = "ended" if ended else ("paused" if until else "lobby")
        return game

    def save(self) -> None:
        if self.path is not None:
            write_records(self.path, self.records)

    # ------------------------------------------------------------------ participants
    def join(self, name: Any) -> tuple[str, str]:
        """Take a free seat: returns the player id and their token (kept only as a hash)."""
        with self.lock:
            if self.status == "ended":
                raise GameError("this game has ended; ask the trainer for the next one")
            name = check_name(name)
            if any(p.name.casefold() == name.casefold() for p in self.players.values()):
                raise GameError("that name is taken in this game; pick another")
            if len(self.players) >= self.max_players:
                raise GameError(f"the game is full ({self.max_players} of {self.max_players} "
                                "seats taken)")  # fmt: skip
            pid = f"p{len(self.players) + 1}"
            token = secrets.token_urlsafe(18)
            account = self.seats[len(self.players)]
            player = Player(pid, name, account, token_hash(token), self.model.steps)
            self.players[pid] = player
            self.records.append({"type": "join", "player": pid, "name": name,
                                 "account": account, "hour": self.model.steps,
                                 "token_hash": player.token_hash})  # fmt: skip
            self.save()
            return pid, token

    def player(self, pid: Any, token: Any) -> Player:
        """The participant ``pid`` if ``token`` is theirs; otherwise refused."""
        player = self.players.get(pid) if isinstance(pid, str) else None
        given = token_hash(token) if isinstance(token, str) else ""
        if player is None or not hmac.compare_digest(player.token_hash, given):
            raise GameError("not your account: this link's token does not match; join again")
        return player

    def choose(self, pid: Any, token: Any, settings: Any) -> dict[str, Any]:
        """Apply a participant's choice to their own account now (between two hours)."""
        with self.lock:
            player = self.player(pid, token)
            if self.status == "ended":
                raise GameError("this game has ended: your choices are final")
            now = self._within_rate(player)
            try:
                checked = check_settings(settings, *room_limits(self.model))
            except ChoiceError as err:
                raise GameError(str(err)) from None
            player.recent.append(now)
            apply_settings(self.model, player.account, checked)
            self.records.append({"type": "move", "player": pid, "account": player.account,
                                 "hour": self.model.steps, "settings": checked})  # fmt: skip
            return checked

    def _within_rate(self, player: Player) -> float:
        """The time now, if ``player`` may make another change or action (the rate limit);
        refused otherwise."""
        now = self.clock()
        while player.recent and now - player.recent[0] > RATE_LIMIT_SECONDS:
            player.recent.popleft()
        if len(player.recent) >= RATE_LIMIT_ACTIONS:
            raise GameError(f"too many changes: at most {RATE_LIMIT_ACTIONS} every "
                            f"{RATE_LIMIT_SECONDS:g} s; wait a moment")  # fmt: skip
        return now

    def act(self, pid: Any, token: Any, action: Any, item: Any) -> str:
        """A participant's direct action on an item of their own account's feed: reply to it,
        retweet it or follow its author. Carried out at the start of the next hour; returns
        what the participant reads."""
        with self.lock:
            player = self.player(pid, token)
            if self.status == "ended":
                raise GameError("this game has ended: your choices are final")
            if not isinstance(action, str) or action not in ACTIONS:
                raise GameError(f"unknown action: one of {', '.join(ACTIONS)}")
            if isinstance(item, bool) or not isinstance(item, numbers.Integral):
                raise GameError(f"an item is a whole number (got {item!r})")
            item = int(item)
            party = self.model.party
            refused = can_act(party, player.account, action, item)
            if refused:
                raise GameError(refused)
            now = self._within_rate(player)
            player.recent.append(now)
            queue(party, player.account, action, item)
            self.records.append({"type": "act", "player": pid, "account": player.account,
                                 "hour": self.model.steps, "action": action, "item": item})  # fmt: skip
            who = party.handle(int(party.posts["orig_author"][item]))
            done = {"reply": f"You reply to @{who}", "retweet": f"You retweet @{who}'s post",
                    "follow": f"You follow @{who}"}[action]  # fmt: skip
            return f"{done} from hour {self.model.steps + 1}."

    def feed(self, pid: Any, token: Any, most: int = 8, keep=None) -> tuple[int, list[dict]]:
        """The hours played and the newest items of a participant's own feed to act on (see
        :meth:`act`); ``keep``: these items instead, with what may be done with each now."""
        with self.lock:
            player = self.player(pid, token)
            return self.model.steps, feed_items(self.model.party, player.account, most, keep)

    # ------------------------------------------------------------------ the trainer's controls
    def check_trainer(self, token: Any) -> None:
        given = token_hash(token) if isinstance(token, str) else ""
        if not hmac.compare_digest(self.header["trainer_hash"], given):
            raise GameError("only the trainer's link runs this game")

    def start(self, token: Any) -> None:
        """Start (or resume) playing the current round."""
        with self.lock:
            self.check_trainer(token)
            if self.status == "ended":
                raise GameError("this game has ended")
            self.fault = None
            self._play()

    def halt(self, fault: str) -> None:
        """Stop playing after an error in an hour: paused, with the reason kept for the
        trainer's screen; what was played and chosen is saved. Start resumes from here."""
        with self.lock:
            self.fault = fault
            if self.status in ("playing", "choosing"):
                self.status = "paused"
            self.save()

    def pause(self, token: Any) -> None:
        with self.lock:
            self.check_trainer(token)
            if self.status in ("playing", "choosing"):
                self.status = "paused"

    def next_round(self, token: Any) -> None:
        """Cut the choosing countdown short (or resume): the next round plays now."""
        self.start(token)

    def end(self, token: Any) -> None:
        with self.lock:
            self.check_trainer(token)
            self._end()

    def reveal(self, token: Any) -> None:
        """Show the debrief to everyone."""
        with self.lock:
            self.check_trainer(token)
            if not self.revealed:
                self.revealed = True
                self.records.append({"type": "reveal", "hour": self.model.steps})
                self.save()

    # ------------------------------------------------------------------ the clock
    @property
    def round_end(self) -> int:
        return min(self.round + 1, self.rounds) * self.hours_per_round

    def countdown(self) -> float | None:
        """Seconds left to choose before the next round plays (None: not counting down)."""
        if self.status != "choosing" or self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock())

    def tick(self, budget: float = 0.25) -> int:
        """Advance the hours due at the game's speed (at most ``budget`` seconds of work),
        close a round that is complete, start the next one when the countdown is over.
        Returns the hours played. The lock is taken per hour: choices land in between."""
        with self.lock:
            if self.status == "choosing" and self.deadline is not None:
                if self.clock() >= self.deadline:
                    self._play()
            if self.status != "playing":
                return 0
            t0, s0 = self._anchor
            due = int((self.clock() - t0) * self.speed) - (self.model.steps - s0)
            if due > MAX_DEBT_HOURS:  # far behind (a slow machine): play on, never sprint
                self._anchor = (self.clock(), self.model.steps)
                due = 1
        return self._advance(due, budget)

    def play_round(self) -> int:
        """Play the rest of the current round at once (the command line, tests, benchmarks)."""
        with self.lock:
            if self.status == "ended":
                return 0
            self.status = "playing"
            return self._advance(self.round_end - self.model.steps, None)

    def _advance(self, hours: int, budget: float | None) -> int:
        start, done = time.perf_counter(), 0
        while done < hours:
            with self.lock:
                if self.status != "playing" or self.model.steps >= self.round_end:
                    break
                self.model.step()
                done += 1
                if self.model.steps >= self.round_end:
                    self._close_round()
                    break
            if budget is not None and time.perf_counter() - start > budget:
                break
        return done

    def _play(self) -> None:
        self.status, self.deadline = "playing", None
        self._anchor = (self.clock(), self.model.steps)

    def _close_round(self) -> None:
        self.round += 1
        self.records.append({"type": "round", "round": self.round, "hour": self.model.steps})
        if self.round >= self.rounds:
            self._end()
            return
        self.save()
        self.status = "choosing"
        self.deadline = self.clock() + self.choice_seconds if self.choice_seconds else None

    def _end(self) -> None:
        if self.status != "ended":
            self.status = "ended"
            self.records.append({"type": "end", "hour": self.model.steps})
            self.save()

    # ------------------------------------------------------------------ reading
    def player_table(self) -> dict[str, dict[str, Any]]:
        """Each participant's name and account (for :func:`sim.game.results.leaderboard`)."""
        return {p.pid: {"name": p.name, "account": p.account} for p in self.players.values()}

    def moves(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r["type"] == "move"]

    def last_move(self, pid: str) -> dict[str, Any] | None:
        """The participant's latest applied choice (None before their first)."""
        with self.lock:
            return next((r for r in reversed(self.records)
                         if r["type"] == "move" and r["player"] == pid), None)  # fmt: skip
