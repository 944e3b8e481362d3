"""PartyModel: the party as a Mesa model. One step is one simulated hour.

Account state lives in numpy arrays and every rule is applied to all online accounts at once;
each account is also a :class:`sim.engine.agents.Account` (a ``mesa.Agent``) that reads its state from
those arrays, so it can be inspected like any Mesa agent.
"""

from __future__ import annotations

import os
from typing import Any

import mesa
import numpy as np

from sim.config.scenarios import MAX_SEED, MAX_STEPS, Scenario, checked_int, load
from sim.engine import kernels, reporters
from sim.engine.agents import Account
from sim.engine.edges import EdgeSet, PairLog, flatnonzero
from sim.engine.events import EventLog
from sim.engine.everyday import everyday_unfollow_phase, update_worth
from sim.engine.feed import read_phase
from sim.engine.interrupts import HeldSignals
from sim.engine.network import initial_follows
from sim.engine.population import assign_rooms, build_accounts
from sim.engine.posting import initial_absence, online_now, post_phase
from sim.engine.posts import MENTION, PROMO, RETWEET, PostStore
from sim.engine.ranking import with_recommended
from sim.engine.reactions import react_phase
from sim.engine.readlog import ReadLog
from sim.engine.recorder import Recorder
from sim.engine.resources import check_memory
from sim.engine.state import allocate, views
from sim.engine.suggestions import suggestion_phase
from sim.engine.ties import follow_back_decisions, follow_back_phase, unfollow_phase


class PartyModel(mesa.Model):
    """The Party Network Sandbox.

    Args:
        scenario: a :class:`Scenario`, a scenario file path, or the name of a file in
            ``scenarios/`` (default ``"default"``).
        seed: random seed; defaults to the scenario's seed. Same scenario + seed, same run.
        rng: Mesa's name for the seed (used by ``mesa.batch_run``); ``seed`` wins if both.
        agents: create one ``mesa.Agent`` per account (default: yes up to 200,000 accounts).
        record_reads: keep the read log (``model.read_log``, sim/engine/readlog.py; written as
            reads.parquet by ``partysim run --reads --out DIR``): about 17 bytes per item read.
        **overrides: parameter values, as with ``partysim run --set``: a model parameter,
            ``steps``, ``GROUP.PARAM``, ``GROUP.count`` or ``*.PARAM``.
    """

    def __init__(
        self,
        scenario: str | os.PathLike | Scenario = "default",
        *,
        seed: int | None = None,
        rng: int | None = None,
        agents: bool | None = None,
        record_reads: bool = False,
        **overrides: Any,
    ) -> None:
        spec = (
            load(scenario).with_overrides(overrides, where="PartyModel")
            if overrides
            else load(scenario)
        )
        if seed is None:
            seed = rng if rng is not None else spec.seed
        seed = checked_int(seed, "seed", 0, MAX_SEED, "PartyModel")
        check_memory(spec)
        super().__init__(rng=seed)
        self.seed = seed
        self.spec = spec
        self.params = spec.model_params()
        self.n = spec.n_accounts
        self.n_rooms = int(self.params["n_rooms"])
        self.room_names = spec.rooms or [f"#room{i + 1}" for i in range(self.n_rooms)]
        build_accounts(self, spec.groups)
        assign_rooms(self)
        self._init_state()
        self._init_network()
        initial_absence(self)
        if agents if agents is not None else self.n <= 200_000:
            Account.create_agents(self, self.n, index=list(range(self.n)))
        # Mesa's DataCollector API; outcomes recorded into arrays (see sim/engine/recorder.py)
        self.datacollector = Recorder(self)
        # who read what, when, from where (sim/engine/readlog.py): only when asked, it grows
        # by about 17 bytes per item read
        self.read_log = ReadLog() if record_reads else None
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ set-up
    def _init_state(self) -> None:
        n = self.n
        self.follows = EdgeSet(n, attrs={"ack": np.bool_, "seen": np.float64, "worth": np.float64})
        self.blocks = EdgeSet(n)
        self.posts = PostStore(capacity=max(1024, n))
        self.events = EventLog()
        # the counters are rows of one array, so the recorder sums them in one call
        self._count_rows = np.zeros((len(reporters.SUM_METRICS), n), dtype=np.int64)
        self.count = dict(zip(reporters.SUM_METRICS, self._count_rows, strict=True))
        allocate(self)  # the changing per-account columns declared in sim/engine/state.py
        self.utc_offset[:] = self.tz
        # queues carried from one hour to the next
        self.pending_notifications = np.zeros(0, dtype=np.int64)
        self.follow_notices: list[np.ndarray] = []
        self.blast_counts: dict[int, int] = {}
        self.retweeted = PairLog()  # who retweeted which post (one retweet each)
        # scratch for the compiled home feed: which content each reader was shown this hour
        self._shown, self._shown_stamp = np.zeros(0, dtype=np.int64), 1

    def _init_network(self) -> None:
        """Initial ties, then the follow-back rule applied once, silently (not as events)."""
        src, dst = initial_follows(self)
        self.follows.add(src, dst)
        follower, followee = self.follows.src, self.follows.dst
        back = follow_back_decisions(self, follower, followee)[0]
        self.follows.add(followee[back], follower[back])
        self.follows.attrs["worth"][:] = self.params["tie_worth_start"]
        self.followers_at_start[:] = self.follows.in_degree
        # the follow graph at the start (keys src * n + dst): with the event log it rebuilds
        # the graph at any hour (docs/DATA.md, edges_start.csv)
        self.edges_at_start = self.follows.keys.copy()

    def __setstate__(self, state: dict) -> None:
        """A copy's (or unpickled model's) state names view its own blocks again."""
        self.__dict__.update(state)
        views(self)

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """One hour: who is online, posting, reading, reacting, ties, bookkeeping."""
        first_new = len(self.posts)
        online = online_now(self)
        post_phase(self, online)
        reading = with_recommended(self, read_phase(self, online))
        if self.read_log is not None:
            published = self.posts["step"][reading.post]
            self.read_log.record(self.hour, reading.reader, reading.post, reading.source, published)
        self.n_items_read += np.bincount(reading.reader, minlength=self.n)
        value = react_phase(self, reading)
        update_worth(self, reading, value)
        follow_back_phase(self, online)
        suggestion_phase(self, online)
        unfollow_phase(self, reading)
        everyday_unfollow_phase(self, online)
        self._close_hour(first_new)
        self.datacollector.collect(self)
        kernels.note_work(self.n)

    def run(self, steps: int | None = None, progress=None) -> PartyModel:
        """Run ``steps`` hours (default: the scenario's ``steps``; 0 to 100,000 per call);
        ``progress(done, total)`` is called after each step if given.

        Ctrl-C and SIGTERM stop the run between two hours, never inside one (the compiled
        loops cannot be interrupted halfway: :mod:`sim.engine.interrupts`); the hours already
        run stay in the model (``model.steps``)."""
        total = (
            self.spec.steps
            if steps is None
            else checked_int(steps, "steps", 0, MAX_STEPS, "PartyModel.run")
        )
        kernels.expect(self.n * total)
        with HeldSignals() as held:
            for done in range(1, total + 1):
                self.step()
                if progress is not None:
                    progress(done, total)
                held.deliver()
        return self

    def _close_hour(self, first_new: int) -> None:
        """Count new items, queue their notifications, mark acknowledgements, update profiles."""
        if kernels.enabled():
            self._close_hour_compiled(first_new)
            return
        posts = self.posts
        cols, end = posts.cols, len(posts)  # this hour's items: views, not copies
        author, form, target = (cols[c][first_new:end] for c in ("author", "form", "target"))
        n_items = np.bincount(author, minlength=self.n)
        self.count["posts"] += n_items
        self.last_item_step[author] = self.hour
        addressed = flatnonzero(target >= 0)
        if len(addressed):
            self.pending_notifications = np.concatenate(
                [self.pending_notifications, addressed + first_new]
            )
        # an account that replies to, retweets or thanks you has acknowledged your follow
        talk = (target >= 0) & (form != MENTION)
        if talk.any():
            pos, found = self.follows.find(target[talk], author[talk])
            self.follows.attrs["ack"][pos[found]] = True
        promo = (cols["kind"][first_new:end] == PROMO) & (form != RETWEET)
        automated = cols["automated"][first_new:end]
        self._update_profiles(
            n_items,
            np.bincount(author, weights=promo, minlength=self.n),
            np.bincount(author, weights=automated, minlength=self.n),
        )
        posts.close_step()

    def _close_hour_compiled(self, first_new: int) -> None:
        """:meth:`_close_hour` with the items counted and the profiles updated in compiled
        passes (:func:`sim.engine.loops.hour.hour_items`, :func:`~sim.engine.loops.hour.profile_shares`; the same results)."""
        from sim.engine.loops import hour as loops

        addressed, posted, n_items, n_promo, n_auto = loops.hour_items_for(self, first_new)
        if len(addressed):
            self.pending_notifications = np.concatenate(
                [self.pending_notifications, addressed + first_new]
            )
        if len(posted):  # _update_profiles for those who posted
            loops.profile_shares_for(self, posted, n_items, n_promo, n_auto)
        posts = self.posts
        posts.close_step()

    def _update_profiles(self, n_items, n_promo, n_automated) -> None:
        """Running shares of promotional and automated items over ~profile_memory_posts
        (``n_promo``, ``n_automated``: this hour's such items per account), and the items a
        day posted over about ``flood_memory_steps`` hours."""
        self.daily_items *= np.exp(-1.0 / self.params["flood_memory_steps"])
        self.daily_items += n_items
        posted = np.flatnonzero(n_items)
        if not len(posted):
            return
        n_posted = n_items[posted]
        keep = (1.0 - 1.0 / self.params["profile_memory_posts"]) ** n_posted
        for share, counts in ((self.promo_share, n_promo), (self.automated_share, n_automated)):
            recent = counts[posted] / n_posted
            share[posted] = keep * share[posted] + (1 - keep) * recent
        self.has_posted[posted] = True

    # ------------------------------------------------------------------ helpers
    @property
    def hour(self) -> int:
        """0-based index of the current hour (step 1 is hour 0)."""
        return self.steps - 1

    @property
    def hour_of_day(self) -> int:
        """UTC hour of day of the current step."""
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
