"""Compare two variants over seeded replications with common random numbers.

Both variants run with the same seeds (from ``numpy.random.SeedSequence(root).spawn(reps)``),
serially in this process: the app never starts process pools. Differences are paired by seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from sim.analysis import metrics
from sim.analysis.metrics import STEP_METRICS
from sim.analysis.stats import cut, half_width, interval
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.config.scenarios import loads
from sim.engine.model import PartyModel
from ui.charts import NOUNS
from ui.settings import base_value
from ui.story import people
from ui.widgets import UNITLESS, human_label

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


OUTCOMES = ("net_followers", "followers_mean", *STEP_METRICS[1:])  # net first: a start
# level gap is not an effect of the change


def bands(steps_table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean and 95% band over replications per variant, strategy and step."""
    data = steps_table.assign(value=metrics.per_account(steps_table, metric))
    grouped = data.groupby(["variant", "strategy", "step"])["value"]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    half = half_width(out["std"], out["count"], LEVEL)
    bounds = metrics.value_range(metric)  # a band never leaves the outcome's range
    out["low"], out["high"] = cut(out["mean"] - half, out["mean"] + half, bounds)
    return out


def final_values(steps_table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Final value per (strategy, seed) row, one column per variant."""
    data = steps_table.assign(value=metrics.per_account(steps_table, metric))
    last = data[data["step"] == data["step"].max()]
    return last.pivot_table(index=["strategy", "seed"], columns="variant", values="value")


def final_table(steps_table: pd.DataFrame, metric: str, labels: list[str]) -> pd.DataFrame:
    """Per strategy: each variant's final mean with its interval, and the paired difference
    of each other variant from the first (``difference``/``diff_low``/``diff_high`` for the
    second; ``<label> − <first>`` columns for more). Missing values are "—", never None."""
    wide = final_values(steps_table, metric)
    rows = []
    base = labels[0]
    for strategy, part in wide.groupby(level="strategy"):
        row: dict = {"strategy": strategy}
        for label in labels:
            row[label] = "—"
            if label in part and part[label].notna().all():
                m, lo, hi = interval(part[label].to_numpy(), bounds=metrics.value_range(metric))
                row[label] = f"{m:.2f} [{lo:.2f}, {hi:.2f}]"
        for k, label in enumerate(labels[1:]):
            if base in part and label in part and part[[base, label]].notna().all().all():
                m, lo, hi = interval((part[label] - part[base]).to_numpy())
                names = ("difference", "diff_low", "diff_high") if k == 0 else (
                    f"{label} − {base}", f"{label} low", f"{label} high")  # fmt: skip
                row.update(dict(zip(names, (m, lo, hi), strict=True)))
        rows.append(row)
    return pd.DataFrame(rows)


def paired_differences(steps_table: pd.DataFrame, metric: str, labels: list[str]) -> pd.DataFrame:
    """Long table for the paired-difference plot: strategy, variant, mean, low, high (each
    variant minus the first, paired by seed): exactly what the verdicts use."""
    wide = final_values(steps_table, metric)
    rows = []
    for strategy, part in wide.groupby(level="strategy"):
        for label in labels[1:]:
            if labels[0] in part and label in part:
                pair = (part[label] - part[labels[0]]).dropna().to_numpy()
                if len(pair):
                    m, lo, hi = interval(pair)
                    rows.append({"strategy": strategy, "variant": label, "mean": m,
                                 "low": lo, "high": hi})  # fmt: skip
    return pd.DataFrame(rows, columns=["strategy", "variant", "mean", "low", "high"])


def _clear(lo: float, hi: float) -> bool:
    return bool(lo > 0 or hi < 0)


def verdicts(table: pd.DataFrame, labels: list[str], what: str) -> list[str]:
    """Plain words, only where the 95% interval of the paired difference excludes zero."""
    a, b = labels[0], labels[1]
    out = []
    if "difference" not in table:
        return out
    for row in table.dropna(subset=["diff_low", "diff_high"]).itertuples():
        if _clear(row.diff_low, row.diff_high):
            more = "more" if row.difference > 0 else "fewer"
            out.append(
                f"**{row.strategy}**: {b} ends with {abs(row.difference):.2f} {more} {what} "
                f"than {a} (95% interval of the paired difference: {row.diff_low:.2f} to "
                f"{row.diff_high:.2f})."
            )
    return out


def strategy_verdicts(steps_table: pd.DataFrame, metric: str, label: str, what: str) -> list[str]:
    """Between strategies within one variant, paired by seed (each run has every strategy):
    which strategy ends with more, where the 95% interval of the difference excludes zero."""
    wide = final_values(steps_table, metric)
    if label not in wide:
        return []
    per_seed = wide[label].unstack("strategy")
    order = per_seed.mean().sort_values(ascending=False).index
    out = []
    for i, hi_name in enumerate(order):
        for lo_name in order[i + 1 :]:
            pair = (per_seed[hi_name] - per_seed[lo_name]).dropna().to_numpy()
            if len(pair) < 2:
                continue
            m, lo, hi = interval(pair)
            if _clear(lo, hi):
                out.append(f"**{hi_name}** ends with {m:.2f} more {what} than **{lo_name}** "
                           f"(95% interval {lo:.2f} to {hi:.2f})")  # fmt: skip
    return out


def ghosts(accounts: pd.DataFrame) -> pd.DataFrame:
    """Share of accounts per strategy and variant that gained no follower at all."""
    flag = accounts.assign(ghost=accounts["followers_gained"] == 0)
    table = flag.groupby(["strategy", "variant"])["ghost"].mean().unstack("variant")
    return (100 * table).round(1).add_suffix(" (% ghosts)")


# ------------------------------------------------------------------ verdicts in plain words


@dataclass(frozen=True)
class Change:
    """One setting variant B changes from A, in words: 'over-posters with posts per hour at
    0.5 posts per active hour instead of 3'."""

    key: str
    words: str  # the setting's name in words, lower case
    unit: str
    old: Any
    new: Any
    strategy: str | None  # the changed group's strategy; None for a whole-party setting
    group: str | None = None

    def phrase(self) -> str:
        unit = "" if self.unit in UNITLESS else f" {self.unit}"
        return f"{self.words} at {_num(self.new)}{unit} instead of {_num(self.old)}"


def describe_change(scenario, key: str, new: Any) -> Change:
    """The change ``key=new`` against ``scenario`` (A), with the registry's words and unit."""
    old = base_value(scenario, key)
    if "." in key:
        group, name = key.split(".", 1)
        param = ACCOUNT_PARAMS.get(name)
        strategy = next((g.strategy for g in scenario.groups if g.name == group), group)
    else:
        group, name, param, strategy = None, key, MODEL_PARAMS.get(key), None
    words = human_label(name).lower().replace(" (hours)", "") if name != "count" else "accounts"
    unit = param.unit if param is not None else ""
    return Change(key, words, unit, old, new, strategy, group)


def _num(x: Any) -> str:
    """A number as a lay reader reads it: 3, 0.5, 2.1, 0.03 (never 2.0999999)."""
    if isinstance(x, str):
        return x
    x = float(x)
    if x == int(x):
        return f"{int(x)}"
    return f"{x:.1f}" if abs(x) >= 1 else f"{x:.2g}"


def period(steps: int) -> str:
    if steps == 168:
        return "the week"
    if steps % 24 == 0:
        return f"the first {steps // 24} days" if steps != 24 else "the first day"
    return f"the first {steps} hours"


def _subject(strategy: str, change: Change | None) -> str:
    """Who the sentence is about, with the change that made B: 'Over-posters with posts per
    hour at 0.5 instead of 3', 'Regulars, when broadcasters have ...,', 'In B, curators'."""
    who = people(strategy)
    if change is None:
        return f"In B, {who}"
    if change.strategy == strategy:
        return f"{who[:1].upper()}{who[1:]} with {change.phrase()}"
    if change.strategy is None:
        return f"With {change.phrase()}, {who}"
    return f"When {people(change.strategy)} have {change.phrase()}, {who}"


def verdict_sentence(strategy: str, mean: float, low: float, high: float, metric: str,
                     steps: int, change: Change | None) -> str:  # fmt: skip
    """One sentence a non-statistician reads: the paired difference B - A per account, and
    its 95% interval as 'the middle 95% of what we would see again'."""
    noun = NOUNS.get(metric, metric)
    more = "more" if mean > 0 else "fewer"
    a, b = sorted((abs(low), abs(high)))
    return (
        f"{_subject(strategy, change)} end {period(steps)} with {_num(abs(mean))} {more} "
        f"{noun} each; the middle 95% of what we would see again lies between {_num(a)} and "
        f"{_num(b)} {more}."
    )


def unclear_sentence(strategy: str, mean: float, low: float, high: float, metric: str,
                     reps: int) -> str:  # fmt: skip
    """The honest 'no clear difference', with the reason: zero is inside the interval."""
    noun = NOUNS.get(metric, metric)
    return (
        f"No clear difference for {people(strategy)} in {noun}: B - A is {_signed(mean)} each, "
        f"but the middle 95% of what we would see again runs from {_signed(low)} to "
        f"{_signed(high)}, which includes no change at all ({reps} runs each; more runs "
        "narrow it)."
    )


def _signed(x: float) -> str:
    return ("+" if x > 0 else "-" if x < 0 else "") + _num(abs(x))


def plain_verdicts(table: pd.DataFrame, metric: str, steps: int, reps: int,
                   change: Change | None, first: str | None = None,
                   ) -> tuple[list[str], list[str]]:  # fmt: skip
    """(clear sentences, unclear sentences) for B against A, per strategy; ``first`` (by
    default the changed group's strategy) first in each list."""
    clear, unclear = [], []
    if "difference" not in table:
        return clear, unclear
    rows = table.dropna(subset=["diff_low", "diff_high"])
    first = first or (change.strategy if change is not None else None)
    rows = rows.assign(_first=rows["strategy"] != first).sort_values("_first", kind="stable")
    for row in rows.itertuples():
        args = (row.strategy, row.difference, row.diff_low, row.diff_high, metric)
        if _clear(row.diff_low, row.diff_high):
            clear.append(verdict_sentence(*args, steps, change))
        else:
            unclear.append(unclear_sentence(*args, reps))
    return clear, unclear
