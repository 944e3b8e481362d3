"""The claims suite and the reality check under each home feed (``partysim claims --feed``,
``partysim check --feed``), and the per-feed report docs/claims/feeds.md.

Every feed runs the same scenarios with the same seeds; only the model parameter ``feed`` is
overridden (sim/analysis/claims.py and sim/analysis/check.py take it as an override). A claim *survives*
algorithmic ranking when it is shown on every feed, *turns around* when a ranked feed reverses a claim shown under chronological (or shows one that was
reversed), and *weakens* otherwise (shown becomes not shown, or the other way).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sim.config.params import FEED_CHOICES

CHRONO = "chronological"


def feeds_named(name: str) -> list[str]:
    """``all`` or one feed's name, as a list of feeds; a clear error otherwise."""
    if name == "all":
        return list(FEED_CHOICES)
    if name not in FEED_CHOICES:
        allowed = ", ".join(("all", *FEED_CHOICES))
        raise ValueError(f"--feed must be one of {allowed} (got {name!r})")
    return [name]


def run_claims_by_feed(
    feeds=FEED_CHOICES,
    reps: int = 20,
    root_seed: int = 2026,
    steps: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict]:
    """:func:`sim.analysis.claims_suite.run_claims` once per feed, same seeds: feed -> result."""
    from sim.analysis.claims_suite import run_claims

    return {
        feed: run_claims(
            reps=reps,
            root_seed=root_seed,
            steps=steps,
            progress=(lambda name, f=feed: progress(f"{f}: {name}")) if progress else None,
            overrides={"feed": feed},
            knockouts=False,
        )
        for feed in feeds
    }


def run_check_by_feed(
    scenario="default",
    feeds=FEED_CHOICES,
    reps: int = 10,
    steps: int | None = None,
    root_seed: int = 2010,
) -> dict[str, list[dict]]:
    """:func:`sim.analysis.check.run_check` once per feed, same seeds: feed -> fact results."""
    from sim.analysis.check import run_check

    return {
        feed: run_check(scenario, reps=reps, steps=steps, root_seed=root_seed,
                        overrides={"feed": feed})
        for feed in feeds
    }  # fmt: skip


def fate(verdicts: dict[str, str]) -> str:
    """How a claim fares under the ranked feeds compared with the chronological one."""
    base = verdicts.get(CHRONO)
    others = [v for f, v in verdicts.items() if f != CHRONO]
    if base is None or not others:
        return ""
    if all(v == base for v in others):
        return "survives" if base == "shown" else f"{base} on every feed"
    opposite = {"shown": "reversed", "reversed": "shown"}.get(base)
    if opposite and opposite in others:
        return "turns around"
    return "weakens" if base == "shown" else "changes"


def effect_cell(r: dict) -> str:
    """A comparison's verdict and effect with its 95% interval, as a table cell."""
    lo, hi = r["interval95"]
    return f"{r['verdict']} {r['effect']:.3g} [{lo:.3g}, {hi:.3g}]"


def claims_table(by_feed: dict[str, dict]) -> list[str]:
    """Markdown rows: claim x feed, verdict and effect [95% interval], and its fate."""
    feeds = list(by_feed)
    lines = [
        "| claim | " + " | ".join(feeds) + " | under ranking |",
        "|---|" + "---|" * len(feeds) + "---|",
    ]
    first = by_feed[feeds[0]]["comparisons"]
    for i, r in enumerate(first):
        c = r["claim"]
        row = {f: by_feed[f]["comparisons"][i] for f in feeds}
        verdicts = {f: row[f]["verdict"] for f in feeds}
        cells = " | ".join(effect_cell(row[f]) for f in feeds)
        lines.append(f"| {c.number} {c.text} ({c.unit}) | {cells} | {fate(verdicts)} |")
    sweep = {f: by_feed[f]["sweep"] for f in feeds}
    cells = " | ".join(
        f"{s['verdict']} (curvature test), best seen at {s['peak']:g}/hour" for s in sweep.values()
    )
    lines.append(
        f"| 5 posting-rate optimum (inverted U) | {cells} | "
        f"{fate({f: s['verdict'] for f, s in sweep.items()})} |"
    )
    ghosts = {f: by_feed[f]["ghosts"] for f in feeds}
    cells = " | ".join(
        f"{g['verdict']}, {g['share_no_gain'][0]:.2f} gain nothing" for g in ghosts.values()
    )
    lines.append(
        f"| 8 engaged ghosts exist | {cells} | "
        f"{fate({f: g['verdict'] for f, g in ghosts.items()})} |"
    )
    return lines


def check_table(by_feed: dict[str, list[dict]]) -> list[str]:
    """Markdown rows: fact x feed, measured mean [95% interval] and pass/warn."""
    from sim.analysis.check import band_text

    feeds = list(by_feed)
    lines = [
        "| fact | band | " + " | ".join(feeds) + " |",
        "|---|---|" + "---|" * len(feeds),
    ]
    for i, r in enumerate(by_feed[feeds[0]]):
        cells = []
        for f in feeds:
            x = by_feed[f][i]
            lo, hi = x["interval95"]
            cells.append(f"{x['mean']:.3g} [{lo:.3g}, {hi:.3g}] {x['status'].upper()}")
        lines.append(f"| {r['fact']} | {band_text(*r['band'])} | " + " | ".join(cells) + " |")
    return lines


def moved_out_of_band(by_feed: dict[str, list[dict]]) -> list[str]:
    """Plain sentences: which feed moves which fact from pass to warn (or back)."""
    out = []
    base = {r["fact"]: r["status"] for r in by_feed.get(CHRONO, [])}
    for feed, results in by_feed.items():
        for r in results:
            if feed != CHRONO and r["fact"] in base and r["status"] != base[r["fact"]]:
                word = "out of its band" if r["status"] != "pass" else "into its band"
                out.append(
                    f"- `{feed}` moves **{r['fact']}** {word} (mean {r['mean']:.3g}, "
                    f"chronological: {base[r['fact']]})."
                )
    return out or ["- No ranked feed moves a fact across its band's edge."]


def summary_words(by_feed: dict[str, dict]) -> list[str]:
    """Plain words: which claims survive algorithmic ranking, which turn around."""
    groups: dict[str, list[str]] = {}
    feeds = list(by_feed)
    for i, r in enumerate(by_feed[feeds[0]]["comparisons"]):
        verdicts = {f: by_feed[f]["comparisons"][i]["verdict"] for f in feeds}
        groups.setdefault(fate(verdicts), []).append(f"{r['claim'].number} ({r['claim'].text})")
    words = {
        "survives": "Survive algorithmic ranking (shown on every feed)",
        "not shown on every feed": "Not shown on any feed (the comparison is too noisy or "
        "the effect absent, whatever the ranking)",
        "weakens": "Weaken (shown under chronological, not shown on a ranked feed)",
        "turns around": "Turn around (a ranked feed reverses the chronological verdict)",
        "changes": "Change (not shown under chronological, clear on a ranked feed)",
    }
    return [f"- **{words[k]}**: " + "; ".join(v) + "." for k, v in groups.items() if k in words]


def write_feeds_report(
    claims_by_feed: dict[str, dict],
    check_by_feed: dict[str, list[dict]] | None,
    path: Path,
    command: str,
    interpretation: list[str] | None = None,
) -> Path:
    """Write docs/claims/feeds.md: the claim x feed table, the plain-words summary and the
    reality check per feed."""
    first = next(iter(claims_by_feed.values()))
    lines = [
        "# Claims per feed: does the party advice survive algorithmic ranking?",
        "",
        f"Generated by `{command}`: every claim of docs/CLAIMS.md run under each home feed "
        f"(docs/FEEDS.md) with the same {len(first['seeds'])} seeds; each cell is the verdict "
        "and the mean paired effect A - B with its 95% t-interval.",
        "",
        *claims_table(claims_by_feed),
        "",
        "## In plain words",
        "",
        *summary_words(claims_by_feed),
        *(["", *interpretation] if interpretation else []),
    ]
    if check_by_feed:
        reps = len(next(iter(check_by_feed.values()))[0].get("values", [])) or "the"
        lines += [
            "",
            "## The reality check per feed",
            "",
            f"`partysim check --feed all` ({reps} replications per feed, same seeds).",
            "",
            *check_table(check_by_feed),
            "",
            *moved_out_of_band(check_by_feed),
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path
