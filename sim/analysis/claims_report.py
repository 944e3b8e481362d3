"""The claims suite's report: one figure per comparison, the posting-rate sweep and the
ghosts' spread, and docs/CLAIMS.md (``partysim claims``; the claims are in sim/analysis/claims.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sim.analysis.claims import (
    CONSTRUCTION_SHARE,
    EMERGENT_SHARE,
    NET_UNIT,
    RULE_13,
    SWEEP,
)
from sim.analysis.claims_suite import behaviour_verdicts


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def comparison_figure(r: dict, path) -> None:
    """Per-seed outcomes of A and B, joined by seed (paired)."""
    plt, c = _pyplot(), r["claim"]
    fig, ax = plt.subplots(figsize=(4.4, 3.3), dpi=100)
    for a, b in zip(r["a"], r["b"], strict=True):
        ax.plot([0, 1], [a, b], color="#9e9e9e", lw=1)
    ax.scatter([0] * len(r["a"]), r["a"], color="#2e7d32", zorder=3)
    ax.scatter([1] * len(r["b"]), r["b"], color="#c62828", zorder=3)
    ax.set_xticks([0, 1], [f"{c.a[1]}\n({c.a[0]})", f"{c.b[1]}\n({c.b[0]})"], fontsize=7)
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylabel(c.unit, fontsize=8)
    lo, hi = r["interval95"]
    ax.set_title(f"{c.number}: {r['effect']:.3g} [{lo:.3g}, {hi:.3g}], {r['verdict']}", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def sweep_figure(sweep: dict, path) -> None:
    """Net followers against posting rate with 95% intervals over seeds."""
    plt = _pyplot()
    rates = sweep["rates"]
    mean, low, high = (np.array([sweep["means"][r][k] for r in rates]) for k in range(3))
    fig, ax = plt.subplots(figsize=(5, 3.4), dpi=100)
    ax.fill_between(rates, low, high, color="#ef6c00", alpha=0.25, label="95% interval")
    ax.plot(rates, mean, "o-", color="#ef6c00", label="mean over seeds")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("posts per hour online (log scale)", fontsize=8)
    ax.set_ylabel(NET_UNIT, fontsize=8)
    ax.set_title(
        f"5: net growth against posting rate (curvature test: {sweep['verdict']})", fontsize=9
    )
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def ghost_figure(ghosts: dict, path) -> None:
    """Histogram of every conversationalist's net followers over all seeds."""
    plt, nets = _pyplot(), np.asarray(ghosts["nets"])
    fig, ax = plt.subplots(figsize=(5, 3.4), dpi=100)
    ax.hist(nets, bins=np.arange(nets.min() - 1.5, nets.max() + 1.5), color="#2e7d32")
    ax.axvline(0, color="k", lw=1)
    ax.axvline(np.median(nets), color="#c62828", lw=1, ls="--", label="median")
    ax.set_xlabel("net followers in a week (each conversationalist, all seeds)", fontsize=8)
    ax.set_ylabel("accounts", fontsize=8)
    ax.set_title("8: same behaviour, different outcomes", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _ci(m: list | tuple, fmt: str = ".3g") -> str:
    """'mean [low, high]'; shares (a % format) are clipped to [0, 1]."""
    lo, hi = (min(max(v, 0.0), 1.0) if fmt.endswith("%") else v for v in m[1:3])
    return f"{m[0]:{fmt}} [{lo:{fmt}}, {hi:{fmt}}]"


def _effect(r: dict) -> str:
    return _ci([r["effect"], *r["interval95"]])


def _comparison_lines(suite: dict, figures) -> list[str]:
    roots = suite["root_seeds"]
    lines = [
        "| # | claim | A vs B (scenario) | outcome | "
        + " | ".join(f"A - B, root {s}" for s in roots)
        + " | verdict |",
        "|---|---|---|---|" + "---|" * len(roots) + "---|",
    ]
    for row in suite["claims"]:
        c = row["claim"]
        verdict = row["verdict"] if row["verdict"] == "shown" else f"**{row['verdict']}**"
        ab = f"{c.a[1]} ({c.a[0]}) vs {c.b[1]} ({c.b[0]})"
        effects = " | ".join(f"{_effect(r)} {r['verdict']}" for r in row["per_root"].values())
        lines.append(
            f"| [{c.number}](claims/claim_{c.number}.png) | {c.text} | {ab} | {c.unit} | "
            f"{effects} | {verdict} |"
        )
        comparison_figure(row["per_root"][roots[0]], figures / f"claim_{c.number}.png")
    return lines


def _label_lines(suite: dict) -> list[str]:
    """How each comparison arises: its knock-out, the effect without the rules, the label."""
    lines = [
        "Each claim names the rules it rests on and the settings that neutralise them (its "
        "knock-out). The suite runs every claim again with its knock-out, over the same seeds "
        "and both root seeds, and computes the label from the differences pooled over the "
        f"root seeds: *emergent* when the effect is still shown with the rules neutralised and "
        f"keeps at least {EMERGENT_SHARE:.0%} of its size (the named rules are not what makes "
        f"it); *by construction* when the claim rests on one rule and neutralising it leaves "
        f"no effect (not shown, at most {CONSTRUCTION_SHARE:.0%} of the size either way), or "
        "when the claim restates a rule that no parameter switches off; *mechanism* "
        "otherwise (the named rules carry the effect). A claim without an effect has nothing "
        "to label. `survives` is the knocked-out effect over the effect.",
        "",
        "| # | rules (docs/MODEL.md) | knock-out | effect | without the rules | survives | "
        "label | A vs B differ in |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in suite["claims"]:
        c = row["claim"]
        if c.restates:
            knock, without = f"none: restates {c.restates}", ""
        else:
            knock = ", ".join(f"`{k}={v:g}`" for k, v in c.knockout.items())
            k = row.get("knockout")
            without = f"{_effect(k)} {k['verdict']}" if k else ""
        survives = f"{row['survives']:+.0%}" if np.isfinite(row["survives"]) else ""
        lines.append(
            f"| {c.number} | {', '.join(c.rules)} | {knock} | {_effect(row)} | {without} | "
            f"{survives} | {row['label']} | {c.varies} |"
        )
    return lines


SYMBOL = {"shown": "shown", "not shown": "**not shown**", "reversed": "**reversed**"}


def robustness_lines(robust: dict) -> list[str]:
    """The robustness table: one row per headline claim, one column per scaled parameter."""
    cells = robust["cells"]
    lines = [
        f"Each headline claim re-run with one shared parameter scaled for every group "
        f"(`partysim claims --robustness`, sim/analysis/claims_robustness.py): {robust['reps']} "
        f"replications per cell (seeds from `SeedSequence({robust['root_seed']})`), so a "
        "*not shown* cell may be a smaller effect or too few replications; *reversed* means "
        "the interval lies below zero. Cells give the verdict and the effect A - B.",
        "",
        "| # | claim | " + " | ".join(cells) + " |",
        "|---|---|" + "---|" * len(cells),
    ]
    for number, row in robust["table"].items():
        entries = [
            f"{SYMBOL[row[c]['verdict']]} ({row[c]['effect']:.2g})" if c in row else ""
            for c in cells
        ]
        lines.append(f"| {number} | {robust['claims'][number]} | " + " | ".join(entries) + " |")
    return lines


def _sweep_lines(suite: dict) -> list[str]:
    lines = []
    for root, result in suite["by_root"].items():
        sweep = result["sweep"]
        rows = " ".join(f"{r:g}: {sweep['means'][r][0]:.1f};" for r in sweep["rates"])
        k = sweep["curvature"]
        top = f"{sweep['top']:.2g}" if np.isfinite(sweep["top"]) else "none"
        lines.append(
            f"- root seed {root}: mean net followers by rate: {rows[:-1]}; curvature "
            f"{k[0]:.2f} [{k[1]:.2f}, {k[2]:.2f}], top at {top} posts an hour: "
            f"**{sweep['verdict']}**."
        )
    return [
        f"Scenario `scenarios/claims/{SWEEP}.toml` at its own settings (flood tolerance 20 "
        "items a day, flood rules on), judged by the curvature test fixed in advance (see the "
        f"map above). Over both root seeds: **{suite['sweep_verdict']}**.",
        "",
        *lines,
        "",
        "![posting-rate sweep](claims/claim_5_sweep.png)",
    ]


def _ghost_lines(g: dict) -> list[str]:
    q = g["quantiles"]
    return [
        "Scenario `ghosts`: 40 conversationalists with identical behaviour. Net followers over a "
        f"week: min {g['min']:.0f}, 10th/25th/50th/75th/90th percentiles "
        f"{q[0]:.0f}/{q[1]:.0f}/{q[2]:.0f}/{q[3]:.0f}/{q[4]:.0f}, max {g['max']:.0f}. Share with "
        f"no gain (net <= 0): {_ci(g['share_no_gain'], '.1%')}; share gaining at most 2: "
        f"{_ci(g['share_at_most_2'], '.1%')} (per-seed shares, 95%). "
        f"Verdict: **{g['verdict']}**: the spread is wide (same behaviour, different luck, "
        "quality and activity), but true ghosts are rare here: conversationalists follow and "
        "reply a lot, and much of the crowd follows back.",
        "",
        "![ghosts](claims/claim_8.png)",
    ]


def first_table(md: Path) -> list[str]:
    """The first table of a Markdown file (its first run of "|" lines); [] if none or no file."""
    table: list[str] = []
    if not md.exists():
        return table
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    return table


def feed_lines(feeds_md: Path) -> list[str]:
    """The per-feed table of ``partysim claims --feed all`` (docs/claims/feeds.md), if made."""
    table = first_table(feeds_md)
    if not table:
        return []
    return [
        "",
        "## Under each feed (chronological, engagement, for_you)",
        "",
        "Each claim re-run under each home feed with the same seeds (`partysim claims --feed all`; "
        "the rules in docs/FEEDS.md; details, the reality check per feed and what turns around in "
        "[claims/feeds.md](claims/feeds.md)).",
        "",
        *table,
    ]


TOWN_SECTION = "## In the town square (the whole platform as audience)"


def town_lines(town_md: Path) -> list[str]:
    """The town-square table of OUT/claims/town_square.md for docs/CLAIMS.md, if made."""
    table = first_table(town_md)
    if not table:
        return []
    return [
        "",
        TOWN_SECTION,
        "",
        "Each claim's two strategies taken out of their party and embedded, with their own "
        "settings, in the town square, the platform-scale population (`partysim claims "
        "--population town_square`; its size, how, what turns around and why in "
        "[claims/town_square.md](claims/town_square.md)).",
        "",
        *table,
    ]


def summary(suite: dict) -> list[dict]:
    """Per claim, what the app shows beside a lesson (docs/claims/claims.json)."""
    out = []
    for row in suite["claims"]:
        c = row["claim"]
        k = row.get("knockout")
        out.append({
            "number": c.number,
            "text": c.text,
            "scenarios": sorted({c.a[0], c.b[0]}),
            "a": list(c.a),
            "b": list(c.b),
            "unit": c.unit,
            "effect": row["effect"],
            "interval95": row["interval95"],
            "verdict": row["verdict"],
            "per_root": {str(s): {"effect": r["effect"], "interval95": r["interval95"],
                                  "verdict": r["verdict"]} for s, r in row["per_root"].items()},
            "knockout": c.knockout,
            "restates": c.restates,
            "effect_knocked_out": k["effect"] if k else None,
            "label": row["label"],
            "rules": list(c.rules),
        })  # fmt: skip
    return out


def load_summary(docs) -> list[dict]:
    """docs/claims/claims.json as written by :func:`write_report` ([] if absent or unreadable)."""
    path = Path(docs) / "claims" / "claims.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["claims"]
    except (OSError, ValueError, KeyError):
        return []


def write_report(
    suite: dict, out, robustness: dict | None = None, posting_map: dict | None = None
) -> Path:
    """Write ``out/CLAIMS.md``, the figures and ``claims.json`` under ``out/claims/``;
    returns the .md path.

    ``robustness`` (from :func:`sim.analysis.claims_robustness.run_robustness`) is saved as
    ``out/claims/robustness.json``; without it, a saved table is reused if there is one."""
    from sim.analysis.claims_map import DATA_NAME as MAP_DATA
    from sim.analysis.claims_map import map_figure, map_lines, write_map_data

    out = Path(out)
    figures = out / "claims"
    figures.mkdir(parents=True, exist_ok=True)
    saved = figures / "robustness.json"
    if robustness is not None:
        saved.write_text(json.dumps(robustness, indent=1) + "\n", encoding="utf-8")
    elif saved.exists():
        robustness = json.loads(saved.read_text(encoding="utf-8"))
    roots = suite["root_seeds"]
    first = suite["by_root"][roots[0]]
    steps = suite["steps"] or "each scenario's"
    t = first["thanks"]
    seeds = " and ".join(f"`SeedSequence({s})`" for s in roots)
    lines = [
        "# Claims: what the model shows, and what it does not",
        "",
        "Generated by `partysim claims` (claims declared in sim/analysis/claims.py, measured by "
        "sim/analysis/claims_suite.py, written by sim/analysis/claims_report.py); do not edit "
        "by hand.",
        "",
        f"{suite['reps']} replications per scenario under each of {len(roots)} root seeds "
        f"(seeds from {seeds}; hours: {steps}). Each comparison is a paired difference A - B "
        "over seeds: both strategies in the same runs (common random numbers), or two "
        "scenarios run with the same seeds. Interval: 95% Student t over seeds. Per root "
        "seed, **shown**: the interval lies above zero; **reversed**: below zero; **not "
        "shown**: it contains zero. A claim's verdict is the root seeds' common verdict; "
        "**fragile** when they differ (both intervals are given).",
        "",
        "## Verdict per behaviour (the fifteen behaviours the model demonstrates)",
        "",
        "| behaviour | verdict |",
        "|---|---|",
    ]
    lines += [f"| {b} | {v} |" for b, v in behaviour_verdicts(suite).items()]
    if posting_map:
        lines += ["", "## How often should I post? The posting-rate map", ""]
        lines += map_lines(posting_map)
        map_figure(posting_map, figures / "posting_rate_map.png")
        write_map_data(posting_map, figures / MAP_DATA)
    lines += ["", "## Comparisons", ""]
    lines += _comparison_lines(suite, figures)
    lines += ["", "## How each comparison arises: knock-outs and labels", ""]
    lines += _label_lines(suite)
    if robustness:
        lines += ["", "## Robustness to the shared parameters and the tuned rules", ""]
        lines += robustness_lines(robustness)
    lines += feed_lines(figures / "feeds.md")
    lines += town_lines(figures / "town_square.md")
    lines += ["", "## 5. The posting-rate sweep at the scenario's settings", ""]
    lines += _sweep_lines(suite)
    sweep_figure(first["sweep"], figures / "claim_5_sweep.png")
    lines += ["", "## 8. Ghosts: the spread of outcomes", ""] + _ghost_lines(first["ghosts"])
    ghost_figure(first["ghosts"], figures / "claim_8.png")
    lines += ["", "## 13. Reply visibility", "", RULE_13 + ".", "", "## Notes", ""]
    for row in suite["claims"]:
        if row["claim"].note:
            lines += [f"**{row['claim'].number}.** {row['claim'].note}", ""]
    lines += [
        f"**3b, measured (root seed {roots[0]}).** Of the retweeters that thankers thanked, "
        f"{_ci(t['already_following'], '.0%')} already followed the thanker when thanked, "
        f"and {_ci(t['then_followed'], '.0%')} followed at or after the thanks.",
        "",
    ]
    (figures / "claims.json").write_text(
        json.dumps({"root_seeds": roots, "reps": suite["reps"], "claims": summary(suite)},
                   indent=1) + "\n", encoding="utf-8")  # fmt: skip
    path = out / "CLAIMS.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
