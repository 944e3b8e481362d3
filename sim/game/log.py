"""A game's record (JSON Lines) and its replay.

One line per record, in the order they happened:

- ``game``: the header (code, preset, seed, rounds, hours per round, seats, the scenario as
  TOML, the hash of the trainer's token);
- ``join``: a participant took a seat (player id, display name, account, hour, token hash);
- ``move``: a participant's choice, applied before hour ``hour + 1`` was played (``hour`` =
  hours already played), with the settings it changed;
- ``act``: a participant's direct action on an item of their feed (``action`` reply,
  retweet or follow its author; ``item`` the post's row), carried out at the start of hour
  ``hour + 1`` (:mod:`sim.engine.actions`);
- ``round``: a round ended after ``hour`` hours; ``end``: the game ended after ``hour`` hours.

A game is an experiment: the scenario, the seed and the moves reproduce its numbers exactly
(:func:`replay`, ``partysim game replay GAME.jsonl``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sim.config.params import shown
from sim.config.scenarios import loads
from sim.engine.actions import queue
from sim.game.controls import apply_settings, check_settings, room_limits

FORMAT_VERSION = 1
MOVES = ("move", "act")  # the records a replay plays, in their order
LIMITS = {  # what a trainer may set up (a game file's header is held to them too)
    "rounds": (1, 30),
    "hours_per_round": (1, 168),
    "max_players": (1, 100),
    "choice_seconds": (0, 600),
}


class GameFileError(ValueError):
    """A game record that cannot be read."""


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    """Write ``records`` atomically: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, sort_keys=True) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_records(path: str | os.PathLike) -> list[dict[str, Any]]:
    """The records of a game file, checked for a header first."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GameFileError(f"{path}: not a readable game file ({err})") from None
    if not records or not isinstance(records[0], dict) or records[0].get("type") != "game":
        raise GameFileError(f"{path}: a game file starts with its 'game' header line")
    if records[0].get("version") != FORMAT_VERSION:
        raise GameFileError(f"{path}: game file version {records[0].get('version')!r} unknown")
    check_records(path, records)
    return records


# what a replay reads of each record: (key, type); the header's rounds x hours_per_round
# bound every record's hour (a tampered hour of 10**9 would replay for days)
HEADER_KEYS = (("code", str), ("preset", str), ("seed", int), ("scenario_toml", str),
               ("rounds", int), ("hours_per_round", int))  # fmt: skip
RECORD_KEYS = {"join": (("player", str), ("name", str), ("account", int))}


def check_records(path: str | os.PathLike, records: list) -> None:
    """Each record a table with a 'type', the keys the replay reads with their types, and
    every hour an integer within the game's length; else a GameFileError naming the record
    (a tampered file: a traceback, or a replay of 10**9 hours, before)."""
    header = records[0]
    for i, record in enumerate(records, 1):
        where = f"{path}: record #{i}"
        if not isinstance(record, dict) or not isinstance(record.get("type"), str):
            raise GameFileError(f"{where}: a game record is a JSON object with a 'type'")
        keys = HEADER_KEYS if i == 1 else RECORD_KEYS.get(record["type"], ())
        for key, kind in keys:
            value = record.get(key)
            if isinstance(value, bool) or not isinstance(value, kind):
                raise GameFileError(
                    f"{where}: {key!r} must be {'text' if kind is str else 'an integer'} "
                    f"(got {shown(value)})"
                )
        for key in ("rounds", "hours_per_round") if i == 1 else ():
            low, high = LIMITS[key]
            if not low <= record[key] <= high:
                raise GameFileError(
                    f"{where}: {key!r} must be an integer from {low} to {high} (got {record[key]})"
                )
        if i > 1 and (record["type"] in ("round", "end", "move", "act") or "hour" in record):
            last = header["rounds"] * header["hours_per_round"]
            hour = record.get("hour")
            if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= last:
                raise GameFileError(
                    f"{where}: the {record['type']!r} record's 'hour' must be an integer "
                    f"from 0 to {last} (the game's rounds x hours_per_round; got {shown(hour)})"
                )
        if record["type"] == "join" and record["account"] < 0:
            raise GameFileError(f"{where}: 'account' must be 0 or more (got {record['account']})")


def final_hour(records: list[dict[str, Any]]) -> int:
    """The hour the recorded game reached for good: its end, else its last finished round."""
    hours = [r["hour"] for r in records if r["type"] in ("round", "end")]
    return max(hours, default=0)


def build_model(header: dict[str, Any]):
    """The game's party at hour 0 (the scenario and seed of the header)."""
    from sim.engine.model import PartyModel

    scenario = loads(header["scenario_toml"], source=f"game {header['code']}")
    return PartyModel(scenario, seed=header["seed"])


def play_moves(model, moves: list[dict[str, Any]], until: int) -> None:
    """Step ``model`` to hour ``until``, applying each move (a change of settings) and
    queueing each action (a reply, retweet or follow, carried out by the next hour) before
    the hour after its own, in the order they were recorded."""
    by_hour: dict[int, list[dict[str, Any]]] = {}
    for move in moves:
        by_hour.setdefault(int(move["hour"]), []).append(move)
    while True:
        for move in by_hour.get(model.steps, []):
            try:
                if move["type"] == "act":
                    queue(model.party, int(move["account"]), move["action"], int(move["item"]))
                    continue
                checked = check_settings(move["settings"], *room_limits(model))
                apply_settings(model, int(move["account"]), checked)
            except (KeyError, TypeError, ValueError) as err:  # ChoiceError is a ValueError
                raise GameFileError(
                    f"the '{move['type']}' record at hour {model.steps} cannot be played: {err}"
                ) from None
        if model.steps >= until:
            return
        model.step()


def replay(records: list[dict[str, Any]]):
    """The finished (or last saved) game's party, rebuilt from its scenario, seed and moves."""
    model = build_model(records[0])
    until = final_hour(records)
    play_moves(model, [r for r in records if r["type"] in MOVES and r["hour"] <= until], until)
    return model
