"""The ``partysim game`` subcommands: ``serve`` (the app in game mode) and ``replay``."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from sim.cli.errors import CliError
from sim.config.params import shown

LOCAL = "127.0.0.1"
OPEN_WARNING = (
    "partysim: WARNING: the game server is open to every device on this network ({address}). "
    "Anyone who can reach this machine can open the app; only the trainer's link runs a game "
    "and only a participant's link plays their seat. Use it on a room's own network, and "
    "stop the server (Ctrl-C) when the workshop ends."
)


def add_commands(sub) -> None:
    """Add ``game`` (with ``serve`` and ``replay``) to the ``partysim`` subcommands."""
    game = sub.add_parser(
        "game",
        help="the workshop game: serve it, or replay a finished game",
        description="Participants play their own account in the trainer's party, from "
        "their phones (docs/GAME.md).",
    )
    gsub = game.add_subparsers(dest="game_command", required=True)
    serve = gsub.add_parser("serve", help="start the app in game mode (127.0.0.1 by default)")
    serve.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    serve.add_argument(
        "--open-to-network",
        metavar="ADDRESS",
        help="listen on ADDRESS (e.g. 0.0.0.0, every interface) so phones in the room can "
        "join; prints a warning. Default: this machine only (127.0.0.1)",
    )
    serve.add_argument(
        "--games", metavar="DIR", default="games", help="where games are saved (default games/)"
    )
    serve.set_defaults(func=cmd_serve)
    rep = gsub.add_parser(
        "replay",
        help="rebuild a game from its file (scenario, seed, moves) and print its leaderboard",
    )
    rep.add_argument("file", metavar="GAME.jsonl", help="a game file (games/CODE.jsonl)")
    rep.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    rep.set_defaults(func=cmd_replay)


def replay_result(path: str | os.PathLike) -> dict:
    """The replayed game's numbers: what ``partysim game replay --json`` prints."""
    from sim.config.errors import ScenarioError
    from sim.config.paths import checked_path
    from sim.game.log import GameFileError, read_records, replay
    from sim.game.results import leaderboard, strategy_rows

    checked_path(path, "GAME.jsonl", CliError)
    try:
        records = read_records(path)
    except GameFileError as err:
        raise CliError(str(err)) from None
    header = records[0]
    players = {
        r["player"]: {"name": r["name"], "account": r["account"]}
        for r in records
        if r["type"] == "join"
    }
    try:
        model = replay(records)
    except (GameFileError, ScenarioError) as err:
        raise CliError(f"{path}: {err}") from None
    for pid, player in players.items():
        if player["account"] >= model.n:
            raise CliError(
                f"{path}: the 'join' record of {shown(pid)}: 'account' must be an integer from 0 "
                f"to {model.n - 1:,} (got {player['account']})"
            )
    return {
        "game": header["code"],
        "preset": header["preset"],
        "seed": header["seed"],
        "hours": model.steps,
        "moves": sum(r["type"] == "move" and r["hour"] <= model.steps for r in records),
        "actions": sum(r["type"] == "act" and r["hour"] < model.steps for r in records),
        "leaderboard": leaderboard(model, players),
        "strategies": strategy_rows(model),
    }


def cmd_replay(args: argparse.Namespace) -> int:
    result = replay_result(args.file)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"game {result['game']} ({result['preset']}, seed {result['seed']}): "
          f"{result['hours']} hours, {result['moves']} moves, "
          f"{result['actions']} actions")  # fmt: skip
    for row in result["leaderboard"]:
        print(f"{row['rank']:>3}. {row['name']:<24} {row['handle']:<14} "
              f"{row['net_followers']:+4d} net followers")  # fmt: skip
    for row in result["strategies"]:
        print(f"     built-in {row['strategy']:<18} {row['net_followers_mean']:+6.1f} "
              "net followers per account")  # fmt: skip
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise CliError(f"--port must be from 1 to 65535 (got {args.port})")
    address = args.open_to_network or LOCAL
    if address != LOCAL:
        print(OPEN_WARNING.format(address=address), file=sys.stderr)
    host_key = secrets.token_urlsafe(12)
    env = {**os.environ, "PARTYSIM_GAMES": str(Path(args.games).resolve()),
           "PARTYSIM_GAME_HOST_KEY": host_key}  # fmt: skip
    root = Path(__file__).resolve().parents[2]
    print(f"partysim: trainer, open http://127.0.0.1:{args.port}/?game=new&host={host_key} "
          "(keep this link to yourself: it creates games)", file=sys.stderr)  # fmt: skip
    command = [sys.executable, "-m", "streamlit", "run", str(root / "app.py"),
               "--server.address", address, "--server.port", str(args.port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    return subprocess.call(command, cwd=root, env=env)
