"""Whether the figures are complete: the projections' mode and the events still to apply.

A first load defers the projections (`DEFERRED`): the live consumers acknowledge events
without applying them, since a rebuild will read every one of them from the sources'
history; the rebuild then builds the figures in bulk (docs/performance.md, "First run").
`REBUILDING` means a rebuild has started from a deferred state (live events apply again;
the figures are complete once its swap commits, which sets `LIVE`). No row means `LIVE`.
"""

import time
from datetime import UTC, datetime

from kombu import Connection
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.extensions import DependencyProvider
from sqlalchemy import exists, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from services.common.db import Database
from services.common.metrics import EVENTS_CONSUMED
from services.common.remembered import Remembered
from services.common.service import EventGate, EventHandler
from services.reporting import models

LIVE, DEFERRED, REBUILDING = "LIVE", "DEFERRED", "REBUILDING"
MODE_TTL = 1.0  # seconds a consumer trusts the mode it read (a rebuild waits this long)
_modes = Remembered()  # by id(sessionmaker)
deferred_events = {"count": 0}  # acknowledged without applying, by this process


def mode(session: Session) -> str:
    row = session.execute(select(models.projection_state.c.mode)).first()
    return row.mode if row else LIVE


def set_mode(session: Session, value: str) -> None:
    """In the caller's transaction; this process's consumers see it once it commits."""
    t = models.projection_state
    values = {"mode": value, "since": datetime.now(UTC)}
    if session.execute(update(t).where(t.c.id == 1).values(**values)).rowcount == 0:
        session.execute(insert(t).values(id=1, **values))


def cached_mode(sessions: sessionmaker) -> str:
    """The mode, read at most once per `MODE_TTL` per process (asked for every event)."""
    return _modes.get(id(sessions), MODE_TTL, lambda: _read_mode(sessions))


def _read_mode(sessions: sessionmaker) -> str:
    with sessions() as session:
        return mode(session)


def forget(sessions: sessionmaker) -> None:
    _modes.forget(id(sessions))


def skipped(sessions: sessionmaker, event_type: str) -> bool:
    """True, and counted, while live events are deferred to a rebuild (it reads them from
    the history)."""
    if cached_mode(sessions) != DEFERRED:
        return False
    deferred_events["count"] += 1
    EVENTS_CONSUMED.labels("reporting", event_type, "deferred").inc()
    return True


class DeferredEvents(EventGate):
    """While DEFERRED, an event is acknowledged as it arrives, before nameko spawns a worker
    for it: a first load's ≈ 124,000 events took ≈ 55 s of CPU through workers."""

    def setup(self) -> None:
        self.database = next(d for d in self.container.dependencies
                             if isinstance(d, Database))

    def passes(self, event_type: str, body) -> bool:
        return not skipped(self.database.sessions, event_type)


def defer(session: Session) -> str:
    """Defer the projections if nothing was projected yet (a first load); the mode after."""
    if mode(session) == LIVE and not session.scalar(select(exists(
            select(models.processed_events.c.event_id)))):
        set_mode(session, DEFERRED)
        deferred_events["count"] = 0
    return mode(session)


class QueueDepth(DependencyProvider):
    """`depth()`: messages waiting in this service's event queues (a passive declare of
    each answers with its count), remembered for a second."""

    ttl = 1.0

    def setup(self) -> None:
        self.measured = (0.0, 0)

    def get_dependency(self, worker_ctx):
        return self.depth

    def depth(self) -> int:
        measured_at, value = self.measured
        if time.monotonic() - measured_at < self.ttl:
            return value
        names = [e.queue.name for e in self.container.entrypoints
                 if isinstance(e, EventHandler)]
        with Connection(self.container.config[AMQP_URI_CONFIG_KEY]) as connection:
            channel = connection.channel()
            value = sum(channel.queue_declare(name, passive=True).message_count
                        for name in names)
        self.measured = (time.monotonic(), value)
        return value
