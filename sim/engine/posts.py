"""Posts: a columnar store of every item published at the party.

An item has a *form* (original post, reply, retweet, mention, thanks) and a *kind* of content
(social, informational, promotional, question). A retweet copies the kind, quality, link and
room of the item it retweets and points at it through ``orig``; a repost is a new original
that shares the ``content`` id of an earlier post.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

# content kinds
SOCIAL, INFO, PROMO, QUESTION = 0, 1, 2, 3
KIND_NAMES = ("social", "informational", "promotional", "question")
# forms
ORIGINAL, REPLY, RETWEET, MENTION, THANKS = 0, 1, 2, 3, 4
FORM_NAMES = ("post", "reply", "retweet", "mention", "thanks")
ADDRESSED_FORMS = (REPLY, MENTION, THANKS)

FIELDS: dict[str, type] = {
    "author": np.int32,
    "form": np.int8,
    "kind": np.int8,
    "orig": np.int64,  # the item whose content this shows (itself unless a retweet)
    "parent": np.int64,  # a retweet: the item it was made from (the post or a retweet); -1
    "orig_author": np.int32,
    "content": np.int64,  # content id; reposts share their earlier post's id
    "room": np.int16,  # -1 when untagged
    "quality": np.float32,
    "appeal": np.float32,  # how much an original invites retweets (x retweet chance), mean 1
    "link": np.bool_,
    "target": np.int32,  # addressee (reply, mention, thanks) or retweeted author; -1 none
    "step": np.int32,
    "automated": np.bool_,
    "retweets": np.int32,  # times this item was retweeted
    "replies": np.int32,  # replies this item received
    "reads": np.int32,  # times this very item was read (its impressions; see rule 7.12)
}
EMPTY = {"parent": -1}  # rows not yet written hold this (every other column 0)
# the columns as one argument of a compiled loop (``items.author[p]``): it takes them as a
# plain tuple in this order (numba types a plain tuple of arrays in C, ~1.5 µs for these, a
# NamedTuple in Python, 3-5 µs) and names them again with ``items = Items(*items)``
Items = namedtuple("Items", tuple(FIELDS))


class PostStore:
    """Growing column arrays, one row per item, in the order items were published."""

    def __init__(self, capacity: int = 1024) -> None:
        self.size = 0
        self.cols = {name: _empty(capacity, name, dt) for name, dt in FIELDS.items()}
        self._step_start: list[int] = [0]  # index of the first item of each step
        self._items: tuple | None = None  # the columns as one tuple (see items())

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name][: self.size]

    def append(self, **columns: np.ndarray) -> np.ndarray:
        """Append items given as equal-length column arrays (or one value for all, except
        ``author``); returns their indices.

        Columns not given take their neutral value (``orig``/``content`` = own index,
        ``orig_author`` = author, ``target``/``room`` = -1).
        """
        start, end = self.size, self.size + len(columns["author"])
        idx = np.arange(start, end, dtype=np.int64)
        if end == start:
            return idx
        self._reserve(end)
        cols = self.cols
        for name, value in columns.items():
            cols[name][start:end] = value
        # the neutral values; other columns' rows past the end are empty already (EMPTY)
        for name, value in (
            ("orig", idx),
            ("content", idx),
            ("orig_author", columns["author"]),
            ("target", -1),
            ("room", -1),
            ("appeal", 1.0),
        ):
            if name not in columns:
                cols[name][start:end] = value
        self.size = end
        return idx

    def room_for(self, extra: int) -> dict[str, np.ndarray]:
        """The columns, with room for ``extra`` more rows after the last item: for a compiled
        loop that writes new items in place (every column :meth:`append` would write; the
        others' rows past the end are zeros), then :meth:`commit`."""
        self._reserve(self.size + extra)
        return self.cols

    def items(self, extra: int = 0) -> tuple:
        """The columns as a compiled loop takes them: the fields of :class:`Items` as a plain
        tuple, with room for ``extra`` more rows (a loop that writes new items in place,
        then :meth:`commit`); the rows past the last item are not items yet."""
        if extra:
            self._reserve(self.size + extra)
        view = self._items
        if view is None or view[0] is not self.cols["author"]:
            view = self._items = tuple(self.cols.values())
        return view

    def commit(self, m: int) -> None:
        """Count the ``m`` rows written in place after the last item as items (see
        :meth:`room_for`): they are numbered on from the last item."""
        self.size += m

    def close_step(self) -> None:
        """Mark the end of a step, so items can be found by the step they belong to."""
        self._step_start.append(self.size)

    def first_index_of_step(self, step: int) -> int:
        """Index of the first item published in 0-based step ``step`` (clamped)."""
        step = min(max(step, 0), len(self._step_start) - 1)
        return self._step_start[step]

    def _reserve(self, needed: int) -> None:
        capacity = len(self.cols["author"])
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity)
        for name, arr in self.cols.items():
            grown = _empty(new_capacity, name, arr.dtype)
            grown[: self.size] = arr[: self.size]
            self.cols[name] = grown


def _empty(capacity: int, name: str, dtype) -> np.ndarray:
    """A column's rows before they are written: 0, or the column's ``EMPTY`` value."""
    return np.full(capacity, EMPTY.get(name, 0), dtype=dtype)
