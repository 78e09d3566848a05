"""Compare a new benchmark results CSV with the committed one and flag regressions.

    python benchmarks/regress.py NEW.csv [--baseline benchmarks/results/scale.csv]
        [--gap-tolerance 0.001] [--time-factor 1.5] [--time-min 2]

The baseline defaults to the file of the same name in benchmarks/results/. Rows are
matched on the key columns of their kind (detected from the header):

* msd.py    -- set, instance; gap is `gap` (vs best known), time is `seconds`;
* scale.py  -- level, horizon, peak, method; gap is `gap` (vs LP or headcount bound);
* peer_pyworkforce.py -- case, engine, setting (and run, when --runs wrote several); no gap column: `paid_hours` worse by
  more than the gap tolerance (relative) and more short agent-slots count instead.

A case is flagged when its gap grew by more than the tolerance (0.001 = 0.1 percentage
point), when it lost a solution the baseline had, or when its time grew by more than the
noise factor *and* by at least --time-min seconds (runs that stop at their time limit
take the limit either way, so a limit change shows up as a slowdown). Cases missing from
either file are listed but not flagged (a reduced grid is fine). Exit status 1 when
anything is flagged, 0 otherwise, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Kind:
    name: str
    keys: tuple[str, ...]
    gap: str | None = None
    """Lower is better, absolute difference (a fraction: 0.001 is 0.1 point)."""
    relative: tuple[str, ...] = ()
    """Lower is better, relative difference."""
    counts: tuple[str, ...] = ()
    """Lower is better, any increase is flagged."""
    time: str = "seconds"
    runs: str | None = None
    """A column numbering repeated runs of a case (part of the key; missing is run 0)."""


KINDS = (
    Kind("scale", ("level", "horizon", "peak", "method"), gap="gap"),
    Kind("msd", ("set", "instance"), gap="gap"),
    Kind("peer", ("case", "engine", "setting"), relative=("paid_hours",),
         counts=("short_agent_slots",), runs="run"),
)

SOLVED = {"optimal", "feasible"}


def detect(header: list[str]) -> Kind:
    for kind in KINDS:
        if set(kind.keys) <= set(header):
            return kind
    raise ValueError(f"unknown results file: no known key columns in {header}")


def _num(value) -> float | None:
    if value is None or value == "" or value == "None":
        return None
    try:
        return float(value)
    except ValueError:
        return None


@dataclass
class Thresholds:
    gap_tolerance: float = 0.001
    time_factor: float = 1.5
    time_min: float = 2.0


def compare_row(kind: Kind, old: dict, new: dict, th: Thresholds) -> list[str]:
    """Why `new` is worse than `old` (empty when it is not)."""
    flags = []
    old_status, new_status = old.get("status"), new.get("status")
    if old_status in SOLVED and new_status is not None and new_status not in SOLVED:
        flags.append(f"status {old_status} -> {new_status}")
    if kind.gap:
        g0, g1 = _num(old.get(kind.gap)), _num(new.get(kind.gap))
        if g0 is not None and g1 is None:
            flags.append(f"{kind.gap} {g0:.4%} -> none")
        elif g0 is not None and g1 - g0 > th.gap_tolerance + 1e-12:
            flags.append(f"{kind.gap} {g0:.4%} -> {g1:.4%} (+{(g1 - g0) * 100:.3f} points)")
    for col in kind.relative:
        v0, v1 = _num(old.get(col)), _num(new.get(col))
        if v0 is not None and v1 is None:
            flags.append(f"{col} {v0:g} -> none")
        elif v0 and v1 is not None and (v1 - v0) / abs(v0) > th.gap_tolerance + 1e-12:
            flags.append(f"{col} {v0:g} -> {v1:g} (+{(v1 - v0) / abs(v0):.3%})")
    for col in kind.counts:
        v0, v1 = _num(old.get(col)), _num(new.get(col))
        if v0 is not None and v1 is not None and v1 > v0:
            flags.append(f"{col} {v0:g} -> {v1:g}")
    t0, t1 = _num(old.get(kind.time)), _num(new.get(kind.time))
    if t0 is not None and t1 is not None and t1 > t0 * th.time_factor and t1 - t0 >= th.time_min:
        flags.append(f"{kind.time} {t0:g} -> {t1:g} (x{t1 / max(t0, 1e-9):.2f})")
    return flags


def key_of(kind: Kind, row: dict) -> tuple[str, ...]:
    key = tuple(str(row.get(k, "")) for k in kind.keys)
    if kind.runs:
        key += (f"run {row.get(kind.runs) or 0}",)
    return key


def compare(kind: Kind, old_rows: list[dict], new_rows: list[dict], th: Thresholds
            ) -> tuple[dict[tuple, list[str]], list[tuple], list[tuple]]:
    """(flags per key, keys only in the baseline, keys only in the new run)."""
    old = {key_of(kind, r): r for r in old_rows}
    new = {key_of(kind, r): r for r in new_rows}
    flagged = {}
    for key, row in new.items():
        if key in old:
            why = compare_row(kind, old[key], row, th)
            if why:
                flagged[key] = why
    return flagged, [k for k in old if k not in new], [k for k in new if k not in old]


def read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("new", type=Path)
    ap.add_argument("--baseline", type=Path, default=None)
    ap.add_argument("--gap-tolerance", type=float, default=0.001)
    ap.add_argument("--time-factor", type=float, default=1.5)
    ap.add_argument("--time-min", type=float, default=2.0)
    args = ap.parse_args(argv)
    baseline = args.baseline or RESULTS / args.new.name
    try:
        new_header, new_rows = read(args.new)
        old_header, old_rows = read(baseline)
        kind = detect(new_header)
        if detect(old_header) != kind:
            raise ValueError(f"{args.new} and {baseline} are different kinds of results")
    except (OSError, ValueError) as exc:
        print(f"regress: {exc}", file=sys.stderr)
        return 2
    th = Thresholds(args.gap_tolerance, args.time_factor, args.time_min)
    flagged, missing, added = compare(kind, old_rows, new_rows, th)
    print(f"{kind.name}: {len(new_rows)} new rows against {len(old_rows)} in {baseline} "
          f"(gap tolerance {th.gap_tolerance:g}, time x{th.time_factor:g} and +{th.time_min:g} s)")
    for key, why in flagged.items():
        print(f"WORSE {'/'.join(key)}: {'; '.join(why)}")
    if missing:
        print(f"not run: {len(missing)} baseline cases")
    for key in added:
        print(f"new case (no baseline): {'/'.join(key)}")
    if not flagged:
        print("no regression")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
