"""Compare two variants over seeded replications with common random numbers.

Both variants run with the same seeds (from ``numpy.random.SeedSequence(root).spawn(reps)``),
serially in this process: the app never starts process pools. Differences are paired by seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from scipy import stats

from sim.analysis import metrics
from sim.analysis.check import interval
from sim.config.scenarios import loads
from sim.engine.model import PartyModel

LEVEL = 0.95


def run_one(toml_text: str, seed: int, steps: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One replication: per-step table and final per-account table."""
    model = PartyModel(loads(toml_text, "<compare>"), seed=seed, steps=steps)
    model.run()
    return metrics.tidy_steps(model), metrics.account_table(model)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_run(toml_text: str, seed: int, steps: int):
    """Replications are pure functions of (scenario, seed, steps): safe to share."""
    return run_one(toml_text, seed, steps)


def run_comparison(variants: dict[str, str], seeds: list[int], steps: int, progress=None):
    """Run every variant (label -> TOML text) for every seed; tidy tables with a variant
    column. ``progress(done, total)`` is called after each run."""
    step_rows, account_rows = [], []
    total, done = len(variants) * len(seeds), 0
    for label, text in variants.items():
        for seed in seeds:
            steps_table, accounts = cached_run(text, seed, steps)
            step_rows.append(steps_table.assign(variant=label))
            account_rows.append(accounts.assign(variant=label))
            done += 1
            if progress is not None:
                progress(done, total)
    return pd.concat(step_rows, ignore_index=True), pd.concat(account_rows, ignore_index=True)


def outcome(steps_table: pd.DataFrame, metric: str) -> pd.Series:
    if metric == "followers_mean":
        return steps_table[metric]
    return steps_table[metric] / steps_table["accounts"].clip(lower=1)


def bands(steps_table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean and 95% band over replications per variant, strategy and step."""
    data = steps_table.assign(value=outcome(steps_table, metric))
    grouped = data.groupby(["variant", "strategy", "step"])["value"]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    tcrit = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(out["count"] - 1, 1))
    half = np.where(out["count"] > 1, tcrit * out["std"].fillna(0) / np.sqrt(out["count"]), 0)
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def final_table(steps_table: pd.DataFrame, metric: str, labels: list[str]) -> pd.DataFrame:
    """Per strategy: each variant's final mean with its interval, and the paired difference."""
    last = steps_table[steps_table["step"] == steps_table["step"].max()]
    last = last.assign(value=outcome(last, metric))
    wide = last.pivot_table(index=["strategy", "seed"], columns="variant", values="value")
    rows = []
    a, b = labels
    for strategy, part in wide.groupby(level="strategy"):
        row: dict = {"strategy": strategy}
        for label in labels:
            if label in part and part[label].notna().all():
                m, lo, hi = interval(part[label].to_numpy())
                row[label] = f"{m:.2f} [{lo:.2f}, {hi:.2f}]"
        if a in part and b in part and part[[a, b]].notna().all().all():
            m, lo, hi = interval((part[b] - part[a]).to_numpy())
            row.update({"difference": m, "diff_low": lo, "diff_high": hi})
        rows.append(row)
    return pd.DataFrame(rows)


def verdicts(table: pd.DataFrame, labels: list[str], what: str) -> list[str]:
    """Plain words, only where the 95% interval of the paired difference excludes zero."""
    a, b = labels
    out = []
    if "difference" not in table:
        return out
    for row in table.dropna(subset=["diff_low", "diff_high"]).itertuples():
        if row.diff_low > 0 or row.diff_high < 0:
            more = "more" if row.difference > 0 else "fewer"
            out.append(
                f"**{row.strategy}**: {b} ends with {abs(row.difference):.2f} {more} {what} "
                f"than {a} (95% interval of the paired difference: {row.diff_low:.2f} to "
                f"{row.diff_high:.2f})."
            )
    return out


def ghosts(accounts: pd.DataFrame) -> pd.DataFrame:
    """Share of accounts per strategy and variant that gained no follower at all."""
    flag = accounts.assign(ghost=accounts["followers_gained"] == 0)
    table = flag.groupby(["strategy", "variant"])["ghost"].mean().unstack("variant")
    return (100 * table).round(1).add_suffix(" (% ghosts)")
