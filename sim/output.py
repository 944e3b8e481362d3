"""Writing a run's results: tidy tables, the event log, the network, a figure."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402

from sim import metrics  # noqa: E402
from sim.events import to_frame  # noqa: E402
from sim.network import to_networkx  # noqa: E402
from sim.palette import STRATEGY_COLOURS, strategy_colour  # noqa: E402, F401

if TYPE_CHECKING:
    from sim.model import PartyModel


def event_table(model: PartyModel) -> pd.DataFrame:
    """The event log with handles and reasons in words."""
    return to_frame(model.events, model.handle, model.room_name)


def followers_figure(model: PartyModel, table: pd.DataFrame | None = None):
    """Mean followers per account of each strategy over time (a matplotlib Figure)."""
    table = metrics.tidy_steps(model) if table is None else table
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    for name, part in table.groupby("strategy"):
        ax.plot(
            part["step"],
            part["followers_mean"],
            lw=2.2,
            label=name,
            color=strategy_colour(name, model.strategy_names),
        )
    ax.set_xlabel("hour")
    ax.set_ylabel("mean followers per account")
    ax.set_title(f"{model.spec.name}: followers per strategy (seed {model.seed})")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, ncol=2)
    fig.tight_layout()
    return fig


def write_outputs(model: PartyModel, out: str | Path) -> dict[str, Path]:
    """Write everything a run produced into ``out``; returns the files by kind."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    steps = metrics.tidy_steps(model)
    files["steps_csv"] = out / "steps.csv"
    steps.to_csv(files["steps_csv"], index=False)
    files["steps_parquet"] = out / "steps.parquet"
    steps.to_parquet(files["steps_parquet"], index=False)
    files["accounts_csv"] = out / "accounts.csv"
    metrics.account_table(model).to_csv(files["accounts_csv"], index=False)
    files["events_csv"] = out / "events.csv"
    event_table(model).to_csv(files["events_csv"], index=False)
    graph = to_networkx(model)
    files["graphml"] = out / "network.graphml"
    nx.write_graphml(graph, files["graphml"])
    files["gexf"] = out / "network.gexf"
    nx.write_gexf(graph, files["gexf"])
    fig = followers_figure(model, steps)
    files["png"] = out / "followers.png"
    fig.savefig(files["png"])
    plt.close(fig)
    return files
