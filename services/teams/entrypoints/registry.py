"""The register of mediation teams and their mediators (tổ hòa giải, hòa giải viên)."""

from services.common.errors import parse
from services.common.service import rpc
from services.teams import handlers, queries, schemas
from services.teams.entrypoints import Commands
from services.teams.entrypoints.arguments import day, id_list, layout
from services.teams.read_cache import LARGEST_PAGE_KEPT


class RegistryEntrypoints(Commands):
    # -- reads ---------------------------------------------------------------------
    @rpc
    def get_team(self, team_id: str) -> dict:
        return self.read(lambda s: queries.team_dicts(s, [queries.get_team_row(s, team_id)])[0])

    @rpc
    def get_teams(self, ids: list[str]) -> list[dict | None]:
        found = self.read_cache.each("team", id_list(ids), lambda missing: self.read(
            lambda s: {t["id"]: t for t in queries.get_teams(s, missing) if t is not None}))
        return [found.get(i) for i in ids]

    @rpc
    def list_teams(self, unit_code: str | None = None, geo_version: str = "LEGACY",
                   first: int = 100, after: str | None = None, status: str | None = None,
                   count: bool = True) -> dict:
        page = parse(schemas.Page, {"first": first, "after": after})
        asked = (unit_code, layout(geo_version), page.first, page.after, status, bool(count))

        def read() -> dict:
            return self.read(lambda s: queries.list_teams(s, *asked))

        if page.first > LARGEST_PAGE_KEPT:  # a loader's page, read once
            return read()
        return self.read_cache.one("page", asked, read)

    @rpc
    def get_mediator(self, mediator_id: str) -> dict:
        return self.read(lambda s: queries.mediator_dict(queries.get_mediator_row(s, mediator_id)))

    @rpc
    def get_mediators(self, ids: list[str]) -> list[dict | None]:
        return self.read(lambda s: queries.get_mediators(s, id_list(ids)))

    @rpc
    def list_mediators(self, team_ids: list[str]) -> dict[str, list[dict]]:
        return self.read_cache.each("members", id_list(team_ids), lambda missing: self.read(
            lambda s: queries.list_mediators(s, missing)))

    @rpc
    def list_non_compliant(self, unit_code: str | None = None,
                           geo_version: str = "LEGACY") -> list[dict]:
        return self.read(lambda s: queries.list_non_compliant(s, unit_code, layout(geo_version)))

    # -- writes --------------------------------------------------------------------
    @rpc
    def form_team(self, team: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.form_team, schemas.FormTeam, team)

    @rpc
    def import_teams(self, teams: list[dict], actor: dict | None = None) -> list[str]:
        return self._command(handlers.import_teams, schemas.ImportBatch, {"teams": teams})

    @rpc
    def correct_team_placement(self, team_id: str, commune_code: str,
                               actor: dict | None = None) -> dict:
        return self._command(handlers.correct_team_placement, schemas.PlacementCorrection,
                             {"team_id": team_id, "commune_code": commune_code})

    @rpc
    def dissolve_team(self, team_id: str, dissolved_on: str, actor: dict | None = None) -> dict:
        when = day(dissolved_on, "dissolved_on")
        return self.write(lambda uow: handlers.dissolve_team(uow, team_id, when))

    @rpc
    def add_mediator(self, team_id: str, mediator: dict, actor: dict | None = None) -> dict:
        return self._command(handlers.add_mediator, schemas.NewMediator, mediator, team_id)

    @rpc
    def recognise_mediator(self, mediator_id: str, recognition: dict,
                           actor: dict | None = None) -> dict:
        return self._command(handlers.recognise_mediator, schemas.Recognition, recognition,
                             mediator_id)

    @rpc
    def remove_mediator(self, mediator_id: str, left_on: str, actor: dict | None = None) -> dict:
        when = day(left_on, "left_on")
        return self.write(lambda uow: handlers.remove_mediator(uow, mediator_id, when))

    @rpc
    def elect_leader(self, team_id: str, mediator_id: str, elected_on: str,
                     actor: dict | None = None) -> dict:
        return self._command(handlers.elect_leader, schemas.ElectLeader, {
            "team_id": team_id, "mediator_id": mediator_id, "elected_on": elected_on})
