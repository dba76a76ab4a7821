"""Write side: one function per command, given the command's unit of work
(services/common/unit_of_work.py: one transaction and the events it raised).

Each writes its rows and their events to the outbox together; any error raised before
the unit of work commits leaves the database as it was.
"""

import uuid

from sqlalchemy import func, select

from services.common.errors import Conflict, NotFound, ValidationError
from services.common.events import new_event
from services.common.unit_of_work import UnitOfWork
from services.teams import domain, models, queries, schemas
from services.teams.models import (
    Commendation,
    Contest,
    Inspection,
    Mediator,
    PilotCommune,
    PilotProgramme,
    PilotTeam,
    Review,
    Team,
    Training,
)


def _ref(team: Team) -> dict:
    return {"team_id": team.id, "commune_code": team.commune_code,
            "geo_version": team.geo_version, "district_code": team.district_code,
            "v2025_code": team.v2025_code}


def _emit(uow: UnitOfWork, event_type: str, payload: dict, *, aggregate, unit_code: str,
          geo_version: str) -> None:
    """Queue an event about `aggregate` (a team or mediator row), bumping its sequence."""
    aggregate.version = (aggregate.version or 0) + 1
    event = new_event(event_type, payload, unit_code=unit_code, geo_version=geo_version,
                      aggregate_id=aggregate.id, sequence=aggregate.version)
    uow.raise_event(event)  # in a batch, one multi-row INSERT at its end (import_teams)


def _emit_team(uow: UnitOfWork, event_type: str, team: Team, **fields) -> None:
    _emit(uow, event_type, {**_ref(team), **fields}, aggregate=team,
          unit_code=team.commune_code, geo_version=team.geo_version)


def _emit_mediator(uow: UnitOfWork, event_type: str, team: Team, m: Mediator, **fields) -> None:
    _emit(uow, event_type, {**_ref(team), "mediator_id": m.id, **fields}, aggregate=m,
          unit_code=team.commune_code, geo_version=team.geo_version)


def _team_out(uow: UnitOfWork, team: Team) -> dict:
    uow.session.flush()
    return queries.team_dicts(uow.session, [team])[0]


# -- teams -----------------------------------------------------------------------------
def form_team(uow: UnitOfWork, cmd: schemas.FormTeam) -> dict:
    return _team_out(uow, _form(uow, cmd))


def _form(uow: UnitOfWork, cmd: schemas.FormTeam) -> Team:
    place = queries.placement(uow.session, cmd.commune_code, cmd.geo_version,
                              cmd.current_commune_code)
    team = Team(id=str(uuid.uuid4()), name=cmd.name, commune_code=cmd.commune_code,
                geo_version=cmd.geo_version, village=cmd.village, status="ACTIVE",
                formed_on=cmd.formed_on, version=0, **place)
    uow.session.add(team)
    _emit_team(uow, "team.formed", team, name=team.name, village=team.village,
               formed_on=team.formed_on)
    return team


def dissolve_team(uow: UnitOfWork, team_id: str, dissolved_on) -> dict:
    team = queries.get_team_row(uow.session, team_id)
    domain.check_active(team.status)
    domain.check_dates(team.formed_on, dissolved_on, "dissolved_on")
    team.status, team.dissolved_on, team.leader_id = "DISSOLVED", dissolved_on, None
    _emit_team(uow, "team.dissolved", team, dissolved_on=dissolved_on)
    return _team_out(uow, team)


def correct_team_placement(uow: UnitOfWork, cmd: schemas.PlacementCorrection) -> dict:
    """The commune officer states which 2025 commune the team's village went to (one of
    its old commune's targets); the assumption, if any, is cleared. Cases and reports
    follow the event."""
    team = queries.get_team_row(uow.session, cmd.team_id)
    place = queries.placement(uow.session, team.commune_code, team.geo_version, cmd.commune_code,
                              field="commune_code")
    previous = team.v2025_code
    if (previous, team.placement_assumed) != (place["v2025_code"], False):
        team.v2025_code, team.placement_assumed = place["v2025_code"], False
        _emit_team(uow, "team.placement_corrected", team, previous_v2025_code=previous)
    return _team_out(uow, team)


def elect_leader(uow: UnitOfWork, cmd: schemas.ElectLeader) -> dict:
    team = queries.get_team_row(uow.session, cmd.team_id)
    domain.check_active(team.status)
    mediator = queries.get_mediator_row(uow.session, cmd.mediator_id)
    _elect(uow, team, mediator, cmd.elected_on)
    return _team_out(uow, team)


def _elect(uow: UnitOfWork, team: Team, mediator: Mediator, elected_on) -> None:
    leads_other = uow.session.scalar(
        select(func.count()).select_from(Team).join(Mediator, Mediator.id == Team.leader_id)
        .where(Mediator.person_key == mediator.person_key, Team.id != team.id,
               Team.status == "ACTIVE"))
    domain.check_leader(mediator.team_id, mediator.status, team.id, bool(leads_other))
    team.leader_id = mediator.id
    _emit_team(uow, "team.leader_elected", team, mediator_id=mediator.id,
               elected_on=elected_on)


def record_review(uow: UnitOfWork, cmd: schemas.Review) -> dict:
    team = queries.get_team_row(uow.session, cmd.team_id)
    domain.check_dates(team.formed_on, cmd.reviewed_on, "reviewed_on")
    result = _team_out(uow, team)
    uow.session.add(Review(team_id=team.id, reviewed_on=cmd.reviewed_on, findings=cmd.findings,
                           actions=cmd.actions, compliant=result["compliant"]))
    _emit_team(uow, "team.reviewed", team, reviewed_on=cmd.reviewed_on,
               compliant=result["compliant"])
    return {**result, "review": {"reviewed_on": cmd.reviewed_on.isoformat(),
                                 "findings": cmd.findings, "actions": cmd.actions}}


# -- mediators -------------------------------------------------------------------------
def add_mediator(uow: UnitOfWork, team_id: str, cmd: schemas.NewMediator) -> dict:
    team = queries.get_team_row(uow.session, team_id)
    mediator = _add(uow, team, cmd)
    uow.session.flush()
    return queries.mediator_dict(mediator)


def _add(uow: UnitOfWork, team: Team, cmd: schemas.NewMediator,
         known_keys: set[str] | None = None) -> Mediator:
    domain.check_active(team.status)
    domain.check_election_share(cmd.election_share)
    if cmd.elected_on is not None:
        domain.check_dates(team.formed_on, cmd.elected_on, "elected_on")
    key = domain.person_key(cmd.full_name, cmd.year_of_birth, cmd.citizen_id)
    duplicate = (key in known_keys) if known_keys is not None else uow.session.scalar(
        select(Mediator.id).where(Mediator.team_id == team.id, Mediator.person_key == key,
                                  Mediator.status != "LEFT"))
    if duplicate:
        raise Conflict(f"{cmd.full_name} is already a mediator of this team", field="full_name",
                       details={"reason": "ALREADY_A_MEDIATOR"})
    mediator = Mediator(id=str(uuid.uuid4()), team_id=team.id, person_key=key, status="ELECTED",
                        version=0, **cmd.model_dump(exclude={"recognition"}))
    uow.session.add(mediator)
    _emit_mediator(uow, "mediator.added", team, mediator, full_name=mediator.full_name,
                   gender=mediator.gender, ethnicity=mediator.ethnicity,
                   elected_on=mediator.elected_on)
    return mediator


def recognise_mediator(uow: UnitOfWork, mediator_id: str, cmd: schemas.Recognition) -> dict:
    mediator = queries.get_mediator_row(uow.session, mediator_id)
    team = uow.session.get(Team, mediator.team_id)
    _recognise(uow, team, mediator, cmd)
    uow.session.flush()
    return queries.mediator_dict(mediator)


def _recognise(uow: UnitOfWork, team: Team, m: Mediator, cmd: schemas.Recognition) -> None:
    if m.status != "ELECTED":
        raise Conflict(f"the mediator is {m.status.lower()}, not awaiting recognition",
                       field="mediator_id", details={"reason": "NOT_AWAITING_RECOGNITION"})
    late = domain.recognition_late(m.elected_on, cmd.decision_date)
    m.status, m.recognition_late = "RECOGNISED", late
    m.decision_number, m.decision_date = cmd.decision_number, cmd.decision_date
    m.decision_issued_by = cmd.issued_by
    _emit_mediator(uow, "mediator.recognised", team, m, decision_number=cmd.decision_number,
                   decision_date=cmd.decision_date, late=late)


def remove_mediator(uow: UnitOfWork, mediator_id: str, left_on) -> dict:
    m = queries.get_mediator_row(uow.session, mediator_id)
    if m.status == "LEFT":
        raise Conflict("the mediator has already left", field="mediator_id",
                       details={"reason": "MEDIATOR_LEFT"})
    team = uow.session.get(Team, m.team_id)
    domain.check_dates(m.elected_on, left_on, "left_on", "BEFORE_ELECTION")
    m.status, m.left_on = "LEFT", left_on
    if team.leader_id == m.id:
        team.leader_id = None
    _emit_mediator(uow, "mediator.left", team, m, left_on=left_on)
    uow.session.flush()
    return queries.mediator_dict(m)


def record_training(uow: UnitOfWork, cmd: schemas.Training) -> dict:
    m = queries.get_mediator_row(uow.session, cmd.mediator_id)
    uow.session.add(Training(mediator_id=m.id, training=cmd.training, trained_on=cmd.trained_on))
    _emit_mediator(uow, "mediator.trained", uow.session.get(Team, m.team_id), m,
                   training=cmd.training, trained_on=cmd.trained_on)
    return {"mediator_id": m.id, "training": cmd.training,
            "trained_on": cmd.trained_on.isoformat()}


def record_contest(uow: UnitOfWork, cmd: schemas.ContestResult) -> dict:
    m = queries.get_mediator_row(uow.session, cmd.mediator_id)
    uow.session.add(Contest(mediator_id=m.id, contest=cmd.contest, held_on=cmd.held_on,
                            result=cmd.result))
    _emit_mediator(uow, "mediator.contest_recorded", uow.session.get(Team, m.team_id), m,
                   contest=cmd.contest, held_on=cmd.held_on, result=cmd.result)
    return {"mediator_id": m.id, "contest": cmd.contest, "held_on": cmd.held_on.isoformat(),
            "result": cmd.result}


# -- inspections and commendations (P9) ------------------------------------------------
def record_inspection(uow: UnitOfWork, cmd: schemas.InspectionIn) -> dict:
    unit = queries.get_unit_row(uow.session, cmd.unit_code, cmd.geo_version)
    district = unit.parent_code if (unit.geo_version, unit.level) == ("LEGACY", "COMMUNE") \
        else (unit.code if unit.level == "DISTRICT" else None)
    row = Inspection(**cmd.model_dump(), district_code=district)
    uow.session.add(row)
    uow.session.flush()
    uow.raise_event(new_event(
        "inspection.recorded",
        {"inspection_id": row.id, "unit_code": row.unit_code, "geo_version": row.geo_version,
         "district_code": district, "inspected_on": row.inspected_on, "body": row.body},
        unit_code=row.unit_code, geo_version=row.geo_version))
    return {"id": row.id, **cmd.model_dump(mode="json"), "district_code": district}


def record_commendation(uow: UnitOfWork, cmd: schemas.CommendationIn) -> dict:
    team = queries.get_team_row(uow.session, cmd.team_id)
    if cmd.mediator_id is not None and \
            queries.get_mediator_row(uow.session, cmd.mediator_id).team_id != team.id:
        raise Conflict("the mediator is not a member of this team", field="mediator_id",
                       details={"reason": "NOT_A_MEMBER"})
    row = Commendation(**cmd.model_dump(), commune_code=team.commune_code,
                       district_code=team.district_code)
    uow.session.add(row)
    uow.session.flush()
    _emit_team(uow, "commendation.awarded", team, commendation_id=row.id,
               mediator_id=row.mediator_id, level=row.level, awarded_on=row.awarded_on)
    return {"id": row.id, **cmd.model_dump(mode="json"), "commune_code": team.commune_code}


# -- pilot programme (P2, P3) ----------------------------------------------------------
def set_pilot_programme(uow: UnitOfWork, cmd: schemas.Programme) -> dict:
    if not cmd.period_start <= cmd.period_end:
        raise ValidationError("the period ends before it starts", field="period_end",
                              details={"reason": "PERIOD_ENDS_BEFORE_START"})
    existing = uow.session.get(PilotProgramme, cmd.year)
    if existing is None:
        uow.session.add(PilotProgramme(**cmd.model_dump()))
    else:
        for name, value in cmd.model_dump().items():
            setattr(existing, name, value)
    uow.raise_event(new_event("pilot.programme_set", {
        "programme_year": cmd.year, **cmd.model_dump(exclude={"year"})}))
    uow.session.flush()
    return queries.get_pilot(uow.session, cmd.year)


def select_pilot_commune(uow: UnitOfWork, cmd: schemas.PilotCommuneIn) -> dict:
    programme = queries.programme_row(uow.session, cmd.year)
    place = queries.placement(uow.session, cmd.commune_code, "LEGACY")
    if uow.session.get(PilotCommune, (cmd.year, cmd.commune_code)):
        raise Conflict(f"{cmd.commune_code} is already a pilot commune", field="commune_code",
                       details={"reason": "ALREADY_A_PILOT_COMMUNE"})
    on_time = domain.on_time(cmd.selected_on, programme.deadline)
    uow.session.add(PilotCommune(year=cmd.year, commune_code=cmd.commune_code,
                                 district_code=place["district_code"],
                                 selected_on=cmd.selected_on, on_time=on_time))
    uow.raise_event(new_event("pilot.commune_selected", {
        "programme_year": cmd.year, "commune_code": cmd.commune_code,
        "district_code": place["district_code"], "selected_on": cmd.selected_on,
        "on_time": on_time}, unit_code=cmd.commune_code, geo_version="LEGACY"))
    uow.session.flush()
    return queries.get_pilot(uow.session, cmd.year)


def select_model_team(uow: UnitOfWork, cmd: schemas.ModelTeamIn) -> dict:
    programme = queries.programme_row(uow.session, cmd.year)
    team = queries.get_team_row(uow.session, cmd.team_id)
    domain.check_active(team.status)
    if team.geo_version != "LEGACY" or not uow.session.get(PilotCommune, (cmd.year,
                                                                          team.commune_code)):
        raise Conflict("the team's commune is not a pilot commune", field="team_id",
                       details={"reason": "NOT_A_PILOT_COMMUNE"})
    if uow.session.get(PilotTeam, (cmd.year, team.id)):
        raise Conflict("the team is already a model-team candidate", field="team_id",
                       details={"reason": "ALREADY_A_MODEL_TEAM"})
    domain.check_model_team_slot(uow.session.scalar(
        select(func.count()).select_from(PilotTeam)
        .where(PilotTeam.year == cmd.year, PilotTeam.commune_code == team.commune_code)))
    on_time = domain.on_time(cmd.selected_on, programme.deadline)
    uow.session.add(PilotTeam(year=cmd.year, team_id=team.id, commune_code=team.commune_code,
                              selected_on=cmd.selected_on, on_time=on_time))
    _emit_team(uow, "pilot.team_selected", team, programme_year=cmd.year,
               selected_on=cmd.selected_on, period_start=programme.period_start,
               period_end=programme.period_end, target_rate=programme.target_rate)
    uow.session.flush()
    return queries.get_pilot(uow.session, cmd.year)


# -- batch import (demo and migration of paper registers) ------------------------------
def import_teams(uow: UnitOfWork, batch: schemas.ImportBatch) -> list[str]:
    """Form each team, add and recognise its mediators, elect its leader: the same rules
    and events as the single RPCs, in one transaction for the whole batch.

    Rows and outbox entries are written with multi-row INSERTs at the end (a statement
    per row made the demo load take over two minutes)."""
    ids, leaders = [], set()
    with uow.buffered(models.metadata), uow.session.no_autoflush:
        for index, item in enumerate(batch.teams):
            try:
                ids.append(_import_one(uow, item, leaders))
            except (ValidationError, Conflict, NotFound) as exc:
                field = f"teams.{index}.{exc.field}" if exc.field else f"teams.{index}"
                raise type(exc)(exc.message, field=field, details=exc.details) from None
    return ids


def _import_one(uow: UnitOfWork, item: schemas.ImportTeam, leaders: set[str]) -> str:
    team = _form(uow, item)
    keys: set[str] = set()
    members = []
    for cmd in item.mediators:
        m = _add(uow, team, cmd, known_keys=keys)
        keys.add(m.person_key)
        if cmd.recognition is not None:
            _recognise(uow, team, m, cmd.recognition)
        members.append(m)
    if item.leader_index is not None:
        if item.leader_index >= len(members):
            raise ValidationError("leader_index is not one of the mediators",
                                  field="leader_index", details={"reason": "LEADER_NOT_A_MEMBER"})
        leader = members[item.leader_index]
        if leader.person_key in leaders:  # leads a team earlier in this batch
            raise Conflict("this person already leads another team", field="leader_index",
                           details={"reason": "LEADS_ANOTHER_TEAM"})
        leaders.add(leader.person_key)
        _elect(uow, team, leader, item.leader_elected_on or item.formed_on)
    return team.id
