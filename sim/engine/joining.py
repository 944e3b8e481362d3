"""Rules *joining* and *sign-up suggestions* (docs/MODEL.md 7.30): accounts that are not there
at the start sign up during the run and follow part of the platform's suggested list when
they do.

An account with ``join_prob`` p is absent from the start with chance p and signs up at an
hour drawn uniformly from 1 to ``join_window_steps`` (``party.join_hour``, drawn by
:func:`sim.engine.population.draw_join_hours`; 0 for the accounts there at the start). Until
then it is not there: never online, posts and schedules nothing, is in no room, follows
nobody and nobody follows it (the initial network leaves it out).

At sign-up an account follows ``signup_follows`` accounts drawn at random, without
repetition, from the suggested list: the accounts famous before the party (``start_fame``
"top") that are there (:func:`sim.engine.network.signup_follows`). The accounts there at the
start make none: the initial network (:func:`sim.engine.network.initial_follows`) stands for
the platform's history, the famous holding its largest attractiveness draws.

Rule *leaving*: an account with ``quit_prob`` q, once signed up and its sign-up follows made,
never comes back with chance q (``party.quits``, drawn by
:func:`sim.engine.population.draw_quits`): it stays absent (never online, in no room) with
its ties. One that quit before the party starts with its sign-up follows as its only ties
(:func:`sim.engine.population.build_party`); nobody follows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.engine import reasons as rs
from sim.engine.network import signup_follows, suggested_list
from sim.engine.population import join_rooms
from sim.engine.ties import follow

if TYPE_CHECKING:
    from sim.engine.party import Party


def join_phase(party: Party) -> None:
    """Rule *joining*: the accounts whose sign-up hour this is arrive (they are there from
    now on, in their rooms) and make their sign-up follows (events, reason ``signed_up``)."""
    if party.n_absent == 0 or party.hour < 1:  # hour 0: the accounts there at the start
        return
    new = np.flatnonzero(party.join_hour == party.hour)
    if not len(new):
        return
    stay = new[~party.quits[new]]  # rule leaving: the others make their follows and go
    party.present[stay] = True
    party.n_absent -= len(stay)
    if len(stay):
        join_rooms(party, stay)
    src, dst = signup_follows(party, new)
    follow(party, src, dst, rs.FOLLOW_SIGNUP, float(len(suggested_list(party))))
