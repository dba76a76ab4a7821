"""cases service: entrypoints only; the work happens in plain functions."""

import logging

from nameko.timer import timer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.cases import (
    batch,
    directory,
    handlers,
    metrics,
    models,
    personal_data,
    queries,
    schemas,
)
from services.cases.domain import now_utc
from services.cases.unit_of_work import CasesUnitOfWork, TeamPlacesProvider
from services.common.db import Database
from services.common.errors import (
    Conflict,
    HoagiaiError,
    ValidationError,
    parse,
)
from services.common.events import parse_event
from services.common.metrics import event_consumed
from services.common.outbox import PublishesEvents, RelayProvider
from services.common.service import ServiceBase, event_handler, rpc, rpc_proxy
from services.common.timers import configured_timer

log = logging.getLogger(__name__)


class CasesService(ServiceBase, PublishesEvents):
    name = "cases"
    db = Database("cases")
    relay = RelayProvider(models.outbox)
    places = TeamPlacesProvider()
    audit_table = models.audit_log
    teams = rpc_proxy("teams")
    bulk_applied = directory.BulkApplied()

    def new_unit_of_work(self, session: Session) -> CasesUnitOfWork:
        return CasesUnitOfWork(session, self.places, self.audit_table, self.caller)

    def committed(self, uow: CasesUnitOfWork) -> None:
        metrics.record(uow.events)  # only committed events are counted

    # --- intake -----------------------------------------------------------------------

    @rpc
    def submit_case(self, payload: dict, actor: dict) -> dict:
        try:
            cmd = parse(schemas.SubmitCase, payload)
            who = parse(schemas.Actor, actor)
            return self.write(lambda uow: queries.case_dict(  # one INSERT on PostgreSQL
                handlers.submit_case(uow, cmd, who, now_utc())[0]), single_statement=True)
        except HoagiaiError as exc:
            metrics.rejected(exc)
            raise

    @rpc
    def submit_cases(self, payloads: list, actor: dict) -> list[dict]:
        """Batch intake for loaders (see `batch`): each item is a case with optional
        `steps`; one transaction for the batch. Returns per item `{"case": ...}` or
        `{"error": {code, field, message, details}}`."""
        who = parse(schemas.Actor, actor)
        if not isinstance(payloads, list) or len(payloads) > 1000:
            raise ValidationError("payloads: a list of at most 1000", field="payloads")
        items = [batch.parse_item(p) for p in payloads]

        def work(uow: CasesUnitOfWork) -> list[dict]:
            valid = [i for i in items if not isinstance(i, Exception)]
            with batch.Batch(uow, valid).writing() as loader:
                return [loader.answer(item, who, now_utc()) for item in items]

        return self._write_batch(work)

    @rpc
    def submit_gathered(self, requests: list) -> list[dict]:
        """Live intake the gateway gathered: concurrent `submitCase`s, each
        `{payload, actor, correlation_id}`, in one transaction. Each is screened, answered
        and audited as its own `submit_case` would be; answers as `submit_cases`'."""
        if not isinstance(requests, list) or len(requests) > 1000:
            raise ValidationError("requests: a list of at most 1000", field="requests")
        gathered = [batch.parse_request(r) for r in requests]

        def work(uow: CasesUnitOfWork) -> list[dict]:
            valid = [r.command for r in gathered if not isinstance(r.command, Exception)]
            with batch.Batch(uow, valid).writing() as loader:
                return [loader.answer_request(r, now_utc()) for r in gathered]

        return self._write_batch(work)

    def _write_batch(self, work):
        try:
            return self.write(work)
        except IntegrityError as exc:  # a key taken by a concurrent batch since we looked
            raise Conflict("another batch used some of these idempotency keys meanwhile; "
                           "nothing was written: submit again (repeats are answered with "
                           "the cases already there)", field="idempotency_key") from exc

    # --- lifecycle --------------------------------------------------------------------

    def _step(self, model, payload: dict, actor: dict, action: str) -> dict:
        cmd = parse(model, payload)
        who = parse(schemas.Actor, actor)
        fields = cmd.model_dump(exclude={"case_id"})

        def work(uow: CasesUnitOfWork) -> dict:
            case = handlers.load_for_update(uow.session, cmd.case_id)
            personal_data.check_not_erased(case)
            return queries.case_dict(handlers.STEPS[action](
                uow, case, actor=who, now=now_utc(), **fields))

        return self.write(work)

    @rpc
    def assign_mediators(self, case_id: str, mediator_ids: list, actor: dict,
                         at: str | None = None) -> dict:
        return self._step(schemas.Assign, {"case_id": case_id, "mediator_ids": mediator_ids,
                                           "at": at}, actor, "assign")

    @rpc
    def start_mediation(self, case_id: str, actor: dict, at: str | None = None) -> dict:
        return self._step(schemas.CaseStep, {"case_id": case_id, "at": at}, actor, "start")

    @rpc
    def record_outcome(self, case_id: str, outcome: str, note: str | None = None,
                       agreement_text: str | None = None, actor: dict | None = None,
                       at: str | None = None) -> dict:
        return self._step(schemas.RecordOutcome, {
            "case_id": case_id, "outcome": outcome, "note": note,
            "agreement_text": agreement_text, "at": at}, actor, "outcome")

    @rpc
    def refer_case(self, case_id: str, authority: str, reason: str | None = None,
                   actor: dict | None = None, at: str | None = None) -> dict:
        return self._step(schemas.Refer, {"case_id": case_id, "authority": authority,
                                          "reason": reason, "at": at}, actor, "refer")

    @rpc
    def follow_up(self, case_id: str, carried_out: bool, note: str | None = None,
                  actor: dict | None = None, at: str | None = None) -> dict:
        return self._step(schemas.FollowUp, {"case_id": case_id, "carried_out": carried_out,
                                             "note": note, "at": at}, actor, "follow_up")

    @rpc
    def escalate_case(self, case_id: str, kind: str, reason: str, actor: dict | None = None,
                      at: str | None = None) -> dict:
        return self._step(schemas.Escalate, {"case_id": case_id, "kind": kind,
                                             "reason": reason, "at": at}, actor, "escalate")

    @timer(interval=1.0)
    def raise_overdue_starts(self) -> None:
        self.write(lambda uow: handlers.raise_due_overdue(uow, now_utc()))

    # --- personal data (services/cases/personal_data.py) --------------------------------
    # Both run in a write transaction: the report is recorded as a read of the parties,
    # the erasure by its event (services/common/audit.py).

    @property
    def personal_data_settings(self) -> personal_data.Settings:
        return personal_data.Settings.from_config(self.config)

    @rpc
    def personal_data_report(self, case_id: str, actor: dict) -> dict:
        """What is held about the case's parties, until when, and whether it was erased."""
        cmd = parse(schemas.CaseId, {"case_id": case_id})
        parse(schemas.Actor, actor)
        years = self.personal_data_settings.retention_years

        def work(uow: CasesUnitOfWork) -> dict:  # a read of parties: audited as one
            case, report = personal_data.report(uow, cmd.case_id, years, now_utc())
            return handlers.record_reads(uow, [case], report)

        return self.write(work)

    @rpc
    def erase_personal_data(self, case_id: str, reason: str, actor: dict) -> dict:
        """Erase a closed case's personal data now; `{already_erased, report}`."""
        cmd = parse(schemas.ErasePersonalData, {"case_id": case_id, "reason": reason})
        who = parse(schemas.Actor, actor)
        years = self.personal_data_settings.retention_years
        result = self.write(lambda uow: personal_data.erase_on_request(
            uow, cmd.case_id, cmd.reason, who, years, now_utc()))
        personal_data.drop_old_page_images(self.db.kw["bind"])
        return result

    @rpc
    def erase_expired_personal_data(self) -> dict:
        """The retention job now (the demo loader runs it after loading old cases)."""
        return self._retention()

    @configured_timer("PERSONAL_DATA.erasure_interval_seconds", default=86400, eager=True)
    def erase_expired_personal_data_daily(self) -> None:
        self._retention()

    def _retention(self) -> dict:
        result = personal_data.run_retention(self.write, self.personal_data_settings,
                                             now_utc())
        if result["erased"]:
            personal_data.drop_old_page_images(self.db.kw["bind"])
        return result

    # --- reads ------------------------------------------------------------------------

    @rpc
    def get_case(self, case_id: str) -> dict:
        return self.read(lambda s: queries.get_case(s, case_id))

    @rpc
    def get_cases(self, ids: list) -> list:
        return self.read(lambda s: queries.get_cases(s, list(ids)))

    @rpc
    def get_timelines(self, case_ids: list) -> dict:
        """{case id: [{step, status, actor, at}]}, oldest step first."""
        return self.read(lambda s: queries.timelines(s, [str(i) for i in case_ids]))

    @rpc
    def get_case_parties(self, case_id: str, actor: dict) -> dict:
        """The parties' personal data and the facts, recorded in the audit trail."""
        parse(schemas.Actor, actor)

        def work(uow: CasesUnitOfWork) -> dict:
            case, parties = queries.get_parties(uow.session, case_id)
            return handlers.record_reads(uow, [case], parties)

        return self.write(work)

    @rpc
    def list_cases(self, **filters) -> dict:
        args = parse(schemas.ListCases, filters)
        return self.read(lambda s: queries.list_cases(s, **args.model_dump()))

    @rpc
    def list_overdue(self, unit_code: str | None = None, geo_version: str = "LEGACY",
                     first: int = 50, after: str | None = None,
                     team_id: str | None = None) -> dict:
        args = parse(schemas.ListCases, {"unit_code": unit_code, "geo_version": geo_version,
                                         "first": first, "after": after, "team_id": team_id})
        return self.read(lambda s: queries.list_overdue(
            s, unit_code=args.unit_code, geo_version=args.geo_version, team_id=args.team_id,
            first=args.first, after=args.after))

    @rpc
    def log_book(self, team_id: str, year: int, format: str = "data",
                 actor: dict | None = None) -> dict:
        """The log book names parties: one audit entry per case in it."""
        args = parse(schemas.LogBook, {"team_id": team_id, "year": year, "format": format})
        parse(schemas.Actor, actor)
        return self.write(lambda uow: handlers.record_reads(uow, *queries.log_book(
            uow.session, args.team_id, args.year, args.format)))

    @rpc
    def directory_stats(self) -> dict:
        return self.read(directory.stats)

    @rpc
    def directory_teams(self) -> list[dict]:
        return self.read(directory.teams)

    @rpc
    def catch_up_directory(self) -> dict:
        """Apply teams' event log in bulk (a first load's registry); see `directory`."""
        return directory.catch_up(
            self.write, lambda after: self.teams.history(after=after, limit=1000),
            self.bulk_applied)

    # --- the directory of teams and mediators (teams events) -------------------------

    def _directory(self, body: dict) -> None:
        try:
            envelope, payload = parse_event(body)
        except ValidationError:
            log.warning("dropped a malformed teams event", extra={"body": str(body)[:500]})
            event_consumed(self.name, str(body.get("type", "unknown"))[:64], "failed")
            return
        applied = self.write(lambda uow: directory.apply(uow, envelope, payload))
        event_consumed(self.name, envelope.type, "applied" if applied else "duplicate")

    @event_handler("teams", "team.formed", requeue_on_error=True)
    def on_team_formed(self, body: dict) -> None:
        self._directory(body)

    @event_handler("teams", "team.placement_corrected", requeue_on_error=True)
    def on_team_placement_corrected(self, body: dict) -> None:
        self._directory(body)

    @event_handler("teams", "team.dissolved", requeue_on_error=True)
    def on_team_dissolved(self, body: dict) -> None:
        self._directory(body)

    @event_handler("teams", "team.leader_elected", requeue_on_error=True)
    def on_team_leader_elected(self, body: dict) -> None:
        self._directory(body)

    @event_handler("teams", "mediator.added", requeue_on_error=True)
    def on_mediator_added(self, body: dict) -> None:
        self._directory(body)

    @event_handler("teams", "mediator.left", requeue_on_error=True)
    def on_mediator_left(self, body: dict) -> None:
        self._directory(body)
