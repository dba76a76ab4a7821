"""The shared export writer: formula-like text stays text in CSV and XLSX."""

import csv
import io

from openpyxl import load_workbook

from services.common import exports

FORMULA_LIKE = ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@A1", "\tx", "\rx"]
PLAIN = ["Nông Văn Bình", "2024-03-05", "", "a=b"]


def test_csv_prefixes_formula_like_text_and_leaves_the_rest():
    text = exports.to_csv([[*FORMULA_LIKE, *PLAIN, 12, -3, None]]).decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text, newline="")))
    assert row == ["'" + v for v in FORMULA_LIKE] + PLAIN + ["12", "-3", ""]


def test_xlsx_stores_formula_like_text_as_strings_unchanged():
    # (XML reads a stored CR back as LF: "\rx" is left out of the round trip)
    formula_like = [v for v in FORMULA_LIKE if not v.startswith("\r")]
    content = exports.to_xlsx([[*formula_like, *PLAIN, 12, -3]], "S", title="=title")
    sheet = load_workbook(io.BytesIO(content)).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=title", "s")
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [(c.value, c.data_type) for c in cells[:len(formula_like)]] == \
        [(v, "s") for v in formula_like]
    assert [c.value for c in cells[len(formula_like):]] == [*PLAIN[:2], None, "a=b", 12, -3]
