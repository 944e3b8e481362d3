"""Figures of a sweep's results: final outcome vs each swept parameter, outcome over time.

Every point is a mean over runs with a 95% confidence interval (Student t over the runs at
that value: replications x the other parameters' values, so an interval also carries the
spread over the parameters not on the axis). Files are written as PNG and SVG.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis.output import strategy_colour  # noqa: E402
from sim.config.params import unknown_key_message  # noqa: E402

MAX_EXACT_VALUES = 10  # more distinct values than this (a sampled design): quantile bins
N_BINS = 8


def mean_ci(values: pd.Series) -> pd.Series:
    """Mean and 95% t-interval of ``values`` (no interval from a single value)."""
    from scipy import stats

    n = int(values.count())
    mean = float(values.mean())
    half = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0
    return pd.Series({"mean": mean, "low": mean - half, "high": mean + half, "n": n})


def _axis_values(x: pd.Series) -> pd.Series:
    """Exact values, or the mean value of each quantile bin for a continuous sample."""
    if x.nunique() <= MAX_EXACT_VALUES:
        return x
    bins = pd.qcut(x, N_BINS, duplicates="drop")
    return x.groupby(bins, observed=True).transform("mean")


def outcome_vs_params_figure(summary: pd.DataFrame, params: list[str], metric: str):
    """One panel per swept parameter: final ``metric`` per strategy with 95% CIs."""
    strategies = sorted(summary["strategy"].unique())
    fig, axes = plt.subplots(
        1, len(params), figsize=(5.2 * len(params), 4.4), dpi=110, squeeze=False
    )
    for ax, param in zip(axes[0], params, strict=True):
        data = summary.assign(_x=_axis_values(summary[param]))
        stats = data.groupby(["strategy", "_x"])[metric].apply(mean_ci).unstack().reset_index()
        for s in strategies:
            part = stats[stats["strategy"] == s].sort_values("_x")
            colour = strategy_colour(s, strategies)
            ax.plot(part["_x"], part["mean"], marker="o", color=colour, label=s)
            ax.fill_between(part["_x"], part["low"], part["high"], color=colour, alpha=0.18)
        ax.set_xlabel(param + (" (binned)" if summary[param].nunique() > MAX_EXACT_VALUES else ""))
        ax.set_ylabel(f"{metric} at the end")
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8, frameon=False)
    n_runs = summary["run_id"].nunique()
    fig.suptitle(f"{metric} vs swept parameters: mean and 95% CI over {n_runs} runs")
    fig.tight_layout()
    return fig


def outcome_over_time_figure(steps: pd.DataFrame, metric: str, by: str | None = None):
    """``metric`` over hours per strategy (mean, 95% CI band); one panel per value of ``by``."""
    strategies = sorted(steps["strategy"].unique())
    panels = sorted(steps[by].unique()) if by else [None]
    fig, axes = plt.subplots(
        1, len(panels), figsize=(5.2 * len(panels), 4.4), dpi=110, squeeze=False, sharey=True
    )
    for ax, value in zip(axes[0], panels, strict=True):
        part = steps if by is None else steps[steps[by] == value]
        stats = part.groupby(["strategy", "step"])[metric].apply(mean_ci).unstack().reset_index()
        for s in strategies:
            line = stats[stats["strategy"] == s]
            colour = strategy_colour(s, strategies)
            ax.plot(line["step"], line["mean"], color=colour, label=s)
            ax.fill_between(line["step"], line["low"], line["high"], color=colour, alpha=0.18)
        ax.set_title(f"{by} = {value}" if by else "all runs", fontsize=10)
        ax.set_xlabel("hour")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(metric)
    axes[0][0].legend(fontsize=8, frameon=False)
    fig.suptitle(f"{metric} over time: mean and 95% CI band over runs")
    fig.tight_layout()
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
        grid = list(settings["sweep"].get("grid", {}))
        by = grid[0] if grid and steps[grid[0]].nunique() <= 6 else None
        figures[f"{metric}_over_time"] = outcome_over_time_figure(steps, metric, by)
    files = []
    for name, fig in figures.items():
        for ext in ("png", "svg"):
            files.append(target / f"{name}.{ext}")
            fig.savefig(files[-1])
        plt.close(fig)
    return files
