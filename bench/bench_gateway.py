"""GraphQL over the real services next to raw RPC: a page of 100 cases with their teams
and mediators, and a province report (issue 7)."""

import itertools
import time
from datetime import UTC, datetime

import requests
from nameko.standalone.rpc import ClusterRpcProxy

from bench.core import Context, Row, rate, rpc_count
from services.teams.demo import Generator

ACTOR = {"username": "bench", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "LEGACY", "team_id": None}
# The gateway rate-limits each caller: the run acts as several officers.
USERS = [{"username": f"bench.province{n}", "password": "bench-pass", "role": "PROVINCE_OFFICER",
          "scope_code": "20", "scope_version": "LEGACY", "team_id": None} for n in range(8)]
TEAMS, CASES = 20, 120
PAGE = """{ cases(first: 100) { totalCount edges { node { id status
  team { id name mediators { id fullName gender } } } } } }"""
REPORT = """query($year: Int!) { report(unitCode: "20", year: $year, geoVersion: LEGACY) {
  total { received successful unsuccessful inProgress rate } byCategory { category received rate }
  teams mediators } }"""


def run(ctx: Context) -> list[Row]:
    year = datetime.now(UTC).year
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=60) as rpc:
        raw = ctx.baselines.get("raw_rpc") or rate(rpc.bench_ping.ping, ctx.seconds)
        seed(rpc)
        raw_page = rate(lambda: raw_case_page(rpc), ctx.seconds, warmup=3)
        raw_report = rate(lambda: rpc.reporting.report("20", year, None, "LEGACY"), ctx.seconds)
    session = requests.Session()
    headers = [{"Authorization": f"Bearer {login(session, ctx.gateway_url, u)}"}
               for u in USERS]
    turn = itertools.count()

    def query(document: str, variables: dict | None = None):
        def call():
            response = session.post(ctx.gateway_url, timeout=30,
                                    headers=headers[next(turn) % len(headers)],
                                    json={"query": document, "variables": variables or {}})
            body = response.json()
            assert "errors" not in body, body
        return call

    page_rpcs = min(rpcs_of(query(PAGE), ctx.ports) for _ in range(3))
    page = rate(query(PAGE), ctx.seconds, warmup=3)
    report = rate(query(REPORT, {"year": year}), ctx.seconds, warmup=5)
    return [
        Row("raw RPC: 100-case page (list_cases+get_teams+list_mediators)", raw_page, "pages/s",
            baseline=raw),
        Row("gateway: 100 cases with teams + mediators", page, "req/s", baseline=raw_page,
            target=">=0.2x"),
        Row("gateway: 100 cases with teams + mediators, next to ping", page, "req/s",
            baseline=raw, target=">=0.06x"),  # issue 22, on every set
        Row("RPC calls for a page of 100 cases with teams + mediators", page_rpcs, "calls",
            target="<=3"),
        Row("raw RPC: reporting.report (province)", raw_report, "calls/s", baseline=raw),
        Row("gateway: province report query", report, "req/s", baseline=raw_report,
            target=">=0.3x"),
    ]


def rpcs_of(call, ports: dict[str, int]) -> int:
    """RPCs the backends served for one request (nothing else calls them meanwhile)."""
    before = rpc_count(ports)
    call()
    return rpc_count(ports) - before


def raw_case_page(rpc) -> None:
    """What the gateway does for PAGE, as three RPCs: the floor it cannot go under."""
    cases = rpc.cases.list_cases(first=100)["items"]
    team_ids = sorted({c["team_id"] for c in cases})
    rpc.teams.get_teams(team_ids)
    rpc.teams.list_mediators(team_ids)


def seed(rpc) -> None:
    """Teams, a user and 120 cases, once per (fresh) system."""
    rpc.teams.create_users(USERS, True, ACTOR)
    if rpc.cases.list_cases(first=1)["total_count"] >= CASES:
        return
    commune = rpc.teams.list_units("COMMUNE", None, "LEGACY")[0]
    gen = Generator(seed=7)
    teams = [gen.team(commune, f"Thôn bench {n}", False) for n in range(TEAMS)]
    team_ids = rpc.teams.import_teams(teams, ACTOR)
    payloads = [case(team_ids[n % TEAMS], n) for n in range(CASES)]
    deadline = time.monotonic() + 60
    while True:  # cases learns of the teams from teams' events
        results = rpc.cases.submit_cases(payloads, ACTOR)
        failed = [r for r in results if "error" in r and r["error"]["code"] != "CONFLICT"]
        if not failed:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"cases refused the seed cases: {failed[0]}")
        time.sleep(1)


def case(team_id: str, n: int) -> dict:
    return {"idempotency_key": f"bench-{n}", "team_id": team_id, "category": "CIVIL_FAMILY",
            "subject": f"Tranh chấp đất {n}", "description": "Tranh chấp ranh giới đất",
            "parties": [{"full_name": "Nguyễn Văn A"}, {"full_name": "Hoàng Thị B"}],
            "received_at": datetime.now(UTC).isoformat(), "channel": "IN_PERSON"}


def login(session: requests.Session, url: str, user: dict) -> str:
    query = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"
    variables = {"u": user["username"], "p": user["password"]}
    body = session.post(url, json={"query": query, "variables": variables}, timeout=30).json()
    if "errors" in body:
        raise RuntimeError(f"bench login failed: {body['errors']}")
    return body["data"]["login"]["token"]


