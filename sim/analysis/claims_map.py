"""How often should I post? The posting-rate map (``partysim claims``, docs/CLAIMS.md's
headline figure): net followers against posting rate for audiences of different patience
(every group's ``flood_tolerance`` scaled) with the flood rules on and knocked out, each curve
judged by the test fixed in advance (:func:`sim.analysis.claims_suite.curvature_test`).

The answer depends on the audience and on two rules (7.19's flood unfollows, 7.16's profile
check): the map shows that dependence instead of one best rate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.analysis.claims import FLOOD_RULES, REPS, ROOT_SEEDS, SWEEP, SWEEP_RATES, rate_strategy
from sim.analysis.claims_outcomes import strategy_outcomes
from sim.analysis.claims_suite import curvature_test, scenario_ref
from sim.analysis.stats import interval, replication_seeds

TOLERANCE_FACTORS = (0.5, 1.0, 2.0)  # x every group's flood_tolerance (20 items a day: 10, 20, 40)
RULES = (("flood rules on", {}), ("flood rules off", FLOOD_RULES))
# the verdicts of the curvature test per (tolerance factor, rules), as last recorded (root seed
# 2026, 20 replications); a change is a visible edit with the figures before and after
EXPECTED = {
    (0.5, "flood rules on"): "shown",
    (0.5, "flood rules off"): "reversed",
    (1.0, "flood rules on"): "reversed",
    (1.0, "flood rules off"): "reversed",
    (2.0, "flood rules on"): "reversed",
    (2.0, "flood rules off"): "reversed",
}


def run_map(
    reps: int = REPS,
    root_seed: int = ROOT_SEEDS[0],
    steps: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Every (tolerance factor, rules) cell over the same ``reps`` seeds."""
    from sim.analysis.claims_robustness import scaled
    from sim.config.scenarios import load
    from sim.engine.model import PartyModel

    base = load(scenario_ref(SWEEP))
    seeds = replication_seeds(root_seed, reps)
    cells = []
    for factor in TOLERANCE_FACTORS:
        spec = scaled(base, "flood_tolerance", "account", factor)
        tolerance = float(np.median([g.values["flood_tolerance"] for g in spec.groups]))
        for rules, knockout in RULES:
            if progress:
                progress(f"posting-rate map: flood_tolerance x{factor:g}, {rules}")
            runs = [
                strategy_outcomes(PartyModel(spec, seed=s, **knockout).run(steps)) for s in seeds
            ]
            per_rate = {
                r: np.array([run[rate_strategy(r)]["net_followers"] for run in runs])
                for r in SWEEP_RATES
            }
            posted = {
                r: float(np.mean([run[rate_strategy(r)]["posts_per_day"] for run in runs]))
                for r in SWEEP_RATES
            }
            cells.append({
                "factor": factor,
                "tolerance": tolerance,
                "rules": rules,
                "means": {r: list(interval(v)) for r, v in per_rate.items()},
                "posts_per_day": posted,
                **curvature_test(per_rate),
            })  # fmt: skip
    return {"reps": reps, "root_seed": root_seed, "rates": list(SWEEP_RATES), "cells": cells,
            "steps": int(steps if steps is not None else base.steps)}  # fmt: skip


DATA_NAME = "posting_rate_map.json"  # beside the figure, under docs/claims/


def write_map_data(result: dict, path) -> None:
    """The map's cells as JSON (the game's debrief draws the default cell behind the class's
    choices): per cell its tolerance, rules, verdict, and per rate the mean net followers
    with its 95% interval and the posts a day that rate gave."""
    import json
    from pathlib import Path

    cells = [{
        "factor": c["factor"], "tolerance": c["tolerance"], "rules": c["rules"],
        "verdict": c["verdict"], "in_words": in_words(c),
        "points": [{"rate": r, "posts_per_day": c["posts_per_day"][r],
                    "net_followers": c["means"][r][0], "low": c["means"][r][1],
                    "high": c["means"][r][2]} for r in result["rates"]],
    } for c in result["cells"]]  # fmt: skip
    data = {"scenario": SWEEP, "reps": result["reps"], "root_seed": result["root_seed"],
            "hours": result.get("steps"), "cells": cells}  # fmt: skip
    Path(path).write_text(json.dumps(data, indent=1, allow_nan=False) + "\n")


def default_cell(data: dict) -> dict | None:
    """The cell at the scenario's own settings (tolerance x1, flood rules on), if any."""
    return next((c for c in data.get("cells", [])
                 if c["factor"] == 1.0 and c["rules"] == RULES[0][0]), None)  # fmt: skip


def in_words(cell: dict) -> str:
    """A cell's verdict as a trainer says it."""
    if cell["verdict"] == "shown":
        return f"best near {cell['top']:.2g} posts an hour"
    if cell["verdict"] == "reversed":
        return "no optimum: more posts, more followers"
    return "no clear optimum"


def map_figure(result: dict, path) -> None:
    """Two panels (flood rules on, off), one line per audience tolerance, 95% bands."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rates = result["rates"]
    colours = {0.5: "#5e35b1", 1.0: "#00897b", 2.0: "#f9a825"}
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.5), dpi=100, sharey=True)
    for ax, (rules, _) in zip(axes, RULES, strict=True):
        for cell in (c for c in result["cells"] if c["rules"] == rules):
            m = np.array([cell["means"][r] for r in rates])
            colour = colours.get(cell["factor"], "#616161")
            label = f"tolerance {cell['tolerance']:g}/day: {in_words(cell)}"
            ax.fill_between(rates, m[:, 1], m[:, 2], color=colour, alpha=0.15)
            ax.plot(rates, m[:, 0], "o-", color=colour, ms=3, label=label)
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xscale("log")
        ax.set_title(rules, fontsize=9)
        ax.set_xlabel("posts per hour online (log scale)", fontsize=8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, title="audience's flood tolerance", title_fontsize=7)
    axes[0].set_ylabel("net followers per account in a week", fontsize=8)
    fig.suptitle("How often should I post? It depends on the audience and on two rules", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def map_lines(result: dict) -> list[str]:
    """The map as a table: one row per cell, the verdict of the curvature test and the top."""
    lines = [
        f"Scenario `scenarios/claims/{SWEEP}.toml` (eight groups that differ only in posts per "
        f"hour online), {result['reps']} replications (seeds from "
        f"`SeedSequence({result['root_seed']})`), every group's `flood_tolerance` scaled, and "
        "the flood rules (7.19's flood unfollows, 7.16's profile check) on or knocked out. Test "
        "fixed in advance: per seed, net followers fitted by a parabola in log(rate); an "
        "optimum is **shown** when the curvature's 95% interval lies below zero and the top "
        "lies inside 0.05-4 posts an hour; **reversed** when there is none and the highest rate "
        "beats the lowest (posting more wins).",
        "",
        "![posting-rate map](claims/posting_rate_map.png)",
        "",
        "| flood tolerance (items a day) | flood rules | curvature [95%] | top (posts/hour) | "
        "best rate seen | verdict | in words |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in result["cells"]:
        k = c["curvature"]
        best = max(result["rates"], key=lambda r: c["means"][r][0])
        top = f"{c['top']:.2g}" if np.isfinite(c["top"]) else "none"
        lines.append(
            f"| {c['tolerance']:g} | {c['rules'].removeprefix('flood rules ')} | "
            f"{k[0]:.2f} [{k[1]:.2f}, {k[2]:.2f}] | {top} | {best:g} | {c['verdict']} | "
            f"{in_words(c)} |"
        )
    return lines
