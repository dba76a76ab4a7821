"""The pool pings only connections that sat idle, and still survives a dropped one."""

import time

import pytest
from sqlalchemy import Column, MetaData, String, Table, any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from services.common import db
from services.common.db import Prepared, make_engine


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


@pytest.fixture
def url(new_database):
    return new_database("pool")


@pytest.fixture
def pings(monkeypatch):
    """Counts the pool's liveness pings (the dialect's `do_ping`)."""
    calls = []
    real = db.make_engine

    def make(url):
        engine = real(url)
        ping = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping",
                            lambda connection: calls.append(1) or ping(connection))
        return engine
    return make, calls


def test_a_connection_dropped_while_idle_is_replaced_without_an_error(url, monkeypatch):
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.05)
    engine, admin = make_engine(url), make_engine(url)
    pid = _backend_pid(engine)
    with admin.connect() as other:  # as a database restart would, end our session
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    time.sleep(0.1)
    assert _backend_pid(engine) != pid  # no OperationalError: the ping found it gone
    engine.dispose()
    admin.dispose()


def test_a_connection_in_steady_use_is_not_pinged(url, pings):
    make, calls = pings
    engine = make(url)
    _backend_pid(engine)  # a new connection: pinged once
    for _ in range(5):
        _backend_pid(engine)
    assert calls == [1]
    engine.dispose()


def test_single_statement_sessions_keep_their_connections_in_autocommit(url, monkeypatch):
    """No isolation level is set or reset per single-statement session (psycopg2 resets
    it with a round trip), while the service's other sessions still run transactions."""
    sessions = db.sessions_of(url)
    single = sessions.single_statement.kw["bind"]
    changes = []
    real = single.dialect.set_isolation_level
    monkeypatch.setattr(single.dialect, "set_isolation_level",
                        lambda connection, level: changes.append(level) or real(connection, level))
    with sessions.begin() as session:
        session.execute(text("CREATE TABLE t (n int)"))
    for n in range(4):
        with sessions.single_statement.begin() as session:
            session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
    assert changes == ["AUTOCOMMIT"]  # once, when the pool opened the connection
    with sessions() as session:  # a transaction: rolled back, nothing written
        session.execute(text("INSERT INTO t VALUES (99)"))
        session.rollback()
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 4
    for engine in (sessions.kw["bind"], single):
        engine.dispose()


def test_a_prepared_statement_takes_any_number_of_values_on_both_databases(url, tmp_path):
    """`Prepared`: PostgreSQL prepares `= ANY(array)` once per connection and executes it
    for lists of any length; SQLite runs the plain statement and gives the same rows."""
    table = Table("things", MetaData(), Column("id", String, primary_key=True))
    statement = Prepared(
        "things_by_id", select(table.c.id).where(table.c.id == any_(bindparam(
            "ids", type_=ARRAY(String)))).order_by(table.c.id),
        plain=select(table.c.id).where(table.c.id.in_(bindparam("ids", expanding=True)))
        .order_by(table.c.id))
    asked = [[], ["b"], ["c", "a", "nope"], list("abcd")]
    for engine in (make_engine(url), make_engine(f"sqlite:///{tmp_path}/things.db")):
        table.metadata.create_all(engine)
        with Session(engine) as session:
            session.execute(table.insert(), [{"id": i} for i in "abcd"])
            answers = [list(statement.execute(session, {"ids": ids}).scalars())
                       for ids in asked]
            assert answers == [[], ["b"], ["a", "c"], list("abcd")], engine.dialect.name
            if engine.dialect.name == "postgresql":
                assert list(session.scalars(text(
                    "SELECT name FROM pg_prepared_statements"))) == ["things_by_id"]
        engine.dispose()
