"""The picture of the party: accounts clustered by their main room, coloured by strategy,
sized by followers. The layout is computed once per party and reused every frame.

Live, the picture is a Vega-Lite chart drawn by the browser (ui/network_live.py); this
matplotlib figure is the PNG export.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from sim.analysis.palette import strategy_colour  # noqa: E402

MAX_EDGES_DRAWN = 2_500
GOLDEN = np.pi * (3 - np.sqrt(5))


def room_layout(model) -> dict[str, np.ndarray]:
    """Positions: one disc per main room (sunflower pattern, best-followed in the middle),
    discs on a ring. Deterministic for a given party."""
    main = np.asarray(model.interests[:, 0], dtype=np.int64)
    rooms = np.unique(main)
    sizes = np.array([(main == r).sum() for r in rooms])
    radii = np.sqrt(sizes) * 1.0
    ring = max(radii.sum() * 1.6 / np.pi, radii.max() * 1.5) if len(rooms) > 1 else 0.0
    angle = np.cumsum(radii) - radii / 2
    angle = 2 * np.pi * angle / radii.sum()
    centres = np.stack([ring * np.cos(angle), ring * np.sin(angle)], axis=1)
    pos = np.zeros((model.n, 2))
    start = np.asarray(model.followers_at_start)
    for r, centre in zip(rooms, centres, strict=True):
        members = np.flatnonzero(main == r)
        members = members[np.argsort(-start[members], kind="stable")]
        k = np.arange(len(members))
        rad = np.sqrt(k + 0.5)
        pos[members] = centre + np.stack([rad * np.cos(k * GOLDEN), rad * np.sin(k * GOLDEN)], 1)
    return {"pos": pos, "rooms": rooms, "centres": centres, "radii": radii}


def _edge_sample(src: np.ndarray, dst: np.ndarray, limit: int = MAX_EDGES_DRAWN) -> np.ndarray:
    """A stable subset of edges (the same edge is kept frame after frame)."""
    m = len(src)
    if m <= limit:
        return np.arange(m)
    keep_every = int(np.ceil(m / limit))
    h = (src.astype(np.uint64) * np.uint64(2654435761) + dst.astype(np.uint64)) % np.uint64(
        keep_every
    )
    return np.flatnonzero(h == 0)


def network_figure(model, layout: dict[str, np.ndarray], highlight: int | None = None):
    """The follower network now, as a matplotlib Figure."""
    pos = layout["pos"]
    fig, ax = plt.subplots(figsize=(12, 8.5), dpi=90)
    src, dst = model.follows.src, model.follows.dst
    idx = _edge_sample(src, dst)
    segs = np.stack([pos[src[idx]], pos[dst[idx]]], axis=1)
    ax.add_collection(LineCollection(segs, colors="#90a4ae", linewidths=0.4, alpha=0.25))
    followers = np.asarray(model.follows.in_degree, dtype=float)
    size = 12 + 500 * np.sqrt(followers / max(followers.max(), 1.0))
    names = model.strategy_names
    colours = np.array([strategy_colour(n, names) for n in names])[model.strategy_id]
    order = np.argsort(followers)  # big nodes on top
    ax.scatter(
        pos[order, 0], pos[order, 1], s=size[order], c=colours[order], alpha=0.85,
        edgecolors="white", linewidths=0.6,
    )  # fmt: skip
    if highlight is not None and 0 <= highlight < model.n:
        ax.scatter(*pos[highlight], s=size[highlight] + 400, facecolors="none",
                   edgecolors="black", linewidths=3)  # fmt: skip
        ax.annotate("@" + model.handle(highlight), pos[highlight], xytext=(12, 12),
                    textcoords="offset points", fontsize=16, weight="bold")  # fmt: skip
    for r, centre, radius in zip(layout["rooms"], layout["centres"], layout["radii"], strict=True):
        norm = np.hypot(*centre)
        out = centre / norm if norm > 0 else np.array([0.0, 1.0])
        where = centre + out * (radius + 3.0)
        ax.text(where[0], where[1], model.room_name(int(r)), ha="center", va="center",
                fontsize=16, color="#263238", weight="bold",
                bbox={"fc": "white", "ec": "none", "alpha": 0.75, "pad": 1})  # fmt: skip
    handles = [
        Line2D([], [], marker="o", ls="", ms=13, color=strategy_colour(n, names), label=n)
        for n in names
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=15,
              frameon=False, title="strategy", title_fontsize=15)  # fmt: skip
    ax.set_title(
        f"hour {model.steps}: {model.n} accounts, {len(model.follows):,} follows "
        f"(node size = followers; clusters = main room)",
        fontsize=15,
    )
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.margins(0.06)
    ax.axis("off")
    fig.tight_layout()
    return fig


def figure_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
