"""The rebuild writes shadow tables and swaps them in: readers are answered while it
runs, and a rebuild that fails halfway (while replaying, or inside the swap) changes
nothing. A first load defers the projections and the rebuild ends that. On PostgreSQL
and on `make run`'s SQLite."""

import threading

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine, migrate
from services.common.events import parse_event
from services.reporting import handlers, pipeline, queries
from services.reporting import rebuild as rebuilding
from services.reporting.handlers import HotspotSettings
from services.reporting.projector import Projector
from tests.integration.reporting import dataset
from tests.integration.reporting.conftest import snapshot
from tests.integration.reporting.test_rebuild import page


@pytest.fixture(params=["postgresql", "sqlite"])
def sessions(request, new_database, tmp_path):
    url = new_database("reporting") if request.param == "postgresql" else \
        f"sqlite:///{tmp_path}/reporting.db"
    migrate("reporting", url)
    engine = make_engine(url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def history(sources: dict, fail_at: int | None = None):
    calls = []

    def read(source: str, after: int, limit: int) -> dict:
        calls.append(source)
        if fail_at is not None and len(calls) >= fail_at:
            raise RuntimeError("the rebuild's process is killed")
        return page(sources[source], after, limit)
    return read


def full() -> dict:
    return {"cases": dataset.cases(), "teams": dataset.team_events()}


def province_2019(sessions) -> dict:
    with sessions() as session:
        return queries.success_rate(session, "20", 2019, "LEGACY")


def rebuild(sessions, read) -> dict:
    return rebuilding.rebuild(sessions, Projector(), HotspotSettings(), read)


def test_a_rebuild_killed_halfway_changes_nothing(sessions, monkeypatch):
    monkeypatch.setattr(rebuilding, "PAGE", 5)
    monkeypatch.setattr(rebuilding, "WRITE_EVERY", 4)  # writes between the pages read
    rebuild(sessions, history(full()))
    before = snapshot(sessions)
    assert province_2019(sessions)["received"] == 15  # the hand-counted table
    half = {"cases": dataset.cases()[:20], "teams": dataset.team_events()}
    with pytest.raises(RuntimeError, match="killed"):  # while replaying
        rebuild(sessions, history(half, fail_at=6))
    assert snapshot(sessions) == before

    def swap_then_die(session, postgres):
        swap(session, postgres)
        raise RuntimeError("killed inside the swap")
    swap = rebuilding._swap
    monkeypatch.setattr(rebuilding, "_swap", swap_then_die)
    with pytest.raises(RuntimeError, match="inside the swap"):
        rebuild(sessions, history(half))
    assert snapshot(sessions) == before
    monkeypatch.setattr(rebuilding, "_swap", swap)
    rebuild(sessions, history(half))  # leftovers dropped; the next rebuild swaps
    assert snapshot(sessions) != before
    tables = set(inspect(sessions.kw["bind"]).get_table_names())
    assert not {t for t in tables if t.endswith(rebuilding.SUFFIX)}
    rebuild(sessions, history(full()))
    assert snapshot(sessions) == before


def test_a_query_during_a_rebuild_is_answered(sessions, monkeypatch, request):
    monkeypatch.setattr(rebuilding, "PAGE", 3)
    monkeypatch.setattr(rebuilding, "WRITE_EVERY", 4)
    rebuild(sessions, history(full()))
    expected = province_2019(sessions)
    answers, errors, done = [], [], threading.Event()
    slow = history(full())

    def read(source, after, limit):
        done.wait(0.02)  # the reader gets its turns while pages are applied
        return slow(source, after, limit)

    def reader():
        while not done.is_set():
            try:
                answers.append(province_2019(sessions))
            except Exception as exc:  # noqa: BLE001 (any failure fails the test below)
                errors.append(exc)
            done.wait(0.005)  # threads are green here: give the rebuild its turn
    thread = threading.Thread(target=reader)
    if "sqlite" in request.node.name:  # one connection: readers may wait, never fail
        sessions.kw["bind"].pool._timeout = 30
    thread.start()
    try:
        rebuild(sessions, read)
    finally:
        done.set()
        thread.join(30)
    assert errors == []
    assert len(answers) > 5 and all(a == expected for a in answers)


def test_deferred_events_are_skipped_until_the_rebuild_builds_them(sessions, monkeypatch):
    monkeypatch.setattr(pipeline, "MODE_TTL", 0.0)
    sources = full()
    with sessions.begin() as session:
        assert pipeline.defer(session) == pipeline.DEFERRED
    for body in sources["teams"] + sources["cases"]:
        assert handlers.consume(sessions, handlers.Projection(), body) == "deferred"
    assert province_2019(sessions)["received"] == 0  # partial: nothing applied yet
    late = sources["cases"].pop()  # written after the rebuild read the history
    result = rebuild(sessions, history(sources))
    assert result["events"] == len(sources["cases"]) + len(sources["teams"])
    with sessions() as session:
        assert pipeline.mode(session) == pipeline.LIVE
    envelope, _ = parse_event(late)
    assert handlers.consume(sessions, handlers.Projection(), late) == "applied", \
        envelope.type
    assert {k: province_2019(sessions)[k] for k in ("received", "successful")} == {
        "received": 15, "successful": 9}
    with sessions.begin() as session:  # projected already: not deferred again
        assert pipeline.defer(session) == pipeline.LIVE
