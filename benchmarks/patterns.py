"""What the pattern rules cost (issue 17, point 4): the bundled named month solved as it
is and with its `livable` variant (full-timers' starts within 120 minutes in a week, two
days off in a row every week), the same seeds and time limit, every roster checked.

Per run: headcount (named people plus hires), hires, paid hours, cost, requests honoured,
and the full-time pool's pattern figures (median and largest weekly start spread, share
of single days off); medians per variant and the difference. Writes
benchmarks/results/patterns.csv.

    python benchmarks/patterns.py [--runs 3] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from results_csv import write_rows  # noqa: E402
from scheduler.check import check_output_dir  # noqa: E402
from scheduler.engine.solve import solve  # noqa: E402
from scheduler.report.output import write_result  # noqa: E402
from scheduler.workload.loaded import load_scenario, with_options  # noqa: E402

SCENARIO = ROOT / "scenarios" / "named_month.yaml"
RESULTS = ROOT / "benchmarks" / "results" / "patterns.csv"
POOL = "full-time"


def one(variant: str | None, seed: int, seconds: float) -> dict:
    loaded = with_options(load_scenario(SCENARIO, (), variant), seed=seed)
    t0 = time.monotonic()
    result = solve(loaded, time_limit=seconds)
    wall = time.monotonic() - t0
    s = result.summary
    with tempfile.TemporaryDirectory(prefix="bench-patterns-") as tmp:
        sc = loaded.scenario
        write_result(result, Path(tmp), sc.horizon.start_date, sc.horizon.days, loaded)
        violations = len(check_output_dir(Path(tmp) / "scenario.yaml", Path(tmp)).violations)
    pattern = next((p for p in s.patterns or [] if p.pool == POOL), None)
    return {
        "variant": variant or "base", "seed": seed, "time_limit": seconds,
        "status": s.status, "headcount": s.headcount,
        "hires": sum(h.hires for h in s.hires_needed or []),
        "paid_hours": s.paid_hours, "cost": s.cost,
        "requests_honoured": s.requests.honoured if s.requests else "",
        "median_start_spread_minutes": getattr(pattern, "median_start_spread_minutes", ""),
        "max_start_spread_minutes": getattr(pattern, "max_start_spread_minutes", ""),
        "single_days_off_share": getattr(pattern, "single_days_off_share", ""),
        "wall_s": round(wall, 1), "violations": violations,
        "load_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--csv", "--out", dest="out", type=Path, default=RESULTS)
    args = ap.parse_args()
    rows = []
    for seed in range(args.runs):
        for variant in (None, "livable"):
            row = one(variant, seed, args.time_limit)
            print(row, flush=True)
            rows.append(row)
            write_rows(args.out, rows)
    keys = ["headcount", "hires", "paid_hours", "requests_honoured",
            "median_start_spread_minutes", "single_days_off_share", "violations"]
    print("\n| variant | " + " | ".join(keys) + " |")
    print("|---|" + "---|" * len(keys))
    for variant in ("base", "livable"):
        mine = [r for r in rows if r["variant"] == variant]
        cells = []
        for k in keys:
            values = [r[k] for r in mine if r[k] != ""]
            cells.append(f"{statistics.median(values):g}" if values else "-")
        print(f"| {variant} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
