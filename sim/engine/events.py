"""The event log: every follow, unfollow and block with its cause.

Events are stored as numbers (fast to record for thousands of accounts): the hour, the event
kind, actor, target, the reason's code and up to four float values, whose names, meaning and
words are declared in the reason registry (:mod:`sim.engine.reasons`, where the rules take
the codes they record). :func:`describe` puts one
event into words, e.g. "unfollowed @over_poster3: 41% of my feed over the last day came from
them (19 of 46 items); I put up with 10.6 a day".

The event table (:func:`to_frame`, written as events.csv) is wide: one row per event with
``step, event, actor, target, actor_handle, target_handle, reason_code, reason_text`` and one
column per reason field name in the registry (e.g. ``flood_tolerance``, ``promo_share``,
``silent_hours``), filled where the event's reason has that field and empty otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine.reasons import (
    EVENT_NAMES,
    FIELD_NAMES,
    N_FIELDS,
    NAMED_FORMATS,
    REASON_NAMES,
    REASONS,
    name_of,
    text,
)

VALUE_COLUMNS = tuple(f"v{i}" for i in range(N_FIELDS))
_COLUMNS = {
    "step": np.int32,
    "event": np.int8,
    "actor": np.int64,
    "target": np.int64,
    "reason": np.int8,
    **dict.fromkeys(VALUE_COLUMNS, np.float64),
}
_GIVEN = ("step", "event", "target", "reason", *VALUE_COLUMNS)  # record()'s arguments after actor


class EventLog:
    """Append-only columns of events, recorded in batches.

    A batch is kept as given (one array or scalar per column) and the columns are built when
    first read: recording costs a few copies, not a broadcast of every column."""

    def __init__(self) -> None:
        # each batch: (number of events, {column: array or scalar}); columns not given are 0
        self._chunks: list[tuple[int, dict[str, np.ndarray | int | float]]] = []
        self._n = 0
        self._cache: dict[str, np.ndarray] | None = None

    def record(self, step: int, event: int, actor, target, reason, *values) -> None:
        """Record a batch of events of one kind (array-like arguments broadcast).

        ``values`` are the reason's fields in the order the registry declares them (a batch
        mixing reasons gives each slot per event)."""
        actor = np.array(actor, dtype=np.int64)  # copies: the caller may reuse its arrays
        if actor.size == 0:
            return
        if len(values) > N_FIELDS:
            raise ValueError(f"at most {N_FIELDS} reason values, got {len(values)}")
        m = actor.size
        given = {"actor": actor}
        for k, v in zip(_GIVEN, (step, event, target, reason, *values), strict=False):
            # one number for every event is kept as it is (a few µs less per column than a
            # 0-d array); arrays are copied, in the column's type
            if type(v) not in (int, float):
                v = np.array(v, dtype=_COLUMNS[k])
                if v.ndim > 1 or v.size not in (1, m):
                    raise ValueError(f"event column {k!r}: {v.size} values for {m} events")
            given[k] = v
        self._chunks.append((m, given))
        self._n += m
        self._cache = None

    def columns(self) -> dict[str, np.ndarray]:
        """All events as a dict of equal-length arrays, in recording order."""
        if self._cache is None:
            merged = {k: np.zeros(self._n, dtype=dt) for k, dt in _COLUMNS.items()}
            start = 0
            for m, given in self._chunks:
                for k, v in given.items():
                    merged[k][start : start + m] = v
                start += m
            self._chunks = [(self._n, merged)] if self._n else []
            self._cache = merged
        return self._cache

    def __len__(self) -> int:
        return self._n

    def count(self, event: int, reason: int | None = None) -> int:
        """Number of events of a kind (and optionally a reason)."""
        cols = self.columns()
        mask = cols["event"] == event
        if reason is not None:
            mask &= cols["reason"] == reason
        return int(mask.sum())

    def reason_counts(self) -> dict[str, int]:
        """Number of events per reason name (reasons that never occurred left out)."""
        counts = np.bincount(self.columns()["reason"].astype(np.int64), minlength=len(REASONS))
        return {REASON_NAMES[i]: int(c) for i, c in enumerate(counts) if c}


def describe(row: dict, handle, room_name) -> str:
    """One event in words, from the actor's point of view (``row`` is one row of
    :meth:`EventLog.columns`)."""
    reason = REASONS[int(row["reason"])]
    values = [row[c] for c in VALUE_COLUMNS[: len(reason.fields)]]
    event = int(row["event"]) if "event" in row else None
    return text(reason, "@" + handle(int(row["target"])), values, handle, room_name, event)


def to_frame(log: EventLog, handle, room_name) -> pd.DataFrame:
    """The log as a table: handles, the reason's code and words, and one column per reason
    field (empty where the event's reason has no such field)."""
    cols = log.columns()
    frame = pd.DataFrame({k: cols[k] for k in ("step", "event", "actor", "target")})
    frame["event"] = [EVENT_NAMES[e] for e in cols["event"]]
    frame["reason_code"] = [REASON_NAMES[r] for r in cols["reason"]]
    frame["actor_handle"] = [handle(a) for a in cols["actor"]]
    frame["target_handle"] = [handle(t) for t in cols["target"]]
    frame["reason_text"] = [
        describe(row, handle, room_name)
        for row in pd.DataFrame(cols)[["target", "event", "reason", *VALUE_COLUMNS]].to_dict(
            "records"
        )
    ]
    for name in FIELD_NAMES:
        frame[name] = np.nan
    for reason in REASONS:
        rows = cols["reason"] == reason.code
        if rows.any():
            for slot, field in zip(VALUE_COLUMNS, reason.fields, strict=False):
                values = cols[slot][rows]
                if field.format in NAMED_FORMATS:  # codes as names: handles, rooms, kinds
                    frame[field.name] = frame[field.name].astype(object)
                    values = [name_of(field.format, v, handle, room_name) for v in values]
                frame.loc[rows, field.name] = values
    return frame
