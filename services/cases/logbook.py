"""The log book (sổ theo dõi hoạt động hòa giải ở cơ sở, Law 35/2013 art. 27) as a file:
CSV (UTF-8 with BOM, so spreadsheet programs read the diacritics) or XLSX (openpyxl),
with Vietnamese column headers. Files travel as base64 in the RPC result."""

import base64

from services.cases.domain import strip_diacritics
from services.common import exports
from services.common.vocabulary import CATEGORY_LABELS, STATUS_LABELS

COLUMNS = [  # (row key, header)
    ("number", "STT"),
    ("received_on", "Ngày tiếp nhận"),
    ("parties", "Họ tên các bên"),
    ("addresses", "Địa chỉ"),
    ("category", "Loại vụ việc"),
    ("subject", "Nội dung vụ việc"),
    ("mediators", "Hòa giải viên được phân công"),
    ("started_on", "Ngày bắt đầu hòa giải"),
    ("status", "Kết quả"),
    ("ended_on", "Ngày kết thúc"),
    ("follow_up", "Theo dõi thực hiện"),
    ("note", "Ghi chú"),
]

LABELS = {**CATEGORY_LABELS, **STATUS_LABELS,
          "carried out": "Đã thực hiện", "not carried out": "Chưa thực hiện"}
TRANSLATED = {"category", "status", "follow_up"}


def cells(row: dict) -> list:
    return [LABELS.get(row[key], row[key]) if key in TRANSLATED else row[key]
            for key, _ in COLUMNS]


def to_csv(rows: list[dict]) -> bytes:
    return exports.to_csv([[header for _, header in COLUMNS], *(cells(row) for row in rows)])


def to_xlsx(rows: list[dict], title: str) -> bytes:
    return exports.to_xlsx([[header for _, header in COLUMNS], *(cells(row) for row in rows)],
                           "So theo doi", title=title, bold_rows=1, freeze="A3")


def filename(team_name: str, commune_code: str, year: int, fmt: str) -> str:
    """`so-theo-doi-to-hoa-giai-thon-na-pan-06079-2024.csv`: which team, where, when."""
    slug = "-".join(strip_diacritics(team_name).replace("_", " ").split())[:80].strip("-")
    return f"so-theo-doi-{slug or 'to'}-{commune_code}-{year}.{fmt}"


def export(rows: list[dict], team_name: str, commune_code: str, year: int, fmt: str) -> dict:
    if fmt == "data":
        return {"format": "data", "rows": rows}
    title = f"Sổ theo dõi hoạt động hòa giải ở cơ sở - {team_name} - năm {year}"
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows, title)
    mime = "text/csv" if fmt == "csv" else exports.XLSX_MIME
    return {"format": fmt, "filename": filename(team_name, commune_code, year, fmt),
            "content_type": mime, "content": base64.b64encode(content).decode(),
            "row_count": len(rows)}
