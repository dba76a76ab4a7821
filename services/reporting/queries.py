"""Read side: every figure comes from pre-aggregated rows, never from scanning cases."""

from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from services.reporting import domain, models


def in_unit(table, layout: str, code: str):
    """Rows of a table with place columns that lie in unit (layout, code)."""
    if code == domain.PROVINCE:
        return true()
    if layout == "LEGACY":
        return or_(and_(table.c.geo_version == "LEGACY", table.c.commune_code == code),
                   table.c.district_code == code)
    return or_(table.c.v2025_code == code,
               and_(table.c.geo_version == "V2025", table.c.commune_code == code))


def _month_span(start: date, end: date):
    """Condition on (year, month) columns of a counts table for months start..end."""
    def condition(table):
        ym = table.c.year * 100 + table.c.month
        return ym.between(start.year * 100 + start.month, end.year * 100 + end.month)
    return condition


def status_counts(session: Session, layout: str, unit_code: str, year: int,
                  half: int | None = None) -> dict[str, dict[str, int]]:
    """{category: {status: count}} for one unit and period (by month of receipt)."""
    t = models.unit_counts
    first, last = domain.period_months(year, half)
    rows = session.execute(
        select(t.c.category, t.c.status, func.sum(t.c.count))
        .where(t.c.layout == layout, t.c.unit_code == unit_code, t.c.year == year,
               t.c.month.between(first, last))
        .group_by(t.c.category, t.c.status)
    ).all()
    out: dict[str, dict[str, int]] = {c: {} for c in domain.CATEGORIES}
    for category, status, count in rows:
        out.setdefault(category, {})[status] = int(count)
    return out


def merged(by_category: dict[str, dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for counts in by_category.values():
        for status, n in counts.items():
            total[status] = total.get(status, 0) + n
    return total


def success_rate(session: Session, unit_code: str, year: int, layout: str) -> dict:
    return success_rates(session, [unit_code], year, layout)[unit_code]


def success_rates(session: Session, unit_codes: list[str], year: int,
                  layout: str) -> dict[str, dict]:
    """Each unit's rate for the year, in one query (a dashboard's 65 communes)."""
    t = models.unit_counts
    counts: dict[str, dict[str, int]] = {code: {} for code in unit_codes}
    rows = session.execute(
        select(t.c.unit_code, t.c.status, func.sum(t.c.count))
        .where(t.c.layout == layout, t.c.unit_code.in_(unit_codes), t.c.year == year)
        .group_by(t.c.unit_code, t.c.status)).all()
    for code, status, count in rows:
        counts[code][status] = int(count)
    return {code: {"unit_code": code, "geo_version": layout, "year": year,
                   **domain.rate_summary(found)} for code, found in counts.items()}


def yearly_counts(session: Session, layout: str, unit_code: str, from_year: int,
                  to_year: int) -> dict[int, dict[str, int]]:
    t = models.unit_counts
    rows = session.execute(
        select(t.c.year, t.c.status, func.sum(t.c.count))
        .where(t.c.layout == layout, t.c.unit_code == unit_code,
               t.c.year.between(from_year, to_year))
        .group_by(t.c.year, t.c.status)
    ).all()
    out: dict[int, dict[str, int]] = {y: {} for y in range(from_year, to_year + 1)}
    for year, status, count in rows:
        out[year][status] = int(count)
    return out


def team_counts(session: Session, team_id: str, start: date, end: date) -> dict[str, int]:
    t = models.team_counts
    rows = session.execute(
        select(t.c.status, func.sum(t.c.count))
        .where(t.c.team_id == team_id, _month_span(start, end)(t)).group_by(t.c.status)
    ).all()
    return {status: int(count) for status, count in rows}


def active_counts(session: Session, layout: str, unit_code: str, on: date) -> tuple[int, int]:
    """(teams, mediators) in the unit that were active on `on`."""
    t, m = models.team_state, models.mediator_state
    teams = session.execute(select(func.count()).where(
        in_unit(t, layout, unit_code), t.c.formed_on <= on,
        or_(t.c.dissolved_on.is_(None), t.c.dissolved_on > on))).scalar_one()
    mediators = session.execute(select(func.count()).where(
        in_unit(m, layout, unit_code), m.c.added_on <= on,
        or_(m.c.left_on.is_(None), m.c.left_on > on))).scalar_one()
    return teams, mediators


def pilot_teams(session: Session, programme_year: int | None = None,
                team_id: str | None = None) -> list[dict]:
    t = models.pilot_teams
    query = select(t).order_by(t.c.district_code, t.c.commune_code, t.c.team_id)
    if programme_year is not None:
        query = query.where(t.c.programme_year == programme_year)
    if team_id is not None:
        query = query.where(t.c.team_id == team_id)
    return [dict(r._mapping) for r in session.execute(query).all()]


def pilot_communes(session: Session, programme_year: int) -> list[dict]:
    t = models.pilot_communes
    rows = session.execute(select(t).where(t.c.programme_year == programme_year)
                           .order_by(t.c.district_code, t.c.commune_code)).all()
    return [dict(r._mapping) for r in rows]


def hotspot_counts(session: Session, as_of: date, days: int, layout: str | None = None,
                   unit_code: str | None = None, commune: tuple[str, str] | None = None,
                   category: str | None = None) -> list[dict]:
    """Per commune and category: cases received in the window, in the baseline year
    before it, and cases escalated in the window."""
    window_start, baseline_start, _ = domain.hotspot_window(as_of, days)
    d, p = models.daily_counts, models.places

    def total(kind: str, low: date, high: date):
        hit = and_(d.c.kind == kind, d.c.day >= low, d.c.day <= high)
        return func.sum(case((hit, d.c.count), else_=0))

    query = (
        select(d.c.geo_version, d.c.commune_code, p.c.district_code, p.c.v2025_code,
               d.c.category, total("received", window_start, as_of).label("window"),
               total("received", baseline_start,
                     window_start - timedelta(days=1)).label("baseline"),
               total("escalated", window_start, as_of).label("escalated"))
        .join(p, and_(p.c.geo_version == d.c.geo_version, p.c.commune_code == d.c.commune_code))
        .where(d.c.day >= baseline_start, d.c.day <= as_of)
        .group_by(d.c.geo_version, d.c.commune_code, p.c.district_code, p.c.v2025_code,
                  d.c.category)
    )
    if unit_code is not None:
        query = query.where(in_unit(p, layout, unit_code))
    if commune is not None:
        query = query.where(d.c.geo_version == commune[0], d.c.commune_code == commune[1])
    if category is not None:
        query = query.where(d.c.category == category)
    return [dict(r._mapping) for r in session.execute(query).all()]


def remuneration_by_team(session: Session, layout: str, unit_code: str, year: int):
    r = models.remuneration
    rows = session.execute(
        select(r.c.team_id, func.count(), func.sum(r.c.amount))
        .where(in_unit(r, layout, unit_code), r.c.year == year)
        .group_by(r.c.team_id).order_by(r.c.team_id)
    ).all()
    return [{"team_id": t, "cases": int(n), "amount": int(a or 0)} for t, n, a in rows]


def budgets_by_commune(session: Session, layout: str, unit_code: str, year: int) -> list[dict]:
    b, p = models.budgets, models.places
    query = (select(b.c.geo_version, b.c.commune_code, b.c.amount, p.c.district_code,
                    p.c.v2025_code)
             .join(p, and_(p.c.geo_version == b.c.geo_version,
                           p.c.commune_code == b.c.commune_code))
             .where(b.c.year == year, in_unit(p, layout, unit_code))
             .order_by(b.c.commune_code))
    return [dict(r._mapping) for r in session.execute(query).all()]


def paid_by_commune(session: Session, layout: str, unit_code: str, year: int) -> dict:
    r = models.remuneration
    rows = session.execute(
        select(r.c.geo_version, r.c.commune_code, func.sum(r.c.amount))
        .where(in_unit(r, layout, unit_code), r.c.year == year)
        .group_by(r.c.geo_version, r.c.commune_code)
    ).all()
    return {(g, c): int(a or 0) for g, c, a in rows}


def dead_letter_page(session: Session, first: int, after: int) -> dict:
    """A page of the dead letters (events that failed), oldest first."""
    d = models.dead_letters
    total = session.execute(select(func.count()).select_from(d)).scalar_one()
    rows = session.execute(select(d).where(d.c.id > after).order_by(d.c.id)
                           .limit(first + 1)).all()
    items = [{"id": r.id, "event_id": r.event_id, "event_type": r.event_type, "body": r.body,
              "error": r.error, "attempts": r.attempts,
              "created_at": r.created_at.isoformat(),
              "replayed_at": r.replayed_at.isoformat() if r.replayed_at else None}
             for r in rows[:first]]
    return {"items": items, "total_count": total,
            "end_cursor": str(items[-1]["id"]) if items else None,
            "has_next_page": len(rows) > first}
