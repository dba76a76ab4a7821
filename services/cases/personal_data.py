"""Personal data of a case: what is held, how long, and its erasure (issue 20; Vietnam's
Personal Data Protection Law, in force since 1/1/2026).

Personal data lives only in the cases service: the parties (names, addresses), the facts
(`CaseDetails.description`) and every free text an officer wrote about the case (its
subject line, the outcome note, the agreement text, the follow-up note, the escalation
reason, and the reasons of referrals kept in the audit rows' `detail`). Events and the
reporting projections never carry any of it (services/common/events/cases.py).

- Retention: it is kept `retention_years` (config `PERSONAL_DATA.retention_years`,
  default 5) after the case closed, i.e. after the last step of a case no longer open
  (an outcome, a referral, and then maybe a follow-up or guidance).
- Erasure replaces every one of those texts by `ERASED` (or nothing) and keeps what the
  figures are made of: category, dates, status, outcome, place, mediators, whether there
  was an agreement. It records when and why, adds an audit row and raises
  `case.personal_data_erased` (the case's reference and a reason code only).
- The retention job erases every expired case in bounded batches, one transaction each.

The rule (the first functions) is pure; the rest takes a unit of work or a session.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from services.cases import domain
from services.cases.handlers import emit
from services.cases.models import Case, CaseDetails, Transition
from services.cases.schemas import Actor
from services.cases.unit_of_work import CasesUnitOfWork
from services.common.errors import Conflict, NotFound, ValidationError

log = logging.getLogger(__name__)

ERASED = "[đã xóa]"  # what an erased text reads as (Vietnamese: "erased")
RETENTION_EXPIRED, REQUESTED = "RETENTION_EXPIRED", "REQUESTED"  # vocabulary.ErasureReason
RETENTION_ACTOR = Actor(username="system:retention", role=None)
# The case's free texts, as (report field, Case column)
TEXTS = (("subject", "subject"), ("outcome_note", "outcome_note"),
         ("agreement_text", "agreement_text"), ("follow_up_note", "follow_up_note"),
         ("escalation_reason", "escalation_reason"))


@dataclass(frozen=True)
class Settings:
    retention_years: int = 5
    batch_size: int = 500
    max_batches: int = 1000  # per run: a run stays bounded, the next one goes on

    @classmethod
    def from_config(cls, config: dict) -> "Settings":
        section = config.get("PERSONAL_DATA") or {}
        settings = cls(retention_years=int(section.get("retention_years", 5)),
                       batch_size=int(section.get("batch_size", 500)),
                       max_batches=int(section.get("max_batches", 1000)))
        if settings.retention_years < 0 or settings.batch_size < 1 or settings.max_batches < 1:
            raise ValueError(f"PERSONAL_DATA settings out of range: {settings}")
        return settings


# --- the rule (pure) ------------------------------------------------------------------


def add_years(moment: datetime, years: int) -> datetime:
    """The same day and time `years` later (earlier if negative); 29 February → 28."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February in a common year
        return moment.replace(year=moment.year + years, day=28)


def closed_at(status: str, last_step_at: datetime | None) -> datetime | None:
    """When the case closed: its last step, once it is no longer open (None while open)."""
    if status in domain.OPEN or last_step_at is None:
        return None
    return last_step_at


def retention_ends_at(status: str, last_step_at: datetime | None,
                      years: int) -> datetime | None:
    """When its personal data is due for erasure (None while the case is open)."""
    closed = closed_at(status, last_step_at)
    return None if closed is None else add_years(closed, years)


def is_expired(status: str, last_step_at: datetime | None, years: int,
               now: datetime) -> bool:
    ends = retention_ends_at(status, last_step_at, years)
    return ends is not None and ends <= now


def scan_cutoff(now: datetime, years: int) -> datetime:
    """A last step at or before this may have expired (a day's margin for 29 February:
    `is_expired` decides each candidate)."""
    return add_years(now, -years) + timedelta(days=1)


# --- what is held ---------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _load(session: Session, case_id: str, for_update: bool = False) -> Case:
    case = session.get(Case, case_id, with_for_update=for_update)
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    return case


def _reasons(session: Session, case_ids: list[str]) -> dict[str, list[Transition]]:
    """Each case's audit rows that keep an officer's words (a referral's reason)."""
    found: dict[str, list[Transition]] = {i: [] for i in case_ids}
    rows = session.scalars(select(Transition).where(Transition.case_id.in_(case_ids),
                                                    Transition.detail.is_not(None))
                           .order_by(Transition.id))
    for row in rows:
        if isinstance(row.detail, dict) and row.detail.get("reason"):
            found[row.case_id].append(row)
    return found


def report_of(case: Case, details: CaseDetails | None, reasons: list[Transition],
              years: int, now: datetime) -> dict:
    """What is held about the case's parties, and until when."""
    erased = case.personal_data_erased_at is not None
    texts = [] if erased else (
        [{"field": name, "text": getattr(case, column)} for name, column in TEXTS
         if getattr(case, column)]
        + [{"field": f"{row.action}_reason", "text": row.detail["reason"]} for row in reasons])
    parties = [] if erased or details is None else [
        {"full_name": p.get("full_name"), "address": p.get("address")} for p in details.parties]
    ends = retention_ends_at(case.status, case.last_step_at, years)
    return {
        "case_id": case.id, "status": case.status,
        "closed_at": _iso(closed_at(case.status, case.last_step_at)),
        "retention_years": years, "retention_ends_at": _iso(ends),
        "expired": ends is not None and ends <= now,
        "erased": erased, "erased_at": _iso(case.personal_data_erased_at),
        "erasure_reason_code": case.erasure_reason_code,
        "erasure_reason": case.erasure_reason,
        "description": None if erased or details is None else details.description,
        "parties": parties, "texts": texts,
    }


def report(uow: CasesUnitOfWork, case_id: str, years: int,
           now: datetime) -> tuple[Case, dict]:
    """The case, and what is held about its parties (`report_of`)."""
    case = _load(uow.session, case_id)
    details = uow.session.get(CaseDetails, case_id)
    return case, report_of(case, details, _reasons(uow.session, [case_id])[case_id], years,
                           now)


# --- erasure ----------------------------------------------------------------------------


def check_not_erased(case: Case) -> None:
    """No step is recorded on a case whose personal data was erased: it is closed for good,
    and a new note would be personal data held again."""
    if case.personal_data_erased_at is not None:
        raise Conflict("the case's personal data was erased: it takes no more steps",
                       field="case_id")


def check_reason(reason: str, details: CaseDetails | None) -> None:
    """The reason is kept after the erasure: it may not repeat a party's name or address."""
    folded = domain.normalise_name(reason)
    for party in details.parties if details is not None else ():
        for value in (party.get("full_name"), party.get("address")):
            if value and domain.normalise_name(value) and \
                    domain.normalise_name(value) in folded:
                raise ValidationError("the reason is kept after the erasure: leave the "
                                      "parties' names and addresses out of it",
                                      field="reason")


def overwrite_freed_content(session: Session) -> None:
    """SQLite keeps a row's old bytes in the pages it leaves unless told to zero them."""
    if session.bind.dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


def drop_old_page_images(engine: Engine) -> None:
    """After an erasure committed: SQLite's write-ahead log still holds the pages as they
    were; checkpoint it and truncate it. (PostgreSQL's old row versions go with VACUUM.)"""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def erase(uow: CasesUnitOfWork, case: Case, details: CaseDetails | None,
          reasons: list[Transition], *, code: str, reason: str, actor: Actor,
          now: datetime) -> None:
    """Replace every personal datum of the case by `ERASED` (or nothing); keep what the
    figures are made of; record when and why, in an audit row and an event."""
    overwrite_freed_content(uow.session)
    if details is not None:
        details.description = ""
        details.parties = [{"full_name": ERASED, "address": None,
                            "related_mediator_ids": list(p.get("related_mediator_ids") or [])}
                           for p in details.parties]
    for _, column in TEXTS:
        if getattr(case, column) is not None:  # a marker: `has_agreement` stays true
            setattr(case, column, ERASED)
    for row in reasons:
        row.detail = {**row.detail, "reason": ERASED}
    case.personal_data_erased_at, case.erasure_reason_code = now, code
    case.erasure_reason = reason
    uow.insert(Transition.__table__, dict(
        case_id=case.id, action="erase", from_status=case.status, to_status=case.status,
        at=now, recorded_at=now, actor=actor.username, actor_role=actor.role,
        detail={"reason_code": code}))
    emit(uow, case, "case.personal_data_erased", now, erased_at=now, reason=code)


def erase_on_request(uow: CasesUnitOfWork, case_id: str, reason: str, actor: Actor,
                     years: int, now: datetime) -> dict:
    """The commune officer erases a closed case's personal data (the data subject asked).
    Idempotent: an erased case is answered as it is, with `already_erased`."""
    case = _load(uow.session, case_id, for_update=True)
    details = uow.session.get(CaseDetails, case_id)
    reasons = _reasons(uow.session, [case_id])[case_id]
    already = case.personal_data_erased_at is not None
    if not already:
        if case.status in domain.OPEN:
            raise Conflict("the case is still open: record its outcome (or stop the "
                           "mediation) before erasing its personal data", field="case_id")
        check_reason(reason, details)
        erase(uow, case, details, reasons, code=REQUESTED, reason=reason, actor=actor,
              now=now)
    return {"already_erased": already, "report": report_of(case, details, [], years, now)}


def erase_expired_batch(uow: CasesUnitOfWork, now: datetime, years: int, limit: int,
                        after: tuple[datetime, str] | None) -> tuple[int, int, tuple | None]:
    """One batch of the retention job: the next `limit` candidates after the `after`
    cursor (last step, case id), oldest first; erases the expired ones. Returns (erased,
    candidates, cursor)."""
    query = (select(Case).where(Case.personal_data_erased_at.is_(None),
                                Case.status.not_in(domain.OPEN),
                                Case.last_step_at <= scan_cutoff(now, years))
             .order_by(Case.last_step_at, Case.id).limit(limit))
    if after is not None:
        query = query.where(or_(Case.last_step_at > after[0],
                                and_(Case.last_step_at == after[0], Case.id > after[1])))
    if uow.session.bind.dialect.name == "postgresql":  # a replica's run skips the other's
        query = query.with_for_update(skip_locked=True)
    cases = uow.session.scalars(query).all()
    if not cases:
        return 0, 0, after
    ids = [c.id for c in cases]
    details = {d.case_id: d for d in uow.session.scalars(
        select(CaseDetails).where(CaseDetails.case_id.in_(ids)))}
    reasons = _reasons(uow.session, ids)
    erased = 0
    reason = (f"the retention period ended: {years} years after the case closed "
              "(Personal Data Protection Law)")
    for case in cases:
        if is_expired(case.status, case.last_step_at, years, now):
            erase(uow, case, details.get(case.id), reasons[case.id], code=RETENTION_EXPIRED,
                  reason=reason, actor=RETENTION_ACTOR, now=now)
            erased += 1
    return erased, len(cases), (cases[-1].last_step_at, cases[-1].id)


def run_retention(write: Callable, settings: Settings, now: datetime) -> dict:
    """The retention job: every expired case's personal data erased, `batch_size` cases
    per transaction, at most `max_batches` batches per run. Logs counts, never data."""
    erased = batches = 0
    cursor = None
    for _ in range(settings.max_batches):
        done, seen, cursor = write(lambda uow, after=cursor: erase_expired_batch(
            uow, now, settings.retention_years, settings.batch_size, after))
        if seen == 0:
            break
        batches += 1
        erased += done
        if done:
            log.info("personal data retention: %d cases erased so far", erased,
                     extra={"erased": erased, "batches": batches})
        if seen < settings.batch_size:
            break
    result = {"erased": erased, "batches": batches,
              "retention_years": settings.retention_years, "ran_at": now.isoformat()}
    log.info("personal data retention run: %d cases erased in %d batches", erased, batches,
             extra=result)
    return result
