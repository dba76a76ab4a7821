"""Read side: select()s returning plain dicts (cases, pages, parties, log book rows)."""

from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from services.cases import counts, domain, logbook, paging
from services.cases.models import Case, CaseDetails, Mediator, Team, Transition
from services.common.errors import NotFound, ValidationError

PROVINCE_CODE = "20"  # Lạng Sơn: a province-wide filter is no filter


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def case_dict(case: Case) -> dict:
    """The case summary: no party data and no facts (those are `parties`)."""
    return {
        "id": case.id, "status": case.status, "category": case.category,
        "subject": case.subject, "channel": case.channel, "team_id": case.team_id,
        "commune_code": case.commune_code, "geo_version": case.geo_version,
        "district_code": case.district_code, "v2025_code": case.v2025_code,
        "received_at": _iso(case.received_at),
        "assigned_mediator_ids": list(case.mediator_ids or []),
        "assigned_at": _iso(case.assigned_at), "start_deadline": _iso(case.start_deadline),
        "started_at": _iso(case.started_at),
        "start_overdue": case.overdue_raised_at is not None,
        "outcome": case.outcome, "outcome_note": case.outcome_note,
        "has_agreement": bool(case.agreement_text), "resolved_at": _iso(case.resolved_at),
        "referred_to": case.referred_to, "referred_at": _iso(case.referred_at),
        "followed_up_at": _iso(case.followed_up_at), "carried_out": case.carried_out,
        "escalated": case.escalated_at is not None, "escalation_kind": case.escalation_kind,
        "escalated_at": _iso(case.escalated_at), "created_by": case.created_by,
        "personal_data_erased_at": _iso(case.personal_data_erased_at),
    }


def get_case(session: Session, case_id: str) -> dict:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    return case_dict(case)


def get_cases(session: Session, ids: list[str]) -> list[dict | None]:
    """In the order asked; None where a case does not exist."""
    found = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids[:1000])))}
    return [case_dict(found[i]) if i in found else None for i in ids[:1000]]


def get_parties(session: Session, case_id: str) -> tuple[Case, dict]:
    """The case, and its parties' personal data and the facts."""
    found = session.execute(select(Case, CaseDetails).join(
        CaseDetails, CaseDetails.case_id == Case.id).where(Case.id == case_id)).first()
    if found is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    case, details = found
    return case, {"case_id": case_id, "description": details.description,
                  "parties": details.parties}


def timelines(session: Session, ids: list[str]) -> dict[str, list[dict]]:
    """Each case's steps from its audit rows, oldest first: what was done, to which status,
    by whom (a username) and when (business time). No detail: it may name mediators."""
    ids = ids[:1000]
    found: dict[str, list[dict]] = {i: [] for i in ids}
    rows = session.execute(select(Transition.case_id, Transition.action, Transition.to_status,
                                  Transition.actor, Transition.at)
                           .where(Transition.case_id.in_(ids))
                           .order_by(Transition.at, Transition.id))
    for case_id, action, status, actor, at in rows:
        found[case_id].append({"step": action, "status": status, "actor": actor, "at": _iso(at)})
    return found


def _province(unit_code: str | None) -> bool:
    return unit_code is None or unit_code == PROVINCE_CODE


def in_unit(unit_code: str | None, geo_version: str):
    if _province(unit_code):
        return True
    return or_(*(and_(*branch) for branch in unit_branches(unit_code, geo_version)))


def unit_branches(unit_code: str | None, geo_version: str) -> list[list]:
    """A unit filter as disjoint branches (a case matches at most one), each one index
    range (services/cases/models.py): V2025, the commune; LEGACY, the commune or the
    district the code names. [[]]: the province."""
    if _province(unit_code):
        return [[]]
    if geo_version == "V2025":
        return [[Case.v2025_code == unit_code]]
    commune = and_(Case.geo_version == "LEGACY", Case.commune_code == unit_code)
    return [[commune], [Case.district_code == unit_code, ~commune]]


def unit_filter(unit_code: str | None, geo_version: str) -> list[tuple[str, str]]:
    """The same unit as counter columns (services/cases/counts.py): any one matches."""
    if _province(unit_code):
        return []
    if geo_version == "V2025":
        return [("v2025_code", unit_code)]
    return [("legacy_commune", unit_code), ("district_code", unit_code)]


def list_cases(session: Session, *, unit_code=None, geo_version="LEGACY", status=None,
               category=None, team_id=None, first=50, after=None) -> dict:
    """Newest first (received_at, then id, both descending), a page after the cursor
    (keyset: paging.py); `total_count` from the counters, exact (counts.py)."""
    if status is not None and status not in domain.STATUSES:
        raise ValidationError(f"unknown status {status}", field="status")
    filters = [column == wanted for column, wanted in (
        (Case.status, status), (Case.category, category), (Case.team_id, team_id)) if wanted]
    branches = [[*branch, *filters] for branch in unit_branches(unit_code, geo_version)]
    total = counts.total(session, unit=unit_filter(unit_code, geo_version), status=status,
                         category=category, team_id=team_id)
    return _dicts(paging.page(session, paging.NEWEST, branches, first, after, total))


def list_overdue(session: Session, *, unit_code=None, geo_version="LEGACY", team_id=None,
                 first=50, after=None, now: datetime | None = None) -> dict:
    """Assigned, not started, past the 3-day deadline; the most overdue first. Time
    decides which are overdue, so no counter can hold their number: it is counted on
    the small partial index of assigned cases, without reading the table."""
    now = now or datetime.now(UTC)
    filters = [Case.status == domain.ASSIGNED, Case.start_deadline < now]
    if team_id:
        filters.append(Case.team_id == team_id)
    branches = [[*branch, *filters] for branch in unit_branches(unit_code, geo_version)]
    total = session.scalar(select(func.count()).select_from(Case).where(
        in_unit(unit_code, geo_version), *filters))
    return _dicts(paging.page(session, paging.MOST_OVERDUE, branches, first, after, total))


def _dicts(page: dict) -> dict:
    return {**page, "items": [case_dict(case) for case in page["items"]]}


def log_book_rows(session: Session, team_id: str, year: int) -> tuple[list[Case], list[dict]]:
    """Sổ theo dõi hoạt động hòa giải (art. 27): the team's cases received in `year`, and
    the book's rows."""
    if session.get(Team, team_id) is None:
        raise NotFound(f"no team {team_id}", field="team_id")
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = session.execute(
        select(Case, CaseDetails).join(CaseDetails, CaseDetails.case_id == Case.id)
        .where(Case.team_id == team_id, Case.received_at >= start, Case.received_at < end)
        .order_by(Case.received_at, Case.id)
    ).all()
    mediator_ids = {m for case, _ in rows for m in case.mediator_ids or []}
    names = dict(session.execute(select(Mediator.id, Mediator.full_name)
                                 .where(Mediator.id.in_(mediator_ids))).all())
    return [case for case, _ in rows], [_log_row(number, case, details, names)
                                         for number, (case, details) in enumerate(rows, 1)]


def _log_row(number: int, case: Case, details: CaseDetails, names: dict) -> dict:
    return {
        "number": number, "received_on": _date(case.received_at),
        "parties": "; ".join(p["full_name"] for p in details.parties),
        "addresses": "; ".join(p.get("address") or "" for p in details.parties),
        "category": case.category, "subject": case.subject,
        "mediators": ", ".join(names.get(m, m) for m in case.mediator_ids or []),
        "started_on": _date(case.started_at), "status": case.status,
        "ended_on": _date(case.resolved_at or case.referred_at),
        "follow_up": (None if case.followed_up_at is None
                      else "carried out" if case.carried_out else "not carried out"),
        "note": case.referred_to or case.outcome_note or "",
    }


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def log_book(session: Session, team_id: str, year: int, fmt: str) -> tuple[list[Case], dict]:
    """The team's log book for the year, as data, CSV or XLSX (services/cases/logbook.py),
    and the cases whose parties it names."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"no team {team_id}", field="team_id")
    cases, rows = log_book_rows(session, team_id, year)
    return cases, {"team_id": team_id, "year": year,
                   **logbook.export(rows, team.name or team.id, team.commune_code, year, fmt)}
