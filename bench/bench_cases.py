"""Cases intake throughput next to a same-run baseline (a raw nameko RPC that inserts one
PostgreSQL row and commits): the GraphQL mutation through the gateway (the figure of
issue 11), the `submit_case` RPC under it, one caller and 20 concurrent callers, and the
batch RPC loaders use."""

import itertools
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import requests
from nameko.standalone.rpc import ClusterRpcProxy

from bench import cpu
from bench.bench_gateway import login
from bench.core import ROUNDS, Context, GraphQLClient, Row, median_round, rate
from bench.environment import RUN_ID
from scripts.system import SERVICES
from services.teams.demo import Generator

ACTOR = {"username": "bench", "role": "COMMUNE_OFFICER", "scope_code": None,
         "scope_version": None, "team_id": None}
REF = {"commune_code": "06001", "geo_version": "LEGACY", "district_code": "178",
       "v2025_code": None}
CONCURRENCY = 20
BATCH = 100
OFFICER = {"username": "bench.intake", "password": "bench-pass", "role": "COMMUNE_OFFICER",
           "scope_version": "LEGACY", "team_id": None}  # + the scope_code of its commune
SUBMIT = """mutation($input: SubmitCaseInput!) { submitCase(input: $input) {
  case { id status } errors { code message } } }"""


def payloads(team_id: str):
    received = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for serial in itertools.count():
        yield {"idempotency_key": f"bench-{team_id}-{serial}", "team_id": team_id,
               "category": "CIVIL_FAMILY", "subject": "Tranh chấp ranh giới đất",
               "description": "Hai hộ tranh chấp lối đi chung.",
               "parties": [{"full_name": "Nông Văn A"}, {"full_name": "Hoàng Văn B"}],
               "received_at": received, "channel": "IN_PERSON"}


def concurrent_rate(call, seconds: float, concurrency: int = CONCURRENCY) -> float:
    """Calls per second with `concurrency` calls always in flight (call returns a reply)."""
    count, started = 0, time.perf_counter()
    in_flight = [call() for _ in range(concurrency)]
    while time.perf_counter() - started < seconds:
        in_flight.pop(0).result()
        count += 1
        in_flight.append(call())
    for reply in in_flight:
        reply.result()
        count += 1
    return count / (time.perf_counter() - started)


def real_team(cluster) -> str:
    """A team registered in teams (the gateway checks the caller may act for it) and
    known to the cases directory (from teams' events), and an officer to log in as."""
    commune = cluster.teams.list_units("COMMUNE", None, "LEGACY")[0]
    OFFICER["scope_code"] = commune["code"]
    cluster.teams.create_users([OFFICER], True, {**ACTOR, "role": "PROVINCE_OFFICER"})
    return new_team(cluster, commune, "Thôn bench intake")


def new_team(cluster, commune: dict, village: str) -> str:
    """A fresh team in `commune`, once the cases directory knows it."""
    team = Generator(seed=uuid.uuid4().int % 10_000).team(commune, village, False)
    for m in team["mediators"]:  # fresh citizen ids, so a rerun does not collide
        m["citizen_id"] = str(uuid.uuid4().int)[:12]
    team_id = cluster.teams.import_teams([team], {**ACTOR, "role": "PROVINCE_OFFICER"})[0]
    deadline = time.monotonic() + 30
    while not any(t["team_id"] == team_id for t in cluster.cases.directory_teams()):
        if time.monotonic() > deadline:
            raise RuntimeError("the cases directory did not learn of the bench team")
        time.sleep(0.2)
    return team_id


def graphql_input(payload: dict) -> dict:
    return {"idempotencyKey": payload["idempotency_key"], "teamId": payload["team_id"],
            "category": payload["category"], "subject": payload["subject"],
            "description": payload["description"], "receivedAt": payload["received_at"],
            "channel": payload["channel"],
            "parties": [{"fullName": p["full_name"]} for p in payload["parties"]]}


def submit(client: GraphQLClient, cases) -> None:
    body = client.post(SUBMIT, {"input": graphql_input(next(cases))})
    result = body.get("data") and body["data"]["submitCase"]
    if not result or result["errors"]:
        raise RuntimeError(f"submitCase failed: {body}")


def gateway_intake(ctx: Context, cases, concurrency: int,
                   seconds: float | None = None) -> float:
    """submitCase mutations per second, `concurrency` clients each waiting for its answer,
    over `seconds` (default the run's)."""
    token = login(requests.Session(), ctx.gateway_url, OFFICER)

    def run_client(_: int) -> int:
        client, done = GraphQLClient(ctx.gateway_url, token), 0
        stop = time.perf_counter() + (seconds or ctx.seconds)
        while time.perf_counter() < stop:
            submit(client, cases)
            done += 1
        return done

    warm = GraphQLClient(ctx.gateway_url, token)
    for _ in range(5):
        submit(warm, cases)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        total = sum(pool.map(run_client, range(concurrency)))
    return total / (time.perf_counter() - started)


def cpu_rows(ctx: Context, cluster, cases) -> list[Row]:
    """CPU per intake over every process involved, next to the raw RPC + insert's, in
    interleaved rounds (`median_round`): one client, then waves of 20 clients at once."""
    shared = {"broker": cpu.pids_running("beam.smp"), "client": [os.getpid()]}
    raw_groups = {"service": cpu.pids_running("bench.baseline"), **shared,
                  "PostgreSQL": cpu.database_backends([f"hoagiai_bench{RUN_ID}_baseline"])}
    token = login(requests.Session(), ctx.gateway_url, OFFICER)
    client = GraphQLClient(ctx.gateway_url, token)
    for _ in range(5):
        submit(client, cases)
    ours = {**{s: ctx.system.service_pids(s) for s in SERVICES}, **shared,
            "PostgreSQL": cpu.database_backends(
                [f"hoagiai_bench{RUN_ID}_{s}" for s in SERVICES if s != "gateway"])}
    seconds = ctx.seconds / ROUNDS

    def one_client(_: int) -> tuple[float, float]:
        _, raw = cpu.per_call(raw_groups, lambda: cluster.bench_ping.insert("x"), seconds)
        _, gateway = cpu.per_call(ours, lambda: submit(client, cases), seconds)
        print("  CPU ms per intake through the gateway:",
              ", ".join(f"{name} {ms:.2f}" for name, ms in gateway.items()),
              f"(raw RPC + insert {sum(raw.values()):.2f})", flush=True)
        return sum(gateway.values()), sum(raw.values())

    gateway, raw = median_round(one_client)
    # Under load: waves of 20 at once, where the gateway gathers (services/gateway/intake.py)
    clients = [GraphQLClient(ctx.gateway_url, token) for _ in range(CONCURRENCY)]
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        def waves(_: int) -> tuple[float, float]:
            _, raw_wave = cpu.per_call(raw_groups, lambda: [r.result() for r in [
                cluster.bench_ping.insert.call_async("x") for _ in range(CONCURRENCY)]],
                seconds)
            _, wave = cpu.per_call(ours, lambda: list(pool.map(
                lambda c: submit(c, cases), clients)), seconds)
            return sum(wave.values()) / CONCURRENCY, sum(raw_wave.values()) / CONCURRENCY

        wave, raw_wave = median_round(waves)
    return [Row("CPU per raw RPC + insert, all processes (baseline)", raw, "ms"),
            Row("CPU per submitCase via the gateway, all processes", gateway, "ms",
                baseline=raw, target="<=2x"),  # issue 22
            Row("CPU per raw RPC + insert, waves of 20 (baseline)", raw_wave, "ms"),
            Row("CPU per submitCase, waves of 20 clients, all processes", wave, "ms",
                baseline=raw_wave, target="<=2x")]


def run(ctx: Context) -> list[Row]:
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=120) as cluster:
        raw_insert = rate(lambda: cluster.bench_ping.insert("x"), ctx.seconds)
        raw_insert_20 = concurrent_rate(lambda: cluster.bench_ping.insert.call_async("x"),
                                        ctx.seconds)
        ctx.baselines["raw_insert"] = raw_insert
        team_id = real_team(cluster)
        cases = payloads(team_id)
        costs = cpu_rows(ctx, cluster, cases)  # first, while nothing else is digesting
        gateway_one, raw_beside = median_round(lambda _: (
            gateway_intake(ctx, cases, 1, ctx.seconds / ROUNDS),
            rate(lambda: cluster.bench_ping.insert("x"), ctx.seconds / ROUNDS, warmup=5)))
        gateway_twenty = gateway_intake(ctx, cases, CONCURRENCY)
        one = rate(lambda: cluster.cases.submit_case(next(cases), ACTOR), ctx.seconds)
        twenty = concurrent_rate(
            lambda: cluster.cases.submit_case.call_async(next(cases), ACTOR), ctx.seconds)
        batches = rate(lambda: cluster.cases.submit_cases(
            [next(cases) for _ in range(BATCH)], ACTOR), ctx.seconds, warmup=2)
    return [
        Row("raw RPC + 1 PostgreSQL insert, 1 caller (baseline)", raw_insert, "calls/s"),
        Row("raw RPC + 1 PostgreSQL insert, 20 callers", raw_insert_20, "calls/s"),
        Row("intake via gateway (GraphQL submitCase), 1 client", gateway_one, "cases/s",
            baseline=raw_beside, target=">=0.5x"),  # the median of interleaved rounds
        Row("intake via gateway, 20 concurrent clients", gateway_twenty, "cases/s",
            baseline=raw_insert_20, target=">=0.5x"),
        Row("cases submit_case RPC, 1 caller", one, "cases/s", baseline=raw_insert,
            target=">=0.5x"),
        Row("cases submit_case RPC, 20 callers", twenty, "cases/s", baseline=raw_insert_20,
            target=">=0.5x"),
        Row(f"cases submit_cases batch of {BATCH}", batches * BATCH, "cases/s",
            baseline=raw_insert, target=">=0.5x"),
    ] + costs
