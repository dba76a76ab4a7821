"""Writing spreadsheet files safely: the one place every export (log book, 0403 report,
any later one) turns rows into CSV or XLSX bytes.

A text cell that begins like a formula (`=`, `+`, `-`, `@`, tab, CR) would be run by a
spreadsheet program (CSV/formula injection: `=HYPERLINK(...)` in a party's name). In CSV
such a cell gets a leading `'`; in XLSX it is stored as a string cell, value unchanged.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    return "'" + value if formula_like(value) else value


def to_csv(rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read the diacritics."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def append_row(sheet, values: Sequence, bold: bool = False) -> None:
    """Append a row; text that looks like a formula stays text (openpyxl would store
    any string starting with `=` as a formula)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if formula_like(cell.value):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)


def to_xlsx(rows: Iterable[Sequence], sheet_title: str, title: str | None = None,
            bold_rows: int = 0, freeze: str | None = None) -> bytes:
    """One sheet: an optional bold title row, then `rows` (the first `bold_rows` bold)."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    if title is not None:
        append_row(sheet, [title], bold=True)
    for index, row in enumerate(rows):
        append_row(sheet, row, bold=index < bold_rows)
    if freeze:
        sheet.freeze_panes = freeze
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
