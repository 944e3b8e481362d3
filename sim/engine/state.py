"""The party's state, declared in one place: what each account and each room carries.

Account and room state lives in numpy arrays on the model, one row per account (or room),
like the item table of :mod:`sim.engine.posts`. This module names every such array, its
type, its shape, which function fills it and whether it changes during a run. The
population builder (:mod:`sim.engine.population`) fills the fixed columns,
:func:`allocate` creates the changing ones, and a test checks that the model carries
exactly the declared arrays (``tests/test_structure.py``). Follow ties and blocks are edge
tables (:mod:`sim.engine.edges`), items the post store (:mod:`sim.engine.posts`).

Account parameters (``model.acct[name]``) are declared in :mod:`sim.config.params`; the
per-account counters behind the reporters (``model.count[name]``) in
:data:`sim.engine.reporters.SUM_METRICS`.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS


@dataclass(frozen=True)
class Column:
    """One array of per-account (or per-room) state."""

    name: str
    dtype: str  # numpy dtype name
    filled_by: str  # the function that sets it at the start of a run
    changes: bool  # updated while the party runs
    meaning: str
    width: str = ""  # a second dimension, if any ("4 kinds", "interests")
    start: float | None = None  # initial value of a changing column that allocate() creates


# row = account index
ACCOUNT_STATE = (
    # who it is (population.build_accounts, assign_rooms; network set-up)
    Column("group_id", "int64", "population.build_accounts", False, "its population group"),
    Column("strategy_id", "int64", "population.build_accounts", False, "its group's strategy"),
    Column("tz", "int64", "population.build_accounts", False, "time zone, hours from UTC"),
    Column(
        "join_hour",
        "int64",
        "population.build_accounts",
        False,
        "the hour it signs up (rule joining); 0: there at the start",
    ),
    Column(
        "quits",
        "bool",
        "population.build_accounts",
        False,
        "once signed up, never comes back (rule leaving)",
    ),
    Column(
        "present",
        "bool",
        "population.build_accounts",
        True,
        "signed up and not gone: there, in its rooms, online at times (rules joining, leaving)",
    ),
    Column(
        "utc_offset",
        "int64",
        "population.build_party",
        False,
        "the same as tz, under the name accounts.csv uses",
    ),
    Column(
        "appetite",
        "float64",
        "population.build_accounts",
        False,
        "appetite for social, informational, promotional, question items",
        "4 kinds",
    ),
    Column(
        "content_cum",
        "float64",
        "population.build_accounts",
        False,
        "cumulative shares of the kinds it posts (for drawing a kind)",
        "4 kinds",
    ),
    Column(
        "schedule_mode",
        "int64",
        "population.build_accounts",
        False,
        "when its scheduled posts go out (own day, audience's day, own night)",
    ),
    Column(
        "follow_back",
        "int64",
        "population._draw_follow_back_policies",
        False,
        "follow-back policy: auto, screen or never",
    ),
    Column("n_interests", "int64", "population.assign_rooms", False, "how many rooms it likes"),
    Column(
        "interests",
        "int64",
        "population.assign_rooms",
        False,
        "the rooms it likes (-1 pads)",
        "interests",
    ),
    Column(
        "interest_mask", "uint64", "population.assign_rooms", False, "the same rooms as a bitmask"
    ),
    Column(
        "followers_at_start",
        "int64",
        "population._initial_network",
        False,
        "followers after the initial network",
    ),
    # profile (population._initial_profiles; Party._update_profiles)
    Column(
        "promo_share",
        "float64",
        "population._initial_profiles",
        True,
        "running share of its recent items that are promotional",
    ),
    Column(
        "automated_share",
        "float64",
        "population._initial_profiles",
        True,
        "running share of its recent items that are automated",
    ),
    Column(
        "daily_items",
        "float64",
        "population._initial_profiles",
        True,
        "items a day it has posted lately, as its profile shows (running count over about "
        "flood_memory_steps hours)",
    ),
    Column(
        "has_posted",
        "bool",
        "population._initial_profiles",
        True,
        "has posted anything (or is expected to have)",
    ),
    # reading and activity (allocate)
    Column(
        "last_original",
        "int64",
        "allocate",
        True,
        "its newest original post (item index), -1 before its first",
        start=-1,
    ),
    Column(
        "seen_upto",
        "int64",
        "allocate",
        True,
        "newest item that existed when it last read its home feed",
        start=0,
    ),
    Column(
        "profile_tolerance",
        "float64",
        "allocate",
        True,
        "the items a day a candidate may post before its profile shows it would flood this "
        "reader (flood_tolerance over the share of its home feed it can read; rule 7.16), as of "
        "the last hour it was online",
        start=0,
    ),
    Column(
        "feed_total",
        "float64",
        "allocate",
        True,
        "home-feed items read over about a day (running count)",
        start=0,
    ),
    Column("was_online", "bool", "allocate", True, "online last hour (sessions)", start=0),
    Column(
        "online_share",
        "float64",
        "posting.initial_absence",
        False,
        "share of its hours it is online on average (activity_prob over the daily curve)",
    ),
    Column(
        "away_left",
        "float64",
        "posting.initial_absence",
        True,
        "waking hours of its current absence still to go (sessions)",
    ),
    Column(
        "session_intensity",
        "float64",
        "allocate",
        True,
        "how busy its current (or last) session is: x posts_per_hour",
        start=1.0,
    ),
    Column(
        "last_item_step", "int64", "allocate", True, "hour of its last item of any form", start=0
    ),
    # counters for analysts (accounts.csv)
    Column("n_follows_made", "int64", "allocate", True, "follows made", start=0),
    Column("n_retweets_made", "int64", "allocate", True, "retweets made", start=0),
    Column("n_replies_made", "int64", "allocate", True, "replies made", start=0),
    Column("n_items_read", "int64", "allocate", True, "items read", start=0),
    Column("n_hours_online", "int64", "allocate", True, "hours online", start=0),
)

# row = room index
ROOM_STATE = (
    Column(
        "room_popularity",
        "float64",
        "population.assign_rooms",
        False,
        "share of interests that go to the room (Zipf)",
    ),
    Column("room_size", "int64", "population.assign_rooms", False, "accounts interested in it"),
    Column(
        "room_first",
        "int64",
        "population.assign_rooms",
        False,
        "where its members start in room_members",
    ),
)

ACCOUNT_COLUMNS = {c.name: c for c in ACCOUNT_STATE}
ROOM_COLUMNS = {c.name: c for c in ROOM_STATE}

# The one-value-per-account columns live as rows of three blocks, one per type, so that a
# compiled loop takes a block (``state_f[DAILY_ITEMS, r]``) instead of one argument per
# column; each name on the model (``model.daily_items``) is a view of its row. The index
# constants are generated into the loops' files from these tuples (sim/engine/loops/names.py).
STATE_BLOCKS = {
    block: tuple(c.name for c in ACCOUNT_STATE if not c.width and c.dtype == dtype)
    for block, dtype in (("state_f", "float64"), ("state_i", "int64"), ("state_b", "bool"))
}
# the per-account parameters (sim.config.params.ACCOUNT_PARAMS) with a number for a value:
# rows of ``model.acct_p``, each ``model.acct[name]`` a view of its row
ACCT_PARAMS = tuple(name for name, p in ACCOUNT_PARAMS.items() if not p.choices)


class ParamValues(dict):
    """The model parameters (``model.params``, a dict) with, for the compiled loops, their
    numbers as one array in registry order (:meth:`vector`, indexed by the generated
    constants: ``p[RETWEET_BASE_PROB]``), made once and again after any change."""

    _vector: np.ndarray | None = None

    def vector(self) -> np.ndarray:
        if self._vector is None:
            self._vector = np.array([self[name] for name in MODEL_NUMBERS], dtype=float)
        return self._vector

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self._vector = None

    def update(self, *args, **kwargs) -> None:
        super().update(*args, **kwargs)
        self._vector = None


MODEL_NUMBERS = tuple(name for name, p in MODEL_PARAMS.items() if not p.choices)


def allocate(model: Any) -> None:
    """Create the state blocks: the columns the population builder filled are copied in,
    the changing columns that start the same for everyone get their start value (the rest 0
    until their set-up fills the view in place), and the per-account parameters' block."""
    model.params = ParamValues(model.params)
    for block, names in STATE_BLOCKS.items():
        dtype = ACCOUNT_COLUMNS[names[0]].dtype
        rows = np.zeros((len(names), model.n), dtype=dtype)
        for i, name in enumerate(names):
            col = ACCOUNT_COLUMNS[name]
            if col.filled_by == "allocate":
                rows[i] = col.start
            elif name in vars(model):
                rows[i] = getattr(model, name)
        setattr(model, block, rows)
    for col in ACCOUNT_STATE:  # the other columns (of a width, or another type) as they are
        if col.filled_by == "allocate" and not hasattr(model, col.name):
            setattr(model, col.name, np.full(model.n, col.start, dtype=col.dtype))
    model.acct_p = np.array([model.acct[name] for name in ACCT_PARAMS], dtype=float)
    views(model)


def views(model: Any) -> None:
    """Name each block's rows on the model (and in ``model.acct`` and ``model.count``):
    after :func:`allocate`, and again after a copy or unpickling (numpy copies a view as an
    array of its own)."""
    for block, names in STATE_BLOCKS.items():
        rows = getattr(model, block)
        for i, name in enumerate(names):
            setattr(model, name, rows[i])
    for i, name in enumerate(ACCT_PARAMS):
        model.acct[name] = model.acct_p[i]
    rows = getattr(model, "_count_rows", None)
    if rows is not None:
        model.count = dict(zip(model.count, rows, strict=True))


def state_table() -> str:
    """The declared account and room state as a Markdown table (docs/MODEL.md section 2)."""
    out = ["| state | per | type | filled by | changes | meaning |", "|---|---|---|---|---|---|"]
    for per, table in (("account", ACCOUNT_STATE), ("room", ROOM_STATE)):
        for c in table:
            shape = f"{per} x {c.width}" if c.width else per
            changes = "yes" if c.changes else "no"
            out.append(
                f"| `{c.name}` | {shape} | {c.dtype} | `{c.filled_by}` | {changes} | {c.meaning} |"
            )
    return "\n".join(out)


STATE_START, STATE_END = "<!-- state:start -->", "<!-- state:end -->"


def update_model_md(path=None) -> bool:
    """Rewrite the state table of docs/MODEL.md section 2 (``make docs``); True if it changed."""
    from sim.config.docs import MODEL_MD, replace_block

    block = f"{STATE_START}\n{state_table()}\n{STATE_END}"
    return replace_block(path or MODEL_MD, STATE_START, STATE_END, block)


if __name__ == "__main__":
    print("updated" if update_model_md() else "already current", "docs/MODEL.md state table")


# ---------------------------------------------------------------------- the follow edges
# the follow edges' own columns (sim.engine.party.Party.follows, an EdgeSet): acknowledged,
# items read from it over about a day, its worth, muted by the follower (rule *mute*)
FOLLOW_EDGE_ATTRS = {"ack": np.bool_, "seen": np.float64, "worth": np.float64, "muted": np.bool_}
# what a compiled loop needs to look an edge up (EdgeSet.lookup_arrays, in this order): the
# membership flag of every possible key u * n + v (empty if not kept), or one bit per possible
# key (empty if not kept), EdgeSet.offsets, and the sorted keys. The loops take it as a plain
# tuple and name it again with ``Lookup(*look)`` (numba types a plain tuple of arrays in C,
# about 0.5 us for these four, numba 0.68, but a NamedTuple argument in Python, 1.5 us)
Lookup = namedtuple("Lookup", ("flags", "bits", "offsets", "keys"))
# the follow edges as the compiled loops take them (one argument, EdgeSet.loop_arrays): the
# look-up arrays, the out- and in-degrees and every attribute above, in order. Passed as a
# plain tuple and named again at the top of a loop, ``follows = Ties(*follows)`` (about 1 us
# for these ten, a NamedTuple argument about 3 us). A new attribute reaches the loops as
# ``follows.<name>`` with no other change (sim/engine/loop_names.py stamps these fields into
# the loop files that name them, so numba's cache compiles those files again)
Ties = namedtuple("Ties", (*Lookup._fields, "out_degree", "in_degree", *FOLLOW_EDGE_ATTRS))
