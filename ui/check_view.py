"""The Reality check tab: the current settings against published Twitter facts
(``sim.analysis.check``, the same facts and seeds as ``partysim check``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.analysis import check
from ui import MAX_REPS, MAX_STEPS

STATUS = {"pass": "pass", "warn": "WARN"}  # plain text: projectors may lack emoji fonts


def reality_check(ss, scenario) -> None:
    st.markdown(
        "Does this party behave like Twitter where data exists? Each fact is measured over "
        "seeded replications of **your current settings** and shown with its band, the mean "
        "and 95% interval, and its source. The two comparisons (engaging vs broadcasting, "
        "informers vs meformers) are measured on their own scenario files with the same "
        "seeds. Same seeds as `partysim check`; a run of 10 replications of the default "
        "party takes about 15 seconds."
    )
    c1, c2 = st.columns(2)
    reps = c1.slider("replications", 2, MAX_REPS, 5, key="chk_reps")
    steps = c2.number_input("hours", 1, MAX_STEPS, int(scenario.steps), key="chk_steps")
    if st.button("Run the reality check", type="primary", key="chk_run"):
        bar = st.progress(0.0, text="running replications…")
        results = check.run_check(
            scenario,
            reps=reps,
            steps=int(steps),
            progress=lambda done, total: bar.progress(done / total, text=f"run {done} of {total}"),
        )
        bar.empty()
        ss.check_result = {"results": results, "reps": reps, "steps": int(steps)}
    show(ss.get("check_result"))


def table(results: list[dict]) -> pd.DataFrame:
    """One row per fact, in words."""
    return pd.DataFrame(
        [
            {
                "fact": r["fact"].replace("_", " "),
                "measure": r["measure"],
                "band": check.band_text(*r["band"]),
                "measured": f"{r['mean']:.3g} [{r['interval95'][0]:.3g}, {r['interval95'][1]:.3g}]",
                "status": STATUS[r["status"]],
                "source": r["source"],
            }
            for r in results
        ]
    )


def show(result) -> None:
    if not result:
        return
    results = result["results"]
    warned = [r["fact"].replace("_", " ") for r in results if r["status"] != "pass"]
    st.markdown(
        f"**{len(results) - len(warned)} of {len(results)} facts pass** "
        f"({result['reps']} replications, {result['steps']} hours)"
        + (f"; outside the band: {', '.join(warned)}." if warned else ".")
    )
    st.dataframe(table(results), hide_index=True, width="stretch")
    st.caption("Calibration and sensitivity: docs/CALIBRATION.md.")
