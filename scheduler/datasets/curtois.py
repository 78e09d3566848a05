"""Reader for the employee-rostering instances of Curtois and Qu (2014), the "Shift
Scheduling Benchmark Data Sets" (Instances 1-24) of the University of Nottingham: named
employees over 2 to 52 weeks, shift types with lengths and forbidden successors, per-person
hard rules, days off, shift-on and shift-off requests and cover targets. The text format is
described in shared/benchmarks/curtois/FORMAT.md; the text files are read (not the XML).

`read_instance` returns an immutable `CurtoisInstance`; a malformed file raises
scheduler.errors.InputError naming the file and the line. Days are counted from 0, and
day 0 is a Monday (so d % 7 == 5 is a Saturday). Times are whole minutes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scheduler.errors import InputError

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


@dataclass(frozen=True)
class CurtoisShift:
    id: str
    length_minutes: int
    cannot_follow: tuple[str, ...]
    """Shift types that may not be worked on the day after this one."""


@dataclass(frozen=True)
class CurtoisStaff:
    id: str
    max_shifts: tuple[tuple[str, int], ...]
    """(shift id, most shifts of that type in the horizon), one pair per shift type;
    0 means the person cannot work that type."""
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int
    days_off: frozenset[int] = field(default_factory=frozenset)
    """Days on which the person works no shift."""

    def max_of(self, shift_id: str) -> int:
        return dict(self.max_shifts)[shift_id]


@dataclass(frozen=True)
class CurtoisRequest:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class CurtoisCover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    """Penalty per person missing below the requirement."""
    weight_over: int
    """Penalty per person above the requirement."""


@dataclass(frozen=True)
class CurtoisInstance:
    name: str
    days: int
    shifts: tuple[CurtoisShift, ...]
    staff: tuple[CurtoisStaff, ...]
    on_requests: tuple[CurtoisRequest, ...]
    off_requests: tuple[CurtoisRequest, ...]
    cover: tuple[CurtoisCover, ...]

    @property
    def shift_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.shifts)

    @property
    def weekends(self) -> tuple[tuple[int, int], ...]:
        """(Saturday, Sunday) pairs inside the horizon."""
        return tuple((d, d + 1) for d in range(5, self.days - 1, 7))


# ---------------------------------------------------------------- parsing


def _lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, stripped text); CRLF and CR are accepted, comments kept out,
    blank lines kept (they end a section)."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        out.append((number, line))
    return out


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, message: str, line: int | None) -> InputError:
        return InputError(message, file=self.file, line=line)

    def int_(self, text: str, what: str, line: int, minimum: int = 0) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise self.error(f"{what} must be a whole number, not '{text.strip()}'", line)
        if value < minimum:
            raise self.error(f"{what} must be at least {minimum}, not {value}", line)
        return value

    def fields(self, line: str, number: int, count: int, what: str) -> list[str]:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != count:
            raise self.error(f"{what}: expected {count} comma-separated fields, found "
                             f"{len(parts)}", number)
        return parts


def _sections(reader: _Reader, text: str) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    for number, line in _lines(text):
        if not line:
            current = None
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise reader.error(f"unknown section '{line}'", number)
            if line in found:
                raise reader.error(f"section {line} appears twice", number)
            current = found[line] = []
            continue
        if current is None:
            raise reader.error(f"data outside a section: '{line[:40]}'", number)
        current.append((number, line))
    for name in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER"):
        if name not in found:
            raise reader.error(f"no {name} section", None)
    return found


def parse_curtois(text: str, name: str, file: str | None = None) -> CurtoisInstance:
    """An instance from the text of a file; errors name `file` (default `name`)."""
    reader = _Reader(file or name)
    sections = _sections(reader, text)

    horizon = sections["SECTION_HORIZON"]
    if len(horizon) != 1:
        raise reader.error("SECTION_HORIZON holds one number, the days of the horizon",
                           horizon[1][0] if len(horizon) > 1 else None)
    days = reader.int_(horizon[0][1], "horizon", horizon[0][0], minimum=1)

    shifts: list[CurtoisShift] = []
    for number, line in sections["SECTION_SHIFTS"]:
        sid, length, follow = reader.fields(line, number, 3, "shift")
        if not sid:
            raise reader.error("shift without an id", number)
        if sid in {s.id for s in shifts}:
            raise reader.error(f"shift '{sid}' defined twice", number)
        banned = tuple(x.strip() for x in follow.split("|") if x.strip())
        shifts.append(CurtoisShift(sid, reader.int_(length, f"length of shift {sid}", number, 1),
                                   banned))
    if not shifts:
        raise reader.error("SECTION_SHIFTS lists no shift", None)
    ids = {s.id for s in shifts}
    lines_of = dict(zip((s.id for s in shifts), (n for n, _ in sections["SECTION_SHIFTS"])))
    for s in shifts:
        for other in s.cannot_follow:
            if other not in ids:
                raise reader.error(f"shift '{s.id}': unknown shift '{other}' cannot follow",
                                   lines_of[s.id])

    staff_rows: list[tuple[int, dict]] = []
    for number, line in sections["SECTION_STAFF"]:
        parts = reader.fields(line, number, 8, "staff")
        eid = parts[0]
        if not eid:
            raise reader.error("employee without an id", number)
        if eid in {row["id"] for _, row in staff_rows}:
            raise reader.error(f"employee '{eid}' defined twice", number)
        caps: dict[str, int] = {}
        for item in parts[1].split("|"):
            key, sep, value = item.partition("=")
            key = key.strip()
            if not sep or key not in ids:
                raise reader.error(f"employee '{eid}': MaxShifts item '{item}' is not "
                                   f"SHIFT=number with a known shift", number)
            caps[key] = reader.int_(value, f"MaxShifts of {eid} for {key}", number)
        missing = [s.id for s in shifts if s.id not in caps]
        if missing:
            raise reader.error(f"employee '{eid}': MaxShifts gives no cap for "
                               f"{', '.join(missing)}", number)
        names = ("max_total_minutes", "min_total_minutes", "max_consecutive_shifts",
                 "min_consecutive_shifts", "min_consecutive_days_off", "max_weekends")
        row = {"id": eid, "max_shifts": tuple((s.id, caps[s.id]) for s in shifts)}
        for key, value in zip(names, parts[2:]):
            row[key] = reader.int_(value, f"{key} of {eid}", number)
        staff_rows.append((number, row))
    if not staff_rows:
        raise reader.error("SECTION_STAFF lists no employee", None)
    staff_ids = {row["id"] for _, row in staff_rows}

    def check_employee(eid: str, number: int) -> None:
        if eid not in staff_ids:
            raise reader.error(f"unknown employee '{eid}'", number)

    def check_day(value: str, number: int) -> int:
        day = reader.int_(value, "day", number)
        if day >= days:
            raise reader.error(f"day {day} is outside the horizon of {days} days", number)
        return day

    days_off: dict[str, set[int]] = {eid: set() for eid in staff_ids}
    for number, line in sections.get("SECTION_DAYS_OFF", []):
        parts = [p.strip() for p in line.split(",")]
        check_employee(parts[0], number)
        days_off[parts[0]] |= {check_day(p, number) for p in parts[1:] if p}

    def requests(section: str) -> tuple[CurtoisRequest, ...]:
        out = []
        for number, line in sections.get(section, []):
            eid, day, sid, weight = reader.fields(line, number, 4, "request")
            check_employee(eid, number)
            if sid not in ids:
                raise reader.error(f"unknown shift '{sid}'", number)
            out.append(CurtoisRequest(eid, check_day(day, number), sid,
                                      reader.int_(weight, "weight", number)))
        return tuple(out)

    cover: list[CurtoisCover] = []
    seen: set[tuple[int, str]] = set()
    for number, line in sections["SECTION_COVER"]:
        day, sid, req, under, over = reader.fields(line, number, 5, "cover")
        d = check_day(day, number)
        if sid not in ids:
            raise reader.error(f"unknown shift '{sid}'", number)
        if (d, sid) in seen:
            raise reader.error(f"second cover line for day {d} and shift {sid}", number)
        seen.add((d, sid))
        cover.append(CurtoisCover(d, sid, reader.int_(req, "requirement", number),
                                  reader.int_(under, "under weight", number),
                                  reader.int_(over, "over weight", number)))

    staff = tuple(CurtoisStaff(**row, days_off=frozenset(days_off[row["id"]]))
                  for _, row in staff_rows)
    return CurtoisInstance(name, days, tuple(shifts), staff,
                           requests("SECTION_SHIFT_ON_REQUESTS"),
                           requests("SECTION_SHIFT_OFF_REQUESTS"), tuple(cover))


def read_instance(path: Path | str) -> CurtoisInstance:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not a text file ({exc.reason})", file=path) from None
    return parse_curtois(text, path.stem, str(path))


# ---------------------------------------------------------------- rosters (solutions)

OFF = "-"
"""How a day off is written in a roster file."""

Roster = dict[str, tuple[str | None, ...]]
"""Employee id -> per day the shift id worked, or None for a day off."""


def format_roster(inst: CurtoisInstance, roster: Roster) -> str:
    """A roster as text: a header line, then one line per employee: the id and one field
    per day (the shift id, or '-' for a day off), comma-separated."""
    lines = ["employee," + ",".join(str(d) for d in range(inst.days))]
    for person in inst.staff:
        row = roster[person.id]
        lines.append(person.id + "," + ",".join(OFF if s is None else s for s in row))
    return "\n".join(lines) + "\n"


def parse_roster(text: str, file: str = "roster") -> Roster:
    """The inverse of `format_roster` (ids and lengths are checked by the checker)."""
    rows = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    rows = [(n, line) for n, line in rows if line]
    if not rows or not rows[0][1].startswith("employee"):
        raise InputError("a roster starts with the header line 'employee,0,1,...'", file=file,
                         line=1)
    roster: Roster = {}
    for number, line in rows[1:]:
        eid, *cells = [c.strip() for c in line.split(",")]
        if eid in roster:
            raise InputError(f"employee '{eid}' appears twice", file=file, line=number)
        roster[eid] = tuple(None if c in (OFF, "") else c for c in cells)
    return roster
