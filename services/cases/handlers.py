"""Write side: one function per command, each given the caller's session (one
transaction). Rows and their events (outbox) are written together; the events a
transaction emitted are listed in `session.info["events"]` for the metrics, which
the service counts only after the commit. A batch (services/cases/batch.py) runs the
same functions on cases held in memory: `write_row` then queues its inserts in
`session.info["rows"]`, and what the batch read once is found in `session.info`."""

import hashlib
import json
from datetime import datetime

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.cases import domain, intake, models
from services.cases.models import Case, CaseDetails, Mediator, Team, Transition
from services.cases.schemas import Actor, SubmitCase
from services.common import geography, outbox
from services.common.errors import Conflict, NotFound, ValidationError
from services.common.events import new_event
from services.common.ids import new_id

# --- events ---------------------------------------------------------------------------


def emit(session: Session, case: Case, event_type: str, occurred_at: datetime,
         **fields) -> None:
    """Queue a case event in this transaction: the next `sequence` of the case."""
    case.sequence += 1
    queue(session, case, event_type, occurred_at, **fields)


def queue(session: Session, case: Case, event_type: str, occurred_at: datetime,
          **fields) -> None:
    """Queue the event numbered `case.sequence` (already advanced by the caller)."""
    payload = {**case_ref(case), **fields}
    event = new_event(event_type, payload, unit_code=case.commune_code,
                      geo_version=case.geo_version, aggregate_id=case.id,
                      sequence=case.sequence, occurred_at=occurred_at)
    with session.no_autoflush:  # the outbox row needs no pending ORM row: skip a flush
        write_row(session, models.outbox, outbox.row(event))
    session.info.setdefault("events", []).append((event_type, event.payload))


def case_ref(case: Case) -> dict:
    return {"case_id": case.id, "team_id": case.team_id, "category": case.category,
            "commune_code": case.commune_code, "geo_version": case.geo_version,
            "district_code": case.district_code, "v2025_code": case.v2025_code}


def audit(session: Session, case: Case, action: str, before: str | None, at: datetime,
          actor: Actor, now: datetime, **detail) -> None:
    # A Core insert: no ORM unit of work for a row nothing reads back (measured, see
    # docs/performance.md). The case row exists already, so the foreign key holds.
    write_row(session, Transition.__table__, dict(
        case_id=case.id, action=action, from_status=before, to_status=case.status, at=at,
        recorded_at=now, actor=actor.username, actor_role=actor.role,
        detail=detail or None))
    if case.last_step_at != at:  # setting an equal value still costs a flush at commit
        case.last_step_at = at


def write_row(session: Session, table: Table, values: dict) -> None:
    """Insert a row now, or queue it for the batch's multi-row INSERT (see above)."""
    if (queued := session.info.get("rows")) is not None:
        queued.append((table, values))
        return
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = insert(table)
    session.execute(statement, values)


# Statements built once, values passed as parameters: building `insert().values(...)` per
# call cost more CPU than the round trip (coercing and cache-keying every value).
_INSERTS: dict[Table, object] = {}
_INSERT_CASE = {
    name: dialect.insert(Case).on_conflict_do_nothing(index_elements=["idempotency_key"])
    .returning(Case) for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}

# --- intake ---------------------------------------------------------------------------


def payload_hash(cmd: SubmitCase) -> str:
    body = cmd.model_dump(mode="json", exclude={"idempotency_key"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def submit_case(session: Session, cmd: SubmitCase, actor: Actor,
                now: datetime) -> tuple[Case, bool]:
    """Receive a case (tiếp nhận). Returns (case, created). The same idempotency key
    with the same payload returns the first case; with another payload, Conflict."""
    key, digest, received_at = screen(cmd, now)
    if session.bind.dialect.name == "postgresql":
        return _submit_postgres(session, cmd, actor, now, (key, digest, received_at))
    team = _active_team(session, cmd.team_id, False, key, digest)
    if isinstance(team, Case):
        return team, False
    case = _insert_once(session, case_values(cmd, actor, team, key, digest, received_at))
    if case is None:
        return replay(_by_key(session, key), digest), False
    record_received(session, case, cmd, actor, now)
    return case, True


def _submit_postgres(session: Session, cmd: SubmitCase, actor: Actor, now: datetime,
                     screened: tuple[str, str, datetime]) -> tuple[Case, bool]:
    """One statement with the team's cached place; if it wrote nothing and the key is
    unused, the team was dissolved or moved since: once more with a fresh place."""
    key, digest, received_at = screened
    for cached in (True, False):
        team = _active_team(session, cmd.team_id, cached, key, digest)
        if isinstance(team, Case):
            return team, False
        values = case_values(cmd, actor, team, key, digest, received_at)
        if (done := _submit_in_one_statement(session, cmd, actor, now, values)) is not None:
            return done
        if existing := _by_key(session, key):
            return replay(existing, digest), False
        forget_team(session, cmd.team_id)
    raise NotFound(f"no active team {cmd.team_id}", field="team_id")


def _active_team(session: Session, team_id: str, cached: bool, key: str,
                 digest: str) -> dict | Case:
    """The team's place if it is active; else the case already accepted under this key
    (before the team was dissolved); else NotFound."""
    team = _team_place(session, team_id, cached=cached)
    if team is not None and team["active"]:
        return team
    if existing := _by_key(session, key):
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


def record_received(session: Session, case: Case, cmd: SubmitCase, actor: Actor,
                    now: datetime) -> None:
    """The new case's details, audit row and `case.received` event."""
    with session.no_autoflush:
        write_row(session, CaseDetails.__table__, dict(
            case_id=case.id, description=cmd.description,
            parties=[p.model_dump() for p in cmd.parties]))
        audit(session, case, "receive", None, case.received_at, actor, now,
              screen_override=cmd.screen_override or None)
    queue(session, case, "case.received", case.received_at, channel=case.channel,
          received_at=case.received_at)


def _submit_in_one_statement(session: Session, cmd: SubmitCase, actor: Actor,
                             now: datetime, values: dict) -> tuple[Case, bool] | None:
    """PostgreSQL: the same four rows as below in one round trip (`intake`). None if
    nothing was written (the key exists, or the team was dissolved or moved)."""
    case = Case(**values)  # not in a session
    event = new_event("case.received", {**case_ref(case), "channel": case.channel,
                                        "received_at": case.received_at},
                      unit_code=case.commune_code, geo_version=case.geo_version,
                      aggregate_id=case.id, sequence=1, occurred_at=case.received_at)
    created = intake.insert_received(
        session, {c.name: getattr(case, c.name) for c in Case.__table__.c},
        {"description": cmd.description, "parties": [p.model_dump() for p in cmd.parties]},
        {"action": "receive", "from_status": None, "to_status": case.status,
         "at": case.received_at, "recorded_at": now, "actor": actor.username,
         "actor_role": actor.role,
         "detail": {"screen_override": cmd.screen_override or None}},
        {**outbox.row(event), "sent_at": None})
    if not created:
        return None
    session.info.setdefault("events", []).append((event.type, event.payload))
    return case, True


# (database, team id) → where the team works (its current commune may be corrected: the
# intake statement checks it, and `forget_team` drops it)
_PLACES: dict[tuple, dict] = {}
# Where a team works, and whether it is active (also read per batch: services/cases/batch.py)
PLACE_COLUMNS = (Team.active, Team.commune_code, Team.geo_version, Team.district_code,
                 Team.v2025_code)
_SELECT_TEAM = select(*PLACE_COLUMNS).where(Team.id == bindparam("team_id"))


def _team_place(session: Session, team_id: str, cached: bool) -> dict | None:
    """The team's place and whether it is active. `cached` (PostgreSQL, whose intake
    statement checks `active` itself) answers from memory after the first lookup: the
    lookup was a round trip and a third of the intake's CPU."""
    key = (session.bind.url, team_id)
    if cached and key in _PLACES:
        return _PLACES[key]
    row = session.execute(_SELECT_TEAM, {"team_id": team_id}).first()
    if row is None:
        return None
    place = row._asdict()
    if cached and place["active"]:
        _PLACES[key] = place
    return place


def replace_team_cases(session: Session, team: Team, at: datetime) -> int:
    """The team's current commune was corrected: its cases follow (`case.place_corrected`
    for each that moved). A case placed in LEGACY keeps its old commune and district;
    one placed in V2025 was placed in the team's current commune, so that moves too."""
    moved = 0
    for case in session.scalars(select(Case).where(Case.team_id == team.id,
                                                   Case.v2025_code != team.v2025_code)
                                .order_by(Case.id).with_for_update()):
        previous = case.v2025_code
        case.v2025_code = team.v2025_code
        if case.geo_version == "V2025":
            case.commune_code = team.v2025_code
        emit(session, case, "case.place_corrected", at, previous_v2025_code=previous)
        moved += 1
    return moved


def forget_team(session: Session, team_id: str) -> None:
    """The directory learned something of this team: look its place up afresh."""
    _PLACES.pop((session.bind.url, team_id), None)


def _insert_once(session: Session, values: dict) -> Case | None:
    """Insert the case unless its idempotency key exists (None then). The unique key
    decides a concurrent race: the loser waits for the winner's commit, inserts nothing."""
    statement = _INSERT_CASE[session.bind.dialect.name]
    return session.scalars(statement, values).first()


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


def apply_step(session: Session, case: Case, step: dict, actor: Actor,
               now: datetime) -> Case:
    action = step.pop("action")
    return STEPS[action](session, case, actor=actor, now=now, **step)


def assign(session: Session, case: Case, *, mediator_ids: list[str], at: datetime | None,
           actor: Actor, now: datetime) -> Case:
    """Phân công (art. 18): members of the case's team, none with an interest in it."""
    before = case.status
    case.status = domain.check_transition("assign", before)
    when = domain.step_time(at, case.last_step_at, now)
    mediators = _team_mediators(session, case.team_id, mediator_ids)
    domain.check_no_conflict_of_interest(mediators, _parties(session, case.id))
    case.mediator_ids = list(mediator_ids)
    # A re-assignment sets a new deadline; `case.start_overdue` is still raised once per case.
    case.assigned_at, case.start_deadline = when, domain.start_deadline(when)
    audit(session, case, "assign", before, when, actor, now, mediator_ids=mediator_ids)
    emit(session, case, "case.assigned", when, mediator_ids=case.mediator_ids,
         assigned_at=when, start_deadline=case.start_deadline)
    return case


def _team_mediators(session: Session, team_id: str, ids: list[str]) -> dict[str, str]:
    found = {i: m for i in ids if (m := session.info.get("mediators", {}).get(i))}
    if missing := [i for i in ids if i not in found]:
        found.update((m.id, m) for m in session.scalars(
            select(Mediator).where(Mediator.id.in_(missing))))
    for mediator_id in ids:
        mediator = found.get(mediator_id)
        if mediator is None:
            raise NotFound(f"no mediator {mediator_id}", field="mediator_ids")
        if mediator.team_id != team_id or not mediator.active:
            raise ValidationError(f"mediator {mediator_id} is not an active member of the "
                                  "case's team", field="mediator_ids")
    return {m.id: m.full_name for m in found.values()}


def _parties(session: Session, case_id: str) -> list[dict]:
    if (parties := session.info.get("parties", {}).get(case_id)) is not None:
        return parties
    return session.get(CaseDetails, case_id).parties


def start(session: Session, case: Case, *, at: datetime | None, actor: Actor,
          now: datetime) -> Case:
    """Bắt đầu hòa giải (art. 20); a late start raises the overdue fact first, once."""
    before = case.status
    case.status = domain.check_transition("start", before)
    when = domain.step_time(at, case.last_step_at, now)
    deadline = case.start_deadline
    if case.overdue_raised_at is None and domain.is_start_overdue(deadline, when, now):
        raise_overdue(session, case, deadline)
    case.started_at = when
    audit(session, case, "start", before, when, actor, now)
    emit(session, case, "case.mediation_started", when, started_at=when)
    return case


def raise_overdue(session: Session, case: Case, deadline: datetime) -> None:
    case.overdue_raised_at = deadline
    emit(session, case, "case.start_overdue", deadline, start_deadline=deadline)


def resolve(session: Session, case: Case, *, outcome: str, note: str | None,
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
    audit(session, case, "resolve", before, when, actor, now, outcome=outcome)
    emit(session, case, "case.resolved", when, outcome=outcome, resolved_at=when,
         mediator_ids=case.mediator_ids, has_agreement=bool(agreement_text))
    return case


def refer(session: Session, case: Case, *, authority: str, reason: str | None,
          at: datetime | None, actor: Actor, now: datetime) -> Case:
    """Chuyển / hướng dẫn (art. 25): an open case goes to the competent authority
    (REFERRED); after an unsuccessful mediation the guidance is recorded and the case
    stays UNSUCCESSFUL (`case.guided`, which changes no count)."""
    before = case.status
    action = domain.referral(before, case.referred_at is not None)
    case.status = domain.check_transition(action, before)
    when = domain.step_time(at, case.last_step_at, now)
    case.referred_to, case.referred_at = authority, when
    audit(session, case, action, before, when, actor, now, authority=authority,
          reason=reason)
    if action == "guide":
        emit(session, case, "case.guided", when, guided_at=when, authority=authority)
    else:
        emit(session, case, "case.referred", when, referred_at=when, authority=authority)
    return case


def follow_up(session: Session, case: Case, *, carried_out: bool, note: str | None,
              at: datetime | None, actor: Actor, now: datetime) -> Case:
    """Theo dõi thực hiện (art. 26): once, after a successful mediation."""
    domain.check_transition("follow_up", case.status)
    if case.followed_up_at is not None:
        raise Conflict("the follow-up is already recorded", field="case_id")
    when = domain.step_time(at, case.last_step_at, now)
    case.followed_up_at, case.carried_out, case.follow_up_note = when, carried_out, note
    audit(session, case, "follow_up", case.status, when, actor, now, carried_out=carried_out)
    emit(session, case, "case.followed_up", when, followed_up_at=when,
         carried_out=carried_out)
    return case


def escalate(session: Session, case: Case, *, kind: str, reason: str, at: datetime | None,
             actor: Actor, now: datetime) -> Case:
    """Báo cáo kịp thời: violence risk, signs of a crime, a mass or complex dispute."""
    domain.check_transition("escalate", case.status)
    if case.escalated_at is not None:
        raise Conflict("the case is already escalated", field="case_id")
    when = domain.step_time(at, case.last_step_at, now)
    case.escalation_kind, case.escalation_reason, case.escalated_at = kind, reason, when
    audit(session, case, "escalate", case.status, when, actor, now, kind=kind)
    emit(session, case, "case.escalated", when, escalated_at=when, kind=kind)
    return case


STEPS = {"assign": assign, "start": start, "outcome": resolve, "refer": refer,
         "follow_up": follow_up, "escalate": escalate}


def raise_due_overdue(session: Session, now: datetime, limit: int = 500) -> int:
    """Timer: cases assigned but not started by the deadline raise `case.start_overdue`
    once (the flag is written with the event, in one transaction)."""
    query = (select(Case).where(Case.status == domain.ASSIGNED,
                                Case.start_deadline < now,
                                Case.overdue_raised_at.is_(None))
             .order_by(Case.start_deadline).limit(limit))
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    cases = session.scalars(query).all()
    for case in cases:
        raise_overdue(session, case, case.start_deadline)
    return len(cases)
