"""The debrief's numbers: the leaderboard by net followers, beside the built-in strategies.

Net followers = followers now minus followers at the start (the lesson's score). Every row
comes from the model's arrays, so the live game and its replay give the same table.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.game.controls import current_settings

PLAYER_STRATEGY = "player"  # the scenario's strategy for the seats (the regular preset)


def account_row(model, account: int) -> dict[str, Any]:
    """One account's outcome so far."""
    count = model.count
    start = int(model.followers_at_start[account])
    now = int(model.follows.in_degree[account])
    return {
        "handle": "@" + model.handle(account),
        "account": int(account),
        "followers_start": start,
        "followers_now": now,
        "net_followers": now - start,
        "posts": int(count["posts"][account]),
        "followers_gained": int(count["followers_gained"][account]),
        "unfollows_received": int(count["unfollows_received"][account]),
        "blocks_received": int(count["blocks_received"][account]),
        "retweets_received": int(count["retweets_received"][account]),
        "replies_received": int(count["replies_received"][account]),
    }


def leaderboard(model, players: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The participants ranked by net followers (ties: more followers gained, then name).

    ``players`` maps a player id to at least ``name`` and ``account``. Each row also carries
    the account's present settings (what the class chose)."""
    rows = []
    for pid, player in players.items():
        row = {"player": pid, "name": player["name"], **account_row(model, player["account"])}
        row.update(current_settings(model, player["account"]))
        row["rooms"] = " ".join(row["rooms"])  # one cell of the tidy table
        row["posts_per_day"] = row["posts"] / max(model.steps / 24, 1e-9)
        rows.append(row)
    rows.sort(key=lambda r: (-r["net_followers"], -r["followers_gained"], r["name"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def strategy_rows(model) -> list[dict[str, Any]]:
    """Each built-in strategy's accounts: mean net followers per account, and the best one."""
    net = model.follows.in_degree - model.followers_at_start
    rows = []
    for i, name in enumerate(model.strategy_names):
        if name == PLAYER_STRATEGY:
            continue
        mine = np.flatnonzero(model.strategy_id == i)
        if not len(mine):
            continue
        rows.append(
            {
                "strategy": name,
                "accounts": int(len(mine)),
                "net_followers_mean": float(net[mine].mean()),
                "net_followers_best": int(net[mine].max()),
                "posts_per_day_mean": float(
                    model.count["posts"][mine].mean() / max(model.steps / 24, 1e-9)
                ),
            }
        )
    rows.sort(key=lambda r: -r["net_followers_mean"])
    return rows
