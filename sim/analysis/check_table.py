"""The reality check as a table: ONE set of rows for ``partysim check`` and the app's tab.

:func:`check_rows` turns :func:`sim.analysis.check.run_check`'s results into rows of words
(fact, band, measured, status, scenario, window); :func:`format_check` prints them with the
notes that explain them, and the app's Reality check tab shows the same rows, so the two
give the same table for the same scenario, settings and seeds.
"""

from __future__ import annotations

import textwrap

from sim.analysis.stats import FEW_REPS

COLUMNS = ("fact", "band", "measured", "status", "scenario", "window")
FEW_MARK = "*"
PASS_NOTE = "PASS: the mean lies in the band (a comparison, '> 0': its whole interval too)."
WARN_NOTE = (
    "WARN: the mean (or a comparison's interval) is outside the band: the party misses this "
    "fact at these settings, a finding about the model, not an error (docs/CALIBRATION.md)."
)
INTERVAL_NOTE = (
    "Intervals: 95% Student t over replications, cut at the range the measure can take "
    "(a share stays within 0-1, a ratio above 0)."
)
FEW_NOTE = (
    f"{FEW_MARK} fewer than {FEW_REPS} replications: a rough interval; run more replications "
    "for a firm one."
)


def band_text(low: float, high: float) -> str:
    """A fact's band in words: "0.3-0.6", ">= 5" or "> 0"."""
    inf = float("inf")
    return f">= {low:g}" if high == inf and low else ("> 0" if high == inf else f"{low:g}-{high:g}")


def measured_text(result: dict) -> str:
    """ "mean [low, high]", with :data:`FEW_MARK` when too few replications made it."""
    low, high = result["interval95"]
    few = FEW_MARK if result.get("few_reps") else ""
    return f"{result['mean']:.3g} [{low:.3g}, {high:.3g}]{few}"


def check_rows(results: list[dict], scenario: str) -> list[dict[str, str]]:
    """One row of words per fact (:data:`COLUMNS`); ``scenario`` names the party checked."""
    return [
        {
            "fact": r["fact"],
            "band": band_text(*r["band"]),
            "measured": measured_text(r),
            "status": r["status"].upper(),
            "scenario": r["scenario"] or scenario,
            "window": r.get("window", ""),
        }
        for r in results
    ]


def notes(results: list[dict]) -> list[str]:
    """The lines that explain the table: pass and warn, the intervals, few replications."""
    lines = [PASS_NOTE, WARN_NOTE, INTERVAL_NOTE]
    if any(r.get("few_reps") for r in results):
        lines.append(FEW_NOTE)
    return lines


def format_check(results: list[dict], scenario: str, reps: int) -> str:
    """The check as a plain-text table, the notes that explain it, then the sources."""
    rows = check_rows(results, scenario)
    widths = {c: max(len(c), *(len(row[c]) for row in rows)) for c in COLUMNS[:-1]}
    lines = [f"reality check: {scenario}, {reps} replications (mean [95% interval])"]
    lines.append(" ".join(f"{c:<{widths.get(c, 0)}}" for c in COLUMNS).rstrip())
    for row in rows:
        lines.append(" ".join(f"{row[c]:<{widths.get(c, 0)}}" for c in COLUMNS).rstrip())
    lines += [line for note in notes(results) for line in textwrap.wrap(note, 96)]
    lines.append("measures and sources:")
    lines += [f"  {r['fact']}: {r['measure']}. {r['source']}" for r in results]
    return "\n".join(lines)
