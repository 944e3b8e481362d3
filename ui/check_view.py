"""The Reality check tab: the current settings against published Twitter facts
(``sim.analysis.check``, the same facts, seeds, windows and table as ``partysim check``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.analysis import check, check_table
from ui import MAX_REPS, MAX_STEPS
from ui.widgets import KEEP

ROOT_SEED = 2010  # partysim check's default root seed


def reality_check(ss, scenario) -> None:
    st.markdown(
        "Does this party behave like Twitter where data exists? Each fact is measured over "
        "seeded replications of **your current settings** and shown with its band, the mean "
        "and 95% interval, the window it was measured over, and its source. Each fact keeps "
        "its source's window: the graph and the posts at the end of the scenario's run, the "
        "ties (unfollowing, ties breaking) after 51 days. The two comparisons (engaging vs "
        "broadcasting, informers vs meformers) are measured on their own scenario files with "
        "the same seeds. Same seeds and table as `partysim check`; 10 replications of the "
        "default party take about 20 seconds."
    )
    c1, c2, c3 = st.columns(3)
    reps = c1.slider("replications", 2, MAX_REPS, 5, key="chk_reps", persist_state=KEEP)
    steps = c2.number_input("hours, snapshot facts", 1, MAX_STEPS, int(scenario.steps),
                            key="chk_steps", persist_state=KEEP, help="default: the scenario's run")  # fmt: skip
    ties = c3.number_input("hours, tie facts", 1, MAX_STEPS, check.LONG_RUN_HOURS,
                           key="chk_tie_hours", persist_state=KEEP, help="default: 51 days, as the source")  # fmt: skip
    if st.button("Run the reality check", type="primary", key="chk_run"):
        bar = st.progress(0.0, text="running replications…")
        results = run(scenario, reps, int(steps), int(ties), progress=lambda done, total:
                      bar.progress(done / total, text=f"run {done} of {total}"))  # fmt: skip
        bar.empty()
        command = cli_equivalent(ss, reps, int(steps), int(ties), scenario.steps)
        ss.check_result = {"results": results, "reps": reps, "name": scenario.name,
                           "command": command}  # fmt: skip
    show(ss.get("check_result"))


def run(scenario, reps: int, steps: int, tie_hours: int, progress=None) -> list[dict]:
    """:func:`sim.analysis.check.run_check` as ``partysim check`` calls it: a window left at
    its default is not passed on (as a flag not given), so each fact keeps its own window
    (the claim scenarios their own hours) and the table matches the command line's."""
    return check.run_check(
        scenario,
        reps=reps,
        steps=None if steps == scenario.steps else steps,
        long_steps=None if tie_hours == check.LONG_RUN_HOURS else tie_hours,
        root_seed=ROOT_SEED,
        progress=progress,
    )


def cli_equivalent(ss, reps: int, steps: int, tie_hours: int, own_steps: int) -> str | None:
    """The ``partysim check`` command that prints the same table, when the settings are a
    preset's (``check`` takes no ``--set``); None otherwise."""
    preset = ss.get("base_preset")
    if preset is None or set(ss.get("overrides", {})) - {"seed"}:
        return None
    cmd = f"partysim check {preset} --reps {reps}"
    cmd += f" --steps {steps}" if steps != own_steps else ""
    return cmd + (f" --tie-hours {tie_hours}" if tie_hours != check.LONG_RUN_HOURS else "")


def table(results: list[dict], name: str) -> pd.DataFrame:
    """One row per fact: the rows ``partysim check`` prints, then the measure and source."""
    rows = check_table.check_rows(results, name)
    for row, r in zip(rows, results, strict=True):
        row.update(measure=r["measure"], source=r["source"])
    return pd.DataFrame(rows)


def show(result) -> None:
    if not result:
        return
    results = result["results"]
    warned = [r["fact"] for r in results if r["status"] != "pass"]
    windows = sorted({r["window"] for r in results}, key=lambda w: int(w.split()[0]))
    st.markdown(
        f"**{len(results) - len(warned)} of {len(results)} facts pass** "
        f"({result['reps']} replications; windows: {'; '.join(windows)})"
        + (f"; outside the band: {', '.join(warned)}." if warned else ".")
    )
    st.dataframe(table(results, result["name"]), hide_index=True, width="stretch")
    st.caption(" ".join(check_table.notes(results)) + " Calibration and sensitivity: "
               "docs/CALIBRATION.md.")  # fmt: skip
    if result.get("command"):
        st.caption(f"The same table from the command line: `{result['command']}`")
