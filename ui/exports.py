"""Downloadable files of the current party, built only when a button is pressed."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import networkx as nx

from sim.analysis import metrics
from sim.analysis.output import event_table, followers_figure
from sim.engine.network import to_networkx
from ui.network import figure_png, network_figure


def steps_csv(model) -> bytes:
    return metrics.tidy_steps(model).to_csv(index=False).encode()


def accounts_csv(model) -> bytes:
    return metrics.account_table(model).to_csv(index=False).encode()


def events_csv(model) -> bytes:
    return event_table(model).to_csv(index=False).encode()


def graphml(model) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(to_networkx(model), buf)
    return buf.getvalue()


def gexf(model) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(to_networkx(model), buf)
    return buf.getvalue()


def followers_png(model) -> bytes:
    fig = followers_figure(model)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def network_png(model, layout) -> bytes:
    return figure_png(network_figure(model, layout))


def export_list(model, layout) -> list[tuple[str, str, str, object]]:
    """(label, file name, mime type, function returning the bytes)."""
    stem = f"{model.spec.name}-seed{model.seed}-h{model.steps}"
    return [
        ("Per-step table (CSV)", f"{stem}-steps.csv", "text/csv", lambda: steps_csv(model)),
        ("Event log (CSV)", f"{stem}-events.csv", "text/csv", lambda: events_csv(model)),
        ("Accounts (CSV)", f"{stem}-accounts.csv", "text/csv", lambda: accounts_csv(model)),
        ("Network (GraphML)", f"{stem}.graphml", "application/xml", lambda: graphml(model)),
        ("Network (GEXF)", f"{stem}.gexf", "application/xml", lambda: gexf(model)),
        (
            "Followers chart (PNG)",
            f"{stem}-followers.png",
            "image/png",
            lambda: followers_png(model),
        ),  # fmt: skip
        (
            "Network picture (PNG)",
            f"{stem}-network.png",
            "image/png",
            lambda: network_png(model, layout),
        ),  # fmt: skip
    ]
