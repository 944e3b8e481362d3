"""Tell the story of one account: its follows, unfollows and blocks, given and received,
with the reasons from the event log."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine import agents
from sim.engine.events import EVENT_NAMES, describe

ROLE_WORDS = {
    ("follow", True): "followed",
    ("unfollow", True): "unfollowed",
    ("block", True): "blocked",
    ("follow", False): "was followed by",
    ("unfollow", False): "was unfollowed by",
    ("block", False): "was blocked by",
}


def account_events(model, account: int) -> pd.DataFrame:
    """Every event where ``account`` is the actor or the target, in time order.

    Only the account's rows are put into words, so this stays fast on long runs.
    """
    cols = model.events.columns()
    mine = np.flatnonzero((cols["actor"] == account) | (cols["target"] == account))
    rows = []
    for k in mine:
        row = {name: values[k] for name, values in cols.items()}
        event = EVENT_NAMES[int(row["event"])]
        by_me = int(row["actor"]) == account
        other = int(row["target"]) if by_me else int(row["actor"])
        reason = f"@{model.handle(int(row['actor']))} " + describe(
            row, model.handle, model.room_name
        )
        rows.append(
            {
                "hour": int(row["step"]),
                "what": ROLE_WORDS[(event, by_me)],
                "who": "@" + model.handle(other),
                "why": reason,
                "event": event,
                "role": "actor" if by_me else "target",
            }
        )
    return pd.DataFrame(rows, columns=["hour", "what", "who", "why", "event", "role"])


def interesting_accounts(model, limit: int = 12) -> list[int]:
    """Accounts with the most unfollows and blocks received (good stories first)."""
    losses = model.count["unfollows_received"] + 3 * model.count["blocks_received"]
    order = np.argsort(-losses, kind="stable")
    return [int(i) for i in order[:limit] if losses[i] > 0]


def account_summary(model, account: int) -> dict:
    """Who the account is and how it fared so far."""
    return agents.account_summary(model, account)
