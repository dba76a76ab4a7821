"""teams service: entrypoints only; the work happens in plain functions."""


from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from services.common import outbox
from services.common.db import Database
from services.common.errors import ValidationError, parse
from services.common.outbox import PublishesEvents, RelayProvider
from services.common.service import ServiceBase, rpc
from services.teams import handlers, models, queries, schemas, users

GEO_VERSIONS = ("LEGACY", "V2025")
LEVELS = ("PROVINCE", "DISTRICT", "COMMUNE")
_DATE = TypeAdapter(schemas.Happened)


def _version(value: str) -> str:
    if value not in GEO_VERSIONS:
        raise ValidationError(f"geo_version must be one of {GEO_VERSIONS}", field="geo_version")
    return value


def _ids(ids) -> list[str]:
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > 1000:
        raise ValidationError("ids must be a list of at most 1000 strings", field="ids")
    return ids


def _date(value, field: str):
    try:
        return _DATE.validate_python(value)
    except PydanticError as exc:
        message = exc.errors()[0]["msg"]
        raise ValidationError(f"{field}: {message}", field=field) from None


class TeamsService(ServiceBase, PublishesEvents):
    name = "teams"
    db = Database("teams")
    # The demo load writes ~35,000 events: larger batches keep the relay near the
    # broker's confirm rate instead of 200 per 0.2 s tick.
    relay = RelayProvider(models.outbox, batch_size=1000)

    # -- geography -----------------------------------------------------------------
    @rpc
    def get_unit(self, code: str, geo_version: str = "V2025") -> dict:
        with self.db.begin() as session:
            return queries.unit_dict(queries.get_unit_row(session, code, _version(geo_version)))

    @rpc
    def list_units(self, level: str | None = None, parent_code: str | None = None,
                   geo_version: str = "V2025") -> list[dict]:
        if level is not None and level not in LEVELS:
            raise ValidationError(f"level must be one of {LEVELS}", field="level")
        with self.db.begin() as session:
            return queries.list_units(session, level, parent_code, _version(geo_version))

    @rpc
    def map_legacy_unit(self, code: str) -> dict:
        with self.db.begin() as session:
            return queries.map_legacy_unit(session, code)

    @rpc
    def unit_ancestors(self, code: str, geo_version: str = "LEGACY") -> list[dict]:
        with self.db.begin() as session:
            return queries.unit_ancestors(session, code, _version(geo_version))

    # -- teams and mediators: reads ------------------------------------------------
    @rpc
    def get_team(self, team_id: str) -> dict:
        with self.db.begin() as session:
            return queries.team_dicts(session, [queries.get_team_row(session, team_id)])[0]

    @rpc
    def get_teams(self, ids: list[str]) -> list[dict | None]:
        with self.db.begin() as session:
            return queries.get_teams(session, _ids(ids))

    @rpc
    def list_teams(self, unit_code: str | None = None, geo_version: str = "LEGACY",
                   first: int = 100, after: str | None = None, status: str | None = None) -> dict:
        page = parse(schemas.Page, {"first": first, "after": after})
        with self.db.begin() as session:
            return queries.list_teams(session, unit_code, _version(geo_version), page.first,
                                      page.after, status)

    @rpc
    def get_mediator(self, mediator_id: str) -> dict:
        with self.db.begin() as session:
            return queries.mediator_dict(queries.get_mediator_row(session, mediator_id))

    @rpc
    def get_mediators(self, ids: list[str]) -> list[dict | None]:
        with self.db.begin() as session:
            return queries.get_mediators(session, _ids(ids))

    @rpc
    def list_mediators(self, team_ids: list[str]) -> dict[str, list[dict]]:
        with self.db.begin() as session:
            return queries.list_mediators(session, _ids(team_ids))

    @rpc
    def list_non_compliant(self, unit_code: str | None = None,
                           geo_version: str = "LEGACY") -> list[dict]:
        with self.db.begin() as session:
            return queries.list_non_compliant(session, unit_code, _version(geo_version))

    # -- teams and mediators: writes -----------------------------------------------
    @rpc
    def form_team(self, team: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.FormTeam, team)
        with self.db.begin() as session:
            return handlers.form_team(session, cmd)

    @rpc
    def import_teams(self, teams: list[dict], actor: dict | None = None) -> list[str]:
        batch = parse(schemas.ImportBatch, {"teams": teams})
        with self.db.begin() as session:
            return handlers.import_teams(session, batch)

    @rpc
    def correct_team_placement(self, team_id: str, commune_code: str,
                               actor: dict | None = None) -> dict:
        cmd = parse(schemas.PlacementCorrection, {"team_id": team_id,
                                                  "commune_code": commune_code})
        with self.db.begin() as session:
            return handlers.correct_team_placement(session, cmd)

    @rpc
    def dissolve_team(self, team_id: str, dissolved_on: str, actor: dict | None = None) -> dict:
        day = _date(dissolved_on, "dissolved_on")
        with self.db.begin() as session:
            return handlers.dissolve_team(session, team_id, day)

    @rpc
    def add_mediator(self, team_id: str, mediator: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.NewMediator, mediator)
        with self.db.begin() as session:
            return handlers.add_mediator(session, team_id, cmd)

    @rpc
    def recognise_mediator(self, mediator_id: str, recognition: dict,
                           actor: dict | None = None) -> dict:
        cmd = parse(schemas.Recognition, recognition)
        with self.db.begin() as session:
            return handlers.recognise_mediator(session, mediator_id, cmd)

    @rpc
    def remove_mediator(self, mediator_id: str, left_on: str, actor: dict | None = None) -> dict:
        day = _date(left_on, "left_on")
        with self.db.begin() as session:
            return handlers.remove_mediator(session, mediator_id, day)

    @rpc
    def elect_leader(self, team_id: str, mediator_id: str, elected_on: str,
                     actor: dict | None = None) -> dict:
        cmd = parse(schemas.ElectLeader, {"team_id": team_id, "mediator_id": mediator_id,
                                          "elected_on": elected_on})
        with self.db.begin() as session:
            return handlers.elect_leader(session, cmd)

    @rpc
    def record_review(self, review: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.Review, review)
        with self.db.begin() as session:
            return handlers.record_review(session, cmd)

    @rpc
    def record_training(self, training: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.Training, training)
        with self.db.begin() as session:
            return handlers.record_training(session, cmd)

    @rpc
    def record_contest(self, contest: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.ContestResult, contest)
        with self.db.begin() as session:
            return handlers.record_contest(session, cmd)

    # -- inspections and commendations ---------------------------------------------
    @rpc
    def record_inspection(self, inspection: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.InspectionIn, inspection)
        with self.db.begin() as session:
            return handlers.record_inspection(session, cmd)

    @rpc
    def record_commendation(self, commendation: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.CommendationIn, commendation)
        with self.db.begin() as session:
            return handlers.record_commendation(session, cmd)

    @rpc
    def list_inspections(self, unit_code: str | None = None, year: int | None = None,
                         geo_version: str = "LEGACY") -> list[dict]:
        with self.db.begin() as session:
            return queries.list_inspections(session, unit_code, _version(geo_version), year)

    @rpc
    def list_commendations(self, unit_code: str | None = None, year: int | None = None,
                           geo_version: str = "LEGACY") -> list[dict]:
        with self.db.begin() as session:
            return queries.list_commendations(session, unit_code, _version(geo_version), year)

    # -- pilot programme -----------------------------------------------------------
    @rpc
    def set_pilot_programme(self, programme: dict, actor: dict | None = None) -> dict:
        cmd = parse(schemas.Programme, programme)
        with self.db.begin() as session:
            return handlers.set_pilot_programme(session, cmd)

    @rpc
    def select_pilot_commune(self, year: int, commune_code: str, selected_on: str,
                             actor: dict | None = None) -> dict:
        cmd = parse(schemas.PilotCommuneIn, {"year": year, "commune_code": commune_code,
                                             "selected_on": selected_on})
        with self.db.begin() as session:
            return handlers.select_pilot_commune(session, cmd)

    @rpc
    def select_model_team(self, year: int, team_id: str, selected_on: str,
                          actor: dict | None = None) -> dict:
        cmd = parse(schemas.ModelTeamIn, {"year": year, "team_id": team_id,
                                          "selected_on": selected_on})
        with self.db.begin() as session:
            return handlers.select_model_team(session, cmd)

    @rpc
    def get_pilot(self, year: int) -> dict:
        with self.db.begin() as session:
            return queries.get_pilot(session, year)

    # -- users ---------------------------------------------------------------------
    @rpc
    def create_user(self, user: dict, actor: dict | None = None) -> dict:
        new = parse(schemas.NewUser, user)
        with self.db.begin() as session:
            return users.create_users(session, [new])[0]

    @rpc
    def create_users(self, new_users: list[dict], skip_existing: bool = False,
                     actor: dict | None = None) -> list[dict]:
        if not isinstance(new_users, list) or len(new_users) > 1000:
            raise ValidationError("at most 1000 users per call", field="users")
        batch = [parse(schemas.NewUser, u) for u in new_users]
        with self.db.begin() as session:
            return users.create_users(session, batch, skip_existing)

    @rpc
    def verify_credentials(self, username: str, password: str) -> dict:
        with self.db.begin() as session:
            return users.verify_credentials(session, username, password)

    # -- event log -----------------------------------------------------------------
    @rpc
    def history(self, after: int = 0, limit: int = 1000) -> dict:
        with self.db.begin() as session:
            return outbox.history(session, models.outbox, after, limit)
