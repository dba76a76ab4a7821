"""Write side: one function per command, each given the command's unit of work
(services/cases/unit_of_work.py: one transaction, the events raised, a row buffer).
Rows and their events (outbox) are written together. A batch (services/cases/batch.py)
runs the same functions on cases held in memory with the unit of work buffering its
inserts; PostgreSQL's intake collects the new case's rows and writes them in one
statement (services/cases/intake.py)."""

import hashlib
import json
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.cases import domain, intake
from services.cases.models import Case, CaseDetails, Mediator, Team, Transition
from services.cases.schemas import Actor, SubmitCase
from services.cases.unit_of_work import CasesUnitOfWork
from services.common import geography
from services.common.errors import Conflict, NotFound, ValidationError
from services.common.events import new_event
from services.common.ids import new_id

# --- events ---------------------------------------------------------------------------


def emit(uow: CasesUnitOfWork, case: Case, event_type: str, occurred_at: datetime,
         **fields) -> None:
    """Raise a case event in this transaction: the next `sequence` of the case."""
    case.sequence += 1
    raise_numbered(uow, case, event_type, occurred_at, **fields)


def raise_numbered(uow: CasesUnitOfWork, case: Case, event_type: str,
                   occurred_at: datetime, **fields) -> None:
    """Raise the event numbered `case.sequence` (already advanced by the caller)."""
    uow.raise_event(new_event(
        event_type, {**case_ref(case), **fields}, unit_code=case.commune_code,
        geo_version=case.geo_version, aggregate_id=case.id, sequence=case.sequence,
        occurred_at=occurred_at))


def case_ref(case: Case) -> dict:
    return {"case_id": case.id, "team_id": case.team_id, "category": case.category,
            "commune_code": case.commune_code, "geo_version": case.geo_version,
            "district_code": case.district_code, "v2025_code": case.v2025_code}


def record_reads(uow: CasesUnitOfWork, cases: list[Case], found):
    """`found`, once the audit trail holds one entry per case whose parties' personal
    data it returns (written in the reader's transaction: no broker involved)."""
    for case in cases:
        uow.audit(object_type="case", object_id=case.id, place={
            **case_ref(case), "unit_code": case.commune_code})
    return found


def audit(uow: CasesUnitOfWork, case: Case, action: str, before: str | None, at: datetime,
          actor: Actor, now: datetime, **detail) -> None:
    # A Core insert: no ORM unit of work for a row nothing reads back (measured, see
    # docs/performance.md). The case row exists already, so the foreign key holds.
    uow.insert(Transition.__table__, dict(
        case_id=case.id, action=action, from_status=before, to_status=case.status, at=at,
        recorded_at=now, actor=actor.username, actor_role=actor.role,
        detail=detail or None))
    if case.last_step_at != at:  # setting an equal value still costs a flush at commit
        case.last_step_at = at


_INSERT_CASE = {
    name: dialect.insert(Case).on_conflict_do_nothing(index_elements=["idempotency_key"])
    .returning(Case) for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}

# --- intake ---------------------------------------------------------------------------


def payload_hash(cmd: SubmitCase) -> str:
    body = cmd.model_dump(mode="json", exclude={"idempotency_key"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def submit_case(uow: CasesUnitOfWork, cmd: SubmitCase, actor: Actor,
                now: datetime) -> tuple[Case, bool]:
    """Receive a case (tiếp nhận). Returns (case, created). The same idempotency key
    with the same payload returns the first case; with another payload, Conflict.

    PostgreSQL writes the case's four rows in one statement, with the team's place from
    the cache; if it wrote nothing and the key is unused, the team was dissolved or moved
    since: once more with a fresh place."""
    key, digest, received_at = screen(cmd, now)
    in_one_statement = uow.session.bind.dialect.name == "postgresql"
    for cached in (True, False) if in_one_statement else (False,):
        team = _active_team(uow, cmd.team_id, cached, key, digest)
        if isinstance(team, Case):
            return team, False
        values = case_values(cmd, actor, team, key, digest, received_at)
        insert = _insert_in_one_statement if in_one_statement else _insert_row_by_row
        if (case := insert(uow, cmd, actor, now, values)) is not None:
            return case, True
        if existing := _by_key(uow.session, key):
            return replay(existing, digest), False
        uow.places.forget(cmd.team_id)
    raise NotFound(f"no active team {cmd.team_id}", field="team_id")


def _insert_row_by_row(uow: CasesUnitOfWork, cmd: SubmitCase, actor: Actor, now: datetime,
                       values: dict) -> Case | None:
    """Insert the case unless its idempotency key exists (None then), then its rows. The
    unique key decides a concurrent race: the loser waits for the winner's commit."""
    statement = _INSERT_CASE[uow.session.bind.dialect.name]
    case = uow.session.scalars(statement, values).first()
    if case is not None:
        uow.wrote(Case.__table__, [values])  # its counter (services/cases/counts.py)
        record_received(uow, case, cmd, actor, now)
    return case


def _insert_in_one_statement(uow: CasesUnitOfWork, cmd: SubmitCase, actor: Actor,
                             now: datetime, values: dict) -> Case | None:
    """PostgreSQL: the rows `record_received` makes, collected and written with the case
    in one round trip (`intake`). None if nothing was written (the key exists, or the
    team was dissolved or moved): the collected event is dropped with it.

    The case is its column values as plain attributes, not a `Case`: nothing loads or
    flushes it, and setting a mapped instance's 36 attributes through SQLAlchemy's
    instrumentation cost ≈ 55 µs per intake (docs/performance.md)."""
    case = SimpleNamespace(**values)
    mark = uow.mark()
    with uow.collecting() as rows:
        record_received(uow, case, cmd, actor, now)
    if intake.insert_received(uow.session, values, rows):
        return case
    uow.rollback_to(mark)
    return None


def _active_team(uow: CasesUnitOfWork, team_id: str, cached: bool, key: str,
                 digest: str) -> dict | Case:
    """The team's place if it is active; else the case already accepted under this key
    (before the team was dissolved); else NotFound."""
    team = _team_place(uow, team_id, cached=cached)
    if team is not None and team["active"]:
        return team
    if existing := _by_key(uow.session, key):
        return replay(existing, digest)
    raise NotFound(f"no active team {team_id}", field="team_id")


def screen(cmd: SubmitCase, now: datetime) -> tuple[str, str, datetime]:
    """The checks that need no database; returns (idempotency key, payload hash,
    received_at)."""
    received_at = domain.check_not_future(cmd.received_at or now, now, "received_at")
    texts = [cmd.subject, cmd.description]
    reason = domain.non_mediable_reason(cmd.non_mediable, texts, cmd.screen_override)
    if reason:
        raise ValidationError("the matter may not be mediated (Decree 15/2014 art. 5): "
                              f"{reason}", field="description", details={"reason": reason})
    return cmd.idempotency_key or f"auto:{new_id()}", payload_hash(cmd), received_at


def case_values(cmd: SubmitCase, actor: Actor, team: dict, key: str, digest: str,
                received_at: datetime) -> dict:
    """The new case's row (every column), placed where its team works in the layout in
    force on the day it was received."""
    values = {c.name: None for c in Case.__table__.c}
    values.update(
        id=new_id(), idempotency_key=key, payload_hash=digest, team_id=cmd.team_id,
        category=cmd.category, subject=cmd.subject, channel=cmd.channel,
        **geography.place_on(team, received_at), status=domain.RECEIVED,
        received_at=received_at, mediator_ids=[],
        last_step_at=received_at, sequence=1, created_by=actor.username,
    )  # sequence 1 is the case.received below: no UPDATE of the new row
    return values


def record_received(uow: CasesUnitOfWork, case: Case, cmd: SubmitCase, actor: Actor,
                    now: datetime) -> None:
    """The new case's details, audit row and `case.received` event."""
    with uow.session.no_autoflush:
        uow.insert(CaseDetails.__table__, dict(
            case_id=case.id, description=cmd.description,
            parties=[p.model_dump() for p in cmd.parties]))
        audit(uow, case, "receive", None, case.received_at, actor, now,
              screen_override=cmd.screen_override or None)
    raise_numbered(uow, case, "case.received", case.received_at, channel=case.channel,
                   received_at=case.received_at)


# Where a team works, and whether it is active (also read per batch: services/cases/batch.py)
PLACE_COLUMNS = (Team.active, Team.commune_code, Team.geo_version, Team.district_code,
                 Team.v2025_code)
_SELECT_TEAM = select(*PLACE_COLUMNS).where(Team.id == bindparam("team_id"))


def _team_place(uow: CasesUnitOfWork, team_id: str, cached: bool) -> dict | None:
    """The team's place and whether it is active. `cached` (PostgreSQL, whose intake
    statement checks `active` and the place itself) answers from `uow.places` after the
    first lookup: the lookup was a round trip and a third of the intake's CPU."""
    if cached and (place := uow.places.get(team_id)) is not None:
        return place
    row = uow.session.execute(_SELECT_TEAM, {"team_id": team_id}).first()
    if row is None:
        return None
    place = row._asdict()
    if cached and place["active"]:
        uow.places.remember(team_id, place)
    return place


def replace_team_cases(uow: CasesUnitOfWork, team: Team, at: datetime) -> int:
    """The team's current commune was corrected: its cases follow (`case.place_corrected`
    for each that moved). A case placed in LEGACY keeps its old commune and district;
    one placed in V2025 was placed in the team's current commune, so that moves too."""
    moved = 0
    for case in uow.session.scalars(select(Case).where(Case.team_id == team.id,
                                                   Case.v2025_code != team.v2025_code)
                                .order_by(Case.id).with_for_update()):
        previous = case.v2025_code
        case.v2025_code = team.v2025_code
        if case.geo_version == "V2025":
            case.commune_code = team.v2025_code
        emit(uow, case, "case.place_corrected", at, previous_v2025_code=previous)
        moved += 1
    return moved


def _by_key(session: Session, key: str) -> Case | None:
    return session.execute(select(Case).where(Case.idempotency_key == key)).scalar()


def replay(case: Case, digest: str) -> Case:
    if case.payload_hash != digest:
        raise Conflict("this idempotency key was used for another case",
                       field="idempotency_key", details={"case_id": case.id})
    return case


# --- lifecycle ------------------------------------------------------------------------


def load_for_update(session: Session, case_id: str) -> Case:
    """The case, locked: its transitions and event sequence are serialised."""
    case = session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    return case


def apply_step(uow: CasesUnitOfWork, case: Case, step: dict, actor: Actor,
               now: datetime) -> Case:
    action = step.pop("action")
    return STEPS[action](uow, case, actor=actor, now=now, **step)


def assign(uow: CasesUnitOfWork, case: Case, *, mediator_ids: list[str], at: datetime | None,
           actor: Actor, now: datetime) -> Case:
    """Phân công (art. 18): members of the case's team, none with an interest in it."""
    before = case.status
    status = domain.check_transition("assign", before)
    when = domain.step_time(at, case.last_step_at, now)
    mediators = _team_mediators(uow, case.team_id, mediator_ids)
    domain.check_no_conflict_of_interest(mediators, _parties(uow, case.id))
    case.status, case.mediator_ids = status, list(mediator_ids)
    # A re-assignment sets a new deadline; `case.start_overdue` is still raised once per case.
    case.assigned_at, case.start_deadline = when, domain.start_deadline(when)
    audit(uow, case, "assign", before, when, actor, now, mediator_ids=mediator_ids)
    emit(uow, case, "case.assigned", when, mediator_ids=case.mediator_ids,
         assigned_at=when, start_deadline=case.start_deadline)
    return case


def _team_mediators(uow: CasesUnitOfWork, team_id: str, ids: list[str]) -> dict[str, str]:
    found = {i: m for i in ids if (m := uow.mediators.get(i))}
    if missing := [i for i in ids if i not in found]:
        found.update((m.id, m) for m in uow.session.scalars(
            select(Mediator).where(Mediator.id.in_(missing))))
    for mediator_id in ids:
        mediator = found.get(mediator_id)
        if mediator is None:
            raise NotFound(f"no mediator {mediator_id}", field="mediator_ids")
        if mediator.team_id != team_id or not mediator.active:
            raise ValidationError(f"mediator {mediator_id} is not an active member of the "
                                  "case's team", field="mediator_ids")
    return {m.id: m.full_name for m in found.values()}


def _parties(uow: CasesUnitOfWork, case_id: str) -> list[dict]:
    if (parties := uow.parties.get(case_id)) is not None:
        return parties
    return uow.session.get(CaseDetails, case_id).parties


def start(uow: CasesUnitOfWork, case: Case, *, at: datetime | None, actor: Actor,
          now: datetime) -> Case:
    """Bắt đầu hòa giải (art. 20); a late start raises the overdue fact first, once."""
    before = case.status
    case.status = domain.check_transition("start", before)
    when = domain.step_time(at, case.last_step_at, now)
    deadline = case.start_deadline
    if case.overdue_raised_at is None and domain.is_start_overdue(deadline, when, now):
        raise_overdue(uow, case, deadline)
    case.started_at = when
    audit(uow, case, "start", before, when, actor, now)
    emit(uow, case, "case.mediation_started", when, started_at=when)
    return case


def raise_overdue(uow: CasesUnitOfWork, case: Case, deadline: datetime) -> None:
    case.overdue_raised_at = deadline
    emit(uow, case, "case.start_overdue", deadline, start_deadline=deadline)


def resolve(uow: CasesUnitOfWork, case: Case, *, outcome: str, note: str | None,
            agreement_text: str | None, at: datetime | None, actor: Actor,
            now: datetime) -> Case:
    """Kết quả (art. 23-24): successful (maybe with a written agreement), unsuccessful
    or stopped."""
    before = case.status
    domain.check_transition("resolve", before)
    if agreement_text and outcome != domain.SUCCESSFUL:
        raise ValidationError("only a successful mediation has an agreement",
                              field="agreement_text")
    when = domain.step_time(at, case.last_step_at, now)
    case.status = case.outcome = domain.resolved_status(outcome)
    case.outcome_note, case.agreement_text, case.resolved_at = note, agreement_text, when
    audit(uow, case, "resolve", before, when, actor, now, outcome=outcome)
    emit(uow, case, "case.resolved", when, outcome=outcome, resolved_at=when,
         mediator_ids=case.mediator_ids, has_agreement=bool(agreement_text))
    return case


def refer(uow: CasesUnitOfWork, case: Case, *, authority: str, reason: str | None,
          at: datetime | None, actor: Actor, now: datetime) -> Case:
    """Chuyển / hướng dẫn (art. 25): an open case goes to the competent authority
    (REFERRED); after an unsuccessful mediation the guidance is recorded and the case
    stays UNSUCCESSFUL (`case.guided`, which changes no count)."""
    before = case.status
    action = domain.referral(before, case.referred_at is not None)
    case.status = domain.check_transition(action, before)
    when = domain.step_time(at, case.last_step_at, now)
    case.referred_to, case.referred_at = authority, when
    audit(uow, case, action, before, when, actor, now, authority=authority,
          reason=reason)
    if action == "guide":
        emit(uow, case, "case.guided", when, guided_at=when, authority=authority)
    else:
        emit(uow, case, "case.referred", when, referred_at=when, authority=authority)
    return case


def follow_up(uow: CasesUnitOfWork, case: Case, *, carried_out: bool, note: str | None,
              at: datetime | None, actor: Actor, now: datetime) -> Case:
    """Theo dõi thực hiện (art. 26): once, after a successful mediation."""
    domain.check_transition("follow_up", case.status)
    if case.followed_up_at is not None:
        raise Conflict("the follow-up is already recorded", field="case_id")
    when = domain.step_time(at, case.last_step_at, now)
    case.followed_up_at, case.carried_out, case.follow_up_note = when, carried_out, note
    audit(uow, case, "follow_up", case.status, when, actor, now, carried_out=carried_out)
    emit(uow, case, "case.followed_up", when, followed_up_at=when,
         carried_out=carried_out)
    return case


def escalate(uow: CasesUnitOfWork, case: Case, *, kind: str, reason: str, at: datetime | None,
             actor: Actor, now: datetime) -> Case:
    """Báo cáo kịp thời: violence risk, signs of a crime, a mass or complex dispute."""
    domain.check_transition("escalate", case.status)
    if case.escalated_at is not None:
        raise Conflict("the case is already escalated", field="case_id")
    when = domain.step_time(at, case.last_step_at, now)
    case.escalation_kind, case.escalation_reason, case.escalated_at = kind, reason, when
    audit(uow, case, "escalate", case.status, when, actor, now, kind=kind)
    emit(uow, case, "case.escalated", when, escalated_at=when, kind=kind)
    return case


STEPS = {"assign": assign, "start": start, "outcome": resolve, "refer": refer,
         "follow_up": follow_up, "escalate": escalate}


def raise_due_overdue(uow: CasesUnitOfWork, now: datetime, limit: int = 500) -> int:
    """Timer: cases assigned but not started by the deadline raise `case.start_overdue`
    once (the flag is written with the event, in one transaction)."""
    query = (select(Case).where(Case.status == domain.ASSIGNED,
                                Case.start_deadline < now,
                                Case.overdue_raised_at.is_(None))
             .order_by(Case.start_deadline).limit(limit))
    if uow.session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    cases = uow.session.scalars(query).all()
    for case in cases:
        raise_overdue(uow, case, case.start_deadline)
    return len(cases)
