"""Downloadable files of the current party, built only when a button is pressed: the files
``partysim run --out`` writes (sim.analysis.output.RUN_FILES), and the network picture."""

from __future__ import annotations

from functools import partial

from sim.analysis.output import RUN_FILES, RunTables
from ui.network import figure_png, network_figure


def export_list(model, layout) -> list[tuple[str, str, str, object]]:
    """(label, file name, mime type, function returning the bytes)."""
    stem = f"{model.spec.name}-seed{model.seed}-h{model.steps}"
    tables = RunTables(model)
    files = [(f.label, f"{stem}-{f.name}", f.mime, partial(f.make, tables)) for f in RUN_FILES]
    picture = lambda: figure_png(network_figure(model, layout))  # noqa: E731
    return [*files, ("Network picture (PNG)", f"{stem}-network.png", "image/png", picture)]
