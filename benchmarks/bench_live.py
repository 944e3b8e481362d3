"""The live party as a trainer sees it: the real app in headless Chromium at 1920x1080.

Starts `streamlit run app.py` on 127.0.0.1, drives it with Playwright (Chromium from
/usr/bin/chromium, never a downloaded browser) and measures:

- hours_per_second: simulated hours per wall-clock second at the default preset and the
  app's default speed, network picture on (hour counter read from the page), over a whole run;
- seconds_per_week: the wall-clock time of the default week (168 hours);
- time_to_telling_state_s: seconds from Play until the page shows an unfollow and a block;
- hours_per_second_3000: the same at 3,000 accounts (a link adds regular accounts);
- hours_per_second_town_square: the same for the town square, which the app opens at
  10,000 accounts with an account's-eye view instead of the network picture;
- pause_latency_s: the worst of 5 tries at the highest speed (the default party made
  1,000 hours long, so that it cannot end before the click), from the Pause click until
  the Play button is back (both on the page's clock); hours_after_pause: the most the hour
  shown at that moment moved in the next 2 s; pause_latency_picture_off_s: the same with
  the network picture off; pause_click_retries: why Playwright had to click again, if it did.
- load_average: the machine's 1-minute load when done (other work skews every figure);
  machine: CPU model, cores, load at the start, Python, numpy and Mesa versions.

Prints one JSON line with --json. A benchmark, not a test: numbers depend on the machine.
    python benchmarks/bench_live.py --json [--app DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
ACCOUNTS_3000 = "regular.count=2920"  # default has 320 accounts, 240 of them regular
LONG_PARTY_STEPS = 1000  # pause tries: the default party, long enough not to end first


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(app_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=app_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start")


def metric(page, label: str) -> int:
    """The integer at the start of a metric's value (e.g. Hour '42 / 168' -> 42)."""
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    text = box.locator("[data-testid='stMetricValue']").inner_text()
    return int(re.match(r"\s*([\d,]+)", text).group(1).replace(",", ""))


def hour(page) -> int:
    return metric(page, "Hour")


LIVE = "[data-testid='stElementContainer']:not([data-stale='true'])"


def button(page, name: str):
    """The current button called ``name``. Not a stale one: for about a second after Play
    (longer under load) the page keeps the old Play button, greyed, below the new Pause
    until the app's rerun ends; matching it made a paused-check pass while playing."""
    return page.locator(LIVE).get_by_role("button", name=re.compile(rf"^\W*{name}")).first


def wait(predicate, timeout: float, poll: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    return None


def open_app(page, url: str) -> None:
    page.goto(url, timeout=60_000)
    page.locator("[data-testid='stMetric']").filter(has_text="Hour").first.wait_for(timeout=60_000)
    button(page, "Play").wait_for(timeout=60_000)


def play_rate(page, until: int, timeout: float) -> dict:
    """Press Play and watch the hour counter; rate from the first advance to ``until``."""
    h0 = hour(page)
    button(page, "Play").click()
    t_click = time.monotonic()
    telling = None
    samples = []
    while time.monotonic() - t_click < timeout:
        now, h = time.monotonic(), hour(page)
        samples.append((now, h))
        if telling is None and metric(page, "Unfollows") > 0 and metric(page, "Blocks") > 0:
            # the clock after the reads, not before: a read can wait for a busy page, and
            # the time before it gave 0.0 s when the first reads came late
            telling = time.monotonic() - t_click
        if h >= until:
            break
        if h > h0 and len(samples) > 20 and samples[-20][1] == h:  # 2 s still: the end
            break
        time.sleep(0.1)
    moved = [(t, h) for t, h in samples if h > h0]
    # up to the hour's last change: a party that ends before the timeout (a week at 12 h/s)
    # is timed to its end, not to the timeout (which gave hours / timeout)
    h_end = samples[-1][1]
    t_end = next(t for t, h in samples if h == h_end)
    rate = (h_end - h0) / (t_end - t_click) if t_end > t_click else 0.0
    steady = ((h_end - moved[0][1]) / (t_end - moved[0][0])) if len(moved) > 1 else rate
    return {"rate": rate, "steady": steady, "hours": h_end - h0, "seconds": t_end - t_click,
            "telling": telling}  # fmt: skip


def ensure_paused(page) -> None:
    for _ in range(20):
        if button(page, "Play").count() or button(page, "End reached").count():
            return
        pause = button(page, "Pause")
        if pause.count():
            pause.click()
        time.sleep(0.5)


def top_speed(page) -> None:
    """Move the speed select-slider to its highest value with the keyboard."""
    thumb = page.locator(".st-key-speed input[type='range']").first
    thumb.focus()
    thumb.press("End")
    time.sleep(2.0)


PAUSE_CLOCK = """() => { window.__pauseAt = null; window.__playAt = null; window.__hourAt = null;
  const text = b => b.innerText.trim();
  const current = b => b.closest("[data-stale='true']") === null;
  const hour = () => { const m = [...document.querySelectorAll("[data-testid='stMetric']")]
      .find(e => /Hour/.test(e.innerText));
    return m ? m.querySelector("[data-testid='stMetricValue']").innerText : null; };
  const back = new MutationObserver(() => {
    if (window.__pauseAt === null) return;
    if ([...document.querySelectorAll('button')].some(b => current(b) && /(Play|End reached)$/.test(text(b)))) {
      window.__playAt = Date.now(); window.__hourAt = hour(); back.disconnect(); } });
  back.observe(document.body, {subtree: true, childList: true, characterData: true});
  document.addEventListener('click', e => {
    const b = e.target.closest('button');
    if (b && /Pause$/.test(text(b))) window.__pauseAt = Date.now(); },
    {capture: true, once: true}); }"""


def press(page, name: str, tries: int = 10) -> list[str]:
    """Click, and click again if Playwright could not deliver the click (under load it
    sometimes finds the button mid-redraw: "not visible" or "detached"); the page's own
    clock counts from the first click it received. Returns why each failed try failed."""
    failed = []
    for attempt in range(tries):
        try:
            button(page, name).click(timeout=3_000)
            return failed
        except Exception as err:  # noqa: BLE001 - a click Playwright gave up on: try again
            failed.append(str(err).strip().splitlines()[-1][:120])
            if attempt == tries - 1:
                raise
    return failed


def pause_tries(page, n: int = 5, run_for: float = 2.0) -> dict:
    """Latency on the page's own clock: from the click as the page receives it (a capture
    listener) to the moment the Play button is back in the page (a mutation observer), so
    that polling from here does not load the page while it is measured. The time
    Playwright took to deliver the click (the page is busy while it draws) is reported
    separately as pause_click_delivery_s; hours_after_pause is the most the hour counter
    moved in the 2 s after Play came back."""
    worst, after, delivery, each, retries = 0.0, 0, 0.0, [], []
    for _ in range(n):
        button(page, "Reset").click()
        wait(lambda: hour(page) == 0, 20)
        button(page, "Play").wait_for(timeout=20_000)
        button(page, "Play").click()
        wait(lambda: button(page, "Pause").count() > 0, 20)
        time.sleep(run_for)
        page.evaluate(PAUSE_CLOCK)
        t0 = time.time()
        retries += press(page, "Pause")
        done = wait(lambda: page.evaluate("() => window.__playAt"), 30, 0.25)
        clicked, back = page.evaluate("() => [window.__pauseAt, window.__playAt]")
        latency = (back - clicked) / 1000 if done and clicked else 30.0
        delivery = max(delivery, clicked / 1000 - t0 if clicked else 30.0)
        shown = int(re.match(r"\s*(\d+)", page.evaluate("() => window.__hourAt")).group(1))
        time.sleep(2.0)
        after = max(after, hour(page) - shown)
        worst = max(worst, latency)
        each.append(round(latency, 2))
    return {"pause_latency_s": round(worst, 2), "pause_latencies_s": each,
            "hours_after_pause": after, "pause_click_delivery_s": round(delivery, 2),
            "pause_click_retries": retries}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    ap.add_argument("--app", default=str(ROOT), help="directory holding app.py")
    ap.add_argument("--label", default="", help="a name for this measurement")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    proc, url = start_server(Path(args.app))
    out: dict = {"label": args.label, "machine": machine()}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.set_default_timeout(30_000)
            open_app(page, url)
            week = play_rate(page, 168, 150)
            out["hours_per_second"] = round(week["rate"], 2)
            out["seconds_per_week"] = round(week["seconds"], 1)
            out["time_to_telling_state_s"] = (
                round(week["telling"], 1) if week["telling"] is not None else None
            )
            ensure_paused(page)
            open_app(page, f"{url}/?scenario=default&set=steps={LONG_PARTY_STEPS}")
            top_speed(page)
            out.update(pause_tries(page))
            if page.locator(".st-key-picture").count():  # older apps have no such toggle
                page.locator(".st-key-picture").get_by_text(
                    "Network picture", exact=True
                ).click()  # off: 5 more tries
                page.locator(".st-key-box_network_off").first.wait_for(timeout=30_000)
                off = pause_tries(page)
                out["pause_latency_picture_off_s"] = off["pause_latency_s"]
                out["pause_latencies_picture_off_s"] = off["pause_latencies_s"]
                out["pause_click_retries"] += off["pause_click_retries"]
                out["hours_after_pause"] = max(out["hours_after_pause"], off["hours_after_pause"])
            open_app(page, f"{url}/?scenario=default&set={ACCOUNTS_3000}")
            big = play_rate(page, 10_000, 25)
            out["hours_per_second_3000"] = round(big["rate"], 2)
            ensure_paused(page)
            open_app(page, f"{url}/?scenario=town_square")
            town = play_rate(page, 10_000, 25)
            out["hours_per_second_town_square"] = round(town["rate"], 2)
            ensure_paused(page)
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    out["load_average"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>26}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
