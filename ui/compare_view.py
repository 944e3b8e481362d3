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
from ui.story import people
from ui.widgets import KEEP, param_label, param_widget

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


def _unless_set(ss, key: str, value) -> dict:
    """``value=`` for a widget, unless the session state already holds its value (giving
    both makes Streamlit warn on the page)."""
    return {} if key in ss else {"value": value}


def comparison(ss, scenario) -> None:
    modes = [VARIANT_MODE]
    choices = choice_settings(scenario)
    if choices:
        modes.append(CHOICES_MODE)
    mode = st.radio("Compare", modes, horizontal=True, key="cmp_mode", persist_state=KEEP)
    c3, c4, c5 = st.columns([1, 1, 2])
    # a lesson ("Try this") sets these through the session state: no default beside it
    reps = c3.slider("replications", 2, MAX_REPS, key="cmp_reps", persist_state=KEEP,
                     **_unless_set(ss, "cmp_reps", 5))  # fmt: skip
    steps = c4.number_input("hours", 1, MAX_STEPS, key="cmp_steps", persist_state=KEEP,
                            **_unless_set(ss, "cmp_steps", int(scenario.steps)))  # fmt: skip
    metric = c5.selectbox("Outcome", compare.OUTCOMES, key="cmp_metric", persist_state=KEEP,
                          format_func=lambda m: charts.LABELS.get(m, m))  # fmt: skip
    if mode == CHOICES_MODE:
        key = st.selectbox("Setting", list(choices), key="cmp_choice", persist_state=KEEP,
                           format_func=lambda k: f"{k} ({', '.join(choices[k])})")  # fmt: skip
        variants = choice_variants(scenario, key, choices[key])
        st.caption("Every value runs with the same seeds; differences are from the first value "
                   "(your current one).")  # fmt: skip
    else:
        variants = variant_pair(ss, scenario)
        if variants is None:
            return
    autorun = ss.pop("cmp_autorun", False)
    lesson = ss.pop("cmp_lesson", None) if autorun else None
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
                             "accounts": result[1], "seeds": seeds,
                             "change": ss.get("cmp_change") if mode == VARIANT_MODE else None,
                             "lesson": lesson}  # fmt: skip
    show_comparison(ss.get("compare_result"), metric)


WHOLE_PARTY = "the whole party"


def _who(group: str) -> str:
    return group if group == WHOLE_PARTY else f"{people(group)} (group {group})"


def menu_change(scenario) -> dict:
    """B's change picked with menus: who (a group or the whole party), the setting (its
    label and unit from the registry), the value (within the registry's range, starting at
    A's). Returns {key: value}, empty while the value equals A's."""
    c1, c2, c3 = st.columns([1, 1.6, 1.4])
    groups = [WHOLE_PARTY, *(g.name for g in scenario.groups)]
    group = c1.selectbox("Who changes in B", groups, index=1 if len(groups) > 1 else 0,
                         key="cmp_group", format_func=_who, persist_state=KEEP)  # fmt: skip
    params = MODEL_PARAMS if group == WHOLE_PARTY else ACCOUNT_PARAMS
    names = [n for n in params if not (n == "n_rooms" and scenario.rooms)]
    name = c2.selectbox("Setting", names, index=None, key="cmp_param",
                        placeholder="(choose a setting)", persist_state=KEEP,
                        format_func=lambda n: param_label(params[n]))  # fmt: skip
    if name is None:
        return {}
    key = name if group == WHOLE_PARTY else f"{group}.{name}"
    current = cfg.base_value(scenario, key)
    with c3:
        value = param_widget(params[name], current, f"cmp_value:{key}", params[name].default,
                             persist_state=KEEP)  # fmt: skip
    return {} if value == current else {key: value}


def variant_pair(ss, scenario) -> dict[str, str] | None:
    """A (your settings) and B (a preset plus changes, picked with menus or typed), as
    label -> TOML; ``ss.cmp_change`` keeps the change in words when B differs from A by
    one setting (for the verdict's sentence)."""
    st.markdown(
        "Run **A** (your current settings) and **B** with the *same seeds* "
        "(common random numbers), serially, then compare per strategy."
    )
    names = cfg.presets()
    c1, c2 = st.columns([1, 2])
    base_b = c1.selectbox("B starts from", ["the preset without your changes", *names],
                          key="cmp_base", persist_state=KEEP)  # fmt: skip
    changes = c2.text_input("…with these changes typed (key=value, comma separated)", "",
                            key="cmp_changes", persist_state=KEEP,
                            placeholder="e.g. conversationalist.posts_per_hour=1.0")  # fmt: skip
    ss.cmp_change = None
    try:
        start = ss.base if base_b.startswith("the preset") else cfg.preset(base_b)
        picked = menu_change(start)
        items = [s.strip() for s in changes.split(",") if s.strip()]
        typed = parse_overrides(items, where="variant B")
        every = {**picked, **typed}
        b = start.with_overrides(every, where="variant B")
        cfg.check_limits(b)
    except (ScenarioError, cfg.SettingsError) as err:
        st.error(str(err))
        return None
    if to_toml(b) == to_toml(scenario):
        st.caption("B is the same as A: pick a setting and a value, another preset, or type "
                   "changes for B.")  # fmt: skip
    if len(every) == 1 and to_toml(start) == to_toml(scenario):  # B = A + one change
        ((key, value),) = every.items()
        ss.cmp_change = compare.describe_change(scenario, key, value)
    shown = ", ".join(f"{k}={v}" for k, v in every.items())
    label_b = f"B: {start.name}" + (f" + {shown}" if every else "")
    return {"A: your settings": to_toml(scenario), label_b: to_toml(b)}


def show_comparison(result, metric: str) -> None:
    if not result:
        return
    labels, steps_table, accounts = result["labels"], result["steps"], result["accounts"]
    what = charts.LABELS.get(metric, metric)
    reps = len(result["seeds"])
    rough = (f"; fewer than {FEW_REPS} replications: rough intervals"
             if reps < FEW_REPS else "")  # fmt: skip
    st.caption(f"{reps} runs of each variant, the same seeds for both{rough}")
    with st.expander("Seeds (to rerun one from the command line: partysim run --seed)"):
        st.caption(", ".join(str(s) for s in result["seeds"]))
    table = compare.final_table(steps_table, metric, labels)
    steps = int(steps_table["step"].max())
    left, right = st.columns([1, 1])
    with left:
        st.markdown("**Verdict**")
        if len(labels) == 2:
            lesson = result.get("lesson")
            about = lesson.about if lesson is not None else None
            clear, unclear = compare.plain_verdicts(table, metric, steps, reps,
                                                    result.get("change"), about)  # fmt: skip
            if lesson is not None:
                st.markdown(f"**The lesson:** {lesson.text}")
            if not clear or (about and unclear and unclear[0].startswith(
                    f"No clear difference for {people(about)} ")):  # fmt: skip
                clear, unclear = unclear[:1] + clear, unclear[1:]  # say why, for them first
                if lesson is not None and lesson.why:
                    clear[0] += f" {lesson.why}"
            st.markdown("\n".join(f"- {v}" for v in clear) if clear else
                        "- No difference is clear at this number of replications.")  # fmt: skip
            if unclear:
                with st.expander(f"No clear difference for {len(unclear)} more: why"):
                    st.markdown("\n".join(f"- {v}" for v in unclear))
        else:
            found = compare.verdicts(table, labels, what)
            st.markdown("\n".join(f"- {v}" for v in found) if found else
                        "- No difference is clear at this number of replications.")  # fmt: skip
        each = f"{charts.NOUNS.get(metric, metric)} each"
        between = compare.strategy_verdicts(steps_table, metric, labels[0], each)
        st.markdown(f"**Between strategies** in {labels[0]} (paired by seed)")
        shown_between = between[:8] + ([f"… and {len(between) - 8} more clear differences"]
                                       if len(between) > 8 else [])  # fmt: skip
        st.markdown("\n".join(f"- {v}" for v in shown_between) if between else
                    "- No difference between strategies is clear.")  # fmt: skip
    with right:
        diffs = compare.paired_differences(steps_table, metric, labels)
        # no key on the chart itself: a keyed chart made Vega warn that it drops fit-y
        st.container(key="box_cmp_paired").altair_chart(
            charts.paired_plot(diffs, metric, labels), width="stretch"
        )
    first = "B − A" if labels[0].startswith("A:") else f"{labels[1]} − {labels[0]}"
    shown = table.rename(columns={label: f"{label}: mean [95% range]" for label in labels})
    shown = shown.rename(columns={"difference": f"{first} (each)", "diff_low": f"{first}: 95% from",
                                  "diff_high": f"{first}: 95% to"})  # fmt: skip
    st.caption(f"Per account, {what} at the end. Mean [a, b]: the average over the runs, and "
               "the middle 95% of what the average would be if we ran it again. The "
               f"{first} columns: the difference paired by seed, and its 95% range; a range "
               "that misses 0 is a clear difference.")  # fmt: skip
    st.dataframe(shown.round(2), hide_index=True, width="stretch")
    st.altair_chart(charts.band_curves(compare.bands(steps_table, metric), metric, labels),
                    width="content")  # fmt: skip
    order = sorted(accounts["strategy"].unique())
    st.markdown("**Every account's final followers** (pooled over replications; log scale, "
                "so that a few popular accounts do not squash the boxes)")  # fmt: skip
    st.altair_chart(charts.distributions(accounts, order, labels), width="stretch")
    st.markdown("**Ghosts**: accounts that gained no follower during the run")
    st.dataframe(compare.ghosts(accounts), width="stretch")
