"""Party Network Sandbox: the browser app (`make app`). Layout and wiring only; the parts
are in ui/, the model in sim/."""

import streamlit as st

from sim.config.errors import SettingError
from sim.config.scenarios import ScenarioError
from sim.engine.warm import warm
from ui import check_view, compare_view, game, guide_view, lab_view, live, views
from ui import settings as cfg
from ui.runner import DEFAULT_SPEED, ensure_model

st.set_page_config(page_title="Party Network Sandbox", page_icon="🎉", layout="wide")
st.markdown(
    "<style>[data-testid='stMetricValue']{font-size:1.7rem} "
    "[data-testid='stMetricLabel'] p{font-size:1.05rem} "
    ".block-container{padding-top:1.2rem; padding-bottom:0.5rem} "
    "[data-testid='stMarkdownContainer'] li{font-size:1.08rem} "
    "h1{font-size:2.1rem !important; padding:1.3rem 0 0.3rem 0 !important} "
    # the uploader's own "1MB per file" contradicts its label's 64 KiB: the label says it
    "[data-testid='stFileUploaderDropzoneInstructions'] span{display:none}</style>",
    unsafe_allow_html=True,
)


@st.cache_resource(show_spinner=False)
def compiled_loops() -> float:
    """Load the engine's compiled loops once per server, before the first Play (left to
    PARTYSIM_KERNELS=auto they would load a few simulated weeks in: a 1 s pause mid-party)."""
    return warm()


try:
    compiled_loops()
except SettingError as err:  # e.g. PARTYSIM_KERNELS=fast
    st.error(str(err))
    st.stop()
if game.requested(st.query_params):  # the workshop game's pages (docs/GAME.md)
    game.page(st.query_params)
    st.stop()
ss = cfg.state()
ss.setdefault("play_speed", DEFAULT_SPEED)  # kept apart from the widget: presenter mode hides it
ss.setdefault("playing", False)
presenter = ss.get("presenter", False)

if presenter:
    st.markdown(live.PRESENTER_CSS, unsafe_allow_html=True)
else:
    st.title("Party Network Sandbox")
    views.header(ss)
live_tab, story, comparison, guide, reality, lab, files = st.tabs(
    [
        "Live party",
        "Tell the story",
        "Compare",
        "Things to try",
        "Reality check",
        "Parameter lab",
        "Save · load · export",
    ],
    key="main_tab",
    on_change="rerun",
)
# While the party plays, only the open tab is drawn (switching tabs reruns the app): the
# browser otherwise re-checks every hidden tab's elements on each frame and falls behind,
# and a Pause click waits behind those frames. Paused, every tab is drawn again.
drawn = {tab: not ss.playing or tab.open is not False for tab in (story, comparison, guide,
         reality, lab, files)}  # fmt: skip
problem = lab.container()  # a settings error shows above the lab's widgets
if drawn[lab]:
    with lab:  # first: the widgets decide the settings everything else uses
        lab_view.lab(ss, ss.base.with_overrides(ss.overrides, where="app settings"))
try:
    scenario = cfg.current(ss)
except (ScenarioError, cfg.SettingsError) as err:
    scenario = None
    for tab in (live_tab, story, comparison, reality, problem):
        tab.error(str(err))
    with files:
        lab_view.upload(ss)
if scenario is not None:
    ensure_model(ss, scenario)
    cfg.sync_link(ss)
    ss.cli_command = cfg.cli_command(ss)
    if drawn[story]:
        with story:  # before the live tab: a new mark shows in this run's network picture
            views.story(ss)
    with live_tab:
        live.live_view(ss)
    if drawn[guide]:
        with guide:
            guide_view.guide(ss)
    for tab, view in ((comparison, compare_view.comparison), (reality, check_view.reality_check),
                      (files, lab_view.files)):  # fmt: skip
        if drawn[tab]:
            with tab:
                view(ss, scenario)
