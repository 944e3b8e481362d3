"""The party: every account's state, the follow and block graphs, the items, the event log and
the queues carried from one hour to the next. The rules take a :class:`Party`, never the Mesa
model.

:class:`sim.engine.model.PartyModel` owns one party (``model.party``) and keeps the schedule,
the Mesa interface and the recorder; :func:`sim.engine.population.build_party` builds the
party from a scenario. Per-account and per-room columns are declared in
:mod:`sim.engine.state`, per-account parameters (``party.acct[name]``) in
:mod:`sim.config.params`, the counters (``party.count[name]``) in
:data:`sim.engine.reporters.SUM_METRICS`, item fields in :mod:`sim.engine.posts`; this class
declares the rest: the containers and the queues.

This module imports no rule, so every rule can name ``Party`` in its signature and the imports
run one way: model -> rules -> party.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.edges import EdgeSet, PairLog
from sim.engine.events import EventLog
from sim.engine.posts import PostStore
from sim.engine.state import FOLLOW_EDGE_ATTRS, views


class Party:
    """The state the rules read and change (one row per account in each column).

    Args:
        spec: the scenario (:class:`sim.config.scenarios.Scenario`).
        params: its model parameters (``spec.model_params()``).
        rng: the party's random generator (the Mesa model's ``rng``: one stream).
        counters: names of the per-account counters (``party.count``).
    """

    def __init__(
        self, spec: Any, params: dict[str, Any], rng: np.random.Generator, counters
    ) -> None:
        self.spec = spec
        self.params = params
        self.rng = rng
        self.n = spec.n_accounts
        self.n_rooms = int(params["n_rooms"])
        self.room_names = spec.rooms or [f"#room{i + 1}" for i in range(self.n_rooms)]
        self.hour = -1  # 0-based index of the current hour; the model sets it at each step
        self.n_absent = 0  # accounts not there: not signed up yet, or gone (sim/engine/joining.py)
        n = self.n
        # graphs and items
        self.follows = EdgeSet(n, attrs=FOLLOW_EDGE_ATTRS)
        self.blocks = EdgeSet(n)
        self.posts = PostStore(capacity=max(1024, n))
        self.events = EventLog()
        self.retweeted = PairLog()  # who retweeted which post (one retweet each)
        # the counters are rows of one array, so the recorder sums them in one call
        self._count_rows = np.zeros((len(counters), n), dtype=np.int64)
        self.count = dict(zip(counters, self._count_rows, strict=True))
        # set by population.build_party: the follow graph at the start (keys src * n + dst;
        # with the event log it rebuilds the graph at any hour: docs/DATA.md, edges_start.csv)
        self.edges_at_start = np.zeros(0, dtype=np.int64)
        # queues carried from one hour to the next
        self.pending_notifications = np.zeros(0, dtype=np.int64)  # items addressed, unread
        self.follow_notices: list[np.ndarray] = []  # new followers to notice (follow-backs)
        self.blast_counts: dict[int, int] = {}  # blasters' posts so far in their burst
        # direct actions chosen between two hours, carried out next hour (sim/engine/actions)
        self.queued_actions: list[tuple[int, str, int]] = []
        # out-of-network items a for_you feed chose this hour (ranking.with_recommended)
        self.recommended = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        # caches, rebuilt when missing
        self.audience_tz: np.ndarray | None = None  # schedulers' audiences' time zones
        self._schedule_cache = None  # posting._schedule_day's table and what it was made from
        self._absence_scale = np.zeros(0)  # posting.initial_absence: absences' Weibull scales
        self._totals_cache = None  # reporters.strategy_totals: (hour, totals)
        # scratch for the compiled home feed: which content each reader was shown this hour
        self._shown, self._shown_stamp = np.zeros(0, dtype=np.int64), 1

    def __setstate__(self, state: dict) -> None:
        """A copy's (or unpickled party's) state names view its own blocks again."""
        self.__dict__.update(state)
        views(self)

    # ------------------------------------------------------------------ helpers
    @property
    def hour_of_day(self) -> int:
        """UTC hour of day of the current hour."""
        return self.hour % 24

    def pick_rooms(self, accounts: np.ndarray, tagged: np.ndarray) -> np.ndarray:
        """One random interest room per account, -1 where not ``tagged``."""
        which = np.floor(self.rng.random(len(accounts)) * self.n_interests[accounts])
        room = self.interests[accounts, which.astype(np.int64)]
        return np.where(tagged, room, -1).astype(np.int16)

    def random_room_member(self, rooms: np.ndarray) -> np.ndarray:
        """A uniformly random account interested in each room."""
        rooms = rooms.astype(np.int64)
        pick = np.floor(self.rng.random(len(rooms)) * self.room_size[rooms]).astype(np.int64)
        return self.room_members[self.room_first[rooms] + pick]

    def handle(self, i: int) -> str:
        """The account's handle (without '@'): group name and number within the group."""
        g = int(self.group_id[i])
        first = int(np.searchsorted(self.group_id, g))
        return f"{self.group_names[g]}{i - first + 1}"

    def room_name(self, room: int) -> str:
        return self.room_names[room] if 0 <= room < len(self.room_names) else "(no room)"
