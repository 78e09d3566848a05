"""Long plain tables written straight into a finished .xlsx.

xlsxwriter spends about 8 microseconds on each cell it writes; a roster of 55,000 shifts
has some 850,000 cells in its Shifts and Breaks sheets alone, seven seconds of a
`--time-limit 5` run. Those two sheets are plain (no formats below the header), so the
workbook writes their header, widths, filter and frozen pane with xlsxwriter, and then
`splice_rows` puts the data rows into each sheet's `<sheetData>` as SpreadsheetML
(ECMA-376 Part 1, 18.3.1): numbers as values, text in the workbook's shared-string table
as xlsxwriter writes it, so that every reader (Excel, LibreOffice, openpyxl) reads the
cells as it reads xlsxwriter's. The zip is written again beside the file and moved over
it.

Text is escaped as xlsxwriter escapes it: XML's `&`, `<` and `>`; control characters
that XML 1.0 cannot carry as `_xHHHH_`; and text that already looks like such an escape
with its underscore escaped (`_x005F_`)."""

from __future__ import annotations

import math
import os
import re
import zipfile
from pathlib import Path
from typing import Iterable, Sequence
from xml.etree import ElementTree

from xlsxwriter.utility import xl_col_to_name

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHARED_STRINGS_TYPE = REL_NS + "/sharedStrings"
CONTROL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f]")
SIMPLE_ITEM = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si>.*?</si>',
                         re.S)
ROWS_PER_CHUNK = 2000

Cell = str | int | float | None


def escaped(text: str) -> str:
    """`text` as the content of a shared string's `<t>`."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


class _Strings:
    """The shared-string table: the workbook's own items, then the ones the rows add."""

    def __init__(self, table_xml: str) -> None:
        self.index: dict[str, int] = {}  # escaped text -> position
        self.count = 0
        for position, item in enumerate(SIMPLE_ITEM.finditer(table_xml)):
            if item.group(1) is not None:
                self.index.setdefault(item.group(1), position)
            self.count = position + 1
        self.known = self.count
        self.added: list[str] = []
        self.references = 0

    def __call__(self, text: str) -> int:
        key = escaped(text)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = self.count
            self.count += 1
            self.added.append(key)
        return found

    def table(self, table_xml: str) -> str:
        """The table's XML with the added items and its counts updated."""
        items = "".join(f'<si><t xml:space="preserve">{t}</t></si>' if t != t.strip()
                        else f"<si><t>{t}</t></si>" for t in self.added)
        head, end, rest = table_xml.rpartition("</sst>")
        if not end:
            raise ValueError("the shared-string table has no </sst>")

        def counts(m: re.Match) -> str:
            value = int(m.group(2)) + (self.references if m.group(1) == "count"
                                       else len(self.added))
            return f'{m.group(1)}="{value}"'
        open_end = head.index(">", head.index("<sst")) + 1
        opening = re.sub(r'\b(count|uniqueCount)="(\d+)"', counts, head[:open_end])
        head = opening + head[open_end:]
        return head + items + end + rest


class _CellText:
    """Each distinct value's cell XML after its reference, made once."""

    def __init__(self, strings: _Strings) -> None:
        self.known: dict[object, str] = {}
        self.strings = strings

    def __call__(self, value: Cell) -> str:
        key = value if type(value) is str else (type(value), value)  # 1, 1.0 and True differ
        tail = self.known.get(key)
        if tail is None:
            tail = self.known[key] = self._make(value)
        return tail

    def _make(self, value: Cell) -> str:
        if isinstance(value, bool):
            raise TypeError("write booleans as text")
        if isinstance(value, (int, float)):
            if not math.isfinite(value):
                raise ValueError(f"no cell value for {value}")
            return f'"><v>{value:.16G}</v></c>'  # as xlsxwriter
        return f'" t="s"><v>{self.strings(str(value))}</v></c>'


def rows_xml(rows: Iterable[Sequence[Cell]], first_row: int,
             tail: _CellText) -> tuple[list[str], int, int]:
    """The `<row>` elements of `rows` from sheet row `first_row` (1-based), in chunks of
    text, and the last row and the number of columns used. None cells are left out."""
    known = tail.known
    opening: list[str] = []  # '<c r="A' per column
    last_row, widest, chunk, parts, texts = 0, 0, [], [], 0
    for row_number, row in enumerate(rows, start=first_row):
        if len(row) > len(opening):
            opening.extend(f'<c r="{xl_col_to_name(i)}' for i in range(len(opening), len(row)))
        ref = str(row_number)
        cells, last = [], -1
        for column, (start, value) in enumerate(zip(opening, row)):
            if value is None:
                continue
            if type(value) is str:
                texts += 1
                end = known.get(value) or tail(value)
            else:
                end = tail(value)
            cells.append(f"{start}{ref}{end}")
            last = column
        if not cells:  # as xlsxwriter: a row without cells is not written
            continue
        last_row, widest = row_number, max(widest, last + 1)
        chunk.append(f'<row r="{ref}">{"".join(cells)}</row>')
        if len(chunk) >= ROWS_PER_CHUNK:
            parts.append("".join(chunk))
            chunk = []
    if chunk:
        parts.append("".join(chunk))
    tail.strings.references += texts
    return parts, last_row, widest


def _parts(book: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """Sheet name -> its part in the package, and the shared-string table's part, from
    workbook.xml and its relationships."""
    def part(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else f"xl/{target}"

    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = list(ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
                .iter(f"{{{PACKAGE_REL_NS}}}Relationship"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    sheets = {sheet.get("name"): part(target[sheet.get(f"{{{REL_NS}}}id")])
              for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet")}
    table = next((part(r.get("Target")) for r in rels if r.get("Type") == SHARED_STRINGS_TYPE),
                 None)
    return sheets, table


def _dimension(xml: str, last_row: int, widest: int) -> str:
    """The sheet's `<dimension ref>` widened to cover rows up to last_row and columns up
    to widest."""
    found = re.search(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/>', xml)
    if found is None or last_row == 0:
        return xml
    last_col = found.group(3) or found.group(1)
    old_row = int(found.group(4) or found.group(2))
    col = max(last_col, xl_col_to_name(widest - 1), key=lambda c: (len(c), c))
    ref = f'<dimension ref="{found.group(1)}{found.group(2)}:{col}{max(old_row, last_row)}"/>'
    return xml[:found.start()] + ref + xml[found.end():]


def _spliced_sheet(xml: str, name: str, first_row: int, rows: Iterable[Sequence[Cell]],
                   tail: _CellText) -> list[str]:
    xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
    head, end, rest = xml.partition("</sheetData>")
    if not end:
        raise ValueError(f"{name} has no sheetData")
    parts, last_row, widest = rows_xml(rows, first_row, tail)
    return [_dimension(head, last_row, widest), *parts, end + rest]


def splice_rows(path: Path, sheets: dict[str, tuple[int, Iterable[Sequence[Cell]]]]) -> None:
    """Add rows to the named sheets of the workbook at `path`: {sheet: (first_row, rows)},
    first_row 1-based and below every row the sheet already has. The workbook must have
    a shared-string table (any text cell written by xlsxwriter makes one)."""
    path = Path(path)
    spliced = path.with_name(path.name + ".rows")
    try:
        with zipfile.ZipFile(path) as source:
            parts, table = _parts(source)
            unknown = set(sheets) - set(parts)
            if unknown:
                raise KeyError(f"no sheet {sorted(unknown)} in {path}")
            if table is None:
                raise ValueError(f"{path} has no shared-string table")
            table_xml = source.read(table).decode("utf-8")
            strings = _Strings(table_xml)
            tail = _CellText(strings)
            new = {parts[name]: _spliced_sheet(source.read(parts[name]).decode("utf-8"), name,
                                               first, rows, tail)
                   for name, (first, rows) in sheets.items()}
            new[table] = [strings.table(table_xml)]
            with zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED) as out:
                for info in source.infolist():
                    if info.filename not in new:
                        out.writestr(info, source.read(info.filename),
                                     compress_type=zipfile.ZIP_DEFLATED)
                        continue
                    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    with out.open(entry, "w", force_zip64=True) as f:
                        for text in new[info.filename]:
                            f.write(text.encode("utf-8"))
        os.replace(spliced, path)
    finally:
        spliced.unlink(missing_ok=True)
