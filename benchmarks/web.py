"""The web page's speed (issue 19): how fast pages answer while a solve runs, and how
fast the result page of a 1,000-agent x 28-day roster is served and drawn.

A real `scheduler serve` is started on a free loopback port with a copy of the bundled
normal_week scenario. Each page is requested REPEAT times with the machine idle, then
again while a solve of normal_week runs (its own process, CP-SAT with the scenario's two
workers on this 2-core machine, --time-limit SOLVE_SECONDS). Then a synthetic result of
AGENTS agents x DAYS days (scheduler/report/synthetic.py, written by write_result as a
solve writes it) is put in the runs folder as a finished run, and its result page, its
last roster page, report.html and calendars.zip are timed over HTTP; with Playwright and
Chromium present, the result page is also loaded in headless Chromium until its load
event (the report in its frame included).

    python benchmarks/web.py [--repeat 20] [--solve-seconds 30] [--agents 1000] [--days 28]
                             [--csv benchmarks/results/web.csv]

Prints Markdown tables (median, 95th percentile and slowest, in milliseconds); with --csv
one row per request and state (idle / solve running / result / Chromium), from which
benchmarks/run_all.py renders the tables in docs/benchmarks.md. Only loopback traffic;
every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, data: bytes | None = None) -> tuple[float, int, str]:
    """Seconds, body size and final URL of one request."""
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as r:
        body = r.read()
        final = r.url
    return time.perf_counter() - started, len(body), final


def figures(values: list[float]) -> dict:
    """Median, 95th percentile and slowest of times in seconds, as milliseconds."""
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return {"median_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ms[-1], 1), "requests": len(ms)}


def stats(values: list[float]) -> str:
    f = figures(values)
    return f"{f['median_ms']:.0f} | {f['p95_ms']:.0f} | {f['max_ms']:.0f}"


def time_pages(base: str, pages: list[str], repeat: int, pause: float = 0.1) -> dict:
    times: dict[str, list[float]] = {p: [] for p in pages}
    for _ in range(repeat):
        for p in pages:
            times[p].append(fetch(base + p)[0])
            time.sleep(pause)
    return times


def synthetic_run(runs: Path, agents: int, days: int) -> str:
    from scheduler.report.output import write_result
    from scheduler.report.synthetic import synthetic_result, synthetic_scenario
    from scheduler.web.store import RunStore, now

    store = RunStore(runs)
    run = store.add("solve", "synthetic.yaml", {}, status="running")  # not queued: not run
    result = synthetic_result(agents, days, pools=("phone", "chat"))
    scenario = synthetic_scenario(days)
    write_result(result, store.folder(run.id) / "out", scenario.horizon.start_date, days,
                 scenario)
    store.update(run.id, status="done", started=now(), finished=now(), exit_code=0, pid=None)
    return run.id


def browser_load(url: str, repeat: int) -> list[float] | None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(chromium).exists():
        return None
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(url, wait_until="load", timeout=60_000)
            times.append(time.perf_counter() - started)
            context.close()
        browser.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--solve-seconds", type=float, default=30.0)
    ap.add_argument("--agents", type=int, default=1000)
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--csv", type=Path, default=None, help="also write one row per request")
    args = ap.parse_args()
    rows: list[dict] = []

    def row(part: str, request: str, state: str, times: list[float], **extra) -> None:
        rows.append({"part": part, "request": request, "state": state, **figures(times),
                     "size_mb": extra.get("size_mb", ""), "agents": args.agents,
                     "days": args.days, "shifts": extra.get("shifts", ""),
                     "write_s": extra.get("write_s", ""),
                     "load_avg_1min": round(os.getloadavg()[0], 2)})

    tmp = Path(tempfile.mkdtemp(prefix="web-bench-"))
    scenarios = tmp / "scenarios"
    scenarios.mkdir()
    for name in ("normal_week.yaml", "normal_week_demand.csv"):
        shutil.copy(ROOT / "scenarios" / name, scenarios / name)
    runs = tmp / "runs"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(ROOT), SCHEDULER_LANG="en")
    server = subprocess.Popen([sys.executable, "-m", "scheduler", "serve", "--port", str(port),
                               "--scenarios", str(scenarios), "--runs", str(runs)],
                              env=env, cwd=tmp, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(base + "/scenarios")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
        pages = ["/scenarios", "/scenarios/normal_week.yaml", "/runs", "/static/style.css"]
        idle = time_pages(base, pages, args.repeat)
        form = urllib.parse.urlencode({"scenario": "normal_week.yaml", "kind": "solve",
                                       "time_limit": str(args.solve_seconds)}).encode()
        _, _, run_url = fetch(base + "/runs", form)
        run_page = urllib.parse.urlsplit(run_url).path
        time.sleep(2.0)  # the solve is under way
        busy = time_pages(base, pages + [run_page], args.repeat)
        load = os.getloadavg()[0]
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}; 1-minute load average at the end of the busy "
              f"part {load:.1f}; {args.repeat} requests a page\n")
        print("| page | idle: median ms | p95 ms | max ms | solve running: median ms | p95 ms | "
              "max ms |")
        print("|---|---|---|---|---|---|---|")
        for p in pages + [run_page]:
            shown = "/runs/ID (the running run)" if p == run_page else p
            print(f"| `{shown}` | {stats(idle[p]) if p in idle else '- | - | -'} | "
                  f"{stats(busy[p])} |")
            if p in idle:
                row("pages", shown, "idle", idle[p])
            row("pages", shown, "solve running", busy[p])
        # wait for the solve to end (bounded) so the next part runs on a quiet machine
        from scheduler.web.store import FINISHED, RunStore

        solving = RunStore(runs)
        solve_id = run_page.rsplit("/", 1)[1]
        deadline = time.monotonic() + args.solve_seconds + 60
        while time.monotonic() < deadline and solving.get(solve_id).status not in FINISHED:
            time.sleep(1)
        started = time.perf_counter()
        run_id = synthetic_run(runs, args.agents, args.days)
        made = time.perf_counter() - started
        shifts = sum(1 for _ in open(runs / run_id / "out" / "shifts.csv")) - 1
        print(f"\nResult of {args.agents:,} agents x {args.days} days ({shifts:,} shifts; "
              f"written in {made:.1f} s by write_result):\n")
        result_pages = [f"/runs/{run_id}", f"/runs/{run_id}?page=1000",
                        f"/runs/{run_id}/files/report.html", f"/runs/{run_id}/calendars.zip"]
        result = time_pages(base, result_pages, max(5, args.repeat // 2))
        print("| request | median ms | p95 ms | max ms | size |")
        print("|---|---|---|---|---|")
        for p in result_pages:
            size = fetch(base + p)[1]
            print(f"| `{p.replace(run_id, 'ID')}` | {stats(result[p])} | {size / 1e6:.2f} MB |")
            row("result", p.replace(run_id, "ID"), "idle", result[p],
                size_mb=round(size / 1e6, 2), shifts=shifts, write_s=round(made, 1))
        loads = browser_load(base + f"/runs/{run_id}", 5)
        if loads:
            print(f"| Chromium: result page to its load event (report frame included) | "
                  f"{stats(loads)} | |")
            row("chromium", "/runs/ID", "idle", loads, shifts=shifts, write_s=round(made, 1))
        print(f"\n{len(loads or [])} Chromium loads; HTTP times are the whole answer, body "
              "included, read by urllib on the same machine.")
        if args.csv:
            from results_csv import write_rows

            write_rows(args.csv, rows)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
