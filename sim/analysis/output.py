"""Writing a run's results: tidy tables, the item table, the event log, the network, a figure.

Every column of every file is named in docs/DATA.md; the same tables come from Python via
:func:`run_tables`."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis import metrics  # noqa: E402
from sim.analysis.outdir import LARGE_RUN_ACCOUNTS, OutputClaim, write_dir  # noqa: E402
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


# the run's tables, by name; each built at most once per run by RunTables
TABLE_MAKERS = {
    "steps": metrics.tidy_steps,
    "accounts": metrics.account_table,
    "items": metrics.item_table,
    "events": event_table,
    "edges_start": metrics.start_edges_table,
}
# a large run's edge tables: account numbers only (the handles are in accounts.parquet; a
# handle per edge would be millions of strings)
EDGE_MAKERS = {
    "edge_numbers_start": lambda model: metrics.edge_numbers(
        model.edges_at_start // model.n, model.edges_at_start % model.n
    ),
    "edge_numbers_end": lambda model: metrics.edge_numbers(model.follows.src, model.follows.dst),
}


class RunTables(dict):
    """A run's tables (and its follower graph, ``"graph"``), each built when first asked for."""

    def __init__(self, model: PartyModel) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, name: str):
        if name == "graph":
            self[name] = to_networkx(self.model)
        else:
            self[name] = {**TABLE_MAKERS, **EDGE_MAKERS}[name](self.model)
        return self[name]


def run_tables(model: PartyModel) -> dict[str, pd.DataFrame]:
    """The run's tables as DataFrames, as ``write_outputs`` writes them: ``steps``,
    ``accounts``, ``items``, ``events`` and ``edges_start``."""
    tables = RunTables(model)
    return {name: tables[name] for name in TABLE_MAKERS}


@dataclass(frozen=True)
class RunFile:
    """One file of a run's results: ``partysim run --out`` writes it, the app offers it."""

    key: str  # the key in write_outputs' result
    name: str  # file name in the output directory
    label: str
    mime: str
    make: Callable[[RunTables], bytes]


def _csv(name: str) -> Callable[[RunTables], bytes]:
    return lambda tables: tables[name].to_csv(index=False).encode()


def _parquet(name: str) -> Callable[[RunTables], bytes]:
    def make(tables: RunTables) -> bytes:
        buf = io.BytesIO()
        tables[name].to_parquet(buf, index=False)
        return buf.getvalue()

    return make


def _graph(write) -> Callable[[RunTables], bytes]:
    def make(tables: RunTables) -> bytes:
        buf = io.BytesIO()
        write(tables["graph"], buf)
        return buf.getvalue()

    return make


def _followers_png(tables: RunTables) -> bytes:
    fig = followers_figure(tables.model, tables["steps"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


PARQUET = "application/vnd.apache.parquet"
RUN_FILES = (
    RunFile("steps_csv", "steps.csv", "Per-hour table (CSV)", "text/csv", _csv("steps")),
    RunFile(
        "steps_parquet", "steps.parquet", "Per-hour table (Parquet)", PARQUET, _parquet("steps")
    ),  # fmt: skip
    RunFile("accounts_csv", "accounts.csv", "Accounts (CSV)", "text/csv", _csv("accounts")),
    RunFile("items_csv", "items.csv", "Items (CSV)", "text/csv", _csv("items")),
    RunFile("items_parquet", "items.parquet", "Items (Parquet)", PARQUET, _parquet("items")),
    RunFile("events_csv", "events.csv", "Event log (CSV)", "text/csv", _csv("events")),
    RunFile(
        "edges_start_csv",
        "edges_start.csv",
        "Follow edges at the start (CSV)",
        "text/csv",
        _csv("edges_start"),
    ),  # fmt: skip
    RunFile(
        "graphml",
        "network.graphml",
        "Network (GraphML)",
        "application/xml",
        _graph(nx.write_graphml),
    ),  # fmt: skip
    RunFile("gexf", "network.gexf", "Network (GEXF)", "application/xml", _graph(nx.write_gexf)),
    RunFile("png", "followers.png", "Followers chart (PNG)", "image/png", _followers_png),
)


# From LARGE_RUN_ACCOUNTS (sim/analysis/outdir.py) ``--out`` writes LARGE_RUN_FILES instead of
# RUN_FILES (unless asked for every file): a network file of 100,000 nodes and millions of edges opens in no viewer
# and takes minutes and gigabytes to build, and the CSV copies double what Parquet holds.
LARGE_RUN_FILES = (
    next(f for f in RUN_FILES if f.key == "steps_parquet"),
    RunFile("accounts_parquet", "accounts.parquet", "Accounts (Parquet)", PARQUET,
            _parquet("accounts")),
    next(f for f in RUN_FILES if f.key == "items_parquet"),
    RunFile("events_parquet", "events.parquet", "Event log (Parquet)", PARQUET,
            _parquet("events")),
    RunFile("edges_start_parquet", "edges_start.parquet", "Follow edges at the start (Parquet)",
            PARQUET, _parquet("edge_numbers_start")),
    RunFile("edges_end_parquet", "edges_end.parquet", "Follow edges at the end (Parquet)",
            PARQUET, _parquet("edge_numbers_end")),
    next(f for f in RUN_FILES if f.key == "png"),
)  # fmt: skip


def files_for(n_accounts: int, all_files: bool = False) -> tuple[RunFile, ...]:
    """What ``--out`` writes for a run of ``n_accounts``: every file below
    LARGE_RUN_ACCOUNTS (or with ``all_files``), else the Parquet tables and the figure."""
    return RUN_FILES if all_files or n_accounts < LARGE_RUN_ACCOUNTS else LARGE_RUN_FILES


def large_run_note(n_accounts: int) -> str:
    """Why a large run's --out holds Parquet tables only (printed by ``partysim run``)."""
    names = ", ".join(f.name for f in LARGE_RUN_FILES)
    return (
        f"{n_accounts:,} accounts: --out writes {names}; not the CSV copies, GraphML or "
        f"GEXF (from {LARGE_RUN_ACCOUNTS:,} accounts a network file opens in no viewer and "
        "takes minutes and gigabytes to build); --all-files writes them too"
    )


def write_outputs(
    model: PartyModel, out: str | Path | OutputClaim, force: bool = False, all_files: bool = False
) -> dict[str, Path]:
    """Write what a run produced into ``out`` (the files of :func:`files_for` and the marker
    listing them); returns the files by kind.

    Atomic and owning what it deletes (:mod:`sim.analysis.outdir`): written beside ``out`` and
    renamed into place; a directory that is not empty is refused unless ``force`` (and then
    replaced only if its marker lists everything in it). ``out`` may be a directory claimed
    before the run (:class:`~sim.analysis.outdir.OutputClaim`)."""
    chosen = files_for(model.n, all_files)
    return write_dir(out, lambda tmp: _write_files(model, tmp, chosen), force)


def _write_files(model: PartyModel, out: Path, chosen=RUN_FILES) -> dict[str, Path]:
    tables = RunTables(model)
    files: dict[str, Path] = {}
    for f in chosen:
        files[f.key] = out / f.name
        files[f.key].write_bytes(f.make(tables))
    if model.read_log is not None:  # only when the run recorded it (--reads)
        files["reads_parquet"] = out / "reads.parquet"
        model.read_log.table().to_parquet(files["reads_parquet"], index=False)
    return files
