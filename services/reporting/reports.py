"""Report shapes built from the read side: indicator 0403, pilot evaluation, multi-year
summary, hot spots, remuneration; and the 0403 report as CSV or XLSX."""

import base64
from datetime import date

from sqlalchemy.orm import Session

from services.common import exports
from services.common.vocabulary import CATEGORY_LABELS
from services.reporting import domain, queries

COLUMNS = [  # (key, Vietnamese header)
    ("group", "Nhóm vụ việc"),
    ("received", "Tổng số vụ việc tiếp nhận"),
    ("successful", "Hòa giải thành"),
    ("unsuccessful", "Hòa giải không thành"),
    ("in_progress", "Đang hòa giải"),
    ("stopped", "Dừng hòa giải"),
    ("referred", "Chuyển cơ quan có thẩm quyền"),
    ("rate", "Tỷ lệ hòa giải thành (%)"),
]


def period_end(year: int, half: int | None) -> date:
    return date(year, 6, 30) if half == 1 else date(year, 12, 31)


def report(session: Session, layout: str, unit_code: str, year: int,
           half: int | None = None) -> dict:
    """Indicator 0403 for one unit and period: a row per group, the total, teams and
    mediators active at the end of the period."""
    by_category = queries.status_counts(session, layout, unit_code, year, half)
    rows = [{"category": c, "group": CATEGORY_LABELS[c],
             **domain.rate_summary(by_category.get(c, {}))} for c in domain.CATEGORIES]
    total = {"category": None, "group": "Tổng cộng",
             **domain.rate_summary(queries.merged(by_category))}
    teams, mediators = queries.active_counts(session, layout, unit_code, period_end(year, half))
    return {"indicator": "0403", "unit_code": unit_code, "geo_version": layout, "year": year,
            "half": half, "rows": rows, "total": total, "teams": teams, "mediators": mediators}


def report_file(data: dict, fmt: str, unit_name: str) -> dict:
    """The 0403 report as a CSV (UTF-8 with BOM, for Excel) or XLSX file, base64-encoded;
    `unit_name` is the reporting unit's name, for the XLSX title."""
    table = [[header for _, header in COLUMNS]]
    for row in [*data["rows"], data["total"]]:
        cells = [row[key] for key, _ in COLUMNS]
        cells[-1] = None if row["rate"] is None else round(row["rate"] * 100, 1)
        table.append(cells)
    table.append(["Số tổ hòa giải", data["teams"]])
    table.append(["Số hòa giải viên", data["mediators"]])
    period = f"{data['year']}" + (f"-H{data['half']}" if data["half"] else "")
    name = f"bao-cao-0403-{data['unit_code']}-{period}.{fmt}"
    if fmt == "csv":
        content, mime = exports.to_csv(table), "text/csv"
    else:
        title = f"Biểu 0403 — {unit_name} (mã {data['unit_code']}), kỳ {period}"
        content, mime = exports.to_xlsx(table, "0403", title=title), exports.XLSX_MIME
    return {"filename": name, "content_type": mime,
            "content_base64": base64.b64encode(content).decode()}


def multi_year_summary(session: Session, layout: str, unit_code: str, from_year: int,
                       to_year: int) -> dict:
    """Sơ kết: each year's success rate and the whole span's."""
    yearly = queries.yearly_counts(session, layout, unit_code, from_year, to_year)
    years = [{"year": y, **domain.rate_summary(c)} for y, c in sorted(yearly.items())]
    total = queries.merged({str(y): c for y, c in yearly.items()})
    return {"unit_code": unit_code, "geo_version": layout, "from_year": from_year,
            "to_year": to_year, "years": years, "total": domain.rate_summary(total)}


def team_target(session: Session, team_id: str, year: int) -> float:
    """0.9 while the team is a model-team candidate in its programme period, else 0.8."""
    for pilot in queries.pilot_teams(session, team_id=team_id):
        if pilot["period_start"].year <= year <= pilot["period_end"].year:
            return pilot["target_rate"]
    return domain.DEFAULT_TARGET


def team_success_rate(session: Session, team_id: str, year: int) -> dict:
    counts = queries.team_counts(session, team_id, date(year, 1, 1), date(year, 12, 31))
    return {"team_id": team_id, "year": year,
            **domain.rate_summary(counts, team_target(session, team_id, year))}


def pilot_evaluation(session: Session, programme_year: int) -> dict:
    """Each model team's rate over its programme period against its target (0.9), and
    each district's pilot communes (the plan asks for at least 2 per district)."""
    teams = []
    for pilot in queries.pilot_teams(session, programme_year):
        counts = queries.team_counts(session, pilot["team_id"], pilot["period_start"],
                                     pilot["period_end"])
        teams.append({
            "team_id": pilot["team_id"], "commune_code": pilot["commune_code"],
            "district_code": pilot["district_code"],
            "period_start": pilot["period_start"].isoformat(),
            "period_end": pilot["period_end"].isoformat(),
            **domain.rate_summary(counts, pilot["target_rate"])})
    districts: dict[str, list] = {}
    for commune in queries.pilot_communes(session, programme_year):
        districts.setdefault(commune["district_code"], []).append({
            "commune_code": commune["commune_code"],
            "selected_on": commune["selected_on"].isoformat(), "on_time": commune["on_time"]})
    return {
        "programme_year": programme_year,
        "model_teams": teams,
        "teams_meeting_target": sum(1 for t in teams if t["meets_target"]),
        "districts": [{"district_code": d, "pilot_communes": c, "meets_minimum": len(c) >= 2}
                      for d, c in sorted(districts.items())],
    }


def hotspots(session: Session, layout: str, unit_code: str, days: int, as_of: date,
             min_count: int, min_ratio: float) -> list[dict]:
    out = []
    for row in queries.hotspot_counts(session, as_of, days, layout, unit_code):
        surge, ratio = domain.is_hotspot(row["window"], row["baseline"], days, min_count,
                                         min_ratio)
        if not surge and not row["escalated"]:
            continue
        out.append({
            "commune_code": row["commune_code"], "geo_version": row["geo_version"],
            "district_code": row["district_code"], "v2025_code": row["v2025_code"],
            "category": row["category"], "window_days": days, "as_of": as_of.isoformat(),
            "window_count": int(row["window"]),
            "baseline_monthly_mean": int(row["baseline"]) / 12, "ratio": ratio,
            "escalated_count": int(row["escalated"]),
            "reasons": [r for r, hit in (("SURGE", surge), ("ESCALATED", row["escalated"]))
                        if hit]})
    return sorted(out, key=lambda h: (-h["window_count"], h["commune_code"], h["category"]))


def remuneration(session: Session, layout: str, unit_code: str, year: int) -> dict:
    """Paid per team, and each commune's budget against what it paid, rolled up."""
    paid = queries.paid_by_commune(session, layout, unit_code, year)
    budgets = queries.budgets_by_commune(session, layout, unit_code, year)
    communes = [{"commune_code": b["commune_code"], "geo_version": b["geo_version"],
                 "district_code": b["district_code"], "budget": int(b["amount"]),
                 "paid": paid.get((b["geo_version"], b["commune_code"]), 0)} for b in budgets]
    budget_total = sum(c["budget"] for c in communes)
    by_team = queries.remuneration_by_team(session, layout, unit_code, year)
    paid_total = sum(paid.values())
    return {"unit_code": unit_code, "geo_version": layout, "year": year,
            "cases": sum(t["cases"] for t in by_team), "paid": paid_total,
            "budget": budget_total, "remaining": budget_total - paid_total,
            "by_team": by_team, "communes": communes}
