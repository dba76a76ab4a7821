"""Batch intake for loaders (the demo, a commune's paper log book being entered): many
cases, each with the steps it already went through, in one transaction.

Each case goes through the same functions as the live commands (`handlers`), on a case
object held in memory: the batch reads what those functions would ask the database for
(the teams' places, their mediators, the idempotency keys already used) in three queries
up front, and `write` inserts every row with one multi-row INSERT per table. That is
about five statements per batch instead of fifteen per case (docs/performance.md). A
case that breaks a rule queues nothing; the others go on.
"""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.cases import handlers
from services.cases.models import Case, Mediator, Team, metadata
from services.cases.schemas import Actor, SubmitHistoricCase
from services.common.errors import HoagiaiError, NotFound


class Batch:
    def __init__(self, session: Session, commands: list[SubmitHistoricCase]):
        self.session = session
        team_ids = {c.team_id for c in commands}
        keys = {c.idempotency_key for c in commands if c.idempotency_key}
        self.places = {row.id: row._asdict() for row in session.execute(
            select(Team.id, *handlers.PLACE_COLUMNS).where(Team.id.in_(team_ids)))}
        self.cases = {c.idempotency_key: c for c in session.scalars(
            select(Case).where(Case.idempotency_key.in_(keys)))}
        self.rows: list[tuple] = []
        self.parties: dict[str, list] = {}
        session.info.update(rows=self.rows, parties=self.parties, mediators={
            m.id: m for m in session.scalars(select(Mediator)
                                             .where(Mediator.team_id.in_(team_ids)))})

    def submit(self, cmd: SubmitHistoricCase, actor: Actor, now: datetime) -> Case:
        """The case (an earlier one, if its idempotency key was used) with its steps
        applied; nothing is queued if a step breaks a rule."""
        events = self.session.info.setdefault("events", [])
        rows, emitted = len(self.rows), len(events)
        try:
            return self._submit(cmd, actor, now)
        except HoagiaiError:
            del self.rows[rows:], events[emitted:]
            raise

    def _submit(self, cmd: SubmitHistoricCase, actor: Actor, now: datetime) -> Case:
        key, digest, received_at = handlers.screen(cmd, now)
        if (earlier := self.cases.get(key)) is not None:
            return handlers.replay(earlier, digest)
        team = self.places.get(cmd.team_id)
        if team is None or not team["active"]:
            raise NotFound(f"no active team {cmd.team_id}", field="team_id")
        values = handlers.case_values(cmd, actor, team, key, digest, received_at)
        case = Case(**values)  # never added to the session: `write` inserts its last state
        self.parties[case.id] = [p.model_dump() for p in cmd.parties]
        handlers.record_received(self.session, case, cmd, actor, now)
        for step in cmd.steps:
            handlers.apply_step(self.session, case, step.model_dump(), actor, now)
        self.rows.append((Case.__table__, {name: getattr(case, name) for name in values}))
        self.cases[key] = case
        return case

    def write(self) -> None:
        """Every queued row, one INSERT per table, parents first."""
        for key in ("rows", "parties", "mediators"):
            self.session.info.pop(key, None)
        by_table = defaultdict(list)
        for table, values in self.rows:
            by_table[table].append(values)
        for table in metadata.sorted_tables:
            if rows := by_table.get(table):
                self.session.execute(insert(table), rows)
