"""The claims suite's report: one figure per comparison, the posting-rate sweep and the
ghosts' spread, and docs/CLAIMS.md (``partysim claims``; the claims are in sim/analysis/claims.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sim.analysis.claims import MECHANISM, NET_UNIT, RULE_13, SWEEP, behaviour_verdicts


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
    ax.set_title(f"5: net growth against posting rate, peak at {sweep['peak']:g}", fontsize=9)
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


def _comparison_lines(result: dict, figures) -> list[str]:
    lines = [
        "| # | claim | A vs B (scenario) | outcome | A - B [95% interval] | rel. | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result["comparisons"]:
        c = r["claim"]
        verdict = r["verdict"] if r["verdict"] == "shown" else f"**{r['verdict']}**"
        ab = f"{c.a[1]} ({c.a[0]}) vs {c.b[1]} ({c.b[0]})"
        rel = f"{r['relative']:+.0%}" if np.isfinite(r["relative"]) else ""
        effect = _ci([r["effect"], *r["interval95"]])
        lines.append(
            f"| [{c.number}](claims/claim_{c.number}.png) | {c.text} | {ab} | {c.unit} | "
            f"{effect} | {rel} | {verdict} |"
        )
        comparison_figure(r, figures / f"claim_{c.number}.png")
    return lines


def _origin_lines(result: dict) -> list[str]:
    """How each comparison arises, and what differs between A and B."""
    lines = [
        "*emergent*: several rules interact; *mechanism*: the outcome follows from one rule "
        "by construction (the rule is named, with its section of docs/MODEL.md). Both kinds "
        "are kept: a mechanism claim shows the rule works as the brief describes, not that "
        "the behaviour emerges.",
        "",
        "| # | how it arises | A vs B differ in |",
        "|---|---|---|",
    ]
    for r in result["comparisons"]:
        c = r["claim"]
        how = f"mechanism: {c.rule}" if c.origin == MECHANISM else "emergent"
        lines.append(f"| {c.number} | {how} | {c.varies} |")
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


def _sweep_lines(sweep: dict) -> list[str]:
    rows = " ".join(f"{r:g}: {sweep['means'][r][0]:.1f};" for r in sweep["rates"])
    return [
        f"Scenario `scenarios/claims/{SWEEP}.toml`: eight groups of 10 engaging accounts that "
        "differ only in posts per hour online, in one crowd. Mean net followers per account "
        f"by rate: {rows[:-1]}. Peak at **{sweep['peak']:g}** posts an hour online; peak minus "
        f"lowest rate {_ci(sweep['peak_minus_lowest'], '.2f')}, peak minus highest rate "
        f"{_ci(sweep['peak_minus_highest'], '.2f')} (paired, 95%). "
        f"Verdict: **{sweep['verdict']}** (inverted U: the peak is interior and above both ends).",
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


def feed_lines(feeds_md: Path) -> list[str]:
    """The per-feed table of ``partysim claims --feed all`` (docs/claims/feeds.md), if made."""
    if not feeds_md.exists():
        return []
    table: list[str] = []  # the file's first table: its first run of "|" lines
    for line in feeds_md.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
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


def write_report(result: dict, out, robustness: dict | None = None) -> Path:
    """Write ``out/CLAIMS.md`` and the figures under ``out/claims/``; returns the .md path.

    ``robustness`` (from :func:`sim.analysis.claims_robustness.run_robustness`) is saved as
    ``out/claims/robustness.json``; without it, a saved table is reused if there is one."""
    out = Path(out)
    figures = out / "claims"
    figures.mkdir(parents=True, exist_ok=True)
    saved = figures / "robustness.json"
    if robustness is not None:
        saved.write_text(json.dumps(robustness, indent=1) + "\n", encoding="utf-8")
    elif saved.exists():
        robustness = json.loads(saved.read_text(encoding="utf-8"))
    reps, steps = len(result["seeds"]), result["steps"] or "each scenario's"
    t = result["thanks"]
    lines = [
        "# Claims: what the model shows, and what it does not",
        "",
        "Generated by `partysim claims` (sim/analysis/claims.py, sim/analysis/claims_report.py); do not edit by hand.",
        "",
        f"{reps} replications per scenario (seeds from `SeedSequence({result['root_seed']})`, "
        f"hours: {steps}). "
        "Each comparison is a paired difference A - B over seeds: both strategies in the same "
        "runs (common random numbers), or two scenarios run with the same seeds. Interval: "
        "95% Student t over seeds. **shown**: the interval lies above zero; **reversed**: "
        "below zero; **not shown**: it contains zero. `rel.` is the effect relative to B.",
        "",
        "## Verdict per behaviour of the brief",
        "",
        "| behaviour | verdict |",
        "|---|---|",
    ]
    lines += [f"| {b} | {v} |" for b, v in behaviour_verdicts(result).items()]
    lines += ["", "## Comparisons", ""]
    lines += _comparison_lines(result, figures)
    lines += ["", "## How each comparison arises", ""] + _origin_lines(result)
    if robustness:
        lines += ["", "## Robustness to the shared parameters", ""]
        lines += robustness_lines(robustness)
    lines += feed_lines(figures / "feeds.md")
    lines += ["", "## 5. An optimum posting rate (sweep)", ""] + _sweep_lines(result["sweep"])
    sweep_figure(result["sweep"], figures / "claim_5_sweep.png")
    lines += ["", "## 8. Ghosts: the spread of outcomes", ""] + _ghost_lines(result["ghosts"])
    ghost_figure(result["ghosts"], figures / "claim_8.png")
    lines += ["", "## 13. Reply visibility", "", RULE_13 + ".", "", "## Notes", ""]
    for r in result["comparisons"]:
        if r["claim"].note:
            lines += [f"**{r['claim'].number}.** {r['claim'].note}", ""]
    lines += [
        "**3b, measured.** Of the retweeters that thankers thanked, "
        f"{_ci(t['already_following'], '.0%')} already followed the thanker when thanked, "
        f"and {_ci(t['then_followed'], '.0%')} followed at or after the thanks.",
        "",
    ]
    path = out / "CLAIMS.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
