"""The local directory of teams and mediators, fed by teams events (no RPC per intake).

Each event repeats its team's reference (`TeamRef`), so whichever event comes first
creates the team row; the handlers are idempotent through `first_delivery`.
"""

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.cases import handlers, models
from services.cases.models import Mediator, Team
from services.cases.unit_of_work import CasesUnitOfWork
from services.common.events import Envelope
from services.common.outbox import first_delivery

DIRECTORY_EVENTS = ("team.formed", "team.dissolved", "team.leader_elected",
                    "team.placement_corrected", "mediator.added", "mediator.left")


def apply(uow: CasesUnitOfWork, envelope: Envelope, payload: BaseModel) -> bool:
    """Apply one teams event; False if it was already applied (a redelivery)."""
    session = uow.session
    if not first_delivery(session, models.processed_events, envelope):
        return False
    team_event = envelope.type.startswith("team.")
    team = _team(session, payload, (envelope.sequence or 0) if team_event else None)
    uow.places.forget(team.id)
    match envelope.type:
        case "team.formed":
            team.name = payload.name
        case "team.placement_corrected":
            handlers.replace_team_cases(uow, team, envelope.occurred_at)
        case "team.dissolved":
            team.active = False
        case "team.leader_elected":
            team.leader_id = payload.mediator_id
        case "mediator.added":
            if session.get(Mediator, payload.mediator_id) is None:
                session.add(Mediator(id=payload.mediator_id, team_id=payload.team_id,
                                     full_name=payload.full_name, active=True))
        case "mediator.left":
            mediator = session.get(Mediator, payload.mediator_id)
            if mediator is None:  # left before we heard of it: remember it as gone
                session.add(Mediator(id=payload.mediator_id, team_id=payload.team_id,
                                     full_name="", active=False))
            else:
                mediator.active = False
    return True


def _team(session: Session, ref: BaseModel, sequence: int | None) -> Team:
    """The team row, created by whichever of its events comes first (events of one team
    arrive on several queues at once, so the insert must not race). Its place is the one
    of the newest team event (`sequence`; None for a mediator's event, whose sequence
    counts the mediator's events, not the team's)."""
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(Team).values(
        id=ref.team_id, commune_code=ref.commune_code, geo_version=ref.geo_version,
        district_code=ref.district_code, v2025_code=ref.v2025_code, place_seq=-1,
        active=True).on_conflict_do_nothing(index_elements=["id"]))
    team = session.get(Team, ref.team_id, with_for_update=True, populate_existing=True)
    if sequence is not None and sequence >= team.place_seq:
        team.commune_code, team.geo_version = ref.commune_code, ref.geo_version
        team.district_code, team.v2025_code = ref.district_code, ref.v2025_code
        team.place_seq = sequence
    return team


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
