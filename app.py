"""Party Network Sandbox: the browser app (`make app`). Layout and wiring only; the parts
are in ui/, the model in sim/."""

import streamlit as st

from sim.config.scenarios import ScenarioError
from ui import check_view, compare_view, lab_view, views
from ui import settings as cfg
from ui.runner import DEFAULT_SPEED, ensure_model

st.set_page_config(page_title="Party Network Sandbox", page_icon="🎉", layout="wide")
st.markdown(
    "<style>[data-testid='stMetricValue']{font-size:1.8rem} .block-container{padding-top:1.5rem}"
    "</style>",
    unsafe_allow_html=True,
)
ss = cfg.state()
ss.setdefault("speed", DEFAULT_SPEED)
ss.setdefault("playing", False)

st.title("Party Network Sandbox")
views.header(ss)
live, story, comparison, reality, lab, files = st.tabs(
    [
        "Live party",
        "Tell the story",
        "Compare",
        "Reality check",
        "Parameter lab",
        "Save · load · export",
    ]
)
with lab:  # first: the widgets decide the settings everything else uses
    problem = st.container()
    lab_view.lab(ss, ss.base.with_overrides(ss.overrides, where="app settings"))
try:
    scenario = cfg.current(ss)
except (ScenarioError, cfg.SettingsError) as err:
    scenario = None
    for tab in (live, story, comparison, reality, problem):
        tab.error(str(err))
    with files:
        lab_view.upload(ss)
if scenario is not None:
    ensure_model(ss, scenario)
    cfg.sync_link(ss)
    with live:
        views.controls(ss)
        views.live_view(ss)
    with story:
        views.story(ss)
    with comparison:
        compare_view.comparison(ss, scenario)
    with reality:
        check_view.reality_check(ss, scenario)
    with files:
        lab_view.files(ss, scenario)
