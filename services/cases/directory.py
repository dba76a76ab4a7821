"""The local directory of teams and mediators, fed by teams events (no RPC per intake).

Each event repeats its team's reference (`TeamRef`), so whichever event comes first
creates the team row; the handlers are idempotent through `first_deliveries`.

`catch_up` applies teams' event log (`teams.history`) a page per transaction: a first
load's ≈ 20,000 registry events in seconds instead of a minute one message at a time.
The same events still arrive on the queues; the container remembers the ids it applied
in bulk for a while (`BulkApplied`), so those copies are acknowledged as they arrive.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from cachetools import TTLCache
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.cases import handlers, models
from services.cases.models import Mediator, Team
from services.cases.unit_of_work import CasesUnitOfWork
from services.common.errors import ValidationError
from services.common.events import Envelope, parse_event
from services.common.metrics import event_consumed
from services.common.outbox import first_deliveries
from services.common.service import EventGate

log = logging.getLogger(__name__)
DIRECTORY_EVENTS = ("team.formed", "team.dissolved", "team.leader_elected",
                    "team.placement_corrected", "mediator.added", "mediator.left")


class BulkApplied(EventGate):
    """The ids (text) of the events this container's `catch_up` applied in the last ten
    minutes (bounded: a first load has ≈ 20,000); their queued copies are acknowledged
    as they arrive, as duplicates."""

    def setup(self) -> None:
        self.ids = TTLCache(maxsize=200_000, ttl=600)

    def get_dependency(self, worker_ctx) -> TTLCache:
        return self.ids

    def passes(self, event_type: str, body) -> bool:
        if isinstance(body, dict) and str(body.get("id")) in self.ids:
            event_consumed("cases", event_type, "duplicate")
            return False
        return True


def apply(uow: CasesUnitOfWork, envelope: Envelope, payload: BaseModel) -> bool:
    """Apply one teams event; False if it was already applied (a redelivery)."""
    return bool(apply_page(uow, [(envelope, payload)]))


def apply_page(uow: CasesUnitOfWork, events: list[tuple[Envelope, BaseModel]]) -> set:
    """Apply a page of teams events in the caller's transaction; the ids of the new ones.
    The page's mediators are read in one statement, each team once (locked), and the rows
    it adds are written at the commit, not before each statement (autoflush)."""
    session = uow.session
    new = first_deliveries(session, models.processed_events, [e for e, _ in events])
    events = [(envelope, payload) for envelope, payload in events if envelope.id in new]
    mediator_ids = {p.mediator_id for e, p in events if e.type.startswith("mediator.")}
    held = _Held({}, {m.id: m for m in session.scalars(
        select(Mediator).where(Mediator.id.in_(mediator_ids)))} if mediator_ids else {})
    with session.no_autoflush:
        for envelope, payload in events:
            _change(uow, envelope, payload, held)
    return new


@dataclass
class _Held:
    """The directory rows a transaction holds already, by id."""

    teams: dict[str, Team]
    mediators: dict[str, Mediator]


def catch_up(write: Callable, history: Callable[[int | str], dict], applied_ids) -> dict:
    """Apply teams' whole event log, a page per unit of work (`write(work)`);
    `history(after)` is a page of `teams.history`; the ids applied go into `applied_ids`.
    Returns the events read, those applied (not seen before) and the directory's counts."""
    read = applied = 0
    for items in _pages(history):
        events = list(_directory_events(items))
        read += len(items)
        new = write(lambda uow, events=events: apply_page(uow, events)) if events else set()
        applied += len(new)
        applied_ids.update(dict.fromkeys(map(str, new), True))
    return {"events": read, "applied": applied, **write(lambda uow: stats(uow.session))}


def _pages(history: Callable[[int | str], dict]) -> Iterator[list[dict]]:
    after = 0
    while True:
        page = history(after)
        yield page["items"]
        if not page["has_more"]:
            return
        after = page["next_after"]


def _directory_events(items: list[dict]) -> Iterator[tuple[Envelope, BaseModel]]:
    for body in items:
        if body.get("type") in DIRECTORY_EVENTS:
            try:
                yield parse_event(body)
            except ValidationError:  # as the queue consumer: dropped, and said in the log
                log.warning("dropped a malformed teams event in the history",
                            extra={"event_type": str(body.get("type"))[:64]})


def _change(uow: CasesUnitOfWork, envelope: Envelope, payload: BaseModel,
            held: _Held) -> None:
    session = uow.session
    team_event = envelope.type.startswith("team.")
    team = _team(session, payload, (envelope.sequence or 0) if team_event else None, held)
    uow.places.forget(team.id)
    match envelope.type:
        case "team.formed":
            team.name = payload.name
        case "team.placement_corrected":
            session.flush()
            handlers.replace_team_cases(uow, team, envelope.occurred_at)
        case "team.dissolved":
            team.active = False
        case "team.leader_elected":
            team.leader_id = payload.mediator_id
        case "mediator.added":
            if payload.mediator_id not in held.mediators:
                _add_mediator(session, held, payload, payload.full_name, active=True)
        case "mediator.left":
            if (mediator := held.mediators.get(payload.mediator_id)) is None:
                # left before we heard of it: remember it as gone
                _add_mediator(session, held, payload, "", active=False)
            else:
                mediator.active = False


def _add_mediator(session: Session, held: _Held, ref: BaseModel, full_name: str,
                  active: bool) -> None:
    mediator = Mediator(id=ref.mediator_id, team_id=ref.team_id, full_name=full_name,
                        active=active)
    session.add(mediator)
    held.mediators[mediator.id] = mediator


def _team(session: Session, ref: BaseModel, sequence: int | None, held: _Held) -> Team:
    """The team row, created by whichever of its events comes first (events of one team
    arrive on several queues at once, so the insert must not race), read and locked once
    per transaction. Its place is the one of the newest team event (`sequence`; None for
    a mediator's event, whose sequence counts the mediator's events, not the team's)."""
    if (team := held.teams.get(ref.team_id)) is None:
        session.execute(_insert_team(session.bind.dialect.name), {
            "id": ref.team_id, "commune_code": ref.commune_code,
            "geo_version": ref.geo_version, "district_code": ref.district_code,
            "v2025_code": ref.v2025_code, "place_seq": -1, "active": True})
        team = held.teams[ref.team_id] = session.get(
            Team, ref.team_id, with_for_update=True, populate_existing=True)
    if sequence is not None and sequence >= team.place_seq:
        team.commune_code, team.geo_version = ref.commune_code, ref.geo_version
        team.district_code, team.v2025_code = ref.district_code, ref.v2025_code
        team.place_seq = sequence
    return team


@cache
def _insert_team(dialect: str):
    """A Core statement (no ORM flush before it), built once per dialect."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(Team.__table__).on_conflict_do_nothing(index_elements=["id"])


def stats(session: Session) -> dict:
    teams = session.scalar(select(func.count()).select_from(Team).where(Team.active)) or 0
    mediators = session.scalar(
        select(func.count()).select_from(Mediator).where(Mediator.active)) or 0
    return {"teams": teams, "mediators": mediators}


def teams(session: Session) -> list[dict]:
    """Active teams with their active mediators' ids (for loaders; no names)."""
    members: dict[str, list[str]] = {}
    for mediator_id, team_id in session.execute(
            select(Mediator.id, Mediator.team_id).where(Mediator.active).order_by(Mediator.id)):
        members.setdefault(team_id, []).append(mediator_id)
    return [{"team_id": t.id, "commune_code": t.commune_code, "geo_version": t.geo_version,
             "district_code": t.district_code, "mediator_ids": members.get(t.id, [])}
            for t in session.scalars(select(Team).where(Team.active).order_by(Team.id))]
