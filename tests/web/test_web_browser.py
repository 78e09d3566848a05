"""The web page as a person uses it, in a real headless Chromium (Debian's package,
driven by Playwright with the system browser) against a real `scheduler serve` on a
loopback port: edit a value, start a run, watch it end, open the result, download the
workbook; a bad value; `../` paths and an oversized upload; screenshots of the main
pages in both languages for the docs (docs/images/web-*.png)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from tests.web.webcases import SMALL, scenarios_folder

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists() and shutil.which("chromium"):
    CHROMIUM = shutil.which("chromium")
if not Path(CHROMIUM).exists():
    pytest.skip("no Chromium (CI installs the Debian package 'chromium')",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

PROJECT = Path(__file__).resolve().parents[2]
IMAGES = PROJECT / "docs" / "images"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--no-first-run", "--disable-quic", "--hide-scrollbars"]
UPLOAD_LIMIT_MB = 0.05
TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`scheduler serve` in its own process on a free loopback port."""
    tmp = tmp_path_factory.mktemp("web")
    folder = scenarios_folder(tmp)
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(PROJECT), SCHEDULER_LANG="en")
    env.pop("SCHEDULER_TOKEN", None)
    log = open(tmp / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "serve", "--port", str(port), "--scenarios",
         str(folder), "--runs", str(tmp / "runs"), "--max-upload-mb", str(UPLOAD_LIMIT_MB)],
        cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/scenarios", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((tmp / "server.log").read_text())
            time.sleep(0.1)
    yield {"url": url, "scenarios": folder, "runs": tmp / "runs", "proc": proc, "tmp": tmp}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def _alive(server) -> None:
    assert server["proc"].poll() is None
    with urllib.request.urlopen(server["url"] + "/scenarios", timeout=5) as r:
        assert r.status == 200


def test_edit_run_follow_open_and_download_the_workbook(server, page, tmp_path):
    page.goto(server["url"] + "/scenarios?lang=en")
    page.click("text=web_small")
    assert page.inner_text("#peak") == "4"
    page.fill("input[name='rules.min_rest_hours']", "11")
    page.fill("input[name='save_as']", "web_small_rest11.yaml")
    page.click("#save")
    page.wait_for_selector("#saved")
    assert page.url.endswith("/scenarios/web_small_rest11.yaml?saved=1")
    assert page.input_value("input[name='rules.min_rest_hours']") == "11"
    page.fill("#time-limit", "5")
    page.click("#start-run")
    page.wait_for_url("**/runs/*")
    # the page follows the run live and shows the results when it ends
    page.wait_for_selector("#kpis", timeout=TIMEOUT_MS)
    assert page.get_attribute("#progress", "data-status") == "done"
    assert page.inner_text("#run-status") == "done"
    run_id = page.url.rstrip("/").rsplit("/", 1)[1].split("?")[0]
    summary = json.loads((server["runs"] / run_id / "out" / "summary.json").read_text())
    assert page.inner_text(".kpi-headcount strong") == str(summary["headcount"])
    assert page.inner_text("#bound") == str(summary["headcount_lower_bound"])
    assert page.frame_locator("iframe.report").locator("body").inner_text()
    assert page.locator("#roster tbody tr").count() == min(summary["shifts"], 50)
    with page.expect_download() as info:
        page.click("#downloads a[href$='roster.xlsx']")
    saved = tmp_path / "roster.xlsx"
    info.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows(max_row=60)
             for c in row if c.value is not None]
    assert "A001" in cells  # the roster's agents are in the workbook read back
    rules = (server["runs"] / run_id / "out" / "scenario.yaml").read_text()
    assert "min_rest_hours: 11" in rules  # the run solved the edited scenario


def _bundled(server, *names) -> None:
    for name in names:
        shutil.copy(PROJECT / "scenarios" / name, server["scenarios"] / name)


def test_progress_is_followed_live_and_a_run_is_cancelled(server, page):
    """A week that uses its whole time limit: the page shows its phase and headcount
    while it runs (server-sent events), then its results; another is cancelled."""
    _bundled(server, "normal_week.yaml", "normal_week_demand.csv")
    page.goto(server["url"] + "/scenarios/normal_week.yaml?lang=en")
    page.fill("#time-limit", "4")
    page.click("#start-run")
    page.wait_for_url("**/runs/*")
    loads = []
    page.on("load", lambda: loads.append(page.url))
    assert page.get_attribute("#progress", "data-events")  # still running: followed live
    first = page.inner_text("#headcount")
    live = page.locator("[data-events] #headcount")
    sync_api.expect(live).not_to_have_text("–", timeout=TIMEOUT_MS)  # before the reload
    if first == "–":  # rendered before the child process reported: the events brought it
        assert loads == []
    assert page.locator("#phases li").count() >= 1  # the phases listed as they came
    page.wait_for_selector("#kpis")
    assert page.inner_text("#run-status") == "done"
    page.goto(server["url"] + "/scenarios/normal_week.yaml")
    page.fill("#time-limit", "60")
    page.click("#start-run")
    page.wait_for_url("**/runs/*")
    page.click("#cancel")
    page.wait_for_selector("#run-message")
    assert page.inner_text("#run-status") == "cancelled"
    run_id = page.url.rsplit("/", 1)[1]
    assert not (server["runs"] / run_id / "out" / "summary.json").exists()
    _alive(server)


def test_a_bad_value_shows_the_message_and_saves_nothing(server, page):
    page.goto(server["url"] + f"/scenarios/{SMALL}?lang=en")
    page.fill("input[name='rules.min_rest_hours']", "100")
    page.fill("input[name='save_as']", "never_saved.yaml")
    page.click("#save")
    page.wait_for_selector(".field-error")
    text = page.inner_text("label.invalid")
    assert "--set rules.min_rest_hours=100: Input should be less than or equal to 72" in text
    assert page.is_visible("#not-saved")
    assert not (server["scenarios"] / "never_saved.yaml").exists()


def test_traversal_and_an_oversized_upload_get_4xx_and_the_server_stays_up(server, page):
    for path in ("/scenarios/..%2F..%2Fetc%2Fpasswd", "/scenarios/%2e%2e/%2e%2e/etc/passwd",
                 "/runs/20260101-000000-abcdef/files/..%2F..%2Fruns.sqlite3"):
        response = page.goto(server["url"] + path)
        assert 400 <= response.status < 500, path
        assert "root:" not in page.content()
    _alive(server)
    page.goto(server["url"] + "/scenarios?lang=en")
    big = b"# padding\n" * int(UPLOAD_LIMIT_MB * 1_000_000 / 5)
    page.set_input_files("#upload input[type=file]",
                         files=[{"name": "big.yaml", "mimeType": "text/yaml", "buffer": big}])
    with page.expect_navigation() as nav:
        page.click("#upload button[type=submit]")
    assert nav.value.status == 413
    assert "too large" in page.inner_text("main")
    _alive(server)
    page.goto(server["url"] + "/scenarios?lang=en")
    page.set_input_files("#upload input[type=file]",
                         files=[{"name": "broken.yaml", "mimeType": "text/yaml",
                                 "buffer": b"name: broken\nhorizon: {days: 0}\n"}])
    with page.expect_navigation() as nav:
        page.click("#upload button[type=submit]")
    assert nav.value.status == 400
    assert "horizon" in page.inner_text("#upload-error")
    _alive(server)


def _solved_run(server) -> str:
    data = urllib.parse.urlencode({"scenario": SMALL, "kind": "solve", "time_limit": "5"})
    request = urllib.request.Request(server["url"] + "/runs", data=data.encode())
    with urllib.request.urlopen(request, timeout=10) as r:
        run_id = r.url.rstrip("/").rsplit("/", 1)[1]
    deadline = time.monotonic() + 60
    while not (server["runs"] / run_id / "out" / "summary.json").exists():
        assert time.monotonic() < deadline, "the run did not end"
        time.sleep(0.2)
    return run_id


def _history_text(days: int = 28) -> str:
    """Four weeks of hourly contacts on two channels, closed at night."""
    import datetime as dt

    import numpy as np

    from scheduler.forecast.history import write_history

    rng = np.random.default_rng(1)
    hour = np.tile(np.arange(24), days)
    lam = np.where(hour < 7, 0.0, 20 + 10 * np.sin(hour / 24 * np.pi))
    return write_history(None, dt.datetime(2026, 3, 2), 60,
                         {"voice": rng.poisson(lam), "chat": rng.poisson(2 * lam)})


def test_screenshots_of_the_main_pages_in_both_languages(server, browser, tmp_path):
    """The docs' pictures: written into docs/images when SCHEDULER_SCREENSHOTS=1 (to
    refresh them), else into a temporary folder (a test run leaves the tree clean)."""
    images = IMAGES if os.environ.get("SCHEDULER_SCREENSHOTS") == "1" else tmp_path
    run_id = _solved_run(server)
    images.mkdir(parents=True, exist_ok=True)
    history = tmp_path / "calls.csv"
    history.write_text(_history_text())
    _bundled(server, "normal_week.yaml", "normal_week_demand.csv", "double11.yaml",
             "double11_demand.csv", "618.yaml", "618_demand.csv")  # a fuller list to show
    for lang in ("en", "zh"):
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      locale="zh-CN" if lang == "zh" else "en-US")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(server["url"] + f"/scenarios?lang={lang}")
        page.screenshot(path=images / f"web-scenarios-{lang}.png")
        page.goto(server["url"] + f"/scenarios/{SMALL}")
        page.fill("input[name='rules.min_rest_hours']", "100")
        page.click("#save")
        page.wait_for_selector(".field-error")
        page.screenshot(path=images / f"web-scenario-{lang}.png", full_page=True)
        page.goto(server["url"] + f"/runs/{run_id}")
        page.wait_for_selector("#kpis")
        page.wait_for_timeout(500)  # the report in its frame draws its charts
        page.screenshot(path=images / f"web-run-{lang}.png", full_page=True)
        if lang == "zh":
            assert "排班" in page.inner_text("main")
        # a forecast from an uploaded history: the run page with its chart
        page.goto(server["url"] + "/forecast")
        page.set_input_files("input[name='file']", str(history))
        page.fill("#start", "2026-03-30")
        page.fill("#days", "7")
        page.click("#run-forecast")
        page.wait_for_selector("#forecast-page iframe", timeout=60_000)
        page.frame_locator("#forecast-page iframe").locator(
            "body[data-charts='ready']").wait_for()
        page.screenshot(path=images / f"web-forecast-{lang}.png", full_page=True)
        context.close()
    for name in ("scenarios", "scenario", "run", "forecast"):
        for lang in ("en", "zh"):
            assert (images / f"web-{name}-{lang}.png").stat().st_size > 10_000
