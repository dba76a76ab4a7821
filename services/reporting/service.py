"""reporting service: entrypoints only; the work happens in plain functions.

Projections are fed only by the events of cases and teams (one handler per event
type, each on its own queue); reads come from pre-aggregated rows.
"""

from datetime import UTC, datetime

from nameko.timer import timer

from services.common.db import Database
from services.common.errors import parse
from services.common.outbox import PublishesEvents, RelayProvider
from services.common.service import ServiceBase, event_handler, rpc, rpc_proxy
from services.reporting import handlers, models, pipeline, queries, reports, schemas
from services.reporting import rebuild as rebuilding
from services.reporting.settings import ProjectionProvider


class ReportingService(ServiceBase, PublishesEvents):
    name = "reporting"
    db = Database("reporting")
    relay = RelayProvider(models.outbox)
    audit_table = models.audit_log
    cases = rpc_proxy("cases")
    teams = rpc_proxy("teams")
    queue_depth = pipeline.QueueDepth()
    deferred_events = pipeline.DeferredEvents()
    projection = ProjectionProvider()

    # -- cases events -----------------------------------------------------------------
    @event_handler("cases", "case.received")
    def on_case_received(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.assigned")
    def on_case_assigned(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.mediation_started")
    def on_case_mediation_started(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.resolved")
    def on_case_resolved(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.referred")
    def on_case_referred(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.followed_up")
    def on_case_followed_up(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.escalated")
    def on_case_escalated(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.start_overdue")
    def on_case_start_overdue(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("cases", "case.place_corrected")
    def on_case_place_corrected(self, body: dict) -> str:
        return self.consume(body)

    # -- teams events -----------------------------------------------------------------
    @event_handler("teams", "team.formed")
    def on_team_formed(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "team.dissolved")
    def on_team_dissolved(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "team.leader_elected")
    def on_team_leader_elected(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "team.reviewed")
    def on_team_reviewed(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "team.placement_corrected")
    def on_team_placement_corrected(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "mediator.added")
    def on_mediator_added(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "mediator.recognised")
    def on_mediator_recognised(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "mediator.left")
    def on_mediator_left(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "mediator.trained")
    def on_mediator_trained(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "pilot.commune_selected")
    def on_pilot_commune_selected(self, body: dict) -> str:
        return self.consume(body)

    @event_handler("teams", "pilot.team_selected")
    def on_pilot_team_selected(self, body: dict) -> str:
        return self.consume(body)

    def consume(self, body: dict) -> str:
        return handlers.consume(self.db, self.projection, body)

    @timer(interval=15)
    def refresh_gauges(self) -> None:
        self.read(handlers.refresh_gauges)

    # -- reads ----------------------------------------------------------------------
    @rpc
    def success_rate(self, unit_code: str, year: int, geo_version: str = "V2025") -> dict:
        args = parse(schemas.UnitYear, locals_of(unit_code, year, geo_version))
        return self.read(lambda s: queries.success_rate(s, args.unit_code, args.year,
                                                        args.geo_version))

    @rpc
    def success_rates(self, unit_codes: list, year: int, geo_version: str = "V2025") -> dict:
        """{unit code: its success_rate}, in one query."""
        args = parse(schemas.UnitsYear, {"unit_codes": unit_codes, "year": year,
                                         "geo_version": geo_version})
        return self.read(lambda s: queries.success_rates(
            s, list(dict.fromkeys(args.unit_codes)), args.year, args.geo_version))

    @rpc
    def team_success_rate(self, team_id: str, year: int) -> dict:
        args = parse(schemas.TeamYear, {"team_id": team_id, "year": year})
        return self.read(lambda s: reports.team_success_rate(s, args.team_id, args.year))

    @rpc
    def report(self, unit_code: str, year: int, half: int | None = None,
               geo_version: str = "V2025") -> dict:
        args = parse(schemas.ReportArgs, {"unit_code": unit_code, "year": year, "half": half,
                                          "geo_version": geo_version})
        return self.read(lambda s: reports.report(s, args.geo_version, args.unit_code,
                                                  args.year, args.half))

    @rpc
    def report_file(self, unit_code: str, year: int, half: int | None = None,
                    geo_version: str = "V2025", format: str = "csv") -> dict:
        args = parse(schemas.ReportFileArgs, {
            "unit_code": unit_code, "year": year, "half": half, "geo_version": geo_version,
            "format": format})
        unit = self.teams.get_unit(args.unit_code, args.geo_version)  # NotFound if unknown
        data = self.read(lambda s: reports.report(s, args.geo_version, args.unit_code,
                                                  args.year, args.half))
        return reports.report_file(data, args.format, unit["name"])

    @rpc
    def hotspots(self, unit_code: str, days: int = 30, geo_version: str = "V2025",
                 as_of: str | None = None) -> list[dict]:
        args = parse(schemas.HotspotArgs, {"unit_code": unit_code, "days": days,
                                           "geo_version": geo_version, "as_of": as_of})
        hot = self.projection.hot
        return self.read(lambda s: reports.hotspots(
            s, args.geo_version, args.unit_code, args.days,
            args.as_of or datetime.now(UTC).date(), hot.min_count, hot.min_ratio))

    @rpc
    def pilot_evaluation(self, year: int) -> dict:
        args = parse(schemas.ProgrammeYear, {"year": year})
        return self.read(lambda s: reports.pilot_evaluation(s, args.year))

    @rpc
    def multi_year_summary(self, unit_code: str, from_year: int, to_year: int,
                           geo_version: str = "V2025") -> dict:
        args = parse(schemas.MultiYearArgs, {"unit_code": unit_code, "from_year": from_year,
                                             "to_year": to_year, "geo_version": geo_version})
        return self.read(lambda s: reports.multi_year_summary(
            s, args.geo_version, args.unit_code, args.from_year, args.to_year))

    @rpc
    def remuneration(self, unit_code: str, year: int, geo_version: str = "V2025") -> dict:
        args = parse(schemas.UnitYear, locals_of(unit_code, year, geo_version))
        return self.read(lambda s: reports.remuneration(s, args.geo_version, args.unit_code,
                                                        args.year))

    @rpc
    def list_dead_letters(self, first: int = 20, after: str | None = None) -> dict:
        args = parse(schemas.PageArgs, {"first": first, "after": after})
        return self.read(lambda s: queries.dead_letter_page(s, args.first,
                                                            int(args.after or 0)))

    # -- writes -------------------------------------------------------------------------
    @rpc
    def set_budget(self, commune_code: str, year: int, amount: int, actor: dict,
                   geo_version: str = "LEGACY") -> dict:
        args = parse(schemas.BudgetArgs, {"commune_code": commune_code, "year": year,
                                          "amount": amount, "actor": actor,
                                          "geo_version": geo_version})
        return self.write(lambda uow: handlers.set_budget(
            uow.session, args.geo_version, args.commune_code, args.year, args.amount,
            args.actor.model_dump()))

    @rpc
    def replay_dead_letter(self, id: int) -> dict:  # noqa: A002 (the contract's name)
        args = parse(schemas.LetterId, {"id": id})
        projection = self.projection
        return handlers.replay_dead_letter(self.db, projection.projector, projection.hot,
                                           args.id)

    @rpc
    def pipeline(self) -> dict:
        """Whether the figures are complete: the projections' mode, and the events not
        applied yet (waiting in this service's queues, not yet published by cases or
        teams, or deferred to a rebuild)."""
        unpublished = [self.cases.pending_events.call_async(),
                       self.teams.pending_events.call_async()]
        mode = self.read(pipeline.mode)
        pending = self.queue_depth() + sum(reply.result() for reply in unpublished)
        if mode == pipeline.DEFERRED:
            pending += pipeline.deferred_events["count"]
        return {"mode": mode, "pending_events": pending,
                "caught_up": mode == pipeline.LIVE and pending == 0}

    @rpc
    def defer_projections(self) -> str:
        """Before a first load: if nothing was projected yet, the live consumers stop
        applying events until a rebuild builds everything in bulk. Returns the mode."""
        mode = self.write(lambda uow: pipeline.defer(uow.session))
        pipeline.forget(self.db)
        return mode

    @rpc
    def rebuild(self) -> dict:
        sources = {"cases": self.cases, "teams": self.teams}

        def history(source: str, after: int, limit: int) -> dict:
            return sources[source].history(after=after, limit=limit)

        return rebuilding.rebuild(self.db, self.projection.projector, self.projection.hot,
                                  history)


def locals_of(unit_code: str, year: int, geo_version: str) -> dict:
    return {"unit_code": unit_code, "year": year, "geo_version": geo_version}
