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
from sim.engine import kernels
from sim.engine.actions import carry_out
from sim.engine.agents import Account
from sim.engine.edges import flatnonzero
from sim.engine.everyday import everyday_unfollow_phase, update_worth
from sim.engine.feed import read_phase
from sim.engine.interrupts import HeldSignals
from sim.engine.joining import join_phase
from sim.engine.population import build_party
from sim.engine.posting import online_now, post_phase
from sim.engine.posts import MENTION, PROMO, RETWEET
from sim.engine.ranking import ranked_feed, with_recommended
from sim.engine.reactions import react_phase
from sim.engine.readlog import ReadLog
from sim.engine.recorder import Recorder
from sim.engine.resources import check_memory
from sim.engine.suggestions import suggestion_phase
from sim.engine.ties import follow_back_phase, unfollow_phase


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
        # the state the rules read and change (sim/engine/party.py), built from the scenario
        self.party = build_party(spec, self.rng)
        if agents if agents is not None else self.n <= 200_000:
            Account.create_agents(self, self.n, index=list(range(self.n)))
        # Mesa's DataCollector API; outcomes recorded into arrays (see sim/engine/recorder.py)
        self.datacollector = Recorder(self)
        # who read what, when, from where (sim/engine/readlog.py): only when asked, it grows
        # by about 17 bytes per item read
        self.read_log = ReadLog() if record_reads else None
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ the party's state
    def __getattr__(self, name: str) -> Any:
        """The party's state read through the model (``model.follows`` is
        ``model.party.follows``): for notebooks, the app and Mesa agents. Only names the model
        itself lacks come here."""
        party = self.__dict__.get("party")
        if party is None or name.startswith("__"):
            raise AttributeError(name)
        try:
            return getattr(party, name)
        except AttributeError:
            raise AttributeError(f"{type(self).__name__!r} has no attribute {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        """Setting a name the party holds sets it on the party (one home for each value)."""
        party = self.__dict__.get("party")
        if party is not None and name in party.__dict__:
            setattr(party, name, value)
        else:
            super().__setattr__(name, value)

    # ------------------------------------------------------------------ the schedule
    def step(self) -> None:
        """One hour: who signs up, who is online, posting, reading, reacting, ties,
        bookkeeping."""
        party = self.party
        party.hour = self.steps - 1  # Mesa counts the step before calling this
        first_new = len(party.posts)
        join_phase(party)  # accounts signing up this hour (rule joining)
        carry_out(party)  # direct actions chosen before this hour (a game's players)
        online = online_now(party)
        post_phase(party, online)
        reading = with_recommended(party, read_phase(party, online, ranked_feed))
        if self.read_log is not None:
            published = party.posts["step"][reading.post]
            self.read_log.record(
                party.hour, reading.reader, reading.post, reading.source, published
            )
        party.n_items_read += np.bincount(reading.reader, minlength=party.n)
        value = react_phase(party, reading, online)
        update_worth(party, reading, value)
        follow_back_phase(party, online)
        suggestion_phase(party, online)
        unfollow_phase(party, reading)
        everyday_unfollow_phase(party, online)
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

        party = self.party  # the party's state itself (not through __getattr__: every hour)
        addressed, posted, n_items, n_promo, n_auto = loops.hour_items_for(party, first_new)
        if len(addressed):
            party.pending_notifications = np.concatenate(
                [party.pending_notifications, addressed + first_new]
            )
        if len(posted):  # _update_profiles for those who posted
            loops.profile_shares_for(party, posted, n_items, n_promo, n_auto)
        party.posts.close_step()

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
