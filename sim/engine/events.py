"""The event log: every follow, unfollow and block with its cause.

Events are stored as numbers (fast to record for thousands of accounts) and put into words on
demand by :func:`describe`, e.g. "unfollowed @over_poster3: 41% of my feed over the last day
came from them (19 of 46 items); I put up with 12 a day".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine.posts import FORM_NAMES, KIND_NAMES

FOLLOW, UNFOLLOW, BLOCK = 0, 1, 2
EVENT_NAMES = ("follow", "unfollow", "block")

# reasons: x, y are floats and z an integer whose meaning depends on the reason
(
    FOLLOW_FEED,
    FOLLOW_RETWEET,
    FOLLOW_ROOM,
    FOLLOW_NOTICE,
    FOLLOW_BACK_AUTO,
    FOLLOW_BACK_SCREEN,
    UNFOLLOW_FLOOD,
    UNFOLLOW_PROMO,
    BLOCK_MENTIONS,
) = range(9)
REASON_NAMES = (
    "liked_post_in_feed",
    "saw_retweet",
    "met_in_room",
    "was_addressed",
    "auto_follow_back",
    "screened_follow_back",
    "feed_flooded",
    "too_promotional",
    "unsolicited_mentions",
)

_COLUMNS = {
    "step": np.int32,
    "event": np.int8,
    "actor": np.int64,
    "target": np.int64,
    "reason": np.int8,
    "x": np.float64,
    "y": np.float64,
    "z": np.int64,
}


class EventLog:
    """Append-only columns of events, recorded in batches."""

    def __init__(self) -> None:
        self._chunks: list[dict[str, np.ndarray]] = []
        self._cache: dict[str, np.ndarray] | None = None

    def record(self, step: int, event: int, actor, target, reason, x=0.0, y=0.0, z=0) -> None:
        """Record a batch of events of one type (array-like arguments broadcast)."""
        actor = np.asarray(actor, dtype=np.int64)
        if actor.size == 0:
            return
        m = actor.size
        values = {
            "step": step,
            "event": event,
            "actor": actor,
            "target": target,
            "reason": reason,
            "x": x,
            "y": y,
            "z": z,
        }
        self._chunks.append(
            {
                k: np.broadcast_to(np.asarray(v, dtype=_COLUMNS[k]), m).copy()
                for k, v in values.items()
            }
        )
        self._cache = None

    def columns(self) -> dict[str, np.ndarray]:
        """All events as a dict of equal-length arrays, in recording order."""
        if self._cache is None:
            if self._chunks:
                merged = {k: np.concatenate([c[k] for c in self._chunks]) for k in _COLUMNS}
            else:
                merged = {k: np.zeros(0, dtype=dt) for k, dt in _COLUMNS.items()}
            self._chunks = [merged] if self._chunks else []
            self._cache = merged
        return self._cache

    def __len__(self) -> int:
        return sum(len(c["step"]) for c in self._chunks)

    def count(self, event: int, reason: int | None = None) -> int:
        """Number of events of a type (and optionally a reason)."""
        cols = self.columns()
        mask = cols["event"] == event
        if reason is not None:
            mask &= cols["reason"] == reason
        return int(mask.sum())


def describe(row: dict, handle, room_name) -> str:
    """One event in words, from the actor's point of view."""
    t = "@" + handle(int(row["target"]))
    x, y, z = float(row["x"]), float(row["y"]), int(row["z"])
    reason = int(row["reason"])
    kind = KIND_NAMES[int(y)] if reason <= FOLLOW_NOTICE and 0 <= y < len(KIND_NAMES) else ""
    if reason == FOLLOW_FEED:
        return f"followed {t}: liked their {kind} post in my feed"
    if reason == FOLLOW_RETWEET:
        return f"followed {t}: liked their {kind} post, retweeted by @{handle(z)}"
    if reason == FOLLOW_ROOM:
        return f"followed {t}: met them in {room_name(z)} and liked their {kind} post"
    if reason == FOLLOW_NOTICE:
        what = {1: "replied to me", 2: "retweeted my post", 3: "mentioned me", 4: "thanked me"}.get(
            z, f"sent me a {FORM_NAMES[z]}"
        )
        return f"followed {t}: they {what}"
    if reason == FOLLOW_BACK_AUTO:
        return f"followed back {t} automatically"
    if reason == FOLLOW_BACK_SCREEN:
        return (
            f"followed back {t} after a look at their profile: {x:.0%} of their recent "
            f"posts promotional, within my limit of {y:.0%}"
        )
    if reason == UNFOLLOW_FLOOD:
        share = x / y if y > 0 else 0.0
        return (
            f"unfollowed {t}: {share:.0%} of my feed over the last day came from them "
            f"({x:.0f} of {y:.0f} items); I put up with {z} a day"
        )
    if reason == UNFOLLOW_PROMO:
        return (
            f"unfollowed {t}: {x:.0%} of their recent posts are promotional; I put up with {y:.0%}"
        )
    if reason == BLOCK_MENTIONS:
        plural = "" if round(x) == 1 else "s"
        return f"blocked {t}: {x:.0f} unsolicited promotional mention{plural} from them"
    return f"{EVENT_NAMES[int(row['event'])]} {t}"


def to_frame(log: EventLog, handle, room_name) -> pd.DataFrame:
    """The log as a table with handles and the reason in words."""
    cols = log.columns()
    frame = pd.DataFrame(cols)
    frame["event"] = [EVENT_NAMES[e] for e in cols["event"]]
    frame["reason_code"] = [REASON_NAMES[r] for r in cols["reason"]]
    frame["actor_handle"] = [handle(a) for a in cols["actor"]]
    frame["target_handle"] = [handle(t) for t in cols["target"]]
    frame["reason_text"] = [
        describe(row, handle, room_name)
        for row in frame[["target", "x", "y", "z", "reason", "event"]].to_dict("records")
    ]
    return frame.drop(columns=["reason"])
