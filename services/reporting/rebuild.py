"""Rebuild: replay the full history of cases and teams into shadow tables, then swap them
in for the projections in one transaction.

    python -m services.reporting.rebuild          (a progress bar; or the `rebuild` RPC)

History is read page by page through the `history(after, limit)` RPC of each source.
Every ≈ 10,000 events are applied and written to the shadow tables (`<table>__rebuild`)
in a transaction of their own, so memory stays bounded whatever the history's length: the
case states a page needs are read back from the shadow `case_state` (the last pages'
are kept in memory). The counters and remuneration entries are then computed from the
final case states, streamed in order of receipt one month at a time. Readers see the
old figures until the swap commits; a rebuild that fails or is killed before it
changes nothing (its leftover shadow tables are dropped by the next one). A second
pass then applies, through the live path, whatever the sources wrote meanwhile.
"""

import gc
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import MetaData, Table, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from services.common.errors import ValidationError
from services.common.events import parse_event
from services.reporting import domain, models, pipeline
from services.reporting.handlers import HotspotSettings, Projection, consume, refresh_gauges
from services.reporting.projector import (
    _COUNTER_TABLES,
    Changes,
    Projector,
    _upsert_statement,
    bulk_insert,
    copy_rows,
)

log = logging.getLogger(__name__)
SOURCES = ("teams", "cases")  # teams first: pilot periods and places before the cases
PAGE = 2000
WRITE_EVERY = 10_000  # events applied and written per transaction (pages of PAGE are read)
CACHED_CASES = 20_000  # case states kept between pages (a case's events come close together)
SUFFIX = "__rebuild"

History = Callable[[str, int, int], dict]  # (source, after, limit) -> history page


def _shadow(table: Table, metadata: MetaData) -> Table:
    """The table's copy under another name, with its primary key and no other index
    (the indexes are built once the rows are in)."""
    shadow = table.to_metadata(metadata, name=table.name + SUFFIX)
    shadow.indexes.clear()
    return shadow


_SHADOW_METADATA = MetaData()
SHADOWS = {t.name: _shadow(t, _SHADOW_METADATA) for t in models.PROJECTIONS}


def pages(history: History, source: str, after: int = 0) -> Iterator[tuple[list, int]]:
    """The source's history page by page; the next page is on its way while the caller
    applies this one (the source serialises it meanwhile: ≈ 1.5× faster on 2 cores)."""
    with ThreadPoolExecutor(1) as fetcher:
        page = history(source, after, PAGE)
        while True:
            upcoming = page["has_more"] and fetcher.submit(
                history, source, page["next_after"], PAGE)
            yield page["items"], page["next_after"]
            if not upcoming:
                return
            page = upcoming.result()


@contextmanager
def cyclic_gc_paused():
    """A rebuild makes millions of short-lived objects and few cycles; the cyclic
    collector's passes cost a quarter of a 500k-case rebuild's time (docs/performance.md).
    Reference counting still frees whatever it drops; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rebuild(sessions: sessionmaker, projector: Projector, hot: HotspotSettings,
            history: History, progress: Callable[[int], None] = lambda n: None) -> dict:
    started = time.perf_counter()
    with sessions.begin() as session:
        was = pipeline.mode(session)
        if was == pipeline.DEFERRED:  # live consumers apply events again from now on
            pipeline.set_mode(session, pipeline.REBUILDING)
    if was == pipeline.DEFERRED:  # every event they skipped is in the history we read next
        pipeline.forget(sessions)
        time.sleep(pipeline.MODE_TTL + 0.2)
    try:
        with cyclic_gc_paused():
            replayed = _replay(sessions, projector, history, progress)
            applied_at = time.perf_counter()
            _count_and_swap(sessions, projector, replayed["changes"])
    except BaseException:
        if was == pipeline.DEFERRED:
            with sessions.begin() as session:
                pipeline.set_mode(session, pipeline.DEFERRED)
        raise
    finally:
        pipeline.forget(sessions)
    written_at = time.perf_counter()
    tail, projection = 0, Projection(projector, hot)
    for source in SOURCES:  # events written while we were replaying
        for items, _ in pages(history, source, replayed["cursors"][source]):
            for body in items:
                consume(sessions, projection, body, live=False)
                tail += 1
    seconds = time.perf_counter() - started
    events = replayed["events"]
    return {"events": events, "skipped": replayed["skipped"], "tail_events": tail,
            "cases": replayed["cases"], "seconds": round(seconds, 3),
            "apply_seconds": round(applied_at - started, 3),
            "write_seconds": round(written_at - applied_at, 3),
            "events_per_second": round(events / seconds, 1) if seconds else None}


def _replay(sessions: sessionmaker, projector: Projector, history: History,
            progress: Callable[[int], None]) -> dict:
    """Every event of the history applied page by page into the shadow tables; returns
    the counts, the teams' side of the projections (small: kept in memory) and where
    each source's history ended."""
    with sessions.begin() as session:
        _create_shadows(session)
    changes, events, skipped, cursors, batch = Changes(deferred=True), 0, 0, {}, []
    for source in SOURCES:
        cursors[source] = 0
        for items, cursor in pages(history, source):
            cursors[source] = cursor
            parsed = []
            for body in items:
                try:
                    envelope, _ = parse_event(body)
                except ValidationError:
                    skipped += 1
                    continue
                parsed.append((envelope, body["payload"]))  # validated just above
            batch += parsed
            if len(batch) >= WRITE_EVERY:
                with sessions.begin() as session:
                    _apply_page(session, projector, changes, batch)
                batch = []
            events += len(parsed)
            progress(len(items))
        if batch:  # a source's last events: the next source's may need its rows
            with sessions.begin() as session:
                _apply_page(session, projector, changes, batch)
            batch = []
    with sessions() as session:
        cases = session.scalar(select(func.count()).select_from(SHADOWS["case_state"]))
    return {"events": events, "skipped": skipped, "cases": cases, "cursors": cursors,
            "changes": changes}


def _apply_page(session: Session, projector: Projector, changes: Changes,
                events: list[tuple]) -> None:
    case_ids = {p["case_id"] for _, p in events if "case_id" in p} - set(changes.cases)
    if case_ids:
        shadow = SHADOWS["case_state"]
        for row in session.execute(select(shadow).where(shadow.c.case_id.in_(case_ids))):
            state = domain.CaseState.from_row(row)
            changes.cases[state.case_id] = changes.loaded[state.case_id] = state
    for envelope, payload in events:
        projector.apply(changes, envelope, payload)
    copy_rows(session, SHADOWS["processed_events"],
              [(str(e.id), e.type, e.occurred_at) for e, _ in events])
    new, changed = [], []
    for case_id, state in changes.cases.items():
        if state is not None and state != changes.loaded.get(case_id):
            if case_id in changes.loaded:
                changed.append(dict(vars(state)))
            else:
                new.append(state.as_row())
    copy_rows(session, SHADOWS["case_state"], new)
    if changed:
        session.execute(_upsert_statement(session, SHADOWS["case_state"], ("case_id",)),
                        changed)
    if len(changes.cases) > CACHED_CASES:
        changes.cases, changes.loaded = {}, {}
    else:
        changes.loaded = dict(changes.cases)  # what the shadow table now holds


def _create_shadows(session: Session) -> None:
    """Empty shadow tables (a killed rebuild's leftovers are dropped first)."""
    for shadow in SHADOWS.values():
        shadow.drop(session.connection(), checkfirst=True)
        shadow.create(session.connection())


def _count_and_swap(sessions: sessionmaker, projector: Projector, changes: Changes) -> None:
    """The counters and remuneration entries from the final case states, the teams' side
    from memory, then the swap."""
    with sessions.begin() as session:
        _write_counters(session, projector)
        for name, rows in (("team_state", changes.teams), ("mediator_state", changes.mediators),
                           ("pilot_teams", changes.pilot_teams),
                           ("pilot_communes", changes.pilot_communes),
                           ("places", changes.places)):
            bulk_insert(session, SHADOWS[name], list(rows.values()))
    with sessions.begin() as session:
        postgres = session.bind.dialect.name == "postgresql"
        if postgres:  # built beside the live ones; the swap only renames them
            _create_indexes(session, SUFFIX)
        _swap(session, postgres)
        refresh_gauges(session)
    projector.known_places.clear()  # the places it knew were in the old table


def _write_counters(session: Session, projector: Projector) -> None:
    """Stream the case states in order of receipt; a month's counters are complete once
    the next month begins (every counter but the escalations' is keyed by the month of
    receipt, and those are few: kept until the end)."""
    shadow = SHADOWS["case_state"]
    month, counters, escalations, paid = None, {}, {}, []
    rows = session.execute(select(shadow).order_by(shadow.c.received_on)
                           .execution_options(yield_per=5000))
    for row in rows:
        state = domain.CaseState.from_row(row)
        if (state.received_on.year, state.received_on.month) != month:
            _flush_counters(session, counters)
            month, counters = (state.received_on.year, state.received_on.month), {}
        for key in domain.contributions(state):
            target = escalations if key[-1] == "escalated" and key[0] == "daily" else counters
            target[key] = target.get(key, 0) + 1
        if state.status in domain.CLOSED_PAID and state.closed_on is not None:
            paid.append(projector.entry(state))
            if len(paid) >= 5000:
                bulk_insert(session, SHADOWS["remuneration"], paid)
                paid = []
    _flush_counters(session, counters)
    _flush_counters(session, escalations)
    bulk_insert(session, SHADOWS["remuneration"], paid)


def _flush_counters(session: Session, counters: dict[tuple, int]) -> None:
    for kind, (table, _) in _COUNTER_TABLES.items():
        copy_rows(session, SHADOWS[table.name],
                  [(*key[1:], n) for key, n in counters.items() if key[0] == kind])


def _create_indexes(session: Session, suffix: str) -> None:
    """The live tables' indexes on the tables named `<table><suffix>`, named
    `<index><suffix>`."""
    for table in models.PROJECTIONS:
        for index in table.indexes:
            columns = ", ".join(f'"{c.name}"' for c in index.columns)
            session.execute(text(f'CREATE INDEX "{index.name}{suffix}" '
                                 f'ON "{table.name}{suffix}" ({columns})'))


def _swap(session: Session, postgres: bool) -> None:
    """Drop each projection and rename its shadow in its place (one transaction: on
    PostgreSQL readers wait only for these renames). Also ends a deferred state.

    The mode's write comes first: on SQLite the driver begins a transaction only before
    a DML statement, and DDL before it would be committed one statement at a time."""
    pipeline.set_mode(session, pipeline.LIVE)
    for table in models.PROJECTIONS:
        session.execute(text(f'DROP TABLE "{table.name}"'))
        session.execute(text(f'ALTER TABLE "{table.name}{SUFFIX}" RENAME TO "{table.name}"'))
        if postgres:
            session.execute(text(f'ALTER INDEX "{table.name}{SUFFIX}_pkey" '
                                 f'RENAME TO "{table.name}_pkey"'))
            for index in table.indexes:
                session.execute(text(f'ALTER INDEX "{index.name}{SUFFIX}" '
                                     f'RENAME TO "{index.name}"'))
        else:  # SQLite renames no index: build them now, under their own names
            for index in table.indexes:
                index.create(session.connection())


def main() -> None:
    from nameko.standalone.rpc import ClusterRpcProxy
    from tqdm import tqdm

    from services.common.config import load_config
    from services.common.db import make_engine, migrate
    from services.reporting.settings import projection_settings

    config = load_config("reporting")
    migrate("reporting", config["DATABASE_URL"])
    sessions = sessionmaker(make_engine(config["DATABASE_URL"]), expire_on_commit=False)
    projector, hot = projection_settings(config)
    with ClusterRpcProxy(config, timeout=120) as cluster, tqdm(unit=" events") as bar:
        def history(source: str, after: int, limit: int) -> dict:
            return getattr(cluster, source).history(after=after, limit=limit)
        result = rebuild(sessions, projector, hot, history, bar.update)
    print(result)


if __name__ == "__main__":
    main()
