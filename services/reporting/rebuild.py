"""Rebuild: empty the projections and replay the full history of cases and teams.

    python -m services.reporting.rebuild          (a progress bar; or the `rebuild` RPC)

History is read page by page through the `history(after, limit)` RPC of each source,
applied in memory, and written in one transaction with bulk inserts, so readers see
the old numbers until the new ones are complete. A second pass then applies, through
the live path, whatever was written to the sources while the rebuild ran.
"""

import gc
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy.orm import sessionmaker

from services.common.errors import ValidationError
from services.common.events import parse_event
from services.reporting import models
from services.reporting.handlers import HotspotSettings, consume, refresh_gauges
from services.reporting.projector import Changes, Projector, bulk_insert, clear

log = logging.getLogger(__name__)
SOURCES = ("teams", "cases")  # teams first: pilot periods and places before the cases
PAGE = 2000

History = Callable[[str, int, int], dict]  # (source, after, limit) -> history page


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
    """A rebuild holds millions of long-lived objects, and every cyclic collection walks
    them all: a quarter of a 500k-case rebuild's time (docs/performance.md). Reference
    counting still frees whatever it drops; the collector runs again afterwards."""
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
    with cyclic_gc_paused():
        replayed = _replay_and_write(sessions, projector, history, progress)
    tail = 0
    for source in SOURCES:  # events written while we were replaying
        for items, _ in pages(history, source, replayed["cursors"][source]):
            for body in items:
                consume(sessions, projector, hot, body, live=False)
                tail += 1
    seconds = time.perf_counter() - started
    events = replayed["events"]
    return {"events": events, "skipped": replayed["skipped"], "tail_events": tail,
            "cases": replayed["cases"], "seconds": round(seconds, 3),
            "apply_seconds": round(replayed["applied_at"] - started, 3),
            "write_seconds": round(replayed["written_at"] - replayed["applied_at"], 3),
            "events_per_second": round(events / seconds, 1) if seconds else None}


def _replay_and_write(sessions: sessionmaker, projector: Projector, history: History,
                      progress: Callable[[int], None]) -> dict:
    """Every event of the history applied in memory, then written in one transaction;
    returns the counts, when each phase ended and where each source's history ended."""
    changes, seen, skipped, cursors = Changes(deferred=True), set(), 0, {}
    processed: list[dict] = []
    for source in SOURCES:
        cursors[source] = 0
        for items, cursor in pages(history, source):
            cursors[source] = cursor
            for body in items:
                try:
                    envelope, _ = parse_event(body)
                except ValidationError:
                    skipped += 1
                    continue
                if envelope.id in seen:
                    continue
                seen.add(envelope.id)
                processed.append({"event_id": str(envelope.id), "event_type": envelope.type,
                                  "processed_at": envelope.occurred_at})
                projector.apply(changes, envelope, body["payload"])  # validated just above
            progress(len(items))
    applied_at = time.perf_counter()
    with sessions.begin() as session:
        clear(session)
        projector.write(session, changes, fresh=True)
        bulk_insert(session, models.processed_events, processed)
        refresh_gauges(session)
    return {"events": len(seen), "skipped": skipped, "cases": len(changes.cases),
            "cursors": cursors, "applied_at": applied_at, "written_at": time.perf_counter()}


def main() -> None:
    from nameko.standalone.rpc import ClusterRpcProxy
    from tqdm import tqdm

    from services.common.config import load_config
    from services.common.db import make_engine, migrate
    from services.reporting.service import settings

    config = load_config("reporting")
    migrate("reporting", config["DATABASE_URL"])
    sessions = sessionmaker(make_engine(config["DATABASE_URL"]), expire_on_commit=False)
    projector, hot = settings(config)
    with ClusterRpcProxy(config, timeout=120) as cluster, tqdm(unit=" events") as bar:
        def history(source: str, after: int, limit: int) -> dict:
            return getattr(cluster, source).history(after=after, limit=limit)
        result = rebuild(sessions, projector, hot, history, bar.update)
    print(result)


if __name__ == "__main__":
    main()
