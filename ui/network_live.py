"""The live network picture as a Vega-Lite chart (drawn client-side by the browser).

Positions come from ``ui.network.room_layout`` (computed once per party). Each frame carries
node areas (in proportion to followers, against the party's current top account), a
stable sample of follow edges, and the follows, unfollows and blocks of the last few hours
in a visual language of their own (sim.analysis.palette.EVENT_COLOURS, colours no strategy
uses, and ``EVENT_STYLES``: a line style from actor to target and a symbol on the account
hit), with a legend, so the network visibly changes while the party plays.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from sim.analysis.palette import EVENT_COLOURS, strategy_colour
from sim.engine.reasons import EVENT_KINDS, EVENT_NAMES
from ui.network import _edge_sample

MAX_LIVE_EDGES = 350  # grey background edges per frame (a stable sample; fewer = a freer page)
MAX_FLASH_EDGES = 200  # highlighted recent changes per frame
MIN_NODE_AREA, MAX_NODE_AREA = 14.0, 1100.0  # px^2 at up to 600 accounts
FLASH_COLOURS = EVENT_COLOURS
# per event kind (declared in sim/engine/reasons.py): (line dash, symbol on the account hit,
# words in the legend)
EVENT_STYLES = {
    k.name: (list(k.dash), k.marker, f"{k.name}: {k.line}, {k.marker.split('-')[0]}")
    for k in EVENT_KINDS
}
ASPECT = 1.45  # width / height of the drawing area
FONT = 16


def frame_box(layout: dict[str, np.ndarray]) -> tuple[list[float], list[float]]:
    """x and y domains that hold every account and every room label, padded to ASPECT."""
    pos = layout["pos"]
    xs, ys = [pos[:, 0]], [pos[:, 1]]
    for (x, y), _ in label_positions(layout):
        xs.append(np.array([x - 6, x + 6]))
        ys.append(np.array([y - 1.5, y + 1.5]))
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    x0, x1, y0, y1 = x.min() - 2, x.max() + 2, y.min() - 2, y.max() + 2
    w, h = x1 - x0, y1 - y0
    if w / h < ASPECT:
        grow = (h * ASPECT - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / ASPECT - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    return [float(x0), float(x1)], [float(y0), float(y1)]


def label_positions(layout) -> list[tuple[np.ndarray, int]]:
    """Where each room's name goes: just outside its disc, away from the ring's centre."""
    out = []
    for r, centre, radius in zip(layout["rooms"], layout["centres"], layout["radii"], strict=True):
        norm = np.hypot(*centre)
        away = centre / norm if norm > 0 else np.array([0.0, 1.0])
        out.append((centre + away * (radius + 4.0), int(r)))
    return out


def node_sizes(followers: np.ndarray, n: int) -> np.ndarray:
    """Disc areas (px^2) in proportion to followers, the party's best-followed account
    drawn at MAX_NODE_AREA: as the hubs pull ahead they grow and the rest shrink, so the
    week's winners stand out (a square-root scale barely changed over a week)."""
    scale = min(1.0, 600 / max(n, 1))  # crowded pictures: smaller discs
    top = max(float(followers.max(initial=0.0)), 1.0)
    return (MIN_NODE_AREA + (MAX_NODE_AREA - MIN_NODE_AREA) * followers / top) * scale


def node_table(model, pos: np.ndarray) -> pd.DataFrame:
    followers = np.asarray(model.follows.in_degree, dtype=float)
    names = model.strategy_names
    return pd.DataFrame(
        {
            "x": pos[:, 0].round(2),
            "y": pos[:, 1].round(2),
            "size": node_sizes(followers, model.n).round(1),
            "followers": followers.astype(int),
            "strategy": np.asarray(names, dtype=object)[model.strategy_id],
            "handle": ["@" + model.handle(i) for i in range(model.n)],
        }
    ).sort_values("followers", kind="stable")  # big nodes drawn last, on top


def edge_table(model, pos: np.ndarray) -> pd.DataFrame:
    src, dst = model.follows.src, model.follows.dst
    idx = _edge_sample(src, dst, MAX_LIVE_EDGES)
    a, b = pos[src[idx]], pos[dst[idx]]
    return pd.DataFrame({"x": a[:, 0], "y": a[:, 1], "x2": b[:, 0], "y2": b[:, 1]}).round(2)


def flash_table(model, pos: np.ndarray, hours: int) -> pd.DataFrame:
    """Follows, unfollows and blocks of the last ``hours`` hours (newest first, bounded)."""
    cols = model.events.columns()
    recent = np.flatnonzero(cols["step"] > model.steps - hours)[::-1][:MAX_FLASH_EDGES]
    actor, target = cols["actor"][recent].astype(int), cols["target"][recent].astype(int)
    a, b = pos[actor], pos[target]
    kind = np.asarray(EVENT_NAMES, dtype=object)[cols["event"][recent].astype(int)]
    return pd.DataFrame(
        {"x": a[:, 0], "y": a[:, 1], "x2": b[:, 0], "y2": b[:, 1], "change": kind}
    ).round(2)


def network_data(model, layout, flash_hours: int = 6) -> dict[str, pd.DataFrame]:
    """What changes frame by frame: node sizes, the edge sample, the recent changes."""
    pos = layout["pos"]
    return {
        "nodes": node_table(model, pos),
        "edges": edge_table(model, pos),
        "flash": flash_table(model, pos, flash_hours),
    }


def network_spec(
    model, layout, highlight: int | None = None, flash_hours: int = 6, height: int = 470
) -> dict:
    """The chart's Vega-Lite spec without its data (named datasets ``nodes``, ``edges``,
    ``flash``): built once per party and mark, reused every frame, so the browser only
    receives new data and updates the view in place."""
    pos = layout["pos"]
    xdom, ydom = frame_box(layout)
    xscale = alt.Scale(domain=xdom, nice=False, zero=False)
    yscale = alt.Scale(domain=ydom, nice=False, zero=False)
    x, y = alt.X("x:Q", scale=xscale, axis=None), alt.Y("y:Q", scale=yscale, axis=None)
    names = list(model.strategy_names)
    colour = alt.Color(
        "strategy:N",
        scale=alt.Scale(domain=names, range=[strategy_colour(n, names) for n in names]),
        legend=alt.Legend(title=None, orient="bottom", columns=3, symbolSize=260),
    )
    edges = (
        alt.Chart(alt.Data(name="edges"))
        .mark_rule(color="#90a4ae", opacity=0.25, strokeWidth=0.6)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    kinds = list(EVENT_NAMES)
    words = [EVENT_STYLES[k][2] for k in kinds]
    # one legend for the events: colour and dash share a title (and so merge); a symbol
    # layer of its own has none (two legends that disagree made Vega warn and drop it)
    event_legend = alt.Legend(
        title=f"last {flash_hours} h:",
        orient="bottom",
        columns=1,
        labelLimit=0,
        labelExpr=_label_expr(kinds, words),
        symbolSize=500,
        symbolStrokeWidth=3,
    )
    event_colour = alt.Color(
        "change:N",
        scale=alt.Scale(domain=kinds, range=[FLASH_COLOURS[k] for k in kinds]),
        legend=event_legend,
    )
    flash = (
        alt.Chart(alt.Data(name="flash"))
        .mark_rule(opacity=0.9, strokeWidth=2.6)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeDash=alt.StrokeDash(
                "change:N",
                scale=alt.Scale(domain=kinds, range=[EVENT_STYLES[k][0] for k in kinds]),
                legend=event_legend,
            ),
            color=event_colour,
        )
    )
    nodes = (
        alt.Chart(alt.Data(name="nodes"))
        .mark_circle(opacity=0.88, stroke="white", strokeWidth=0.6)
        .encode(
            x=x,
            y=y,
            size=alt.Size("size:Q", scale=None),
            color=colour,
            tooltip=["handle:N", "strategy:N", "followers:Q"],
        )
    )
    rings = (  # the account that was just followed, unfollowed or blocked
        alt.Chart(alt.Data(name="flash"))
        .mark_point(filled=False, size=280, strokeWidth=2.4, opacity=0.95)
        .encode(
            x=alt.X("x2:Q", scale=xscale, axis=None),
            y=alt.Y("y2:Q", scale=yscale, axis=None),
            shape=alt.Shape(
                "change:N",
                scale=alt.Scale(domain=kinds, range=[EVENT_STYLES[k][1] for k in kinds]),
                legend=None,
            ),
            color=alt.Color(
                "change:N",
                scale=alt.Scale(domain=kinds, range=[FLASH_COLOURS[k] for k in kinds]),
                legend=None,
            ),
        )
    )
    labels = pd.DataFrame(
        [{"x": p[0], "y": p[1], "room": model.room_name(r)} for p, r in label_positions(layout)]
    )
    rooms = (
        alt.Chart(labels)
        .mark_text(fontSize=FONT + 1, fontWeight="bold", color="#263238")
        .encode(x=x, y=y, text="room:N")
    )
    layers = [edges, flash, nodes, rings, rooms]
    if highlight is not None and 0 <= highlight < model.n:
        mark = pd.DataFrame({"x": [pos[highlight, 0]], "y": [pos[highlight, 1]],
                             "label": ["@" + model.handle(highlight)]})  # fmt: skip
        layers.append(
            alt.Chart(mark)
            .mark_point(size=900, strokeWidth=3.5, color="black", filled=False)
            .encode(x=x, y=y)
        )
        layers.append(
            alt.Chart(mark)
            .mark_text(dx=16, dy=-16, align="left", fontSize=FONT + 3, fontWeight="bold")
            .encode(x=x, y=y, text="label:N")
        )
    title = "The follower network (area = followers; lines and symbols = what just happened)"
    chart = (
        alt.layer(*layers, title=alt.Title(title, fontSize=FONT + 1, anchor="start"))
        .properties(height=height)
        .resolve_scale(color="independent", strokeDash="independent", shape="independent")
        .configure_view(stroke=None)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT)
    )
    spec = chart.to_dict(validate=False)
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}  # height = the drawing's
    return spec


def _label_expr(kinds: list[str], words: list[str]) -> str:
    """A Vega expression that shows ``words`` for the legend's values ``kinds``."""
    cases = " : ".join(f"datum.label == '{k}' ? '{w}'" for k, w in zip(kinds, words, strict=True))
    return f"{cases} : datum.label"


def network_chart(model, layout, highlight: int | None = None, flash_hours: int = 6) -> dict:
    """A complete spec (template plus this frame's data), for tests and one-off use."""
    spec = network_spec(model, layout, highlight, flash_hours)
    return {**spec, "datasets": {**spec.get("datasets", {}), **network_data(model, layout)}}
