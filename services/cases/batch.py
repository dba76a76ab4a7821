"""Batch intake for loaders (the demo, a commune's paper log book being entered): many
cases, each with the steps it already went through, in one transaction.

Each case goes through the same functions as the live commands (`handlers`), on a case
object held in memory: the batch reads what those functions would ask the database for
(the teams' places, their mediators, the idempotency keys already used) in three queries
up front and hands them to the unit of work, which buffers every insert and writes them
with one multi-row INSERT per table (`write`). That is about five statements per batch
instead of fifteen per case (docs/performance.md). A case that breaks a rule queues
nothing; the others go on.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from services.cases import handlers, metrics, queries
from services.cases.models import Case, Mediator, Team, metadata
from services.cases.schemas import Actor, SubmitCase, SubmitHistoricCase
from services.cases.unit_of_work import CasesUnitOfWork
from services.common.audit import Caller
from services.common.errors import HoagiaiError, NotFound, ValidationError, parse


def parse_item(payload) -> SubmitHistoricCase | HoagiaiError:
    """One item of a batch, or why it is refused (the others go on)."""
    try:
        return parse(SubmitHistoricCase, payload)
    except HoagiaiError as exc:
        return exc


@dataclass
class Request:
    """One live `submitCase` the gateway gathered with others (`submit_gathered`): its
    command, or why it is refused, and who sent it in which request, for the audit."""

    command: SubmitCase | HoagiaiError
    actor: Actor | None
    caller: Caller | None


def parse_request(request) -> Request:
    if not isinstance(request, dict):
        return Request(ValidationError("each request: {payload, actor, correlation_id}"),
                       None, None)
    actor = request.get("actor")
    caller = Caller.of({"actor": actor}, "submit_case", request.get("correlation_id"))
    try:
        return Request(parse(SubmitCase, request.get("payload")), parse(Actor, actor), caller)
    except HoagiaiError as exc:
        return Request(exc, None, caller)


class Batch:
    def __init__(self, uow: CasesUnitOfWork, commands: list[SubmitHistoricCase]):
        self.uow = uow
        session = uow.session
        team_ids = {c.team_id for c in commands}
        keys = {c.idempotency_key for c in commands if c.idempotency_key}
        self.places = {row.id: row._asdict() for row in session.execute(
            select(Team.id, *handlers.PLACE_COLUMNS).where(Team.id.in_(team_ids)))}
        self.cases = {c.idempotency_key: c for c in session.scalars(
            select(Case).where(Case.idempotency_key.in_(keys)))}
        uow.mediators.update((m.id, m) for m in session.scalars(
            select(Mediator).where(Mediator.team_id.in_(team_ids))))

    @contextmanager
    def writing(self) -> Iterator["Batch"]:
        """Submit inside; every queued row is written at the end, parents first."""
        with self.uow.buffered(metadata):
            yield self

    def answer(self, item: SubmitHistoricCase | HoagiaiError, actor: Actor,
               now: datetime) -> dict:
        """`submit_cases`' answer for one item: `{"case": ...}` or `{"error": ...}`."""
        error = item
        if not isinstance(item, HoagiaiError):
            try:
                return {"case": queries.case_dict(self.submit(item, actor, now))}
            except HoagiaiError as exc:
                error = exc
        metrics.rejected(error)
        return {"error": error.as_dict()}

    def answer_request(self, request: Request, now: datetime) -> dict:
        """`answer` for a gathered request, audited as its own `submit_case` would be:
        an entry per event it raised, else one with its outcome ("ok" for a replay)."""
        uow, raised = self.uow, len(self.uow.events)
        uow.caller = request.caller
        try:
            answer = self.answer(request.command, request.actor, now)
            if request.caller is not None and len(uow.events) == raised:
                uow.audit(outcome=answer["error"]["code"] if "error" in answer else "ok")
            return answer
        finally:
            uow.caller = None

    def submit(self, cmd: SubmitHistoricCase, actor: Actor, now: datetime) -> Case:
        """The case (an earlier one, if its idempotency key was used) with its steps
        applied; nothing is queued if a step breaks a rule."""
        mark = self.uow.mark()
        try:
            return self._submit(cmd, actor, now)
        except HoagiaiError:
            self.uow.rollback_to(mark)
            raise

    def _submit(self, cmd: SubmitHistoricCase, actor: Actor, now: datetime) -> Case:
        key, digest, received_at = handlers.screen(cmd, now)
        if (earlier := self.cases.get(key)) is not None:
            return handlers.replay(earlier, digest)
        team = self.places.get(cmd.team_id)
        if team is None or not team["active"]:
            raise NotFound(f"no active team {cmd.team_id}", field="team_id")
        values = handlers.case_values(cmd, actor, team, key, digest, received_at)
        case = Case(**values)  # never added to the session: its last state is inserted
        self.uow.parties[case.id] = [p.model_dump() for p in cmd.parties]
        handlers.record_received(self.uow, case, cmd, actor, now)
        for step in getattr(cmd, "steps", ()):  # a live case (SubmitCase) has none
            handlers.apply_step(self.uow, case, step.model_dump(), actor, now)
        self.uow.insert(Case.__table__, {name: getattr(case, name) for name in values})
        self.cases[key] = case
        return case
