"""The optional read log: who read which item, at which hour, from which source, at which
position and at what age (``PartyModel(..., record_reads=True)``, ``partysim run --reads``,
reads.parquet; docs/DATA.md). It records what the reading rules (docs/MODEL.md 7.7-7.10)
produced each hour and changes nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd

# the reading sources of sim/engine/feed.py (0-2) and sim/engine/ranking.py (3), by code
SOURCES = ("notification", "home", "room", "recommended")


class ReadLog:
    """Append-only columns, one row per (reader, item) read, 17 bytes a row (the hour is kept
    once per hour)."""

    def __init__(self) -> None:
        self._hours: list[tuple[int, int]] = []  # (hour, rows read that hour)
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self.n = 0

    def record(self, hour: int, reader, item, source, published) -> None:
        """One hour's reading. ``position`` is the item's rank among what the reader read from
        that source this hour, in the order the engine read them (0 first: newest first at
        home under the chronological feed, best first under a ranked one; notifications
        oldest first); ``age`` is hours since the item was published (``published``: its
        hour)."""
        m = len(reader)
        if m == 0:
            return
        key = np.asarray(reader, dtype=np.int64) * len(SOURCES) + np.asarray(source)
        order = np.argsort(key, kind="stable")
        k = key[order]
        starts = np.ones(m, dtype=bool)
        starts[1:] = k[1:] != k[:-1]
        at = np.arange(m)
        position = np.empty(m, dtype=np.int16)
        position[order] = at - np.maximum.accumulate(np.where(starts, at, 0))
        self._hours.append((hour, m))
        self._chunks.append((
            np.asarray(reader, dtype=np.int32),
            np.asarray(item, dtype=np.int64),
            np.asarray(source, dtype=np.int8),
            position,
            (hour - np.asarray(published)).astype(np.int16),
        ))  # fmt: skip
        self.n += m

    def table(self) -> pd.DataFrame:
        """The log as a table: hour, reader, item, source (a name), position, age_hours."""
        names = ("reader", "item", "source", "position", "age_hours")
        if not self._chunks:
            cols = {n: np.zeros(0, dtype=np.int64) for n in ("hour", *names)}
        else:
            hours, counts = zip(*self._hours, strict=True)
            cols = {"hour": np.repeat(np.array(hours, dtype=np.int32), counts)}
            cols |= {n: np.concatenate([c[i] for c in self._chunks]) for i, n in enumerate(names)}
        table = pd.DataFrame(cols)
        table["source"] = pd.Categorical.from_codes(table["source"], categories=SOURCES)
        return table
