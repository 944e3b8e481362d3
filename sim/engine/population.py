"""Who is at the party: accounts built from population groups, their rooms and time zones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config.params import ACCOUNT_PARAMS, CONTENT_WEIGHTS, INDIVIDUAL, INDIVIDUAL_SPREAD
from sim.config.scenario_parts import Group
from sim.engine.posts import PROMO

if TYPE_CHECKING:
    from sim.engine.model import PartyModel


def build_accounts(model: PartyModel, groups: list[Group]) -> None:
    """Per-account arrays (``model.acct``), group and strategy ids, time zones, tastes."""
    counts = np.array([g.count for g in groups])
    model.group_names = [g.name for g in groups]
    model.strategy_names = sorted({g.strategy for g in groups})
    model.group_id = np.repeat(np.arange(len(groups)), counts)
    strategy_of_group = np.array([model.strategy_names.index(g.strategy) for g in groups])
    model.strategy_id = strategy_of_group[model.group_id]
    model.acct = {}
    for name, param in ACCOUNT_PARAMS.items():
        if param.choices:
            codes = np.array([param.choices.index(g.values[name]) for g in groups])
            model.acct[name] = codes[model.group_id]
        else:
            model.acct[name] = np.array([g.values[name] for g in groups], dtype=float)[
                model.group_id
            ]
    _individual_differences(model)
    a = model.acct
    spread = a["tz_spread"].astype(np.int64)
    jitter = np.floor(model.rng.random(model.n) * (2 * spread + 1)).astype(np.int64) - spread
    model.tz = ((a["tz_offset"].astype(np.int64) + jitter + 12) % 24) - 12
    model.appetite = np.stack(
        [a["social_appetite"], a["info_appetite"], a["promo_appetite"], a["social_appetite"]],
        axis=1,
    )
    weights = np.stack([a[w] for w in CONTENT_WEIGHTS], axis=1)
    total = weights.sum(axis=1, keepdims=True)
    weights = np.where(total > 0, weights / np.where(total > 0, total, 1), [1, 0, 0, 0])
    model.content_cum = np.cumsum(weights, axis=1)
    model.schedule_mode = a["schedule_at"]
    model.schedulers = np.flatnonzero(a["scheduled_per_day"] > 0)
    model.audience_tz = None
    model._schedule_cache = None  # posting._schedule_day's table and what it was made from
    _initial_profiles(model, weights[:, PROMO])
    _draw_follow_back_policies(model)


def _individual_differences(model: PartyModel) -> None:
    """Rule *individuals*: each account's value of the INDIVIDUAL parameters is its group's
    value x lognormal(0, individual_spread), clipped to the parameter's range (a parameter
    named in INDIVIDUAL_SPREAD varies with its own spread, e.g. pruning_spread)."""
    for name in INDIVIDUAL:
        param = ACCOUNT_PARAMS[name]
        sd = model.params[INDIVIDUAL_SPREAD.get(name, "individual_spread")]
        varied = model.acct[name] * np.exp(model.rng.normal(0.0, sd, model.n))
        if param.kind is int:
            varied = np.round(varied)
        model.acct[name] = np.clip(varied, param.low, param.high)


def _initial_profiles(model: PartyModel, promo_weight: np.ndarray) -> None:
    """Profiles start as the account's own habits, as if it had been posting for a while."""
    a = model.acct
    by_hand = a["posts_per_hour"] * a["activity_prob"] * 16
    scheduled = a["scheduled_per_day"]
    total = by_hand + scheduled
    model.promo_share = promo_weight.astype(float).copy()
    model.automated_share = np.where(total > 0, scheduled / np.where(total > 0, total, 1), 0.0)
    model.has_posted = total > 0
    model.daily_items = total.astype(float)


def _draw_follow_back_policies(model: PartyModel) -> None:
    from sim.engine.ties import AUTO, NEVER, SCREEN

    u = model.rng.random(model.n)
    v = model.rng.random(model.n)
    auto = u < model.acct["follow_back_auto_prob"]
    screen = ~auto & (v < model.acct["follow_back_screen_prob"])
    model.follow_back = np.where(auto, AUTO, np.where(screen, SCREEN, NEVER))


def assign_rooms(model: PartyModel) -> None:
    """Each account gets ``n_interests`` distinct rooms, drawn by room popularity (Zipf)."""
    n_rooms = model.n_rooms
    popularity = 1.0 / np.arange(1, n_rooms + 1) ** model.params["room_popularity_exponent"]
    model.room_popularity = popularity / popularity.sum()
    k = np.minimum(model.acct["n_interests"].astype(np.int64), n_rooms)
    gumbel = -np.log(-np.log(model.rng.random((model.n, n_rooms))))
    ranked = np.argsort(-(np.log(model.room_popularity) + gumbel), axis=1)
    model.n_interests = k
    model.interests = np.where(np.arange(n_rooms) < k[:, None], ranked, -1)[:, : k.max()]
    bits = np.left_shift(np.uint64(1), np.maximum(model.interests, 0).astype(np.uint64))
    model.interest_mask = np.bitwise_or.reduce(np.where(model.interests >= 0, bits, 0), axis=1)
    member_room = model.interests.ravel()
    member = np.repeat(np.arange(model.n), model.interests.shape[1])
    valid = member_room >= 0
    order = np.argsort(member_room[valid], kind="stable")
    model.room_members = member[valid][order]
    model.room_size = np.bincount(member_room[valid], minlength=n_rooms)
    model.room_first = np.cumsum(model.room_size) - model.room_size
