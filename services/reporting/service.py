"""reporting service: entrypoints only; the work happens in plain functions.

Projections are fed only by the events of cases and teams (one handler per event
type, generated below); reads come from pre-aggregated rows.
"""

from datetime import UTC, datetime

from nameko.timer import timer
from sqlalchemy import func, select

from services.common.db import Database
from services.common.errors import parse
from services.common.outbox import PublishesEvents, RelayProvider
from services.common.service import ServiceBase, event_handler, rpc, rpc_proxy
from services.reporting import handlers, models, pipeline, reports, schemas
from services.reporting import rebuild as rebuilding
from services.reporting.handlers import HotspotSettings
from services.reporting.projector import CASE_EVENTS, TEAM_EVENTS, Projector, RemunerationConfig
from services.reporting.queries import success_rate


def settings(config: dict) -> tuple[Projector, HotspotSettings]:
    """The projector (remuneration rates) and hot-spot thresholds from the config."""
    pay = config.get("REMUNERATION") or {}
    hot = config.get("HOTSPOTS") or {}
    projector = Projector(RemunerationConfig(
        province=str(pay.get("province", "20")), cap=int(pay.get("cap", 200_000)),
        rates=pay.get("rates") or RemunerationConfig().rates))
    return projector, HotspotSettings(days=int(hot.get("days", 30)),
                                      min_count=int(hot.get("min_count", 5)),
                                      min_ratio=float(hot.get("min_ratio", 2.0)))


def _consumer(source: str, event_type: str):
    @event_handler(source, event_type)
    def handle(self, body: dict) -> str:
        return self.consume(body)
    handle.__name__ = "on_" + event_type.replace(".", "_")
    return handle


class ReportingService(ServiceBase, PublishesEvents):
    name = "reporting"
    db = Database("reporting")
    relay = RelayProvider(models.outbox)
    cases = rpc_proxy("cases")
    teams = rpc_proxy("teams")
    queue_depth = pipeline.QueueDepth()

    for _type in CASE_EVENTS:
        vars()["on_" + _type.replace(".", "_")] = _consumer("cases", _type)
    for _type in TEAM_EVENTS:
        vars()["on_" + _type.replace(".", "_")] = _consumer("teams", _type)
    del _type

    def consume(self, body: dict) -> str:
        projector, hot = settings(self.config)
        window = float(self.config.get("PROJECTION_BATCH_WINDOW", 0.02))
        return handlers.consume(self.db, projector, hot, body, window=window)

    @timer(interval=15)
    def refresh_gauges(self) -> None:
        with self.db.begin() as session:
            handlers.refresh_gauges(session)

    # -- reads ----------------------------------------------------------------------
    @rpc
    def success_rate(self, unit_code: str, year: int, geo_version: str = "V2025") -> dict:
        args = parse(schemas.UnitYear, locals_of(unit_code, year, geo_version))
        with self.db.begin() as session:
            return success_rate(session, args.unit_code, args.year, args.geo_version)

    @rpc
    def team_success_rate(self, team_id: str, year: int) -> dict:
        args = parse(schemas.TeamYear, {"team_id": team_id, "year": year})
        with self.db.begin() as session:
            return reports.team_success_rate(session, args.team_id, args.year)

    @rpc
    def report(self, unit_code: str, year: int, half: int | None = None,
               geo_version: str = "V2025") -> dict:
        args = parse(schemas.ReportArgs, {"unit_code": unit_code, "year": year, "half": half,
                                          "geo_version": geo_version})
        with self.db.begin() as session:
            return reports.report(session, args.geo_version, args.unit_code, args.year,
                                  args.half)

    @rpc
    def report_file(self, unit_code: str, year: int, half: int | None = None,
                    geo_version: str = "V2025", format: str = "csv") -> dict:
        args = parse(schemas.ReportFileArgs, {
            "unit_code": unit_code, "year": year, "half": half, "geo_version": geo_version,
            "format": format})
        unit = self.teams.get_unit(args.unit_code, args.geo_version)  # NotFound if unknown
        with self.db.begin() as session:
            data = reports.report(session, args.geo_version, args.unit_code, args.year,
                                  args.half)
        return reports.report_file(data, args.format, unit["name"])

    @rpc
    def hotspots(self, unit_code: str, days: int = 30, geo_version: str = "V2025",
                 as_of: str | None = None) -> list[dict]:
        args = parse(schemas.HotspotArgs, {"unit_code": unit_code, "days": days,
                                           "geo_version": geo_version, "as_of": as_of})
        _, hot = settings(self.config)
        with self.db.begin() as session:
            return reports.hotspots(session, args.geo_version, args.unit_code, args.days,
                                    args.as_of or datetime.now(UTC).date(), hot.min_count,
                                    hot.min_ratio)

    @rpc
    def pilot_evaluation(self, year: int) -> dict:
        args = parse(schemas.ProgrammeYear, {"year": year})
        with self.db.begin() as session:
            return reports.pilot_evaluation(session, args.year)

    @rpc
    def multi_year_summary(self, unit_code: str, from_year: int, to_year: int,
                           geo_version: str = "V2025") -> dict:
        args = parse(schemas.MultiYearArgs, {"unit_code": unit_code, "from_year": from_year,
                                             "to_year": to_year, "geo_version": geo_version})
        with self.db.begin() as session:
            return reports.multi_year_summary(session, args.geo_version, args.unit_code,
                                              args.from_year, args.to_year)

    @rpc
    def remuneration(self, unit_code: str, year: int, geo_version: str = "V2025") -> dict:
        args = parse(schemas.UnitYear, locals_of(unit_code, year, geo_version))
        with self.db.begin() as session:
            return reports.remuneration(session, args.geo_version, args.unit_code, args.year)

    @rpc
    def list_dead_letters(self, first: int = 20, after: str | None = None) -> dict:
        args = parse(schemas.PageArgs, {"first": first, "after": after})
        with self.db.begin() as session:
            return dead_letter_page(session, args.first, int(args.after or 0))

    # -- writes -------------------------------------------------------------------------
    @rpc
    def set_budget(self, commune_code: str, year: int, amount: int, actor: dict,
                   geo_version: str = "LEGACY") -> dict:
        args = parse(schemas.BudgetArgs, {"commune_code": commune_code, "year": year,
                                          "amount": amount, "actor": actor,
                                          "geo_version": geo_version})
        with self.db.begin() as session:
            return handlers.set_budget(session, args.geo_version, args.commune_code, args.year,
                                       args.amount, args.actor.model_dump())

    @rpc
    def replay_dead_letter(self, id: int) -> dict:  # noqa: A002 (the contract's name)
        args = parse(schemas.LetterId, {"id": id})
        projector, hot = settings(self.config)
        return handlers.replay_dead_letter(self.db, projector, hot, args.id)

    @rpc
    def pipeline(self) -> dict:
        """Whether the figures are complete: the projections' mode, and the events not
        applied yet (waiting in this service's queues, not yet published by cases or
        teams, or deferred to a rebuild)."""
        unpublished = [self.cases.pending_events.call_async(),
                       self.teams.pending_events.call_async()]
        with self.db() as session:
            mode = pipeline.mode(session)
        pending = self.queue_depth() + sum(reply.result() for reply in unpublished)
        if mode == pipeline.DEFERRED:
            pending += pipeline.deferred_events["count"]
        return {"mode": mode, "pending_events": pending,
                "caught_up": mode == pipeline.LIVE and pending == 0}

    @rpc
    def defer_projections(self) -> str:
        """Before a first load: if nothing was projected yet, the live consumers stop
        applying events until a rebuild builds everything in bulk. Returns the mode."""
        with self.db.begin() as session:
            mode = pipeline.defer(session)
        pipeline.forget(self.db)
        return mode

    @rpc
    def rebuild(self) -> dict:
        projector, hot = settings(self.config)
        sources = {"cases": self.cases, "teams": self.teams}

        def history(source: str, after: int, limit: int) -> dict:
            return sources[source].history(after=after, limit=limit)

        return rebuilding.rebuild(self.db, projector, hot, history)


def locals_of(unit_code: str, year: int, geo_version: str) -> dict:
    return {"unit_code": unit_code, "year": year, "geo_version": geo_version}


def dead_letter_page(session, first: int, after: int) -> dict:
    d = models.dead_letters
    total = session.execute(select(func.count()).select_from(d)).scalar_one()
    rows = session.execute(select(d).where(d.c.id > after).order_by(d.c.id)
                           .limit(first + 1)).all()
    items = [{"id": r.id, "event_id": r.event_id, "event_type": r.event_type, "body": r.body,
              "error": r.error, "attempts": r.attempts,
              "created_at": r.created_at.isoformat(),
              "replayed_at": r.replayed_at.isoformat() if r.replayed_at else None}
             for r in rows[:first]]
    return {"items": items, "total_count": total,
            "end_cursor": str(items[-1]["id"]) if items else None,
            "has_next_page": len(rows) > first}
