"""The Compare tab: two variants over seeded replications with common random numbers."""

from __future__ import annotations

import streamlit as st

from sim.analysis.check import replication_seeds
from sim.analysis.metrics import STEP_METRICS
from sim.config.scenarios import ScenarioError, parse_overrides, to_toml
from ui import MAX_REPS, MAX_STEPS, charts, compare
from ui import settings as cfg


def comparison(ss, scenario) -> None:
    st.markdown(
        "Run **A** (your current settings) and **B** with the *same seeds* "
        "(common random numbers), serially, then compare per strategy."
    )
    names = cfg.presets()
    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    base_b = c1.selectbox("B starts from", ["the preset without your changes", *names],
                          key="cmp_base")  # fmt: skip
    changes = c2.text_input("…with these changes (key=value, comma separated)", "",
                            key="cmp_changes",
                            placeholder="e.g. conversationalist.posts_per_hour=1.0")  # fmt: skip
    reps = c3.slider("replications", 2, MAX_REPS, 5, key="cmp_reps")
    steps = c4.number_input("hours", 1, MAX_STEPS, int(scenario.steps), key="cmp_steps")
    metric = st.selectbox("Outcome", STEP_METRICS, key="cmp_metric",
                          format_func=lambda m: charts.LABELS.get(m, m))  # fmt: skip
    try:
        start = ss.base if base_b.startswith("the preset") else cfg.preset(base_b)
        items = [s.strip() for s in changes.split(",") if s.strip()]
        b = start.with_overrides(parse_overrides(items, where="variant B"), where="variant B")
        cfg.check_limits(b)
    except (ScenarioError, cfg.SettingsError) as err:
        st.error(str(err))
        return
    if to_toml(b) == to_toml(scenario):
        st.caption("B is the same as A: pick another preset or add changes for B.")
    label_b = f"B: {start.name}" + (f" + {changes.strip()}" if items else "")
    labels = ["A: your settings", label_b]
    if st.button("Run the comparison", type="primary", key="cmp_run"):
        seeds = replication_seeds(scenario.seed, reps)
        bar = st.progress(0.0, text="running replications…")
        result = compare.run_comparison(
            {labels[0]: to_toml(scenario), labels[1]: to_toml(b)},
            seeds,
            int(steps),
            lambda done, total: bar.progress(done / total, text=f"run {done} of {total}"),
        )
        bar.empty()
        ss.compare_result = {"labels": labels, "steps": result[0], "accounts": result[1],
                             "seeds": seeds}  # fmt: skip
    show_comparison(ss.get("compare_result"), metric)


def show_comparison(result, metric: str) -> None:
    if not result:
        return
    labels, steps_table, accounts = result["labels"], result["steps"], result["accounts"]
    what = charts.LABELS.get(metric, metric)
    st.caption(f"seeds: {', '.join(str(s) for s in result['seeds'])}")
    table = compare.final_table(steps_table, metric, labels)
    found = compare.verdicts(table, labels, what)
    st.markdown("**Verdict** (only where the 95% interval of the paired difference excludes 0)")
    st.markdown("\n".join(f"- {v}" for v in found) if found else
                "- No difference is clear at this number of replications.")  # fmt: skip
    shown = table.rename(columns={"difference": "B − A", "diff_low": "low", "diff_high": "high"})
    st.dataframe(shown.round(2), hide_index=True, width="stretch")
    st.altair_chart(charts.band_curves(compare.bands(steps_table, metric), metric),
                    width="content")  # fmt: skip
    order = sorted(accounts["strategy"].unique())
    st.markdown("**Every account's final followers** (pooled over replications)")
    st.altair_chart(charts.distributions(accounts, order), width="stretch")
    st.markdown("**Ghosts**: accounts that gained no follower during the run")
    st.dataframe(compare.ghosts(accounts), width="stretch")


# ----------------------------------------------------------------------------- lab, files
