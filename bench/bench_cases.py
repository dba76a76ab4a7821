"""Cases intake throughput (one caller, 20 concurrent callers, the batch RPC) next to a
same-run baseline: a raw nameko RPC that inserts one PostgreSQL row and commits."""

import itertools
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ClusterRpcProxy

from bench.core import Context, Row, rate
from services.common.events import new_event

ACTOR = {"username": "bench", "role": "COMMUNE_OFFICER", "scope_code": None,
         "scope_version": None, "team_id": None}
REF = {"commune_code": "06001", "geo_version": "LEGACY", "district_code": "178",
       "v2025_code": None}
CONCURRENCY = 20
BATCH = 100


def seed_directory(amqp_uri: str, cluster) -> str:
    """A team and a mediator in the cases directory, as teams events would put them."""
    team_id = f"bench-team-{uuid.uuid4().hex[:8]}"
    ref = {"team_id": team_id, **REF}
    dispatch = event_dispatcher({"AMQP_URI": amqp_uri})
    before = cluster.cases.directory_stats()
    dispatch("teams", "team.formed", new_event(
        "team.formed", {**ref, "name": "Bench", "formed_on": date(2018, 1, 1)},
        aggregate_id=team_id).model_dump(mode="json"))
    dispatch("teams", "mediator.added", new_event(
        "mediator.added", {**ref, "mediator_id": f"{team_id}-m", "full_name": "Vi Văn Bench",
                           "gender": "MALE"}).model_dump(mode="json"))
    deadline = time.monotonic() + 30
    while cluster.cases.directory_stats()["teams"] <= before["teams"]:
        if time.monotonic() > deadline:
            raise RuntimeError("the cases directory did not receive the bench team")
        time.sleep(0.1)
    return team_id


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


def run(ctx: Context) -> list[Row]:
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=120) as cluster:
        raw_insert = rate(lambda: cluster.bench_ping.insert("x"), ctx.seconds)
        raw_insert_20 = concurrent_rate(lambda: cluster.bench_ping.insert.call_async("x"),
                                        ctx.seconds)
        ctx.baselines["raw_insert"] = raw_insert
        team_id = seed_directory(ctx.amqp_uri, cluster)
        cases = payloads(team_id)
        one = rate(lambda: cluster.cases.submit_case(next(cases), ACTOR), ctx.seconds)
        twenty = concurrent_rate(
            lambda: cluster.cases.submit_case.call_async(next(cases), ACTOR), ctx.seconds)
        batches = rate(lambda: cluster.cases.submit_cases(
            [next(cases) for _ in range(BATCH)], ACTOR), ctx.seconds, warmup=2)
    return [
        Row("raw RPC + 1 PostgreSQL insert, 1 caller (baseline)", raw_insert, "calls/s"),
        Row("raw RPC + 1 PostgreSQL insert, 20 callers", raw_insert_20, "calls/s"),
        Row("cases submit_case RPC, 1 caller", one, "cases/s", baseline=raw_insert,
            target=">=0.5x"),
        Row("cases submit_case RPC, 20 callers", twenty, "cases/s", baseline=raw_insert_20,
            target=">=0.5x"),
        Row(f"cases submit_cases batch of {BATCH}", batches * BATCH, "cases/s",
            baseline=raw_insert, target=">=0.5x"),
    ]
