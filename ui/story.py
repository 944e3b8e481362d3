"""Tell the story of one account: its follows, unfollows and blocks, given and received,
with the reasons from the event log."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine import agents
from sim.engine.events import VALUE_COLUMNS, describe
from sim.engine.reasons import (
    BLOCK,
    EVENT_KINDS,
    EVENT_NAMES,
    FOLLOW,
    REASON_NAMES,
    REASONS,
    UNFOLLOW,
)

# reason fields that count things (items, accounts): whole numbers for a lay audience
# ("12 of 32 items", not "12.42 of 32.14"; they are bias-corrected estimates in the log);
# the other number fields are values between 0 and 2, shown as recorded
WHOLE_FIELDS = {"items_from_them", "feed_items", "flood_tolerance", "following", "can_read",
                "followers", "cut_my_follow", "cut_their_follow", "list_size"}  # fmt: skip
VALUE_FIELDS = {"value", "tie_value", "value_floor"}


def lay_describe(row: dict, handle, room_name) -> str:
    """``describe`` with the counts rounded to whole numbers (the log keeps them exact)."""
    fields = REASONS[int(row["reason"])].fields
    row = dict(row)
    for field, column in zip(fields, VALUE_COLUMNS, strict=False):
        if field.name in WHOLE_FIELDS:
            row[column] = float(round(row[column]))
    return describe(row, handle, room_name)


ROLE_WORDS = {(k.name, by_actor): k.done if by_actor else k.done_to
              for k in EVENT_KINDS for by_actor in (True, False)}  # fmt: skip


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
        reason = f"@{model.handle(int(row['actor']))} " + lay_describe(
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


# --------------------------------------------------------------------------- the headline

# each reason in a few words, as the headline quotes it ("7 of them to 'flooded my feed'")
REASON_WORDS = {
    "liked_post_in_feed": "liked a post in my feed",
    "saw_retweet": "saw a retweet of theirs",
    "met_in_room": "met them in a room",
    "was_addressed": "replied to or mentioned me",
    "auto_follow_back": "followed back automatically",
    "screened_follow_back": "followed back after a look at their profile",
    "feed_flooded": "flooded my feed",
    "too_promotional": "too promotional",
    "unsolicited_mentions": "unsolicited promotional mentions",
    "not_worth_reading": "no longer worth reading",
    "gone_silent": "gone silent",
    "feed_clean_up": "cut in a feed clean-up",
    "suggested": "suggested to me",
    "chosen": "my own choice (a game's player)",
    "signed_up": "suggested when I signed up",
}


def strategy_moves(model) -> pd.DataFrame:
    """Per strategy: accounts, followers gained, lost (unfollows + blocks), the net change in
    total and per account since the start, and the main reason of the gains and of the losses
    (the reason behind the most of them, with how many)."""
    cols = model.events.columns()
    strategy = model.strategy_id
    target_strategy = strategy[cols["target"].astype(np.int64)] if len(cols["target"]) else []
    rows = []
    now = model.follows.in_degree
    for i, name in enumerate(model.strategy_names):
        mine = strategy == i
        accounts = int(mine.sum())
        net = int(now[mine].sum() - model.followers_at_start[mine].sum())
        row = {"strategy": name, "accounts": accounts, "net": net,
               "net_per_account": net / max(accounts, 1)}  # fmt: skip
        to_them = np.asarray(target_strategy) == i
        for side, kinds in (("gained", (FOLLOW,)), ("lost", (UNFOLLOW, BLOCK))):
            hit = to_them & np.isin(cols["event"], kinds)
            row[side] = int(hit.sum())
            codes, counts = np.unique(cols["reason"][hit], return_counts=True)
            top = int(np.argmax(counts)) if len(counts) else None
            row[f"{side}_reason"] = REASON_NAMES[int(codes[top])] if top is not None else ""
            row[f"{side}_reason_n"] = int(counts[top]) if top is not None else 0
        rows.append(row)
    return pd.DataFrame(rows)


def people(name: str, n: int = 2) -> str:
    """A strategy as people: "over_poster" -> "over-posters", "celebrity" -> "celebrities"
    (one: "over-poster")."""
    one = name.replace("_", "-")
    if n == 1 or one.endswith("s"):
        return one
    if one.endswith("y") and one[-2:-1] not in tuple("aeiou"):
        return one[:-1] + "ies"
    return one + "s"


def _signed(x: float) -> str:
    return f"{x:+.1f}".replace("+0.0", "0").replace("-0.0", "0")


def _move(row) -> str:
    """'broadcasters lost 20 followers: 22 of 25 unfollows/blocks 'too promotional''."""
    up = row.net > 0
    side, what = ("gained", "follows") if up else ("lost", "unfollows/blocks")
    text = f"{people(row.strategy, 2)} {'gained' if up else 'lost'} {abs(int(row.net))} followers"
    if row[side] and row[f"{side}_reason"]:
        words = REASON_WORDS.get(row[f"{side}_reason"], row[f"{side}_reason"])
        text += f": {int(row[f'{side}_reason_n'])} of {int(row[side])} {what} '{words}'"
    return text


def headline(model) -> str:
    """One line a room reads in seconds: who leads (net followers per account since the
    start) and who moved most (the largest net change per account, up or down) with the
    reason behind most of that move; when the leader is also the biggest mover, the biggest
    fall follows. E.g. "Leading: curators, +0.7 net followers each · Biggest mover:
    broadcasters lost 20 followers: 22 of 25 unfollows/blocks 'too promotional'".
    Whole counts only: a lay audience reads events, not means of means."""
    moves = strategy_moves(model)
    moves = moves[moves["accounts"] > 0]
    if moves.empty or model.steps == 0:
        return "Hour 0: every strategy starts at zero. Press Play and watch who pulls ahead."
    lead = moves.loc[moves["net_per_account"].idxmax()]
    text = f"**Leading:** {people(lead.strategy, 2)}, {_signed(lead.net_per_account)} net followers each"
    mover = moves.loc[moves["net_per_account"].abs().idxmax()]
    if mover.net == 0:
        return text + " · nobody has moved yet"
    fall = moves.loc[moves["net_per_account"].idxmin()]
    if mover.strategy != lead.strategy:
        return text + f" · **Biggest mover:** {_move(mover)}"
    text = text.replace("**Leading:**", "**Leading and biggest mover:**")
    text += f" ({_move(mover).split(' ', 1)[1]})"
    if fall.net < 0:
        text += f" · **Biggest fall:** {_move(fall)}"
    return text
