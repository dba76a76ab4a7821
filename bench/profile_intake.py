"""Profile `handlers.submit_case` in-process on PostgreSQL: statements per case and where
the CPU goes (cProfile). `python -m bench.profile_intake [N]` (HOAGIAI_BENCH_ID keeps the
database apart). What it showed and what changed is in docs/performance.md."""

import cProfile
import pstats
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from bench.environment import RUN_ID, fresh_database
from services.cases import handlers, models, queries, schemas
from services.cases.unit_of_work import CasesUnitOfWork, TeamPlaces
from services.common.db import make_engine, migrate


def time_intakes(one, warmup: int, count: int, statements: list) -> None:
    """`one(n)` `warmup` times, then `count` times timed: prints cases/s, CPU per case and
    the statements per case (`statements`: the first word of each, appended by a listener)."""
    for n in range(warmup):
        one(n)
    statements.clear()
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(warmup, warmup + count):
        one(n)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    kinds = {k: statements.count(k) / count for k in sorted(set(statements))}
    print(f"{count / wall:.0f} cases/s in-process, {cpu / count * 1000:.3f} ms CPU per case; "
          f"statements per case: {kinds}")


def main(count: int = 500) -> None:
    url = fresh_database(f"hoagiai_bench{RUN_ID}_profile")
    migrate("cases", url)
    engine = make_engine(url)
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2].split()[0]))
    sessions = sessionmaker(engine)
    with sessions.begin() as s:
        s.add(models.Team(id="T1", commune_code="06001", geo_version="LEGACY",
                          district_code="178", v2025_code="06001", active=True))
    actor = schemas.Actor(username="bench", role="COMMUNE_OFFICER")
    places = TeamPlaces()
    received = (datetime.now(UTC) - timedelta(days=1)).isoformat()

    def one(n: int) -> dict:
        cmd = schemas.SubmitCase.model_validate({
            "idempotency_key": f"p-{n}", "team_id": "T1", "category": "CIVIL_FAMILY",
            "subject": "Tranh chấp ranh giới đất", "description": "Hai hộ tranh chấp.",
            "parties": [{"full_name": "Nông Văn A"}, {"full_name": "Hoàng Văn B"}],
            "received_at": received, "channel": "IN_PERSON"})
        with sessions.begin() as s:
            uow = CasesUnitOfWork(s, places)
            return queries.case_dict(handlers.submit_case(uow, cmd, actor, datetime.now(UTC))[0])

    time_intakes(one, 20, count, statements)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for n in range(20 + count, 20 + 2 * count):
        one(n)
    profile.disable()
    print(f"under cProfile: {count / (time.perf_counter() - started):.0f} cases/s")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
