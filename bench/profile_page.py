"""Profile the gateway's execution of the bench's 100-case page in-process, over canned
answers (no broker, no database): CPU per page, median of interleaved rounds, and
optionally a cProfile. `python -m bench.profile_page [--profile]`."""

import statistics
import sys
import time
from types import SimpleNamespace

from graphql import parse

from services.gateway import http
from services.gateway.auth import Principal
from services.gateway.context import Context
from services.gateway.loaders import Backend, SharedCaches

PAGE = """{ cases(first: 100) { totalCount edges { node { id status
  team { id name mediators { id fullName gender } } } } } }"""
TEAMS, PER_TEAM, MEDIATORS = 20, 5, 5
PLACE = {"commune_code": "06400", "district_code": "186", "v2025_code": "06401",
         "geo_version": "LEGACY"}


class _Reply:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _answer(value):
    return SimpleNamespace(call_async=lambda *a, **k: _Reply(value))


def _backend() -> Backend:
    teams = [{"id": f"t{n}", "name": f"Tổ hòa giải {n}", "active": True, **PLACE}
             for n in range(TEAMS)]
    cases = [{"id": f"c{n}", "status": "RECEIVED", "team_id": f"t{n % TEAMS}", **PLACE}
             for n in range(TEAMS * PER_TEAM)]
    mediators = {t["id"]: [{"id": f"{t['id']}m{n}", "full_name": f"Hoàng Thị {n}",
                            "gender": "F", "team_id": t["id"]} for n in range(MEDIATORS)]
                 for t in teams}
    page = {"items": cases, "total_count": len(cases), "has_next_page": False}
    return Backend(SimpleNamespace(
        cases=SimpleNamespace(list_cases=_answer(page)),
        teams=SimpleNamespace(get_teams=_answer(teams), list_mediators=_answer(mediators))))


def page_runner():
    backend, shared = _backend(), SharedCaches()
    principal = Principal(username="bench.province0", role="PROVINCE_OFFICER",
                          scope_code="20", scope_version="LEGACY", team_id=None)
    document = parse(PAGE)
    operation = document.definitions[0]

    def run():
        context = Context(backend=backend, principal=principal, tokens=None, shared=shared)
        result = http._execute(document, operation, {"query": PAGE}, context)
        assert not result.errors, result.errors
        return result
    return run


def cpu_ms(run, pages: int = 50) -> float:
    start = time.process_time()
    for _ in range(pages):
        run()
    return (time.process_time() - start) / pages * 1000


def main() -> None:
    run = page_runner()
    run()
    if "--profile" in sys.argv:
        import cProfile
        import pstats
        cProfile.runctx("for _ in range(50): run()", globals(), {"run": run}, "/tmp/page.prof")
        pstats.Stats("/tmp/page.prof").sort_stats("tottime").print_stats(25)
        return
    rounds = [cpu_ms(run) for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 6)]
    print(f"page execution in-process: median {statistics.median(rounds):.2f} ms CPU "
          f"(rounds {', '.join(f'{r:.2f}' for r in rounds)})")


if __name__ == "__main__":
    main()
