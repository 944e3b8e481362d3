"""Named outcome functions: per-strategy reporters, the run summary, tidy tables.

Reporters are module-level functions (picklable, usable by Mesa's DataCollector, the app and
the sweep runner). Counters are cumulative since the start of the run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis.stats import cascade_stats
from sim.engine import reasons as rs
from sim.engine.posts import FORM_NAMES, KIND_NAMES, ORIGINAL
from sim.engine.reporters import (  # noqa: F401  (re-exported: part of metrics' API)
    SEP,
    STEP_METRICS,
    SUM_METRICS,
    follow_edges,
    reciprocity,
    reporters,
    strategy_metric,
    strategy_totals,
)

if TYPE_CHECKING:
    from sim.engine.model import PartyModel


def tidy_steps(model: PartyModel) -> pd.DataFrame:
    """One row per step x strategy from the DataCollector, with seed, scenario and the
    hour's weekday (:func:`weekday`)."""
    if hasattr(model.datacollector, "tidy"):  # sim.engine.recorder.Recorder: from its array
        table = model.datacollector.tidy(model)
    else:
        table = _steps_from_mesa(model)
    table.insert(table.columns.get_loc("step") + 1, "weekday", weekday(table["step"]))
    return table


def _steps_from_mesa(model: PartyModel) -> pd.DataFrame:
    """tidy_steps from a Mesa DataCollector's model variables (one column per metric and
    strategy)."""
    wide = model.datacollector.get_model_vars_dataframe()
    wide.index.name = "step"
    rows = []
    accounts = strategy_totals(model)["accounts"]
    for i, s in enumerate(model.strategy_names):
        part = pd.DataFrame({m: wide[f"{m}{SEP}{s}"] for m in STEP_METRICS})
        part.insert(0, "accounts", int(accounts[i]))
        part.insert(0, "strategy", s)
        rows.append(part.reset_index())
    table = pd.concat(rows, ignore_index=True).sort_values(["step", "strategy"])
    for m in SUM_METRICS:
        table[m] = table[m].astype(np.int64)
    table.insert(0, "seed", model.seed)
    table.insert(0, "scenario", model.spec.name)
    return table.reset_index(drop=True)


def value_range(metric: str) -> tuple[float, float]:
    """The range an outcome column can take, where its intervals are cut
    (:func:`sim.analysis.stats.interval`): a net change (``net_*``: gains minus losses) can be
    negative; the counts, means of counts and shares of the run and step tables cannot."""
    return (-np.inf, np.inf) if metric.startswith("net_") else (0.0, np.inf)


def per_account(steps_table: pd.DataFrame, metric: str) -> pd.Series:
    """A per-strategy column of ``tidy_steps`` as a value per account, comparable across
    strategies of different sizes: counters are group totals, divided by the group's
    accounts; ``followers_mean`` is one already; ``net_followers`` is the mean followers now
    minus at the first hour of the same run and strategy (gains net of unfollows and
    blocks; runs told apart by ``seed`` and, if present, ``variant``)."""
    if metric == "followers_mean":
        return steps_table[metric]
    if metric == "net_followers":
        keys = [k for k in ("variant", "seed", "strategy") if k in steps_table]
        first = steps_table.sort_values("step").groupby(keys)["followers_mean"].transform("first")
        return steps_table["followers_mean"] - first
    return steps_table[metric] / steps_table["accounts"].clip(lower=1)


def cascades(model: PartyModel) -> dict[str, Any]:
    """Retweet cascades of original posts: how many, share never retweeted, the largest
    (:func:`sim.analysis.stats.cascade_stats`, the one place cascade statistics are computed)."""
    posts = model.posts
    full = cascade_stats(posts["retweets"][posts["form"] == ORIGINAL])
    return {k: full[k] for k in ("originals", "share_zero_retweets", "max_size")}


def network_summary(model: PartyModel) -> dict[str, Any]:
    followers = model.follows.in_degree
    return {
        "accounts": model.n,
        "follow_edges": len(model.follows),
        "reciprocity": reciprocity(model),
        "followers_median": float(np.median(followers)),
        "followers_max": int(followers.max()) if model.n else 0,
    }


def summary(model: PartyModel) -> dict[str, Any]:
    """The run's outcomes as the JSON contract of ``partysim run --json``."""
    totals = strategy_totals(model)
    strategies = {}
    for i, s in enumerate(model.strategy_names):
        entry: dict[str, Any] = {"accounts": int(totals["accounts"][i])}
        entry["posts"] = int(totals["posts"][i])
        entry["followers_mean"] = float(totals["followers_mean"][i])
        mine = model.strategy_id == i
        start = float(model.followers_at_start[mine].mean()) if mine.any() else 0.0
        entry["followers_start_mean"] = start
        entry["net_followers_mean"] = entry["followers_mean"] - start
        for m in SUM_METRICS:
            if m != "posts":
                entry[m] = int(totals[m][i])
        strategies[s] = entry
    return {
        "scenario": model.spec.name,
        "seed": model.seed,
        "steps": int(model.steps),
        "strategies": strategies,
        "network": network_summary(model),
        "cascades": cascades(model),
        "events": {k.plural: model.events.count(k.code) for k in rs.EVENT_KINDS},
    }


READER_COLUMNS = (
    "n_follows_made",
    "n_retweets_made",
    "n_replies_made",
    "n_items_read",
    "n_hours_online",
)  # per-account counters of what each account did as a reader, when the model keeps them


def start_edges_table(model: PartyModel) -> pd.DataFrame:
    """The follow edges at the start of the run (after the initial follow-backs), one row per
    edge ``follower -> followee``: with the event log (follows add an edge, unfollows remove
    one, a block removes the ties its ``cut_my_follow`` / ``cut_their_follow`` say it cut) it
    rebuilds the follow graph at any hour."""
    keys = model.edges_at_start
    src, dst = keys // model.n, keys % model.n
    names = handles(model)
    return pd.DataFrame({
        "follower": src.astype(np.int64),
        "followee": dst.astype(np.int64),
        "follower_handle": names[src] if len(keys) else [],
        "followee_handle": names[dst] if len(keys) else [],
    })  # fmt: skip


def edge_numbers(src, dst) -> pd.DataFrame:
    """Follow edges ``follower -> followee`` by account number only (a large run's
    edges_start.parquet and edges_end.parquet; the handles are in the accounts table)."""
    return pd.DataFrame({"follower": np.asarray(src, dtype=np.int64),
                         "followee": np.asarray(dst, dtype=np.int64)})  # fmt: skip


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday(step) -> np.ndarray:
    """The weekday of an hour (UTC), the party starting on a Monday at 00:00 UTC (the
    convention of rule 7.2's week, :func:`sim.engine.posting.curve_hour`)."""
    return np.asarray(WEEKDAYS, dtype=object)[(np.asarray(step) // 24) % 7]


def handles(model: PartyModel) -> np.ndarray:
    """Every account's handle, as an array indexable by account."""
    return np.array([model.handle(i) for i in range(model.n)], dtype=object)


def time_zones(model: PartyModel) -> np.ndarray | None:
    """Each account's UTC offset in hours (``model.utc_offset``, or the older ``model.tz``)."""
    tz = getattr(model, "utc_offset", None)
    return getattr(model, "tz", None) if tz is None else tz


def account_table(model: PartyModel) -> pd.DataFrame:
    """One row per account: who it is, its time zone, how it fared and, where the model keeps
    them, what it did as a reader (``READER_COLUMNS``). Columns: docs/DATA.md."""
    columns: dict[str, Any] = {
        "account": np.arange(model.n),
        "handle": handles(model),
        "strategy": [model.strategy_names[s] for s in model.strategy_id],
        "group": [model.group_names[g] for g in model.group_id],
    }
    tz = time_zones(model)
    if tz is not None:
        columns["utc_offset"] = np.asarray(tz)
    join_hour = getattr(model, "join_hour", None)
    if join_hour is not None:
        columns["join_hour"] = np.asarray(join_hour)
    quits = getattr(model, "quits", None)
    if quits is not None:
        columns["quit"] = np.asarray(quits)
    columns |= {
        "followers_start": model.followers_at_start,
        "followers": model.follows.in_degree,
        "following": model.follows.out_degree,
        **{name: model.count[name] for name in SUM_METRICS},
    }
    for name in READER_COLUMNS:
        values = getattr(model, name, None)
        if values is not None:
            columns[name] = np.asarray(values)
    table = pd.DataFrame(columns)
    table.insert(0, "seed", model.seed)
    return table


def item_table(model: PartyModel) -> pd.DataFrame:
    """One row per item (post, reply, retweet, mention, thanks), in publishing order.

    ``original_item`` is the item whose content a retweet shows (the item itself otherwise),
    ``parent_item`` the item a retweet was made from (the post or another retweet; -1 for
    other forms), so a cascade's tree rebuilds from the table;
    ``target`` the account a reply, mention or thanks addresses or a retweet passes on
    (-1: none); ``room`` the hashtag ("" untagged). Columns: docs/DATA.md."""
    posts = model.posts
    names = handles(model)
    target = posts["target"].astype(np.int64)
    room = posts["room"].astype(np.int64)
    room_names = np.array([*model.room_names, ""], dtype=object)
    table = pd.DataFrame(
        {
            "item": np.arange(len(posts), dtype=np.int64),
            "hour": posts["step"].astype(np.int64),
            "author": posts["author"].astype(np.int64),
            "author_handle": names[posts["author"]] if len(posts) else [],
            "form": np.array(FORM_NAMES, dtype=object)[posts["form"]],
            "kind": np.array(KIND_NAMES, dtype=object)[posts["kind"]],
            "room": room_names[np.where(room >= 0, room, len(model.room_names))],
            "original_item": posts["orig"].astype(np.int64),
            "parent_item": posts["parent"].astype(np.int64),
            "original_author": posts["orig_author"].astype(np.int64),
            "content": posts["content"].astype(np.int64),
            "target": target,
            "target_handle": np.where(target >= 0, names[np.maximum(target, 0)], "")
            if len(posts)
            else [],
            "quality": posts["quality"].astype(float),
            "link": posts["link"].astype(bool),
            "retweets": posts["retweets"].astype(np.int64),
            "replies": posts["replies"].astype(np.int64),
            "reads": posts["reads"].astype(np.int64),
            "automated": posts["automated"].astype(bool),
        }
    )
    table.insert(0, "seed", model.seed)
    return table
