"""The Parameter lab and the Save / load / export tab."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from sim.config.scenarios import ScenarioError
from ui import MAX_ACCOUNTS, MAX_UPLOAD_BYTES, live
from ui import settings as cfg
from ui.exports import export_list
from ui.widgets import group_settings, model_settings, run_settings


def lab(ss, scenario) -> None:
    st.markdown(
        "Every value comes from the parameter registry (unit, range, help on the **?**). "
        "Changing a value starts a new party."
    )
    run_settings(ss, scenario)
    left, right = st.columns(2)
    with left:
        st.subheader("Accounts of a group")
        group_settings(ss, scenario)
    with right:
        st.subheader("The whole party")
        model_settings(ss, scenario)
    if ss.overrides:
        st.markdown("**Your changes from the preset:** " + "; ".join(
            f"`{t}`" for t in cfg.describe_overrides(ss.overrides)))  # fmt: skip
    st.button("Undo all changes", on_click=_undo, key="undo")


def _undo() -> None:
    ss = st.session_state
    ss.overrides = {}
    ss.gen += 1


def _uploaded() -> None:
    ss = st.session_state
    file = ss.get(f"upload{ss.upload_gen}")
    ss.upload_error = ""
    if file is None:
        return
    try:
        scenario = cfg.parse_upload(file.getvalue(), file.name)
    except (ScenarioError, cfg.SettingsError) as err:
        ss.upload_error = str(err)
        return
    cfg.set_base(None, scenario)
    ss.preset_choice = None
    ss.upload_gen += 1
    ss.upload_ok = f"Loaded {file.name}: {scenario.name}, {scenario.n_accounts} accounts."


def files(ss, scenario) -> None:
    ss.setdefault("upload_gen", 0)
    left, right = st.columns(2)
    with left:
        st.subheader("Save these settings")
        text, name = cfg.scenario_file(scenario, ss.overrides)
        st.download_button("Save scenario (TOML)", text, name, "application/toml",
                           key="save_toml", on_click="ignore")  # fmt: skip
        st.caption("Run it again from a script: `partysim run " + name + "`")
        params = cfg.link_params(ss)
        if params:
            url = st.context.url.split("?")[0] if st.context.url else ""
            st.markdown("**Shareable link** (restores preset, seed and changes)")
            st.code(f"{url}?{urlencode(params, doseq=True, safe='=.*')}", language=None)
        else:
            st.caption("An uploaded scenario has no link: share its file instead.")
        with st.expander("Show the TOML"):
            st.code(text, language="toml")
    with right:
        upload(ss)
    exports(ss)


def upload(ss) -> None:
    """Load a scenario file: parsed as TOML data only, size and account count bounded."""
    ss.setdefault("upload_gen", 0)
    st.subheader("Load a scenario file")
    st.file_uploader(
        f"Scenario TOML (at most {MAX_UPLOAD_BYTES // 1024} KiB, {MAX_ACCOUNTS:,} accounts)",
        type=["toml"],
        key=f"upload{ss.upload_gen}",
        on_change=_uploaded,
        max_upload_size=1,  # MB: the browser refuses bigger files before sending them
    )
    if ss.get("upload_error"):
        st.error(ss.upload_error)
    elif ss.get("upload_ok"):
        st.success(ss.upload_ok)


def exports(ss) -> None:
    st.subheader("Export the current party")
    model = ss.model
    cols = st.columns(4)
    for i, (label, fname, mime, make) in enumerate(export_list(model, live.layout_for(ss))):
        cols[i % 4].download_button(label, make, fname, mime, key=f"export{i}",
                                    on_click="ignore")  # fmt: skip
