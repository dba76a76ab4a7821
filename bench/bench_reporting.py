"""Reporting on a cached data set (bench/dataset.py: N cases loaded through intake):
event → projection lag, province queries at N vs 10k cases, the 0403 report vs one case,
rebuild speed, and the figures of the set's one-off build.

- Province success rate at N vs at 10k: the function the `success_rate` RPC runs
  (services/reporting/queries.py), in this process, on the running system's reporting
  database (N) and on a copy of the 10k set's: the same way on both, and without the
  RPC round trip (≈ 3 ms here) that would hide a slower query in the ratio. The RPC
  figure at N is shown beside it.
- The official report (whole province, one year) through RPC vs `cases.get_case`
  through RPC, on the same system.
- Rebuild: the full-history figure measured when the set was built, and one measured
  now: the real rebuild (history paged through the running services' RPC) into a
  scratch database, of the first `REBUILD_EVENTS` events (all of them on a small set).
- Lag: synthetic events published at 200/s straight to `cases.events` (it measures the
  consumer, not intake).
"""

import random
import threading
import time
import uuid
from datetime import UTC, datetime

from kombu import Connection, Exchange, Producer
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy.orm import sessionmaker

from bench.core import Context, Row
from bench.environment import RUN_ID, drop_database, fresh_database
from services.common.db import make_engine, migrate
from services.common.events import new_event

YEAR = 2024  # a full year of every data set (2021-2025)
PROVINCE = "20"
REBUILD_EVENTS = 500_000


OUTCOMES = ["SUCCESSFUL"] * 72 + ["UNSUCCESSFUL"] * 18 + ["STOPPED"] * 5 + ["OPEN"] * 5


def case_event(rng: random.Random, index: int, run: str, commune, when) -> dict:
    """One event per case: its `case.resolved` (95 %) or its `case.received` (5 %)."""
    code, district, v2025 = commune
    ref = {"case_id": f"{run}-{index}", "team_id": f"T{code}-{rng.randrange(12)}",
           "category": rng.choice(("CONFLICT", "CIVIL_FAMILY", "OTHER")),
           "commune_code": code, "geo_version": "LEGACY", "district_code": district,
           "v2025_code": v2025}
    outcome = rng.choice(OUTCOMES)
    if outcome == "OPEN":
        return new_event("case.received", {**ref, "channel": "PHONE",
                                           "received_at": when.isoformat()},
                         aggregate_id=ref["case_id"], sequence=1,
                         occurred_at=when).model_dump(mode="json")
    return new_event("case.resolved", {**ref, "outcome": outcome, "mediator_ids": ["M"],
                                       "resolved_at": when.isoformat()},
                     aggregate_id=ref["case_id"], sequence=4,
                     occurred_at=when).model_dump(mode="json")


class Publisher:
    def __init__(self, amqp_uri: str):
        self.connection = Connection(amqp_uri)
        self.producer = Producer(self.connection.channel(),
                                 exchange=Exchange("cases.events", type="topic", durable=True))

    def __call__(self, body: dict) -> None:
        self.producer.publish(body, routing_key=body["type"], serializer="json",
                              delivery_mode=2)

    def close(self) -> None:
        self.connection.release()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def measure_lag(cluster, amqp_uri: str, seconds: float, per_second: int = 200) -> list[float]:
    """Publish at a steady rate into one (made-up) commune; poll its count; lag of each
    event = first poll that saw it − the moment it was published."""
    rng, run = random.Random(1), uuid.uuid4().hex[:6]
    commune = ("99999", "178", "26000")
    total = int(seconds * per_second)
    sent: list[float] = []
    publisher = Publisher(amqp_uri)

    def feed():
        start = time.perf_counter()
        for i in range(total):
            time.sleep(max(0.0, start + i / per_second - time.perf_counter()))
            publisher(case_event(rng, i, run, commune, datetime.now(UTC)))
            sent.append(time.perf_counter())

    thread = threading.Thread(target=feed)
    thread.start()
    seen: list[float] = []
    deadline = time.perf_counter() + seconds + 60
    year = datetime.now(UTC).year
    while len(seen) < total and time.perf_counter() < deadline:
        count = cluster.reporting.success_rate("99999", year, "LEGACY")["received"]
        now = time.perf_counter()
        seen += [now] * (count - len(seen))
    thread.join()
    publisher.close()
    return [s - p for s, p in zip(seen, sent, strict=False)]


def latency_ms(fn, rounds: int = 7, calls: int = 30) -> float:
    """Median of several rounds' mean latency: robust to a busy neighbour on the machine."""
    for _ in range(10):
        fn()
    means = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        means.append((time.perf_counter() - started) / calls * 1000)
    return sorted(means)[rounds // 2]


def province_rate_ms(url: str) -> tuple[float, int]:
    """In-process latency of the province success rate, as the RPC computes it (one
    transaction, services.reporting.queries.success_rate); and the cases it counted."""
    from services.reporting.queries import success_rate

    engine = make_engine(url)
    sessions = sessionmaker(engine)

    def query() -> dict:
        with sessions.begin() as session:
            return success_rate(session, PROVINCE, YEAR, "LEGACY")

    try:
        return latency_ms(query, rounds=9, calls=50), query()["received"]
    finally:
        engine.dispose()


def rebuild_now(cluster, cap: int) -> dict:
    """The real rebuild (history through the running services' RPC) into a scratch
    database, stopping after the first `cap` case events."""
    from services.common.config import load_config
    from services.reporting.rebuild import rebuild
    from services.reporting.service import settings

    name = f"hoagiai_bench{RUN_ID}_reporting_rebuild"
    url = fresh_database(name)
    migrate("reporting", url)
    engine = make_engine(url)

    def history(source: str, after: int, limit: int) -> dict:
        if source == "cases" and after >= cap:
            return {"items": [], "next_after": after, "has_more": False}
        page = getattr(cluster, source).history(after=after, limit=limit)
        if source == "cases" and page["next_after"] >= cap:
            page["has_more"] = False
        return page

    try:
        projector, hot = settings(load_config("reporting"))
        return rebuild(sessionmaker(engine, expire_on_commit=False), projector, hot, history)
    finally:
        engine.dispose()
        drop_database(name)


def build_rows(big) -> list[Row]:
    """What the set's one-off build measured (kept with its templates)."""
    meta, size = big.meta, f"{big.size // 1000}k"
    rows = [
        Row(f"data set {size}: one-off build ({meta['built_at'][:10]})",
            meta["build_seconds"] / 60, "min"),
        Row(f"data set {size}: intake during the build (submit_cases)",
            meta["intake_cases_per_second"], "cases/s"),
        Row(f"rebuild, full history, {meta['events'] // 1000}k events (at build)",
            meta["rebuild_events_per_second"], "events/s", target=">=10000"),
    ]
    rows += [Row(f"memory (RSS) of {service}, end of the {size} build", mb, "MB",
                 target="<=300") for service, mb in meta["rss_mb_after_load"].items()]
    return rows


def run(ctx: Context) -> list[Row]:
    big, small = ctx.datasets["big"], ctx.datasets["small"]
    rows: list[Row] = []
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=120) as cluster:
        lags = measure_lag(cluster, ctx.amqp_uri, ctx.seconds if ctx.quick else 60.0)
        rows += [Row("event→projection lag p50 (200 ev/s, visible to RPC)",
                     percentile(lags, 0.5) * 1000, "ms"),
                 Row("event→projection lag p99", percentile(lags, 0.99) * 1000, "ms",
                     target="<1000")]
        small_url = fresh_database(f"hoagiai_bench{RUN_ID}_reporting_small",
                                   small.templates["reporting"])
        try:
            at_small, counted_small = province_rate_ms(small_url)
        finally:
            drop_database(f"hoagiai_bench{RUN_ID}_reporting_small")
        at_big, counted_big = province_rate_ms(ctx.system.env["REPORTING_DATABASE_URL"])
        rpc_rate = latency_ms(lambda: cluster.reporting.success_rate(PROVINCE, YEAR, "LEGACY"))
        case_id = cluster.cases.list_cases(first=1)["items"][0]["id"]
        one_case = latency_ms(lambda: cluster.cases.get_case(case_id))
        report = latency_ms(lambda: cluster.reporting.report(PROVINCE, YEAR, None, "LEGACY"))
        k = big.size // 1000
        rows += [
            Row(f"province rate {YEAR}, {counted_small} cases of the {small.size // 1000}k "
                "set, in-proc", at_small, "ms"),
            Row(f"province rate {YEAR}, {counted_big} cases of the {k}k set, in-proc",
                at_big, "ms", baseline=at_small, target="<=1.5x"),
            Row(f"province success rate via RPC, {k}k set", rpc_rate, "ms"),
            Row("single-case query via RPC (cases.get_case, baseline)", one_case, "ms"),
            Row(f"0403 report via RPC, whole province, {YEAR}, {k}k set", report, "ms",
                baseline=one_case, target="<=5x"),
        ]
        result = rebuild_now(cluster, REBUILD_EVENTS)
    rows.append(Row(f"rebuild now, {result['events'] // 1000}k events (history via RPC)",
                    result["events_per_second"], "events/s", target=">=10000"))
    return rows + build_rows(big)
