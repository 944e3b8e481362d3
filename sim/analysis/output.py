"""Writing a run's results: tidy tables, the item table, the event log, the network, a figure.

Every column of every file is named in docs/DATA.md; the same tables come from Python via
:func:`run_tables`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis import metrics  # noqa: E402
from sim.analysis.outdir import write_dir  # noqa: E402
from sim.analysis.palette import STRATEGY_COLOURS, strategy_colour  # noqa: E402, F401
from sim.engine.events import to_frame  # noqa: E402
from sim.engine.network import to_networkx  # noqa: E402

if TYPE_CHECKING:
    from sim.engine.model import PartyModel


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


def run_tables(model: PartyModel) -> dict[str, pd.DataFrame]:
    """The run's tables as DataFrames, as ``write_outputs`` writes them: ``steps``,
    ``accounts``, ``items`` and ``events``."""
    return {
        "steps": metrics.tidy_steps(model),
        "accounts": metrics.account_table(model),
        "items": metrics.item_table(model),
        "events": event_table(model),
    }


def write_outputs(model: PartyModel, out: str | Path, force: bool = False) -> dict[str, Path]:
    """Write everything a run produced into ``out``; returns the files by kind.

    Atomic (:mod:`sim.analysis.outdir`): written beside ``out`` and renamed into place; a directory
    that is not empty is refused unless ``force`` (and then replaced only if it holds a
    previous run's files and nothing else)."""
    return write_dir(out, lambda tmp: _write_files(model, tmp), force)


def _write_files(model: PartyModel, out: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    tables = run_tables(model)
    for name, table in tables.items():  # every table as CSV; steps and items also as Parquet
        files[f"{name}_csv"] = out / f"{name}.csv"
        table.to_csv(files[f"{name}_csv"], index=False)
        if name in ("steps", "items"):
            files[f"{name}_parquet"] = out / f"{name}.parquet"
            table.to_parquet(files[f"{name}_parquet"], index=False)
    graph = to_networkx(model)
    files["graphml"] = out / "network.graphml"
    nx.write_graphml(graph, files["graphml"])
    files["gexf"] = out / "network.gexf"
    nx.write_gexf(graph, files["gexf"])
    fig = followers_figure(model, tables["steps"])
    files["png"] = out / "followers.png"
    fig.savefig(files["png"])
    plt.close(fig)
    return files
