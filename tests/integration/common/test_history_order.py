"""`history` reads the outbox in commit order: a row whose transaction commits after a
later row was read is still read, after it (PostgreSQL; SQLite commits one transaction
at a time). And a rebuild paging while transactions commit concurrently ends with the
figures of a recount."""

import random
import threading
import time

from sqlalchemy.orm import sessionmaker

from services.cases import models as cases_models
from services.common import outbox
from services.common.db import make_engine, migrate
from services.common.events import parse_event
from services.reporting import rebuild as rebuilding
from services.reporting.handlers import HotspotSettings
from services.reporting.projector import Projector
from tests.integration.reporting import dataset
from tests.integration.reporting.conftest import snapshot

OUTBOX = cases_models.outbox


def databases(new_database):
    made = []
    for service in ("cases", "reporting"):
        url = new_database(service)
        migrate(service, url)
        made.append(sessionmaker(make_engine(url), expire_on_commit=False))
    return made


def read_all(sessions, after=0) -> tuple[list[dict], object]:
    items = []
    while True:
        with sessions() as session:
            page = outbox.history(session, OUTBOX, after, 2)
        items += page["items"]
        after = page["next_after"]
        if not page["has_more"]:
            return items, after


def test_a_row_committed_late_is_read_after_the_cursor(new_database):
    cases, _ = databases(new_database)
    first, second, third = (parse_event(b)[0] for b in dataset.cases()[:3])
    with cases.begin() as session:
        outbox.add(session, OUTBOX, first)
    slow = cases()
    slow.begin()
    outbox.add(slow, OUTBOX, second)  # takes its seq now, commits last
    with cases.begin() as session:
        outbox.add(session, OUTBOX, third)
    # Read until `first` is in (pages wait for any transaction writing in this database);
    # `third` must not come before `second`.
    items, cursor = read_until(cases, 0, 1)
    assert [i["id"] for i in items] == [str(first.id)]
    items, cursor = read_all(cases, cursor)
    assert items == []  # `third` is committed, but `second`, older, is not yet
    slow.commit()
    slow.close()
    items, _ = read_until(cases, cursor, 2)
    assert [i["id"] for i in items] == [str(second.id), str(third.id)]


def read_until(sessions, after, count: int, timeout: float = 30) -> tuple[list, object]:
    items, deadline = [], time.monotonic() + timeout
    while len(items) < count and time.monotonic() < deadline:
        more, after = read_all(sessions, after)
        items += more
        time.sleep(0.05)
    return items, after


def test_a_rebuild_paging_during_concurrent_commits_equals_the_recount(new_database,
                                                                       monkeypatch):
    cases, reporting = databases(new_database)
    bodies = dataset.cases()
    events = [parse_event(b)[0] for b in bodies]
    by_id = {str(e.id): b for e, b in zip(events, bodies, strict=True)}
    monkeypatch.setattr(rebuilding, "PAGE", 2)
    monkeypatch.setattr(rebuilding, "WRITE_EVERY", 4)
    writers_done, seen, give_up = threading.Event(), set(), time.monotonic() + 20

    def writer(share: list, seed: int):  # overlapping transactions, each held open a bit
        rng = random.Random(seed)
        for start in range(0, len(share), 2):
            with cases.begin() as session:
                for event in share[start:start + 2]:
                    outbox.add(session, OUTBOX, event)
                    time.sleep(rng.uniform(0, 0.004))  # green: the others run meanwhile

    def history(source, after, limit):
        if source == "teams":
            return {"items": [] if after else dataset.team_events(), "next_after": 1,
                    "has_more": False}
        time.sleep(0.001)
        with cases() as session:
            page = outbox.history(session, OUTBOX, after, limit)
        seen.update(i["id"] for i in page["items"])
        # Until the writers are done and every row was read, or 20 s (a row skipped by
        # the cursor would never come).
        waiting = not writers_done.is_set() or (len(seen) < len(events)
                                                and time.monotonic() < give_up)
        return {**page, "items": [by_id[i["id"]] for i in page["items"]],
                "has_more": page["has_more"] or waiting}

    threads = [threading.Thread(target=writer, args=(events[n::3], n)) for n in range(3)]
    for thread in threads:
        thread.start()

    def join_writers():
        for thread in threads:
            thread.join(30)
        writers_done.set()
    threading.Thread(target=join_writers).start()
    result = rebuilding.rebuild(reporting, Projector(), HotspotSettings(), history)
    assert result["events"] == len(events) + len(dataset.team_events())  # none skipped
    seen.clear()
    _, recount = databases(new_database)
    rebuilding.rebuild(recount, Projector(), HotspotSettings(), history)
    assert snapshot(reporting) == snapshot(recount)
