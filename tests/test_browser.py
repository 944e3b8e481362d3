"""End-to-end: the real app in a real headless Chromium (Playwright's sync API).

Starts `streamlit run app.py` on a free port, presses play, watches the party advance, saves
the scenario (a download) and leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.config.scenarios import loads

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 60
WAIT_MS = 30_000
VIEWPORT = {"width": 1920, "height": 1080}  # a projector


def _unavailable(reason: str):
    if os.environ.get("PARTYSIM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (PARTYSIM_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and Path("/usr/bin/chromium").exists():
        path = "/usr/bin/chromium"
    if path is None:
        _unavailable("Chromium was not found")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_app(log_name: str, env: dict | None = None):
    """The app served on a free port of 127.0.0.1 (log: test-artifacts/``log_name``); yields
    its address once healthy, stops it on leaving (also used by tests/test_game_browser.py)."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / log_name, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.address", "127.0.0.1", "--server.port", str(port),
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start (see {ARTIFACTS / log_name})")
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server():
    with streamlit_app("streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    exe = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
            pg = context.new_page()
            pg.set_default_timeout(WAIT_MS)
            pg.goto(server, timeout=WAIT_MS)
            yield pg
        finally:
            browser.close()


def hour(page) -> int:
    """The live tab's hour counter ('42 / 168' -> 42)."""
    box = page.locator("[data-testid='stMetric']").filter(has_text="Hour").first
    text = box.locator("[data-testid='stMetricValue']").inner_text(timeout=WAIT_MS)
    return int(re.match(r"\s*(\d+)", text).group(1))


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


CURRENT = "[data-testid='stElementContainer']:not([data-stale='true'])"


def current_button(page, pattern: str):
    """A button of the page as it is now. For about a second after Play (longer under load)
    the page still holds the old Play button, stale, below the new Pause, until the app's
    rerun ends: a plain role query then finds two "Play"-ish buttons or the stale one."""
    return page.locator(CURRENT).get_by_role("button", name=re.compile(pattern))


def pause_until_stopped(page, timeout: float = 60.0) -> None:
    """Press Pause until Play (or End reached) shows. Under load a click can land while the
    live fragment re-renders and be dropped, or Playwright finds the button mid-redraw and
    gives up; pressing again is what a trainer would do too."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pause = current_button(page, "Pause")
        try:
            if pause.count():
                pause.first.click(timeout=5_000)  # Playwright may find it mid-redraw
            current_button(page, "Play|End reached").first.wait_for(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - not yet: press again
            continue
    pytest.fail(f"timed out after {timeout:.0f} s waiting for the play button to come back")


def network_title(page) -> str:
    """The network picture is drawn by the browser (Vega-Lite, an SVG or canvas)."""
    chart = page.locator(".st-key-box_network")
    chart.locator("canvas, svg").first.wait_for(timeout=WAIT_MS)
    return chart.inner_text()


def test_play_advances_the_party(page):
    page.locator(".st-key-box_followers").first.wait_for()
    assert hour(page) == 0
    network_title(page)
    set_speed(page, "Home")  # 1 hour per second: still playing when Pause lands, even under load
    page.get_by_role("button", name=re.compile("Play")).click()
    wait_for(lambda: hour(page) >= 4, 40, "the hour counter to pass 4")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-live.png"), full_page=False)
    pause_until_stopped(page)
    h = hour(page)
    time.sleep(2.5)
    assert hour(page) == h, "paused: the party no longer advances"


def test_save_scenario_downloads_a_valid_file(page):
    page.get_by_role("tab", name=re.compile("Save")).click()
    button = page.get_by_role("button", name=re.compile("Save scenario"))
    button.wait_for()
    with page.expect_download(timeout=WAIT_MS) as info:
        button.click()
    path = info.value.path()
    scenario = loads(Path(path).read_text(encoding="utf-8"), "downloaded.toml")
    assert scenario.name == "default"
    assert info.value.suggested_filename.endswith(".toml")


def test_reality_check_tab_runs_and_shows_every_fact(page):
    page.get_by_role("tab", name=re.compile("Reality check")).click()
    page.get_by_role("button", name=re.compile("Run the reality check")).click()
    summary = page.get_by_text(re.compile(r"\d+ of \d+ facts pass"))
    summary.first.wait_for(timeout=120_000)  # 5 replications of three one-week parties
    # the verdicts themselves are guarded by tests/test_check.py; here: the table is shown
    page.locator("[data-testid='stDataFrame']:visible").first.wait_for(timeout=WAIT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-reality-check.png"), full_page=False)


# ------------------------------------------------------------------ issue 14: the live party


def live_tab(page) -> None:
    page.get_by_role("tab", name=re.compile("Live party")).click()
    page.locator(".st-key-box_followers").first.wait_for()


def reset(page) -> None:
    live_tab(page)
    button = page.get_by_role("button", name=re.compile("Reset"))
    if button.count():
        button.first.click()
        wait_for(lambda: hour(page) == 0, 30, "the hour counter to go back to 0")


def set_speed(page, key: str) -> None:
    """Move the speed slider with the keyboard ("Home": slowest, "End": fastest)."""
    thumb = page.locator(".st-key-speed input[type='range']").first
    thumb.focus()
    thumb.press(key)
    want = "1" if key == "Home" else "48"
    value = page.locator(".st-key-speed [data-testid='stSliderThumbValue']").first
    wait_for(lambda: value.inner_text().strip() == want, 10, f"the speed to reach {want}")
    time.sleep(1.0)  # the change reaches the server


HOUR_WHEN_PLAY_SHOWS = """() => { window.__hourAtPlay = null;
  const hour = () => { const m = [...document.querySelectorAll("[data-testid='stMetric']")]
      .find(e => /Hour/.test(e.innerText));
    return m ? m.querySelector("[data-testid='stMetricValue']").innerText : null; };
  const seen = new MutationObserver(() => {
    if ([...document.querySelectorAll('button')].some(b => /Play$/.test(b.innerText.trim())
        && b.closest("[data-stale='true']") === null)) {
      window.__hourAtPlay = hour(); seen.disconnect(); } });
  seen.observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def test_pause_at_the_highest_speed_shows_no_later_hour(server, page):
    """Three tries with the network picture, two without: the hour on the page when Play
    comes back is the final one, and stays."""
    pg = page.context.new_page()  # its own session: a 1,000-hour party that cannot end first
    try:
        pg.set_default_timeout(WAIT_MS)
        pg.goto(f"{server}/?scenario=default&set=steps=1000", timeout=WAIT_MS)
        pg.locator(".st-key-box_followers").first.wait_for()
        set_speed(pg, "End")
        for attempt in range(5):
            if attempt:
                reset(pg)
            if attempt == 3:
                pg.locator(".st-key-picture").get_by_text("Network picture", exact=True).click()
                pg.locator(".st-key-box_network_off").first.wait_for()
            current_button(pg, "Play").first.click()
            try:
                wait_for(lambda: hour(pg) >= 10, 30, "the party to advance")
            except BaseException:  # seen once in a loaded run, not reproduced: keep the page
                pg.screenshot(path=str(ARTIFACTS / f"app-top-speed-try{attempt}-stuck.png"))
                (ARTIFACTS / f"app-top-speed-try{attempt}-stuck.html").write_text(pg.content())
                raise
            time.sleep(attempt * 0.4)  # a different moment of the refresh cycle each time
            pg.evaluate(HOUR_WHEN_PLAY_SHOWS)
            pause_until_stopped(pg)
            at_play = pg.evaluate("() => window.__hourAtPlay")
            shown = hour(pg)
            assert at_play is not None and int(at_play.split("/")[0]) == shown, (
                "the hour shown when Play comes back is the final one"
            )
            assert 10 <= shown < 1000, "paused before the end"
            time.sleep(2.5)  # past the moment the app stops its timer
            assert hour(pg) == shown, "no hour is simulated after the pause is shown"
            assert current_button(pg, "Play").count() == 1
            if attempt == 2:
                pg.screenshot(path=str(ARTIFACTS / "app-paused-at-top-speed.png"))
        pg.screenshot(path=str(ARTIFACTS / "app-paused-picture-off.png"), full_page=False)
    finally:
        pg.close()


SCROLL_TO_TOP = """() => { window.scrollTo(0, 0);
  document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; }); }"""


def inside_viewport(page, locator, what: str, viewport: dict = VIEWPORT) -> None:
    """Visible on the page as it opens: measured with every scrolled container at its top."""
    locator.first.wait_for(timeout=WAIT_MS)
    page.evaluate(SCROLL_TO_TOP)
    box = locator.first.bounding_box()
    assert box is not None, what
    assert box["x"] >= 0 and box["y"] >= 0, what
    assert box["x"] + box["width"] <= viewport["width"] + 1, f"{what} is cut off on the right"
    assert box["y"] + box["height"] <= viewport["height"] + 1, f"{what} is below the fold"


KEY_BOXES = (
    "followers",
    "unfollows_received",
    "blocks_received",
    "retweets_received",
    "network",
    "reality_badge",
    "headline",
)


def key_elements_inside_viewport(page, viewport: dict = VIEWPORT) -> None:
    """The followers chart, the titled counter charts, the network and the latest events."""
    for key in KEY_BOXES:
        inside_viewport(page, page.locator(f".st-key-box_{key}"), key, viewport)
    titles = page.locator(".st-key-box_unfollows_received").inner_text()
    assert "Unfollows received" in titles, "the counter charts have titles"
    events = page.locator("[data-testid='stMarkdownContainer']").filter(
        has_text="Latest unfollows and blocks"
    )
    inside_viewport(page, events, "the latest events", viewport)


def test_normal_layout_fits_1080p_without_scrolling(page):
    reset(page)
    assert page.locator("h1").count() == 1, "normal mode: the title is shown"
    page.get_by_role("button", name=re.compile("Run 24 h")).click()
    wait_for(lambda: hour(page) == 24, 40, "24 hours to run")
    page.get_by_text(re.compile(r"hour \d+: @")).first.wait_for()  # four events listed
    page.evaluate(SCROLL_TO_TOP)
    page.screenshot(path=str(ARTIFACTS / "app-normal-1080p.png"), full_page=False)
    key_elements_inside_viewport(page)


def test_presenter_layout_fits_a_1080p_projector(page):
    reset(page)
    page.get_by_text("Presenter").first.click()
    page.locator("h1").first.wait_for(state="detached", timeout=WAIT_MS)
    page.get_by_role("button", name=re.compile("Play")).click()
    wait_for(lambda: hour(page) >= 24, 40, "the party to advance")
    key_elements_inside_viewport(page)
    assert page.locator(".st-key-step").count() == 0, "presenter mode hides the controls"
    page.screenshot(path=str(ARTIFACTS / "app-presenter-1080p.png"), full_page=False)
    pause_until_stopped(page)
    page.get_by_text("Presenter").first.click()
    page.locator("h1").first.wait_for(timeout=WAIT_MS)


def test_story_tab_updates_while_playing(page):
    reset(page)
    page.get_by_role("button", name=re.compile("Play")).click()
    page.get_by_role("tab", name=re.compile("Tell the story")).click()
    caption = page.get_by_text(re.compile(r"hour \d+ of 168 · playing")).first
    caption.wait_for(timeout=WAIT_MS)
    first = caption.inner_text()
    wait_for(lambda: caption.inner_text() != first, 20, "the story tab to refresh while playing")
    page.screenshot(path=str(ARTIFACTS / "app-story-playing.png"), full_page=False)
    live_tab(page)
    pause_until_stopped(page)


def test_a_large_seed_from_a_link_runs(server, page):
    pg = page.context.new_page()  # a second session of the same browser
    try:
        pg.set_default_timeout(WAIT_MS)
        pg.goto(f"{server}/?scenario=default&seed=3000000000", timeout=WAIT_MS)
        pg.locator(".st-key-box_network").first.wait_for()
        assert pg.locator("[data-testid='stException']").count() == 0
        assert hour(pg) == 0
        pg.get_by_role("tab", name=re.compile("Parameter lab")).click()
        seed = pg.get_by_role("textbox", name="Seed").first
        assert seed.input_value() == "3000000000"
        pg.screenshot(path=str(ARTIFACTS / "app-large-seed.png"), full_page=False)
    finally:
        pg.close()


def test_try_this_opens_the_compare_view_with_its_paired_plot(page):
    page.get_by_role("tab", name=re.compile("Things to try")).click()
    page.get_by_role("button", name=re.compile("Try this")).first.click()
    plot = page.locator(".st-key-box_cmp_paired")
    plot.locator("canvas, svg").first.wait_for(timeout=180_000)  # 2 x 5 one-week runs
    assert (
        page.get_by_role("tab", name=re.compile("Compare")).first.get_attribute("aria-selected")
        == "true"
    ), "the Compare tab is open"
    assert page.get_by_text("Between strategies").count() >= 1
    plot.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "app-compare-paired.png"), full_page=False)


# ------------------------------------------------------------ issue 27: who is winning


LINE_ENDS = """box => [...box.querySelectorAll("g.mark-line path[aria-label]")].map(p => {
  const pts = p.getAttribute("d").match(/-?[\\d.]+,-?[\\d.]+/g);
  const [x, y] = pts[pts.length - 1].split(",").map(Number);
  return {strategy: p.getAttribute("aria-label").match(/strategy: (\\S+)/)[1], x, y}; })"""
APART_SHARE = 0.4  # of the plot's height, between the top and the bottom line at hour 48


def test_at_hour_48_the_winner_is_visibly_apart(page):
    """The live chart's lines as the browser drew them (SVG paths, plot pixels): at hour 48 of
    the default party the top and bottom lines end at least 40% of the plot's height apart,
    the conversationalists above the broadcasters (the default's claim)."""
    from ui.live import FOLLOWERS_HEIGHT

    reset(page)
    page.locator(".st-key-run_hours input").fill("48")
    page.keyboard.press("Enter")
    button = page.get_by_role("button", name=re.compile("Run 48 h"))
    button.wait_for()
    button.click()
    wait_for(lambda: hour(page) == 48, 60, "48 hours to run")
    box = page.locator(".st-key-box_followers")
    assert "Net followers" in box.inner_text()

    def ends():
        found = box.locator("svg.marks").first.evaluate(LINE_ENDS)
        return found if len(found) == 7 and len({e["x"] for e in found}) == 1 else None

    last = {e["strategy"]: e["y"] for e in wait_for(ends, 20, "the lines to reach hour 48")}
    height = FOLLOWERS_HEIGHT[False]
    apart = max(last.values()) - min(last.values())  # SVG y grows downwards
    assert apart >= APART_SHARE * height, f"the ends are only {apart:.0f} of {height} px apart"
    assert last["conversationalist"] < last["broadcaster"], "conversing ends above broadcasting"
    # the headline names the leader the engine computes (at hour 48 of seed 7: over-posters,
    # just ahead of the conversationalists since friends mute rather than unfollow them)
    from sim.engine.model import PartyModel
    from ui.story import people, strategy_moves

    moves = strategy_moves(PartyModel("default", agents=False).run(48))
    leader = moves.loc[moves["net_per_account"].idxmax(), "strategy"]
    assert page.get_by_text(re.compile(rf"Leading.*{people(leader, 2)}")).count() >= 1
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "app-winner-at-48h.png"), full_page=False)
    page.locator(".st-key-live_levels").get_by_text("Follower levels").click()
    page.get_by_text(re.compile("Followers per account \\(levels")).first.wait_for()
    page.locator(".st-key-live_levels").get_by_text("Follower levels").click()
    page.get_by_text(re.compile("Net followers per account")).first.wait_for()


# ------------------------------------------------ issue 27: no console warnings from charts


def test_no_console_error_or_warning_from_the_app(server, page):
    """A session of its own: the live party with its four line charts and the network
    picture (events and their legend), the levels toggle, Things to try and a lesson's
    comparison (paired plot, bands, distributions). Any console error or warning fails: Vega
    warned of conflicting legends, and such a warning hid the network's event legend."""
    pg = page.context.new_page()
    messages: list[tuple[str, str]] = []
    pg.on("console", lambda m: messages.append((m.type, m.text)))
    pg.on("pageerror", lambda e: messages.append(("pageerror", str(e))))
    try:
        pg.set_default_timeout(WAIT_MS)
        pg.goto(server, timeout=WAIT_MS)
        pg.locator(".st-key-box_network canvas").first.wait_for()
        pg.get_by_role("button", name=re.compile("Run 24 h")).click()
        wait_for(lambda: hour(pg) == 24, 60, "24 hours to run")
        pg.locator(".st-key-live_levels").get_by_text("Follower levels").click()
        pg.get_by_text(re.compile("Followers per account \\(levels")).first.wait_for()
        pg.get_by_role("tab", name=re.compile("Things to try")).click()
        pg.get_by_role("button", name=re.compile("Try this")).first.click()
        plot = pg.locator(".st-key-box_cmp_paired")
        plot.locator("canvas, svg").first.wait_for(timeout=180_000)
        pg.get_by_text(re.compile("Every account's final followers")).first.wait_for()
        time.sleep(2.0)  # the last charts draw
        pg.screenshot(path=str(ARTIFACTS / "app-console-clean.png"), full_page=True)
    finally:
        pg.close()
    bad = [(kind, text) for kind, text in messages if kind in ("error", "warning", "pageerror")]
    assert not bad, bad


# ------------------------------------------------ issue 27: the link, Deploy, the uploader


def test_the_address_bar_always_equals_the_save_tabs_link(server, page):
    """After each change in the Parameter lab the address bar (the page's location, as the
    trainer sees it) holds the same query as the Save tab's link; no Deploy button; the
    uploader says only its own limit. (Playwright's page.url lags one change behind on
    Streamlit's history updates: the page's own location is the address bar.)"""
    from urllib.parse import parse_qs, urlsplit

    pg = page.context.new_page()
    try:
        pg.set_default_timeout(WAIT_MS)
        pg.goto(f"{server}/?scenario=default", timeout=WAIT_MS)
        pg.locator(".st-key-box_followers").first.wait_for()
        assert pg.get_by_text("Deploy", exact=True).count() == 0, "no Deploy button"
        for change in ("seed:123", "seed:456", "steps:100"):
            pg.get_by_role("tab", name=re.compile("Parameter lab")).click()
            name, value = change.split(":")
            box = (pg.get_by_role("textbox", name="Seed") if name == "seed"
                   else pg.get_by_role("spinbutton", name="Steps (hours)")).first  # fmt: skip
            box.fill(value)
            box.press("Enter")
            pg.get_by_role("tab", name=re.compile("Save")).click()
            want = f"{name}={value}"
            link = pg.locator("[data-testid='stCode']").filter(has_text=want).first
            link.wait_for()  # the Save tab has the change: the address bar must have it too
            saved = parse_qs(urlsplit(link.inner_text().strip()).query)
            wait_for(
                lambda saved=saved: parse_qs(urlsplit(pg.evaluate("location.href")).query) == saved,
                5,
                f"the address bar to equal the Save tab's link after {change}",
            )
        shown = parse_qs(urlsplit(pg.evaluate("location.href")).query)
        assert shown == {"scenario": ["default"], "seed": ["456"], "set": ["steps=100"]}
        uploader = pg.locator("[data-testid='stFileUploader']").first.inner_text()
        assert "64 KiB" in uploader and "MB" not in uploader, uploader
    finally:
        pg.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, VIEWPORT],
                         ids=["1280x720", "1920x1080"])  # fmt: skip
def test_presenter_mode_fits_without_scrolling_with_claim_speed_and_reset(server, page, viewport):
    """Issue 27: a room's projector at 720p or 1080p shows the whole party in presenter mode,
    with the claim, the speed and Reset, and nothing below the fold."""
    context = page.context.browser.new_context(viewport=viewport)
    pg = context.new_page()
    try:
        pg.set_default_timeout(WAIT_MS)
        pg.goto(server, timeout=WAIT_MS)
        pg.locator(".st-key-box_followers").first.wait_for()
        pg.get_by_text("Presenter").first.click()
        pg.locator("h1").first.wait_for(state="detached", timeout=WAIT_MS)
        current_button(pg, "Play").first.click()
        wait_for(lambda: hour(pg) >= 24, 40, "the party to advance")
        key_elements_inside_viewport(pg, viewport)
        for key, what in (("presenter_claim", "the claim"), ("speed", "the speed"),
                          ("reset", "Reset"), ("presenter", "the Presenter switch")):  # fmt: skip
            inside_viewport(pg, pg.locator(f".st-key-{key}"), what, viewport)
        assert "Claim:" in pg.locator(".st-key-presenter_claim").inner_text()
        size = f"{viewport['width']}x{viewport['height']}"
        pg.screenshot(path=str(ARTIFACTS / f"app-presenter-{size}.png"), full_page=False)
        pause_until_stopped(pg)
    finally:
        context.close()


def test_the_town_square_plays_with_an_accounts_eye_view(server, page):
    """The platform-scale preset in a real browser: 10,000 accounts play, and the right
    column draws one account's view of them instead of a picture of all."""
    pg = page.context.new_page()
    try:
        pg.set_default_timeout(WAIT_MS)
        pg.set_viewport_size(VIEWPORT)
        pg.goto(f"{server}/?scenario=town_square", timeout=WAIT_MS)
        eye = pg.locator(".st-key-box_eye")
        eye.locator("canvas, svg").first.wait_for(timeout=WAIT_MS)
        assert pg.locator(".st-key-box_network").count() == 0
        assert pg.get_by_text("10,000 accounts are too many to draw whole").count() == 1
        set_speed(pg, "Home")
        pg.get_by_role("button", name=re.compile("Play")).click()
        wait_for(lambda: hour(pg) >= 3, 60, "the town square's hour counter to pass 3")
        pause_until_stopped(pg)
        eye.locator("canvas, svg").first.wait_for(timeout=WAIT_MS)
        assert pg.locator("[data-testid='stException']").count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "app-town-square.png"), full_page=False)
    finally:
        pg.close()
