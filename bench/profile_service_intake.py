"""Profile the `submit_case` entrypoint's body in-process on PostgreSQL, as the service
runs it (parsing, the unit of work on `Database.single_statement` sessions with the
caller's audit entry, the intake statement, the reply dict, the metrics), without nameko
and the broker: CPU per case and round trips per case, then cProfile.

    HOAGIAI_BENCH_ID=_x .venv/bin/python -m bench.profile_service_intake [N] [--quiet]

`bench.profile_intake` profiles `handlers.submit_case` alone."""

import cProfile
import pstats
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from bench.environment import RUN_ID, fresh_database
from bench.profile_intake import time_intakes
from services.cases import models
from services.cases.service import CasesService
from services.cases.unit_of_work import TeamPlaces
from services.common.audit import Caller
from services.common.db import migrate, sessions_of

ACTOR = {"username": "bench", "role": "COMMUNE_OFFICER", "scope_code": None,
         "scope_version": None, "team_id": None}


def service_on(url: str) -> CasesService:
    """A bare `CasesService` whose dependencies are set by hand (no container)."""
    service = CasesService()
    service.db = sessions_of(url)
    service.places = TeamPlaces()
    service.caller = Caller("bench", "COMMUNE_OFFICER", "submit_case", "corr-1")
    return service


def main(count: int = 500, quiet: bool = False) -> None:
    url = fresh_database(f"hoagiai_bench{RUN_ID}_profile_service")
    migrate("cases", url)
    service = service_on(url)
    engine = service.db.single_statement.kw["bind"]
    with service.db.begin() as s:
        s.add(models.Team(id="T1", commune_code="06001", geo_version="LEGACY",
                          district_code="178", v2025_code="06001", active=True))
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2].split()[0]))
    received = (datetime.now(UTC) - timedelta(days=1)).isoformat()

    def one(n: int) -> dict:
        return service.submit_case({
            "idempotency_key": f"p-{n}", "team_id": "T1", "category": "CIVIL_FAMILY",
            "subject": "Tranh chấp ranh giới đất", "description": "Hai hộ tranh chấp.",
            "parties": [{"full_name": "Nông Văn A"}, {"full_name": "Hoàng Văn B"}],
            "received_at": received, "channel": "IN_PERSON"}, ACTOR)

    time_intakes(one, 50, count, statements)
    if quiet:
        return
    profile = cProfile.Profile(time.process_time)  # CPU: the machine is shared
    profile.enable()
    for n in range(50 + count, 50 + 2 * count):
        one(n)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 500, "--quiet" in sys.argv)
