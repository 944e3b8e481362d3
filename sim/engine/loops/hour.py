"""Compiled loops of closing the hour (``PartyModel._close_hour``): items counted, profiles.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine.loops.base import edge_at


@njit(cache=True, error_model="numpy")
def hour_items(
    author,
    form,
    target,
    kind,
    automated,
    n,
    hour,
    posts_count,
    last_item_step,
    f_flags,
    f_bits,
    f_offsets,
    f_keys,
    ack,
    mention,
    retweet_form,
    promo,
    daily_items,
    decay,
):
    """This hour's items (``PartyModel._close_hour``): items per author (added to
    ``posts_count`` and, after ``daily_items`` x ``decay``, to ``daily_items``), the hour of
    each author's last item, acknowledgements (a reply, retweet or thanks marks the target's
    follow of its author as acknowledged), the items addressed to someone (their positions in
    this hour's items), and for the authors who posted (in account order) their number of
    items, of promotional originals and of automated items (for :func:`profile_shares`)."""
    n_items = np.zeros(n, dtype=np.int64)
    n_promo = np.zeros(n)
    n_auto = np.zeros(n)
    addressed = np.empty(len(author), dtype=np.int64)
    c = 0
    for i in range(len(author)):
        a, t = author[i], target[i]
        n_items[a] += 1
        last_item_step[a] = hour
        if t >= 0:
            addressed[c] = i
            c += 1
            if form[i] != mention:
                at = edge_at(f_offsets, f_keys, n, t, a)
                if at >= 0:
                    ack[at] = True
        if kind[i] == promo and form[i] != retweet_form:
            n_promo[a] += 1.0
        if automated[i]:
            n_auto[a] += 1.0
    n_posted = 0
    for a in range(n):
        posts_count[a] += n_items[a]
        daily_items[a] *= decay  # (then + the items: two steps, as numpy's *= and +=)
        daily_items[a] += n_items[a]
        n_posted += n_items[a] > 0
    posted = np.empty(n_posted, dtype=np.int64)
    items, promos, autos = (
        np.empty(n_posted, dtype=np.int64),
        np.empty(n_posted),
        np.empty(n_posted),
    )
    j = 0
    for a in range(n):
        if n_items[a] > 0:
            posted[j], items[j], promos[j], autos[j] = a, n_items[a], n_promo[a], n_auto[a]
            j += 1
    return addressed[:c], posted, items, promos, autos


@njit(cache=True, error_model="numpy")
def profile_shares(
    posted, n_items, keep, n_promo, n_auto, promo_share, automated_share, has_posted
):
    """``PartyModel._update_profiles`` for the accounts ``posted`` (with ``n_items`` items this
    hour, ``n_promo`` promotional originals and ``n_auto`` automated ones): their running
    promotional and automated shares move to this hour's by 1 - ``keep`` (``keep`` computed by
    numpy's power: its vectorised results may differ from libm's in the last bit)."""
    for j in range(len(posted)):
        a = posted[j]
        promo_share[a] = keep[j] * promo_share[a] + (1 - keep[j]) * (n_promo[j] / n_items[j])
        automated_share[a] = keep[j] * automated_share[a] + (1 - keep[j]) * (n_auto[j] / n_items[j])
        has_posted[a] = True
