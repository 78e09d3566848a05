"""One iCalendar file (RFC 5545) per agent: an event per shift and per break.

Times are written in UTC ("...Z"): the result's wall-clock times are read in the
scenario's time zone and converted, so a shift across midnight or a change of UTC offset
lands where the planner meant it in any calendar program. Lines end in CRLF and are folded
at 75 octets without splitting a UTF-8 character."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from scheduler.report.common import ReportData, hhmm, pool_of

PRODID = "-//cs-scheduler//roster//EN"
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets joined by CRLF + space."""
    if line.isascii():  # one octet a character: cut by position
        if len(line) <= 75:
            return line + "\r\n"
        return "\r\n ".join([line[:75]] + [line[i:i + 74] for i in range(75, len(line), 74)]) \
            + "\r\n"
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line + "\r\n"
    pieces = []
    current = bytearray()
    limit = 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            pieces.append(current.decode("utf-8"))
            current = bytearray()
            limit = 74  # continuation lines start with a space
        current += b
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces) + "\r\n"


def file_name(agent: str) -> str:
    """A safe file name for an agent id, distinct for distinct ids: characters other than
    letters, digits, '.' and '-' become "_<hex code>_"."""
    safe = _UNSAFE.sub(lambda m: "".join(f"_{ord(c):x}_" for c in m.group(0)), agent)
    if len(safe) > 100:  # file systems limit names to 255 bytes: shorten with a digest
        safe = f"{safe[:80]}-{hashlib.sha256(agent.encode('utf-8')).hexdigest()[:16]}"
    return f"{safe or 'agent'}.ics"


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


class _Texts:
    """The translated pieces of the events' texts, each made once for all calendars."""

    def __init__(self, data: ReportData) -> None:
        self.t = t = data.t
        self.paid_break, self.unpaid_break = t("Paid break"), t("Break")
        self.known: dict[tuple, str] = {}

    def _made(self, key: tuple, make) -> str:
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = make()
        return text

    def shift(self, name: str, paid_minutes: int) -> str:
        return self._made(("shift", name, paid_minutes), lambda: self.t(
            "shift type {name}, paid {hours} h", name=name, hours=f"{paid_minutes / 60:g}"))

    def pool(self, name: str) -> str:
        return self._made(("pool", name), lambda: self.t("pool {name}", name=name))

    def rest(self, start: str, end: str, paid: bool) -> str:
        return self._made(("break", start, end, paid), lambda: self.t(
            "break {start}-{end} ({paid})", start=start, end=end,
            paid=self.t("paid" if paid else "unpaid")))


def agent_calendar(data: ReportData, agent: str, shifts: list, now: dt.datetime,
                   stamps: dict | None = None, texts: _Texts | None = None) -> str:
    """The calendar text of one agent; `stamps` caches UTC stamps of wall-clock times,
    `texts` the translated pieces of text (both shared by all agents' calendars)."""
    stamps = {} if stamps is None else stamps

    def utc(value: dt.datetime) -> str:
        got = stamps.get(value)
        if got is None:
            got = stamps[value] = _stamp(data.utc(value))
        return got

    t = data.t
    scenario = data.result.summary.scenario
    name = next((s.name for s in shifts if s.name), None)  # named staff
    who = f"{agent} {name}" if name else agent
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(t('{scenario} roster: {who}', scenario=scenario, who=who))}",
        f"X-WR-TIMEZONE:{data.time_zone}",
    ]
    stamp = _stamp(now)
    texts = texts or _Texts(data)
    uid_tail = f"{escape_text(agent)}-%s@{scenario}.cs-scheduler"
    shift_uid, break_uid = uid_tail % "shift", uid_tail % "break"
    agent_line = t("Agent {who}", who=who)
    for s in shifts:
        breaks = data.breaks_in(s)
        detail = [agent_line, texts.shift(s.shift_type, s.paid_minutes)]
        pool = pool_of(s)
        if pool:
            detail.append(texts.pool(pool))
        for b in breaks:
            detail.append(texts.rest(hhmm(b.start), hhmm(b.end), b.paid))
        lines += _event(f"{utc(s.start)}-{shift_uid}", stamp, utc(s.start), utc(s.end),
                        escape_text(f"{s.shift_type} {hhmm(s.start)}-{hhmm(s.end)}"), "SHIFT",
                        escape_text("; ".join(detail)))
        for b in breaks:
            lines += _event(f"{utc(b.start)}-{break_uid}", stamp, utc(b.start), utc(b.end),
                            texts.paid_break if b.paid else texts.unpaid_break, "BREAK")
    lines.append("END:VCALENDAR")
    # most lines are short ASCII: only the others go through fold()
    return "".join([line + "\r\n" if len(line) <= 75 and line.isascii() else fold(line)
                    for line in lines])


def _event(uid: str, stamp: str, start: str, end: str, summary: str, category: str,
           description: str | None = None) -> list[str]:
    """One VEVENT's lines (values already escaped, times in UTC)."""
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"DTSTART:{start}",
             f"DTEND:{end}", f"SUMMARY:{summary}"]
    if description is not None:
        lines.append(f"DESCRIPTION:{description}")
    return lines + [f"CATEGORIES:{category}", "TRANSP:OPAQUE", "END:VEVENT"]


def _write_bytes(path: Path, data: bytes) -> None:
    """Create (or replace) the file with `data`: the bare system calls, as thousands of
    small calendars spend more time in open()'s buffered text layers than in writing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write_calendars(data: ReportData, folder: Path, now: dt.datetime | None = None) -> list[Path]:
    """calendar/<agent>.ics for every agent with a shift; needs the scenario's time zone."""
    now = now or dt.datetime.now(dt.timezone.utc)
    folder.mkdir(parents=True, exist_ok=True)
    by_agent: dict[str, list] = {}
    for s in data.result.shifts:
        by_agent.setdefault(s.agent, []).append(s)
    written = []
    stamps: dict = {}
    texts = _Texts(data)
    for agent in data.agents:
        path = folder / file_name(agent)
        shifts = sorted(by_agent[agent], key=lambda s: s.start)
        _write_bytes(path, agent_calendar(data, agent, shifts, now, stamps, texts)
                     .encode("utf-8"))
        written.append(path)
    return written
