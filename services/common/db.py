"""Database engine, sessions and migrations, one database per service.

SQLite (the embedded default) runs under eventlet only with one pooled connection:
its busy handler sleeps in C and would block the hub. PostgreSQL gets a normal pool.
"""

import time
from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config as AlembicConfig
from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider
from sqlalchemy import create_engine, event, text
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from services.common.config import SERVICES_DIR
from services.common.json_codec import encode

# JSON columns (the outbox's events, above all) read and written with orjson: psycopg2
# decoded them with the standard library, 57 % of the cases service's time serving a
# history page to a rebuild.
JSON_CODEC = {"json_deserializer": orjson.loads,
              "json_serializer": lambda value: encode(value).decode()}


def make_engine(url: str, autocommit: bool = False) -> Engine:
    """The engine of a service's database; `autocommit` (PostgreSQL): its connections
    run every statement in a transaction of its own (see `sessions_of`)."""
    if url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy 2.1 defaults to psycopg 3, which blocks under eventlet: use psycopg2.
        url = "postgresql+psycopg2://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, poolclass=QueuePool, pool_size=1, max_overflow=0,
            connect_args={"check_same_thread": False}, **JSON_CODEC,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    # LIFO: the connection just returned is taken again, so one or two stay busy and
    # the others idle; in FIFO order every pooled connection was idle past the ping's
    # second when its turn came (the timers' and relay's checkouts pinged: 2 % of cases).
    engine = create_engine(url, pool_size=10, max_overflow=10, pool_use_lifo=True,
                           **options, **JSON_CODEC)
    _ping_when_idle(engine)
    return engine


IDLE_BEFORE_PING = 1.0  # seconds


def _ping_when_idle(engine: Engine) -> None:
    """`pool_pre_ping`, but only for a connection idle over a second: under load a ping
    per transaction was a round trip and 4 % of the cases service's CPU. A connection
    that breaks while in use still fails its statement, which invalidates the pool."""

    @event.listens_for(engine, "checkin")
    def note_checkin(_dbapi_connection, record) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get("checked_in", 0.0) < IDLE_BEFORE_PING:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool retries the checkout with a new connection
            raise DisconnectionError("the pooled connection is gone") from exc
        if not alive:
            raise DisconnectionError("the pooled connection is gone")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# Alembic's command API keeps its context in module globals: two migrations at once in
# one process (containers in a test, one start aborted while its migration ran) broke
# each other's ("KeyError: 'script'"). One at a time per process.
_MIGRATING = Semaphore(1)


def migrate(service: str, url: str) -> None:
    """Apply the service's Alembic history up to head (serialised on PostgreSQL)."""
    with _MIGRATING:
        _migrate(service, url)


def _migrate(service: str, url: str) -> None:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Replicas starting together must not migrate twice.
                connection.execute(text("SELECT pg_advisory_xact_lock(7312018)"))
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


def ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def sessions_of(url: str) -> sessionmaker:
    """The sessions of the database at `url`, and `.single_statement`: sessions for work
    that writes in one statement, which on PostgreSQL run without BEGIN and COMMIT (two
    round trips fewer) on an engine of their own whose connections stay in autocommit.
    Switching a connection of the main pool to AUTOCOMMIT for each such session (an
    `execution_options` engine) cost a third round trip: back in the pool, psycopg2
    resets its isolation level with `SET default_transaction_isolation TO DEFAULT`."""
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    single = engine
    if engine.dialect.name == "postgresql":  # SQLite keeps its one pooled connection
        single = make_engine(url, autocommit=True)
    sessions.single_statement = sessionmaker(single, expire_on_commit=False)
    return sessions


class Prepared:
    """A statement that PostgreSQL PREPAREs once per connection and then only EXECUTEs
    with its values: the server parses, analyses and plans it once, not per call
    (docs/performance.md, seventh round). `plain` (default: `statement`) runs instead on
    another database (SQLite), for a statement only PostgreSQL takes (`= ANY(array)`).

    SQLAlchemy 2.1 with psycopg2 has no server-side prepared statements, so the values
    are put in the statement's order and through its types' bind processors here, from
    its compiled form (`_bind_processors` is SQLAlchemy's, not public)."""

    def __init__(self, name: str, statement, plain=None):
        self.name, self.plain = name, statement if plain is None else plain
        self.compiled = statement.compile(dialect=_NUMBERED)  # $1, $2, … as positiontup
        self.processors = self.compiled._bind_processors
        placeholders = ", ".join(["%s"] * len(self.compiled.positiontup))
        self.execute_sql = f"EXECUTE {name} ({placeholders})" if placeholders \
            else f"EXECUTE {name}"

    def execute(self, session: Session, params: dict):
        connection = session.connection()
        if connection.dialect.name != "postgresql":
            return connection.execute(self.plain, params)
        prepared = connection.connection.info.setdefault("prepared", set())
        if self.name not in prepared:  # SQLAlchemy clears `info` when it reconnects
            with connection.connection.cursor() as cursor:  # raw: no `%` interpolation
                cursor.execute(f"PREPARE {self.name} AS {self.compiled.string}")
            prepared.add(self.name)
        values = self.compiled.construct_params(params)
        args = tuple(self.processors[n](values[n]) if n in self.processors else values[n]
                     for n in self.compiled.positiontup)
        return connection.exec_driver_sql(self.execute_sql, args)


_NUMBERED = PGDialect_psycopg2(paramstyle="numeric_dollar")


class Database(DependencyProvider):
    """Hands each worker a `sessionmaker`; use `with self.db.begin() as session:`.
    `self.db.single_statement` makes sessions for work that writes in one statement:
    on PostgreSQL they run without BEGIN and COMMIT (two round trips fewer; `sessions_of`).

    Migrations run once when the container starts.
    """

    def __init__(self, service: str):
        self.service = service
        self.engine: Engine | None = None
        self.engines: set[Engine] = set()

    def setup(self) -> None:
        url = self.container.config["DATABASE_URL"]
        migrate(self.service, url)
        self.sessions = sessions_of(url)
        self.engine = self.sessions.kw["bind"]
        self.engines = {self.engine, self.sessions.single_statement.kw["bind"]}

    def get_dependency(self, worker_ctx) -> sessionmaker:
        return self.sessions

    def stop(self) -> None:
        for engine in self.engines:
            engine.dispose()

    kill = stop


__all__ = ["Database", "Prepared", "Session", "make_engine", "migrate", "ping", "sessions_of"]
