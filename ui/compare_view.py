"""The Compare tab: variants over seeded replications with common random numbers.

Two ways to make variants: B = a preset plus `key=value` changes (against A, your settings),
or every value of a setting that has a fixed list of choices (any ``Param.choices`` in the
registry, e.g. a feed algorithm), each run with the same seeds.
"""

from __future__ import annotations

import streamlit as st

from sim.analysis.check import replication_seeds
from sim.analysis.stats import FEW_REPS
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.config.scenarios import ScenarioError, parse_overrides, to_toml
from ui import MAX_REPS, MAX_STEPS, charts, compare
from ui import settings as cfg

VARIANT_MODE = "B: a preset with changes"
CHOICES_MODE = "Every value of a setting"


def choice_settings(scenario) -> dict[str, tuple[str, ...]]:
    """Override keys of every registry parameter with choices: ``name`` for a model
    parameter, ``group.name`` for an account parameter of each group."""
    out = {p.name: tuple(p.choices) for p in MODEL_PARAMS.values() if p.choices}
    for g in scenario.groups:
        for p in ACCOUNT_PARAMS.values():
            if p.choices:
                out[f"{g.name}.{p.name}"] = tuple(p.choices)
    return out


def choice_variants(scenario, key: str, values: tuple[str, ...]) -> dict[str, str]:
    """Label -> TOML of ``scenario`` with ``key`` set to each value (the current one first)."""
    current = cfg.base_value(scenario, key)
    ordered = [current, *(v for v in values if v != current)] if current in values else values
    return {
        f"{key}={v}": to_toml(scenario.with_overrides({key: v}, where="comparison"))
        for v in ordered
    }


def comparison(ss, scenario) -> None:
    modes = [VARIANT_MODE]
    choices = choice_settings(scenario)
    if choices:
        modes.append(CHOICES_MODE)
    mode = st.radio("Compare", modes, horizontal=True, key="cmp_mode")
    c3, c4, c5 = st.columns([1, 1, 2])
    reps = c3.slider("replications", 2, MAX_REPS, 5, key="cmp_reps")
    steps = c4.number_input("hours", 1, MAX_STEPS, int(scenario.steps), key="cmp_steps")
    metric = c5.selectbox("Outcome", compare.OUTCOMES, key="cmp_metric",
                          format_func=lambda m: charts.LABELS.get(m, m))  # fmt: skip
    if mode == CHOICES_MODE:
        key = st.selectbox("Setting", list(choices), key="cmp_choice",
                           format_func=lambda k: f"{k} ({', '.join(choices[k])})")  # fmt: skip
        variants = choice_variants(scenario, key, choices[key])
        st.caption("Every value runs with the same seeds; differences are from the first value "
                   "(your current one).")  # fmt: skip
    else:
        variants = variant_pair(ss, scenario)
        if variants is None:
            return
    autorun = ss.pop("cmp_autorun", False)
    if st.button("Run the comparison", type="primary", key="cmp_run") or autorun:
        seeds = replication_seeds(scenario.seed, reps)
        bar = st.progress(0.0, text="running replications…")
        result = compare.run_comparison(
            variants,
            seeds,
            int(steps),
            lambda done, total: bar.progress(done / total, text=f"run {done} of {total}"),
        )
        bar.empty()
        ss.compare_result = {"labels": list(variants), "steps": result[0],
                             "accounts": result[1], "seeds": seeds}  # fmt: skip
    show_comparison(ss.get("compare_result"), metric)


def variant_pair(ss, scenario) -> dict[str, str] | None:
    """A (your settings) and B (a preset plus changes), as label -> TOML."""
    st.markdown(
        "Run **A** (your current settings) and **B** with the *same seeds* "
        "(common random numbers), serially, then compare per strategy."
    )
    names = cfg.presets()
    c1, c2 = st.columns([1, 2])
    base_b = c1.selectbox("B starts from", ["the preset without your changes", *names],
                          key="cmp_base")  # fmt: skip
    changes = c2.text_input("…with these changes (key=value, comma separated)", "",
                            key="cmp_changes",
                            placeholder="e.g. conversationalist.posts_per_hour=1.0")  # fmt: skip
    try:
        start = ss.base if base_b.startswith("the preset") else cfg.preset(base_b)
        items = [s.strip() for s in changes.split(",") if s.strip()]
        b = start.with_overrides(parse_overrides(items, where="variant B"), where="variant B")
        cfg.check_limits(b)
    except (ScenarioError, cfg.SettingsError) as err:
        st.error(str(err))
        return None
    if to_toml(b) == to_toml(scenario):
        st.caption("B is the same as A: pick another preset or add changes for B.")
    label_b = f"B: {start.name}" + (f" + {changes.strip()}" if items else "")
    return {"A: your settings": to_toml(scenario), label_b: to_toml(b)}


def show_comparison(result, metric: str) -> None:
    if not result:
        return
    labels, steps_table, accounts = result["labels"], result["steps"], result["accounts"]
    what = charts.LABELS.get(metric, metric)
    rough = (f"; fewer than {FEW_REPS} replications: rough intervals"
             if len(result["seeds"]) < FEW_REPS else "")  # fmt: skip
    st.caption(f"seeds: {', '.join(str(s) for s in result['seeds'])}{rough}")
    table = compare.final_table(steps_table, metric, labels)
    found = compare.verdicts(table, labels, what)
    left, right = st.columns([1, 1])
    with left:
        st.markdown("**Verdict** (only where the 95% interval of the paired difference "
                    "excludes 0)")  # fmt: skip
        st.markdown("\n".join(f"- {v}" for v in found) if found else
                    "- No difference is clear at this number of replications.")  # fmt: skip
        between = compare.strategy_verdicts(steps_table, metric, labels[0], what)
        st.markdown(f"**Between strategies** in {labels[0]} (paired by seed)")
        shown_between = between[:8] + ([f"… and {len(between) - 8} more clear differences"]
                                       if len(between) > 8 else [])  # fmt: skip
        st.markdown("\n".join(f"- {v}" for v in shown_between) if between else
                    "- No difference between strategies is clear.")  # fmt: skip
    with right:
        diffs = compare.paired_differences(steps_table, metric, labels)
        st.container(key="box_cmp_paired").altair_chart(
            charts.paired_plot(diffs, metric, labels), width="stretch", key="cmp_paired"
        )
    first = "B − A" if labels[0].startswith("A:") else f"{labels[1]} − {labels[0]}"
    shown = table.rename(columns={"difference": first, "diff_low": "low", "diff_high": "high"})
    st.dataframe(shown.round(2), hide_index=True, width="stretch")
    st.altair_chart(charts.band_curves(compare.bands(steps_table, metric), metric, labels),
                    width="content")  # fmt: skip
    order = sorted(accounts["strategy"].unique())
    st.markdown("**Every account's final followers** (pooled over replications; log scale, "
                "so that a few popular accounts do not squash the boxes)")  # fmt: skip
    st.altair_chart(charts.distributions(accounts, order, labels), width="stretch")
    st.markdown("**Ghosts**: accounts that gained no follower during the run")
    st.dataframe(compare.ghosts(accounts), width="stretch")
