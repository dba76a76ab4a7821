"""A unit of work: one command's transaction and everything it wrote.

Handlers take a `UnitOfWork` instead of a bare session. It owns:
- the session (one transaction);
- the events the command raised, written to the service's outbox in that transaction
  and handed to the service after the commit (metrics count only committed events);
- the audit trail's entries (services/common/audit.py): given the `Caller` of an RPC
  that names its actor, every event raised also writes its audit entry, in the same
  transaction as the change;
- a row buffer: inside `buffered()` (a batch: the demo, an imported register) inserts
  are queued and written at its end with one multi-row INSERT per table, parents first,
  instead of one statement per row;
- two hooks for a service's own bookkeeping: `wrote(table, rows)` sees every row
  inserted through it when it reaches the database, and `finish()` runs last before the
  commit (cases keeps its counters with them: services/cases/counts.py).

It replaces the side channels handlers used to pass through the session's info dict
(docs/adr/006-unit-of-work.md). Tests of handlers can pass a fake one
(tests/support/fake_uow.py).
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import MetaData, Table, insert
from sqlalchemy.orm import Session

from services.common.audit import Caller
from services.common.events import Envelope

# Statements built once, values passed as parameters: building `insert().values(...)`
# per call cost more CPU than the round trip (docs/performance.md).
_INSERTS: dict[Table, object] = {}


def outbox_row(event: Envelope) -> dict:
    """The outbox row of `event` (services/common/outbox.py relays it)."""
    return {"event_id": str(event.id), "event_type": event.type,
            "body": event.model_dump(mode="json"), "created_at": datetime.now(UTC)}


class UnitOfWork:
    def __init__(self, session: Session, outbox_table: Table, audit_table: Table | None = None,
                 caller: Caller | None = None):
        self.session = session
        self.outbox_table = outbox_table
        self.audit_table = audit_table
        self.caller = caller
        self.events: list[Envelope] = []
        self.audited = False  # an audit entry was written
        self._buffer: list[tuple[Table, dict]] | None = None

    def raise_event(self, event: Envelope) -> None:
        """Write `event` to the outbox in this transaction (or queue it, when buffered),
        and its audit entry when an actor runs the command."""
        with self.session.no_autoflush:  # the outbox row needs no pending ORM row
            self.insert(self.outbox_table, outbox_row(event))
            if self.caller is not None and self.audit_table is not None:
                self.insert(self.audit_table, self.caller.event_entry(event, datetime.now(UTC)))
                self.audited = True
        self.events.append(event)

    def audit(self, caller: Caller | None = None, **entry) -> None:
        """An audit entry for what raises no event (a read of personal data, a login):
        `Caller.entry`'s fields, by `caller` or the command's."""
        caller = caller or self.caller
        if caller is None or self.audit_table is None:
            raise RuntimeError("an audit entry needs a caller and the service's audit table")
        self.insert(self.audit_table, caller.entry(datetime.now(UTC), **entry))
        self.audited = True

    def insert(self, table: Table, values: dict) -> None:
        """Insert a row now, or queue it for the buffer's multi-row INSERT."""
        if self._buffer is not None:
            self._buffer.append((table, values))
            return
        statement = _INSERTS.get(table)
        if statement is None:
            statement = _INSERTS[table] = insert(table)
        self.session.execute(statement, values)
        self.wrote(table, [values])

    def wrote(self, table: Table, rows: list[dict]) -> None:
        """`rows` were inserted into `table` in this transaction (a service's hook)."""

    def finish(self) -> None:
        """The last writes of the transaction, before its commit (a service's hook)."""

    @contextmanager
    def collecting(self) -> Iterator[list[tuple[Table, dict]]]:
        """Queue every insert made inside instead of running it; the caller writes the
        queued rows (cases' one-statement intake)."""
        self._buffer = rows = []
        try:
            yield rows
        finally:
            self._buffer = None

    @contextmanager
    def buffered(self, metadata: MetaData) -> Iterator[None]:
        """Queue every insert made inside, then write them with one multi-row INSERT per
        table, parents before children."""
        with self.collecting() as queued:
            yield
        by_table = defaultdict(list)
        for table, values in queued:
            by_table[table].append(values)
        for table in metadata.sorted_tables:
            if rows := by_table.get(table):
                self.session.execute(insert(table), rows)
                self.wrote(table, rows)

    def mark(self) -> tuple[int, int]:
        """A point to `rollback_to` when one item of a batch breaks a rule."""
        return len(self._buffer or ()), len(self.events)

    def rollback_to(self, mark: tuple[int, int]) -> None:
        rows, events = mark
        if self._buffer is not None:
            del self._buffer[rows:]
        del self.events[events:]
