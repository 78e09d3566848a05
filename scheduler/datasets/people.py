"""Synthetic named staff and their requests (seeded): a team of full-timers and
part-timers with the mix a Chinese service centre has (some who work no nights, students
who work evenings and no weekday mornings, a joiner and a leaver), leave covering a share
of the person-days in blocks of one to five days, and a number of wishes per person (a
day off, a shift starting in a window, not a late shift)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

STAFF_COLUMNS = ("id", "name", "pool", "nights", "weekends", "earliest_start", "latest_end",
                 "max_weekly_hours", "start_date", "end_date", "team")
REQUEST_COLUMNS = ("id", "kind", "date", "start_date", "end_date", "shift_type",
                   "start_from", "start_until", "weight")

_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
             "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo")
_GIVEN = ("Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yan",
          "Jie", "Tao", "Ming", "Chao", "Xiu", "Hui", "Ping", "Gang", "Ling", "Hao", "Yu")


def make_staff(full_time: int, part_time: int, start: dt.date, days: int, seed: int = 0,
               full_pool: str = "full-time", part_pool: str = "part-time") -> list[dict]:
    """Rows of a staff file: `full_time` people of `full_pool`, then `part_time` of
    `part_pool`. One in eight full-timers works no nights, one in ten no weekends; a
    third of the part-timers are students (from 16:00 on weekdays' evenings, no nights,
    at most 20 h a week); one full-timer joins a week in, one leaves a week early."""
    rng = random.Random(seed)
    rows = []
    last = start + dt.timedelta(days=days - 1)
    for i in range(full_time + part_time):
        full = i < full_time
        row = {"id": f"E{i + 1:04d}", "pool": full_pool if full else part_pool,
               "name": f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}",
               "team": rng.choice(("north", "south"))}
        if full:
            if rng.random() < 1 / 8:
                row["nights"] = "false"
            if rng.random() < 1 / 10:
                row["weekends"] = "false"
        elif rng.random() < 1 / 3:
            row.update(nights="false", earliest_start="16:00", latest_end="24:00",
                       max_weekly_hours="20")
        rows.append(row)
    if full_time >= 2 and days > 14:
        rows[1]["start_date"] = (start + dt.timedelta(days=7)).isoformat()
        rows[2]["end_date"] = (last - dt.timedelta(days=7)).isoformat()
    return rows


def make_requests(staff: list[dict], start: dt.date, days: int, seed: int = 0,
                  leave_share: float = 0.05, wishes_per_person: int = 2,
                  shift_types: dict[str, list[str]] | None = None) -> list[dict]:
    """Rows of a requests file: leave in blocks of 1-5 days until about `leave_share` of
    the person-days are taken, then `wishes_per_person` wishes each (a day off, weight 1
    or 2; a shift starting 08:00-10:00; not a shift starting at 14:00 or later). Days
    outside a person's start and end dates are not asked for."""
    rng = random.Random(seed)
    rows: list[dict] = []
    taken: dict[str, set[int]] = {r["id"]: set() for r in staff}
    target = round(leave_share * len(staff) * days)
    placed = 0
    while placed < target:
        person = rng.choice(staff)
        length = min(rng.randint(1, 5), target - placed)
        first = rng.randrange(0, days - length + 1)
        span = set(range(first, first + length))
        if span & taken[person["id"]]:
            continue
        taken[person["id"]] |= span
        placed += length
        a = start + dt.timedelta(days=first)
        if length == 1:
            rows.append({"id": person["id"], "kind": "leave", "date": a.isoformat()})
        else:
            rows.append({"id": person["id"], "kind": "leave", "start_date": a.isoformat(),
                         "end_date": (a + dt.timedelta(days=length - 1)).isoformat()})
    for person in staff:
        for _ in range(wishes_per_person):
            free = [d for d in range(days) if d not in taken[person["id"]]]
            d = rng.choice(free)
            taken[person["id"]].add(d)
            date = (start + dt.timedelta(days=d)).isoformat()
            kind = rng.choice(("day_off", "day_off", "shift", "not_shift"))
            if person.get("earliest_start") and kind != "day_off":
                kind = "day_off"
            row = {"id": person["id"], "kind": kind, "date": date}
            if kind == "day_off":
                row["weight"] = rng.choice(("1", "1", "2"))
            elif kind == "shift":
                row.update(start_from="08:00", start_until="10:00")
            else:
                row.update(start_from="14:00", start_until="23:30")
            rows.append(row)
    return rows


def csv_text(rows: list[dict], columns: tuple[str, ...]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue()
