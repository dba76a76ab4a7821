"""Plan 73's programme: annual reviews, trainings, contests, inspections, commendations
and the 2018-2020 pilot of model advanced teams."""

from services.common.service import rpc
from services.teams import handlers, queries, schemas
from services.teams.entrypoints import Commands
from services.teams.entrypoints.arguments import layout


class ProgrammeEntrypoints(Commands):
    @rpc
    def record_review(self, review: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.record_review, schemas.Review, review)

    @rpc
    def record_training(self, training: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.record_training, schemas.Training, training)

    @rpc
    def record_contest(self, contest: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.record_contest, schemas.ContestResult, contest)

    @rpc
    def record_inspection(self, inspection: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.record_inspection, schemas.InspectionIn, inspection)

    @rpc
    def record_commendation(self, commendation: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.record_commendation, schemas.CommendationIn,
                             commendation)

    @rpc
    def list_inspections(self, unit_code: str | None = None, year: int | None = None,
                         geo_version: str = "LEGACY") -> list[dict]:
        return self.read(lambda s: queries.list_inspections(s, unit_code, layout(geo_version),
                                                            year))

    @rpc
    def list_commendations(self, unit_code: str | None = None, year: int | None = None,
                           geo_version: str = "LEGACY") -> list[dict]:
        return self.read(lambda s: queries.list_commendations(s, unit_code,
                                                              layout(geo_version), year))

    # -- the pilot programme (2018-2020) ---------------------------------------------
    @rpc
    def set_pilot_programme(self, programme: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.set_pilot_programme, schemas.Programme, programme)

    @rpc
    def select_pilot_commune(self, year: int, commune_code: str, selected_on: str,
                             actor: dict | None = None) -> dict:
        return self._command(handlers.select_pilot_commune, schemas.PilotCommuneIn, {
            "year": year, "commune_code": commune_code, "selected_on": selected_on})

    @rpc
    def select_model_team(self, year: int, team_id: str, selected_on: str,
                          actor: dict | None = None) -> dict:
        return self._command(handlers.select_model_team, schemas.ModelTeamIn, {
            "year": year, "team_id": team_id, "selected_on": selected_on})

    @rpc
    def get_pilot(self, year: int) -> dict:
        return self.read(lambda s: queries.get_pilot(s, year))
