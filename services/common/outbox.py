"""Transactional outbox and idempotent-consumer bookkeeping.

A service writes its rows and their events in one transaction (`add`); the relay
(a nameko @timer) publishes pending events in order and marks them sent. A crash
between publish and mark re-publishes: consumers deduplicate by event id with
`first_deliveries`, so delivery is at-least-once and the effect exactly-once.
"""

import itertools
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from nameko.extensions import DependencyProvider
from nameko.timer import timer
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    cast,
    func,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from services.common.confirms import BatchPublisherProvider
from services.common.errors import ValidationError
from services.common.events import Envelope
from services.common.metrics import OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE, OUTBOX_PUBLISH_FAILURES
from services.common.service import rpc
from services.common.types import UTCDateTime
from services.common.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
               autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(64), nullable=False),
        Column("body", JSON, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("sent_at", UTCDateTime(), nullable=True),
        # PostgreSQL: the writing transaction's id (a column default), so `history` can
        # read in commit order; 0 for rows older than the column; NULL on SQLite.
        Column("tx_id", BigInteger, nullable=True),
        # Only the rows still to relay: the relay's scan must not grow with the history.
        Index("ix_outbox_pending", "seq", postgresql_where=text("sent_at IS NULL"),
              sqlite_where=text("sent_at IS NULL")),
        Index("ix_outbox_commit_order", "tx_id", "seq"),
    )


def processed_events_table(metadata: MetaData) -> Table:
    return Table(
        "processed_events",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(64), nullable=False),
        Column("processed_at", UTCDateTime(), nullable=False),
    )


_IGNORE_DUPLICATES: dict[tuple[str, Table], object] = {}  # statements built once


def add(session: Session, table: Table, event: Envelope) -> None:
    """Write `event` in the caller's transaction, for a writer without a unit of work
    (reporting's projections)."""
    UnitOfWork(session, table).raise_event(event)


class Relay:
    """Publishes pending outbox rows in `seq` order; backs off while the broker fails."""

    gauge_interval = 1.0  # seconds between backlog measurements (one count query)

    def __init__(self, table: Table, batch_size: int = 200, max_backoff: float = 30.0):
        self.table = table
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        self.failures = 0
        self.retry_at = 0.0
        self.measured_at = 0.0
        self._queries: dict[str, object] = {}
        self._mark_sent = (update(table).where(table.c.seq.in_(bindparam("seqs", expanding=True)))
                           .values(sent_at=bindparam("sent_at")))

    def run(self, sessions: sessionmaker, publish: Callable[[list[tuple[str, str]]], None],
            service: str | None = None) -> int:
        """Publish one batch (`publish` gets its (event type, JSON text) pairs and returns
        once the broker has them); returns how many were sent. Never raises on broker errors.
        Given the `service` name, keeps its backlog gauges and failure counter up to date."""
        if service:
            self.measure(sessions, service)
        if time.monotonic() < self.retry_at:
            return 0
        with sessions.begin() as session:
            rows = session.execute(self._pending(session.bind.dialect.name)).all()
            if not rows:
                return 0
            try:
                publish([(event_type, body) for _, event_type, body in rows])
            except Exception as exc:
                if service:
                    OUTBOX_PUBLISH_FAILURES.labels(service).inc()
                self.failures += 1
                wait = min(self.max_backoff, 0.5 * 2**self.failures)
                self.retry_at = time.monotonic() + wait
                log.warning("outbox relay: publishing failed (%s); next try in %.1f s",
                            exc, wait)
                return 0
            self.failures = 0
            session.execute(self._mark_sent, {"seqs": [r[0] for r in rows],
                                              "sent_at": datetime.now(UTC)})
        return len(rows)

    def _pending(self, dialect: str):
        """The next batch's query, built once per dialect (building it each tick was a
        tenth of the relay's CPU): PostgreSQL locks the rows it takes, skipping rows
        another relay holds."""
        if (query := self._queries.get(dialect)) is None:
            body = cast(self.table.c.body, Text)  # as stored: published without decoding
            query = (select(self.table.c.seq, self.table.c.event_type, body)
                     .where(self.table.c.sent_at.is_(None))
                     .order_by(self.table.c.seq).limit(self.batch_size))
            if dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            self._queries[dialect] = query
        return query

    def measure(self, sessions: sessionmaker, service: str) -> None:
        if time.monotonic() - self.measured_at < self.gauge_interval:
            return
        self.measured_at = time.monotonic()
        with sessions() as session:
            count, age = backlog(session, self.table)
        OUTBOX_BACKLOG.labels(service).set(count)
        OUTBOX_OLDEST_AGE.labels(service).set(age)


def backlog(session: Session, table: Table) -> tuple[int, float]:
    """(pending events, age in seconds of the oldest pending one)."""
    count, oldest = session.execute(
        select(func.count(), func.min(table.c.created_at)).where(table.c.sent_at.is_(None))
    ).one()
    if oldest is None:
        return count, 0.0
    return count, (datetime.now(UTC) - oldest).total_seconds()


def first_deliveries(session: Session, table: Table, events: list[Envelope]) -> set:
    """Record `events` as processed in the caller's transaction, in one statement;
    returns the ids of those not processed before (a concurrent redelivery loses)."""
    if not events:
        return set()
    now = datetime.now(UTC)
    rows = list({str(e.id): {"event_id": str(e.id), "event_type": e.type, "processed_at": now}
                 for e in events}.values())
    # One cached statement run over all rows (SQLAlchemy batches them into one INSERT):
    # `.values(rows)` compiled anew for every batch size.
    dialect = session.bind.dialect.name
    statement = _IGNORE_DUPLICATES.get((dialect, table))
    if statement is None:
        insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = _IGNORE_DUPLICATES[(dialect, table)] = (
            insert_(table).on_conflict_do_nothing(index_elements=["event_id"])
            .returning(table.c.event_id))
    new = set(session.execute(statement, rows).scalars())
    return {e.id for e in events if str(e.id) in new}


class RelayProvider(DependencyProvider):
    """One `Relay` per service container: a class attribute would be shared by every
    container in a process (tests start many), so one container's broker failures would
    put the next one in backoff. `.table` names the outbox table."""

    def __init__(self, table: Table, batch_size: int = 200):
        self.table = table
        self.batch_size = batch_size
        self.relay: Relay | None = None

    def setup(self) -> None:
        self.relay = Relay(self.table, batch_size=self.batch_size)

    def get_dependency(self, worker_ctx) -> Relay:
        return self.relay


class PublishesEvents:
    """Mixin for a service with an outbox: a timer relays it to the exchange
    `<service>.events`, routing key = event type, with publisher confirms (pipelined per
    batch: services/common/confirms.py).

    The class sets `relay = RelayProvider(models.outbox)` (one relay and its backoff per
    container).
    """

    relay: Relay
    publisher = BatchPublisherProvider()
    relay_busy_seconds = 1.0  # while batches come full, relay this long before yielding

    @rpc
    def pending_events(self) -> int:
        """Events written but not yet published (reporting's `pipeline` asks)."""
        return self.read(lambda s: backlog(s, self.relay.table)[0])

    @rpc
    def history(self, after: int = 0, limit: int = 1000) -> dict:
        """A page of the event log (reporting's rebuild reads it)."""
        return self.read(lambda s: history(s, self.relay.table, after, limit))

    @timer(interval=0.2)
    def relay_outbox(self) -> None:
        """A batch each tick; more at once while a backlog lasts (one batch per tick
        would cap the relay at 5 batches a second)."""
        until = time.monotonic() + self.relay_busy_seconds
        while (self.relay.run(self.db, self.publisher.publish, self.name)
               == self.relay.batch_size and time.monotonic() < until):
            pass


def history(session: Session, table: Table, after: int | str = 0, limit: int = 1000) -> dict:
    """A page of every event ever written, in commit order: the outbox is the event log.

    Returns `{"items": [envelope dicts], "next_after": cursor, "has_more": bool}`; a
    rebuild pages through it from `after=0`, passing each `next_after` back as it is.

    Sequence numbers are taken at insert, not at commit: a reader paging by `seq` alone
    could pass a row whose transaction commits later with a smaller `seq`, and never see
    it. On PostgreSQL each row carries its transaction's id, and a page holds only rows
    of transactions older than every transaction still writing, in (tx_id, seq) order:
    a row committed later always sorts after the cursor ("tx_id.seq"). Only this
    database's transactions are waited for. SQLite commits one
    transaction at a time, so there `seq` order is commit order (the cursor is `seq`).
    """
    limit = max(1, min(limit, 5000))
    if session.bind.dialect.name != "postgresql":
        return _page(session.execute(
            select(table.c.seq, table.c.body).where(table.c.seq > _seq_cursor(after))
            .order_by(table.c.seq).limit(limit + 1)).all(), limit, after)
    tx, seq = _commit_cursor(after)
    settled = (table.c.tx_id < text(_HORIZON)).label("settled")
    query = (select(table.c.tx_id, table.c.seq, table.c.body, settled)
             .where(tuple_(table.c.tx_id, table.c.seq) > tuple_(tx, seq))
             .order_by(table.c.tx_id, table.c.seq).limit(limit + 1))
    deadline = time.monotonic() + SETTLE_WAIT
    while True:  # a committed row behind a still-writing transaction: wait for it a little
        rows = session.execute(query).all()
        ready = list(itertools.takewhile(lambda r: r.settled, rows))
        if len(ready) == len(rows) or time.monotonic() > deadline:
            break
        session.rollback()  # a new snapshot next time
        time.sleep(0.02)
    return _page([(f"{r.tx_id}.{r.seq}", r.body) for r in ready], limit, after)


SETTLE_WAIT = 1.0  # seconds `history` waits for older writing transactions to end

# The id of the oldest transaction still writing in this database (the cluster's oldest,
# `pg_snapshot_xmin`, would make every page wait for other databases' work), or the next
# id if none. pg_stat_activity gives 32-bit ids: each is made 64-bit from its age, counted
# from a point no earlier than the snapshot's xmax, so the estimate is never above the
# true id: a page may wait a little longer, never pass a running transaction.
_HORIZON = """(SELECT COALESCE(MIN(pg_snapshot_xmax(pg_current_snapshot())::text::bigint
                         - age(a.backend_xid)),
                     pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
   FROM pg_stat_activity AS a
   WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
     AND a.pid <> pg_backend_pid())"""


def _page(rows: list, limit: int, after: int | str) -> dict:
    page = rows[:limit]
    return {"items": [body for _, body in page],
            "next_after": page[-1][0] if page else after,
            "has_more": len(rows) > limit}


def _seq_cursor(after: int | str) -> int:
    try:
        return int(after or 0)
    except (TypeError, ValueError):
        raise ValidationError("bad cursor", field="after") from None


def _commit_cursor(after: int | str) -> tuple[int, int]:
    """`"tx_id.seq"`; a plain number is a `seq` among the rows older than `tx_id`."""
    try:
        if isinstance(after, str) and "." in after:
            tx, seq = after.split(".")
            return int(tx), int(seq)
        return 0, int(after or 0)
    except (TypeError, ValueError):
        raise ValidationError("bad cursor", field="after") from None
