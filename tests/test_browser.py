"""End-to-end: the real app in a real headless Chromium (Playwright's sync API).

Starts `streamlit run app.py` on a free port, presses play, watches the party advance, saves
the scenario (a download) and leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")  # closed in teardown
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
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
                pytest.fail(f"streamlit did not start (see {ARTIFACTS / 'streamlit.log'})")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


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
            context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                          accept_downloads=True)  # fmt: skip
            pg = context.new_page()
            pg.set_default_timeout(WAIT_MS)
            pg.goto(server, timeout=WAIT_MS)
            yield pg
        finally:
            browser.close()


def hour(page) -> int:
    text = page.locator("[data-testid='stMetricValue']").first.inner_text(timeout=WAIT_MS)
    return int(re.match(r"\s*(\d+)", text).group(1))


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def pause_until_stopped(page, timeout: float = 60.0) -> None:
    """Press Pause until Play shows. Under load a click can land while the live fragment
    re-renders and be dropped; pressing again is what a trainer would do too."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pause = page.get_by_role("button", name=re.compile("Pause"))
        if pause.count():
            pause.first.click(timeout=WAIT_MS)
        try:
            page.get_by_role("button", name=re.compile("Play")).first.wait_for(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - not yet: press again
            continue
    pytest.fail(f"timed out after {timeout:.0f} s waiting for the play button to come back")


def test_play_advances_the_party(page):
    page.get_by_text("Followers per strategy").first.wait_for()
    assert hour(page) == 0
    image = page.locator("[data-testid='stImage'] img").first
    first_src = image.get_attribute("src")
    page.get_by_role("button", name=re.compile("Play")).click()
    wait_for(lambda: hour(page) >= 12, 40, "the hour counter to pass 12")
    wait_for(lambda: image.get_attribute("src") != first_src, 20, "the picture to redraw")
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
    summary = page.get_by_text(re.compile(r"\d+ of 7 facts pass"))
    summary.first.wait_for(timeout=120_000)  # 5 replications of three one-week parties
    # the verdicts themselves are guarded by tests/test_check.py; here: the table is shown
    page.locator("[data-testid='stDataFrame']:visible").first.wait_for(timeout=WAIT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-reality-check.png"), full_page=False)
