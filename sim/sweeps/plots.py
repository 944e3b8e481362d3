"""Figures of a sweep's results: final outcome vs each swept parameter, outcome over time.

Every point is a mean over runs with a 95% confidence interval (Student t over the runs at
that value, cut at the range the outcome can take). Runs are never pooled over a factor
that can be told apart: the other swept parameters' values get panels of their own (up to
:data:`MAX_FACETS` combinations; beyond that, e.g. for a sampled design, the panel says which
parameters it pools over, and its interval then carries their spread too). The legend sits
beside the panels, never over the lines. Files are written as PNG and SVG.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis.metrics import value_range  # noqa: E402
from sim.analysis.output import strategy_colour  # noqa: E402
from sim.analysis.stats import ANY, FEW_REPS, interval  # noqa: E402
from sim.config.params import unknown_key_message  # noqa: E402

MAX_EXACT_VALUES = 10  # more distinct values than this (a sampled design): quantile bins
N_BINS = 8
MAX_FACETS = 9  # panels for the other factors' combinations (a 3 x 3 grid); more: pooled


def mean_ci(values: pd.Series, bounds=ANY) -> pd.Series:
    """Mean and 95% t-interval of ``values`` cut at ``bounds`` (no interval from one value)."""
    mean, low, high = interval(values, bounds=bounds)
    return pd.Series({"mean": mean, "low": low, "high": high, "n": int(values.count())})


def _axis_values(x: pd.Series) -> pd.Series:
    """Exact values, or the mean value of each quantile bin for a continuous sample."""
    if x.nunique() <= MAX_EXACT_VALUES:
        return x
    bins = pd.qcut(x, N_BINS, duplicates="drop")
    return x.groupby(bins, observed=True).transform("mean")


def facets(data: pd.DataFrame, factors: list[str], x: str | None = None):
    """(factors, their value combinations in ``data``): one panel per combination when
    there are at most :data:`MAX_FACETS` and each panel still has two or more values of
    ``x`` to draw a line through; else the first single factor that does; else
    ``([], [()])``, one panel pooled over every factor (e.g. a Latin hypercube sample)."""
    factors = [f for f in factors if f in data]
    for subset in [factors] + [[f] for f in factors] * (len(factors) > 1):
        combos = sorted(data[subset].drop_duplicates().itertuples(index=False, name=None))
        spread = x is None or data.groupby(subset)[x].nunique().min() > 1
        if subset and len(combos) <= MAX_FACETS and spread:
            return subset, combos
    return [], [()]


def _select(data: pd.DataFrame, factors: list[str], combo: tuple) -> pd.DataFrame:
    keep = pd.Series(True, index=data.index)
    for f, v in zip(factors, combo, strict=True):
        keep &= data[f] == v
    return data[keep]


def _title(factors: list[str], combo: tuple, pooled: list[str]) -> str:
    words = ", ".join(f"{f} = {v:g}" if isinstance(v, float) else f"{f} = {v}"
                      for f, v in zip(factors, combo, strict=True))  # fmt: skip
    if pooled:
        words += ("; " if words else "") + "pooled over " + ", ".join(pooled)
    return words or "all runs"


def _draw(ax, data: pd.DataFrame, x: str, metric: str, strategies: list[str], **line) -> int:
    """Per strategy: the mean of ``metric`` against ``x`` and its 95% band; returns the
    fewest runs behind a point."""
    bounds = value_range(metric)
    stats = data.groupby(["strategy", x])[metric].apply(mean_ci, bounds=bounds).unstack()
    stats = stats.reset_index().sort_values(x)
    for s in strategies:
        part = stats[stats["strategy"] == s]
        colour = strategy_colour(s, strategies)
        ax.plot(part[x], part["mean"], color=colour, label=s, **line)
        ax.fill_between(part[x], part["low"], part["high"], color=colour, alpha=0.18)
    ax.grid(alpha=0.3)
    return int(stats["n"].min())


def _suptitle(fig, text: str, fewest_runs: int) -> None:
    runs = f"{fewest_runs} run" + ("" if fewest_runs == 1 else "s")
    few = f" (rough: {runs} per point, fewer than {FEW_REPS})"
    fig.suptitle(text + (few if fewest_runs < FEW_REPS else ""))


def _legend_beside(fig, axes) -> None:
    """One legend for the figure, right of the panels (never over the lines)."""
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center", fontsize=8, frameon=False)


def outcome_vs_params_figure(summary: pd.DataFrame, params: list[str], metric: str):
    """One row of panels per swept parameter (final ``metric`` per strategy with 95% CIs
    against it), one panel per combination of the other parameters' values."""
    strategies = sorted(summary["strategy"].unique())
    rows = []
    for param in params:
        others = [q for q in params if q != param]
        factors, combos = facets(summary, others, x=param)
        rows.append((param, factors, combos, [q for q in others if q not in factors]))
    ncols = max(len(combos) for _, _, combos, _ in rows)
    fig, axes = plt.subplots(len(rows), ncols, figsize=(4.2 * ncols + 1.8, 3.5 * len(rows) + 0.7),
                             dpi=110, squeeze=False, layout="constrained")  # fmt: skip
    fewest = len(summary)
    for i, (param, factors, combos, pooled) in enumerate(rows):
        binned = summary[param].nunique() > MAX_EXACT_VALUES
        data = summary.assign(_x=_axis_values(summary[param]))
        for j, combo in enumerate(combos):
            ax = axes[i][j]
            part = _select(data, factors, combo)
            fewest = min(fewest, _draw(ax, part, "_x", metric, strategies, marker="o"))
            ax.set_title(_title(factors, combo, pooled), fontsize=9)
            ax.set_xlabel(param + (" (binned)" if binned else ""))
            if not binned:
                ax.set_xticks(sorted(part["_x"].unique()))
        axes[i][0].set_ylabel(f"{metric} at the end")
        for ax in axes[i][len(combos) :]:
            ax.set_visible(False)
    _legend_beside(fig, axes)
    _suptitle(fig, f"{metric} vs swept parameters: mean and 95% CI over replications", fewest)
    return fig


def outcome_over_time_figure(steps: pd.DataFrame, metric: str, by: list[str] | str | None = None):
    """``metric`` over hours per strategy (mean, 95% CI band); one panel per combination of
    the ``by`` parameters' values (one of them alone if the combinations are too many)."""
    by = [by] if isinstance(by, str) else list(by or [])
    factors, combos = facets(steps, by)
    pooled = [f for f in by if f not in factors]
    ncols = steps[factors[-1]].nunique() if len(factors) == 2 else min(len(combos), 3)
    nrows = math.ceil(len(combos) / ncols)
    strategies = sorted(steps["strategy"].unique())
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols + 1.8, 3.3 * nrows + 0.7),
                             dpi=110, squeeze=False, sharey=True, layout="constrained")  # fmt: skip
    fewest = len(steps)
    for ax, combo in zip(axes.flat, combos, strict=False):
        fewest = min(fewest, _draw(ax, _select(steps, factors, combo), "step", metric, strategies))
        ax.set_title(_title(factors, combo, pooled), fontsize=9)
        ax.set_xlabel("hour")
    for ax in axes.flat[len(combos) :]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel(metric)
    _legend_beside(fig, axes)
    _suptitle(fig, f"{metric} over time: mean and 95% CI band over replications", fewest)
    return fig


def plot_sweep(
    results_dir: str | os.PathLike,
    out: str | os.PathLike | None = None,
    metric: str = "followers_mean",
) -> list[Path]:
    """Write the sweep's figures (PNG and SVG) into ``out`` (default RESULTS_DIR/figures)."""
    from sim.sweeps import SweepError, read_results
    from sim.sweeps.store import read_settings

    results = Path(results_dir)
    settings = read_settings(results)  # a missing or corrupt sweep.json: a clear error
    target = Path(out) if out else results / "figures"
    if target.exists() and not target.is_dir():
        raise SweepError(f"--out {target}: a file of that name exists; --out takes a directory")
    summary = read_results(results)
    if summary.empty:
        raise SweepError(f"{results}: no finished runs to plot")
    params = settings["params"]
    metrics = [
        c
        for c in summary.columns
        if c not in {*params, "point", "rep", "seed", "steps"}
        and pd.api.types.is_numeric_dtype(summary[c])
    ]
    if metric not in metrics:
        raise SweepError(unknown_key_message(metric, metrics, "--metric", "outcome"))
    target.mkdir(parents=True, exist_ok=True)
    figures = {f"{metric}_vs_params": outcome_vs_params_figure(summary, params, metric)}
    steps = read_results(results, "steps")
    if metric in steps:
        by = list(settings["sweep"].get("grid", {})) or params
        figures[f"{metric}_over_time"] = outcome_over_time_figure(steps, metric, by)
    files = []
    for name, fig in figures.items():
        for ext in ("png", "svg"):
            files.append(target / f"{name}.{ext}")
            fig.savefig(files[-1])
        plt.close(fig)
    return files
