"""Make the documentation's picture of the HTML report (docs/images/report.png).

    PYTHONPATH=$PWD python docs/screenshots.py            # from the project root
    PYTHONPATH=$PWD python docs/screenshots.py --scenario scenarios/workload_week.yaml
    PYTHONPATH=$PWD python docs/screenshots.py --lang zh --out docs/images/report-zh.png

Solves a bundled scenario with `scheduler solve` into a temporary folder, opens the
report.html it wrote in the same headless Chromium the report tests use (Debian's
`chromium`, driven over the DevTools protocol by tests/report/browser.py, which needs the
`test` extra's websocket-client), checks the page loaded without errors or requests, and
saves a screenshot of the top of the page: KPI cards, on duty versus required, the
heatmap (once Vega has drawn the charts). Run it again when the report's look changes and commit the PNG.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "report"))

from browser import Browser  # noqa: E402  (tests/report/browser.py)

DEFAULT_SCENARIO = ROOT / "scenarios" / "normal_week.yaml"
DEFAULT_OUT = ROOT / "docs" / "images" / "report.png"


def solve(scenario: Path, out_dir: Path, time_limit_seconds: float, lang: str = "en") -> None:
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                         if p)}
    subprocess.run([sys.executable, "-m", "scheduler", "solve", str(scenario),
                    "--out", str(out_dir), "--time-limit", str(time_limit_seconds), "--quiet",
                    "--lang", lang],
                   cwd=ROOT, env=env, check=True)


def screenshot(report: Path, png: Path, width_px: int, height_px: int) -> None:
    with Browser() as browser:
        browser.load(report, width=width_px, height=height_px)
        drawn = browser.wait_until("document.body.getAttribute('data-charts')")
        if drawn != "ready":
            raise SystemExit(f"screenshots: the charts of {report} were not drawn ({drawn})")
        errors, requests = browser.errors(), browser.requests()
        outside = [u for u in requests if not u.startswith("file:")]
        if errors or outside:
            raise SystemExit(f"screenshots: {report} did not load cleanly: "
                             f"errors {errors}, requests {outside}")
        png.parent.mkdir(parents=True, exist_ok=True)
        browser.screenshot(png)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO,
                    help="bundled scenario to solve [default: scenarios/normal_week.yaml]")
    ap.add_argument("--time-limit", type=float, default=30.0, help="seconds for the solve")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PNG to write")
    ap.add_argument("--width", type=int, default=1300, help="viewport width in pixels")
    ap.add_argument("--height", type=int, default=1000, help="viewport height in pixels")
    ap.add_argument("--lang", default="en", help="language of the report: en or zh")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="report-shot-") as tmp:
        out_dir = Path(tmp) / "out"
        solve(args.scenario.resolve(), out_dir, args.time_limit, args.lang)
        screenshot(out_dir / "report.html", args.out.resolve(), args.width, args.height)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
