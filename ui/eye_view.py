"""An account's-eye view of a party too large to draw whole (the town square): one account at
the centre, a sample of the accounts it follows on the right, of those that follow it on the
left, the mutual ones on top; colour by strategy, area by followers. It stands in for the
network picture above ``ui.PICTURE_ACCOUNTS`` accounts."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from sim.analysis.palette import strategy_colour

SAMPLE = 24  # accounts drawn per side (follows, followed by, mutual)
# where each side sits, in degrees around the centre
ARCS = {"follows": (-60.0, 60.0), "mutual": (70.0, 110.0), "followed by": (120.0, 240.0)}


def sides(model, account: int) -> dict[str, np.ndarray]:
    """The account's followees only, followers only and mutual ties (sorted ids)."""
    f = model.follows
    src, dst = np.asarray(f.src), np.asarray(f.dst)
    follows = np.unique(dst[src == account])
    followed_by = np.unique(src[dst == account])
    mutual = np.intersect1d(follows, followed_by, assume_unique=True)
    return {
        "follows": np.setdiff1d(follows, mutual, assume_unique=True),
        "mutual": mutual,
        "followed by": np.setdiff1d(followed_by, mutual, assume_unique=True),
    }


def sample(ids: np.ndarray, account: int, k: int = SAMPLE) -> np.ndarray:
    """At most ``k`` of ``ids``, the same ones from frame to frame while they stay (a fixed
    random order of all accounts, seeded by the account, decides who is drawn)."""
    if len(ids) <= k:
        return ids
    rank = np.random.default_rng(account).random(int(ids.max()) + 1)
    return np.sort(ids[np.argsort(rank[ids], kind="stable")[:k]])


def ego_table(model, account: int, k: int = SAMPLE, ties: dict | None = None) -> pd.DataFrame:
    """One row per account drawn: position, relation, handle, strategy, followers (``ties``:
    the account's :func:`sides`, if already at hand)."""
    rows = []
    followers = model.follows.in_degree
    for relation, ids in (ties or sides(model, account)).items():
        drawn = sample(ids, account, k)
        lo, hi = ARCS[relation]
        angles = np.radians(np.linspace(lo, hi, len(drawn) + 2)[1:-1])
        for i, a in zip(drawn.tolist(), angles, strict=True):
            rows.append((np.cos(a), np.sin(a), relation, i))
    rows.append((0.0, 0.0, "this account", account))
    table = pd.DataFrame(rows, columns=["x", "y", "relation", "id"])
    table["handle"] = ["@" + model.handle(i) for i in table["id"]]
    table["strategy"] = [model.strategy_names[model.strategy_id[i]] for i in table["id"]]
    table["followers"] = followers[table["id"].to_numpy()].astype(int)
    return table


WORDS = [
    {"x": 1.25, "y": -1.12, "text": "follows →"},
    {"x": -1.25, "y": -1.12, "text": "← followed by"},
    {"x": 0.0, "y": 1.25, "text": "mutual"},
]


def eye_template(names: list[str], height: int = 345) -> dict:
    """The chart's Vega-Lite spec without its data (named datasets ``ties``, ``nodes``):
    spokes from the centre, accounts as circles, the sides' labels. Built once per party and
    reused every frame, so a frame costs its data only."""
    colour = alt.Color(
        "strategy:N",
        scale=alt.Scale(domain=names, range=[strategy_colour(n, names) for n in names]),
        legend=alt.Legend(title=None, orient="bottom", columns=3),
    )
    xs, ys = alt.Scale(domain=[-1.5, 1.5]), alt.Scale(domain=[-1.25, 1.35])
    x, y = alt.X("x:Q", scale=xs, axis=None), alt.Y("y:Q", scale=ys, axis=None)
    spokes = (  # from the centre: fields, not a datum (a datum drew nothing in the browser)
        alt.Chart(alt.Data(name="ties"))
        .mark_rule(color="#90a4ae", opacity=0.5)
        .encode(
            x=alt.X("cx:Q", scale=xs, axis=None),
            y=alt.Y("cy:Q", scale=ys, axis=None),
            x2="x:Q",
            y2="y:Q",
        )  # fmt: skip
    )
    nodes = (
        alt.Chart(alt.Data(name="nodes"))
        .mark_circle(opacity=0.9, stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=colour,
            size=alt.Size("followers:Q", scale=alt.Scale(range=[20, 700]), legend=None),
            tooltip=["handle:N", "strategy:N", "followers:Q", "relation:N"],
        )
    )
    labels = (
        alt.Chart(alt.Data(values=WORDS))
        .mark_text(fontSize=14, color="#455a64")
        .encode(x=x, y=y, text="text:N")
    )
    return (spokes + nodes + labels).properties(height=height).to_dict()


def eye_spec(template: dict, table: pd.DataFrame) -> dict:
    """This frame's spec: the template and the table's rows as its datasets."""
    nodes = table.drop(columns="id")
    ties = nodes[nodes["relation"] != "this account"].assign(cx=0.0, cy=0.0)
    return {**template, "datasets": {**template.get("datasets", {}), "ties": ties,
                                     "nodes": nodes}}  # fmt: skip


def choices(model, pick: int | None) -> list[int]:
    """Accounts worth looking through: the most followed of each strategy, most followed
    first, then the story tab's pick (first)."""
    followers = model.follows.in_degree
    out = []
    for s in range(len(model.strategy_names)):
        mine = np.flatnonzero(model.strategy_id == s)
        if len(mine):
            out.append(int(mine[np.argmax(followers[mine])]))
    out.sort(key=lambda i: -int(followers[i]))
    if pick is not None and 0 <= pick < model.n and pick not in out:
        out.insert(0, int(pick))
    return out


def label(model, i: int) -> str:
    """An account in the chooser, without its follower count: the browser keeps the chosen
    entry's words from when it was chosen, so a count there froze while the party played
    and contradicted the caption under the chart (which gives the counts of this hour)."""
    strategy = model.strategy_names[model.strategy_id[i]]
    return f"@{model.handle(i)} ({strategy})"


def eye_view(ss) -> None:
    """The right column of the Live party tab for a large party."""
    model = ss.model
    options = choices(model, ss.get("story_pick"))
    current = ss.get("eye_account")
    if current is None or not 0 <= current < model.n:
        current = options[0]
    elif current not in options:  # keep the account chosen, whatever the ranking does
        options.insert(0, current)
    account = st.selectbox(
        "Whose view", options, index=options.index(current), key="eye_pick",
        format_func=lambda i: label(model, i),
        help="The most followed account of each strategy (and the account picked in Tell "
        "the story). The party is too large to draw whole: this is one account's view of it.",
    )  # fmt: skip
    ss.eye_account = account
    ties = sides(model, account)
    table = ego_table(model, account, ties=ties)
    n = {r: len(v) for r, v in ties.items()}
    names = list(model.strategy_names)
    if ss.get("eye_template_key") != names:  # the same party's strategies: the same template
        ss.eye_template = eye_template(names)
        ss.eye_template_key = names
    st.container(key="box_eye").vega_lite_chart(
        eye_spec(ss.eye_template, table), width="stretch", key="chart_eye"
    )
    st.caption(
        f"{label(model, account)} follows {n['follows'] + n['mutual']:,} and is followed by "
        f"{n['followed by'] + n['mutual']:,} ({n['mutual']:,} mutual); drawn: at most "
        f"{SAMPLE} of each side. {model.n:,} accounts are too many to draw whole."
    )
