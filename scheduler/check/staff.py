"""Named staff checked: the checker's own reading of the staff and requests files, each
person's shifts against their pool, working days, leave, availability window, nights,
weekends, weekly hours (scaled by the days they can work), the comprehensive-hours cap,
start-time variation, forward rotation and days off in pairs; and its own count of
requests honoured and of nights, weekends, holidays and late finishes per person, to
compare with summary.json."""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
from pathlib import Path

from scheduler import models
from scheduler.check.grid import Grid
from scheduler.check.report import Violation
from scheduler.check.roster import ShiftRecord

HOURS_TOL = 1e-6
TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n"}
NIGHT_END = 6 * 60
LATE_END = 22 * 60


def _csv_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
        return [{k: (v or "").strip() for k, v in row.items() if k is not None}
                for row in reader]


def _person(row: dict) -> models.StaffMember:
    fields = models.StaffMember.model_fields
    data: dict = {}
    tags = {}
    for key, text in row.items():
        if not text:
            continue
        if key not in fields:
            tags[key] = text
        elif key == "serves":
            data[key] = [q for q in text.replace("|", ";").split(";") if q.strip()]
        elif key in ("nights", "weekends"):
            data[key] = text.lower() in TRUE if text.lower() in TRUE | FALSE else text
        else:
            data[key] = text
    return models.StaffMember.model_validate({**data, "tags": tags})


def load_staff(scenario: models.Scenario, scenario_dir: Path
               ) -> tuple[list[models.StaffMember], list[models.StaffRequest]]:
    """The scenario's named people and requests, from its files or its own lists."""
    staff = scenario.staff
    if staff is None:
        return [], []
    people = list(staff.people)
    if staff.file is not None:
        people = [_person(r) for r in _csv_rows(scenario_dir / staff.file)]
    requests = list(scenario.requests.items)
    if scenario.requests.file is not None:
        requests = [models.StaffRequest.model_validate({k: v for k, v in r.items() if v})
                    for r in _csv_rows(scenario_dir / scenario.requests.file)]
    return people, requests


def with_named_standing(scenario: models.Scenario,
                        people: list[models.StaffMember]) -> models.Scenario:
    """Each pool's standing is its number of named people; the people inline (as read
    from the staff file), for what is checked of their serves (check/transport.py)."""
    pools = [p.model_copy(update={"standing": sum(1 for m in people if m.pool == p.name)})
             for p in scenario.pools]
    staff = scenario.staff.model_copy(update={"people": list(people), "file": None}) \
        if scenario.staff is not None else None
    return scenario.model_copy(update={"pools": pools, "staff": staff})


def _hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _times(sh: ShiftRecord) -> tuple[int, int]:
    """Start and end in minutes from 00:00 of the shift's day."""
    start = sh.ns - sh.day * 1440
    return start, start + (sh.e - sh.s)


def _figures(sh: ShiftRecord, date: dt.date, holidays: set[dt.date],
             makeup: set[dt.date] = frozenset()) -> set[str]:
    start, end = _times(sh)
    out = set()
    if any(start < base + NIGHT_END and end > base for base in (0, 1440)):
        out.add("nights")
    elif end > LATE_END:
        out.add("late_finishes")
    if date.isoweekday() >= 6 and date not in makeup:
        out.add("weekends")
    if date in holidays:
        out.add("holidays")
    return out


def _blocked(person: models.StaffMember, requests: list[models.StaffRequest]) -> set[dt.date]:
    days: set[dt.date] = set()
    for r in requests:
        if r.id == person.id and r.kind in ("leave", "unavailable"):
            days.update(r.days())
    return days


def check_staff(shifts: list[ShiftRecord], scenario: models.Scenario, grid: Grid,
                people: list[models.StaffMember], requests: list[models.StaffRequest],
                out: list[Violation]) -> None:
    """Every named person's shifts against their own limits and their pool's pattern
    rules."""
    first = scenario.horizon.start_date
    pools = {p.name: p for p in scenario.pools}
    mine: dict[str, list[ShiftRecord]] = {}
    for sh in shifts:
        mine.setdefault(sh.agent, []).append(sh)
    for person in people:
        pool = pools.get(person.pool)
        rules = scenario.rules_for(pool)
        blocked = _blocked(person, requests)
        worked: dict[int, ShiftRecord] = {}
        for sh in sorted(mine.get(person.id, []), key=lambda s: s.ns):
            date = first + dt.timedelta(days=sh.day)
            start, end = _times(sh)
            where = f"{sh.where}: {person.id}"
            worked[sh.day] = sh
            problems = []
            if sh.pool != person.pool:
                problems.append(("staff_pool", f"works for pool {sh.pool!r}; the staff file "
                                 f"puts them in {person.pool!r}"))
            if not person.works_on(date):
                problems.append(("staff_dates", f"works on {date}, outside their dates "
                                 f"{person.start_date or '-'}..{person.end_date or '-'}"))
            if date in blocked:
                problems.append(("leave", f"works on {date}, a day of leave or unavailability"))
            if not person.weekends and date.isoweekday() >= 6:
                problems.append(("weekends", f"works on {date}, a weekend; they work no "
                                 "weekends"))
            if not person.nights and "nights" in _figures(sh, date, set()):
                problems.append(("nights", "works between 00:00 and 06:00; they work no "
                                 "nights"))
            if person.earliest_start and start < _hhmm(person.earliest_start):
                problems.append(("availability", f"starts before {person.earliest_start}"))
            if person.latest_end and end > _hhmm(person.latest_end):
                problems.append(("availability", f"ends after {person.latest_end}"))
            for rule, message in problems:
                out.append(Violation(rule, f"{where} {message}", person.id, sh.start))
        _weeks(person, pool, rules, worked, blocked, grid, first, out)
        if pool is not None:
            _patterns(person, pool, worked, grid, out)


def _weeks(person, pool, rules, worked: dict[int, ShiftRecord], blocked: set[dt.date],
           grid: Grid, first: dt.date, out: list[Violation]) -> None:
    """Weekly paid hours within the person's range; the comprehensive cap per period."""
    comp = pool.comprehensive_hours_system if pool is not None else None
    for block in range(-(-grid.days // 7)):
        days = [d for d in range(7 * block, min(grid.days, 7 * block + 7))]
        lead = [-1] if block == 0 and not grid.cyclic else []
        minutes = sum(worked[d].contract for d in days + lead if d in worked)
        can = sum(1 for d in days if person.works_on(first + dt.timedelta(days=d))
                  and first + dt.timedelta(days=d) not in blocked
                  and (person.weekends or (first + dt.timedelta(days=d)).isoweekday() < 6))
        n = len(days)
        cap = comp.max_weekly_hours if comp is not None else rules.max_weekly_paid_hours
        if person.max_weekly_hours is not None:
            cap = person.max_weekly_hours if cap is None else min(cap, person.max_weekly_hours)
        hours = minutes / 60
        when = grid.day_start(7 * block)
        if cap is not None and hours > cap * n / 7 + HOURS_TOL + 1 / 60:
            out.append(Violation("max_weekly_hours", f"{person.id} is paid {hours:g} h in "
                                 f"week {block + 1}; at most {cap * n / 7:g} h", person.id, when))
        low = person.min_weekly_hours if person.min_weekly_hours is not None \
            else rules.min_weekly_paid_hours
        need = round(low * 60 * can / 7) / 60 if n == 7 else 0
        if hours < need - HOURS_TOL:
            out.append(Violation("min_weekly_hours", f"{person.id} is paid {hours:g} h in "
                                 f"week {block + 1}; at least {need:g} h ({can} days they can "
                                 "work)", person.id, when))
    if comp is not None:
        groups: dict[tuple[int, int], list[int]] = {}
        for d in range(grid.days):
            date = first + dt.timedelta(days=d)
            part = date.month if comp.period == "month" else (date.month - 1) // 3
            groups.setdefault((date.year, part), []).append(d)
        for key, days in groups.items():
            minutes = sum(worked[d].contract for d in days if d in worked)
            cap = int(comp.max_average_weekly_hours * 60 * len(days) // 7)
            if minutes > cap:
                out.append(Violation(
                    "comprehensive_hours", f"{person.id} is paid {minutes / 60:g} h in the "
                    f"{comp.period} from {first + dt.timedelta(days=days[0])}; the average of "
                    f"{comp.max_average_weekly_hours:g} h a week allows {cap / 60:g} h",
                    person.id, grid.day_start(days[0])))


def _patterns(person, pool, worked: dict[int, ShiftRecord], grid: Grid,
              out: list[Violation]) -> None:
    spread = person.max_start_variation_minutes
    if spread is None:
        spread = pool.max_start_variation_minutes
    for block in range(-(-grid.days // 7)):
        days = [d for d in range(7 * block - (1 if block == 0 else 0), 7 * block + 7)
                if d in worked]
        starts = [_times(worked[d])[0] for d in days]
        if spread is not None and starts and max(starts) - min(starts) > spread:
            out.append(Violation("start_variation", f"{person.id}'s starts in week "
                                 f"{block + 1} vary by {max(starts) - min(starts)} minutes; "
                                 f"at most {spread}", person.id, grid.day_start(7 * block)))
        full = 7 * block + 7 <= grid.days
        if pool.days_off_in_pairs and full:
            pair = any(d not in worked and d + 1 not in worked
                       for d in range(7 * block, 7 * block + 6))
            if not pair:
                out.append(Violation("days_off_in_pairs", f"{person.id} has no two days off "
                                     f"in a row in week {block + 1}", person.id,
                                     grid.day_start(7 * block)))
    if pool.forward_rotation:
        for d, sh in worked.items():
            nxt = worked.get(d + 1)
            if nxt is not None and _times(nxt)[0] < _times(sh)[0]:
                out.append(Violation("forward_rotation", f"{person.id} starts earlier on day "
                                     f"{d + 2} than on day {d + 1}", person.id, nxt.start))


def honoured(requests: list[models.StaffRequest], shifts: list[ShiftRecord],
             first: dt.date) -> dict[str, tuple[int, int]]:
    """Per request kind: (requests, honoured on every day they cover)."""
    by: dict[tuple[str, dt.date], ShiftRecord] = {}
    for sh in shifts:
        by[(sh.agent, first + dt.timedelta(days=sh.day))] = sh
    out: dict[str, tuple[int, int]] = {}
    for r in requests:
        ok = True
        for date in r.days():
            sh = by.get((r.id, date))
            if r.kind in ("leave", "unavailable", "day_off"):
                ok = ok and sh is None
            else:
                hit = sh is not None and r.matches(sh.type_name, _times(sh)[0])
                ok = ok and (hit if r.kind == "shift" else not hit)
        total, good = out.get(r.kind, (0, 0))
        out[r.kind] = (total + 1, good + ok)
    return out


def fairness(scenario: models.Scenario, people: list[models.StaffMember],
             shifts: list[ShiftRecord]) -> dict[tuple[str, str], tuple[int, float, int]]:
    """Per (pool, figure): the min, median and max count over the pool's named people."""
    first = scenario.horizon.start_date
    holidays = set(scenario.holidays)
    counts = {p.id: {} for p in people}
    for sh in shifts:
        if sh.agent in counts:
            for f in _figures(sh, first + dt.timedelta(days=sh.day), holidays,
                              set(scenario.makeup_workdays)):
                counts[sh.agent][f] = counts[sh.agent].get(f, 0) + 1
    out = {}
    for pool in scenario.pools:
        ids = [p.id for p in people if p.pool == pool.name]
        if not ids:
            continue
        for figure in ("nights", "weekends", "holidays", "late_finishes"):
            values = [counts[i].get(figure, 0) for i in ids]
            out[(pool.name, figure)] = (min(values), statistics.median(values), max(values))
    return out


def compare_staff_summary(path: Path, scenario: models.Scenario,
                          people: list[models.StaffMember],
                          requests: list[models.StaffRequest], shifts: list[ShiftRecord],
                          out: list[Violation]) -> None:
    """summary.json's requests and fairness against the checker's own counts."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # the summary comparison names an unreadable file
    if summary.get("status") not in ("optimal", "feasible"):
        return
    mine = honoured(requests, shifts, scenario.horizon.start_date)
    theirs = (summary.get("requests") or {}).get("by_kind", {})
    for kind, (total, good) in mine.items():
        row = theirs.get(kind, {})
        if row.get("total") != total or row.get("honoured") != good:
            out.append(Violation("summary_mismatch", f"{path.name}: requests of kind {kind} "
                                 f"are {row.get('total')} with {row.get('honoured')} honoured; "
                                 f"the roster gives {total} with {good}"))
    rows = {(r["pool"], r["figure"]): r for r in summary.get("fairness") or []}
    for key, (lo, mid, hi) in fairness(scenario, people, shifts).items():
        row = rows.get(key)
        if row is None or (row["min"], row["median"], row["max"]) != (lo, mid, hi):
            out.append(Violation("summary_mismatch", f"{path.name}: fairness {key[1]} of "
                                 f"pool {key[0]} is {row and (row['min'], row['median'], row['max'])}; "
                                 f"the roster gives {(lo, mid, hi)}"))
