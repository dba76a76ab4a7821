"""Reporting: event → projection lag, province query at 10k vs N cases, rebuild speed.

Cases are fed as events through the broker to the running reporting service (the real
path). To keep the load affordable each case is one event: a `case.resolved` (90 %) or
a `case.received` (10 %, in progress); both carry the case's place. The large size is
`HOAGIAI_BENCH_REPORTING_CASES` (default 100,000 so `make bench` stays under 10 minutes on
2 cores; 20,000 with --quick; set 500000 for the issue's size, about 10 more minutes).
"""

import os
import random
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

from kombu import Connection, Exchange, Producer
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy.orm import sessionmaker

from bench.core import Context, Row
from services.common.events import new_event

YEAR = 2019
DISTRICTS = ["178", *[str(c) for c in range(180, 190)]]
COMMUNES = [(f"{5900 + i:05d}", DISTRICTS[i % 11], f"{26000 + i % 65:05d}") for i in range(194)]
OUTCOMES = ["SUCCESSFUL"] * 72 + ["UNSUCCESSFUL"] * 18 + ["STOPPED"] * 5 + ["OPEN"] * 5


def case_event(rng: random.Random, index: int, run: str, commune=None, when=None) -> dict:
    code, district, v2025 = commune or rng.choice(COMMUNES)
    received = when or datetime(YEAR, 1, 1, 8, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(364 * 24 * 60))
    ref = {"case_id": f"{run}-{index}", "team_id": f"T{code}-{rng.randrange(12)}",
           "category": rng.choice(("CONFLICT", "CIVIL_FAMILY", "OTHER")),
           "commune_code": code, "geo_version": "LEGACY", "district_code": district,
           "v2025_code": v2025}
    outcome = rng.choice(OUTCOMES)
    if outcome == "OPEN":
        return new_event("case.received", {**ref, "channel": "PHONE",
                                           "received_at": received.isoformat()},
                         aggregate_id=ref["case_id"], sequence=1,
                         occurred_at=received).model_dump(mode="json")
    return new_event("case.resolved", {**ref, "outcome": outcome, "mediator_ids": ["M"],
                                       "resolved_at": received.isoformat()},
                     aggregate_id=ref["case_id"], sequence=4,
                     occurred_at=received).model_dump(mode="json")


def lifecycle(rng: random.Random, index: int, run: str) -> list[dict]:
    """received → assigned → resolved: three events of one case (for the rebuild)."""
    resolved = case_event(rng, index, run)
    ref = {k: v for k, v in resolved["payload"].items() if k in (
        "case_id", "team_id", "category", "commune_code", "geo_version", "district_code",
        "v2025_code")}
    when = datetime.fromisoformat(resolved["occurred_at"])
    received = new_event("case.received", {**ref, "channel": "PHONE",
                                           "received_at": when.isoformat()},
                         aggregate_id=ref["case_id"], sequence=1, occurred_at=when)
    assigned = new_event("case.assigned", {**ref, "mediator_ids": ["M"],
                                           "assigned_at": when.isoformat(),
                                           "start_deadline": when.isoformat()},
                         aggregate_id=ref["case_id"], sequence=2, occurred_at=when)
    return [received.model_dump(mode="json"), assigned.model_dump(mode="json"), resolved]


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
    """Publish at a steady rate into one commune; poll its count; lag of each event =
    first poll that saw it − the moment it was published."""
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


def load(cluster, amqp_uri: str, start: int, stop: int, run: str) -> None:
    rng = random.Random(start)
    publisher = Publisher(amqp_uri)
    for i in range(start, stop):
        publisher(case_event(rng, i, run))
    publisher.close()
    deadline = time.monotonic() + max(120.0, (stop - start) / 100)
    while cluster.reporting.success_rate("20", YEAR, "LEGACY")["received"] < stop:
        if time.monotonic() > deadline:
            raise TimeoutError(f"reporting did not reach {stop} cases")
        time.sleep(1.0)


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


def rebuild_speed(events: int) -> tuple[float, int]:
    """In-process rebuild from an in-memory history (no RPC paging) into a fresh database."""
    from bench.environment import RUN_ID, fresh_database
    from services.common.db import make_engine, migrate
    from services.reporting.handlers import HotspotSettings
    from services.reporting.projector import Projector
    from services.reporting.rebuild import rebuild

    url = fresh_database(f"hoagiai_bench{RUN_ID}_reporting_rebuild")
    migrate("reporting", url)
    engine = make_engine(url)
    rng, run = random.Random(9), "rb"
    history = [e for i in range(events // 3) for e in lifecycle(rng, i, run)]

    def page(source: str, after: int, limit: int) -> dict:
        items = history[after:after + limit] if source == "cases" else []
        return {"items": items, "next_after": after + len(items),
                "has_more": source == "cases" and after + len(items) < len(history)}

    result = rebuild(sessionmaker(engine), Projector(), HotspotSettings(), page)
    engine.dispose()
    return result["events_per_second"], result["events"]


def run(ctx: Context) -> list[Row]:
    small = 10_000
    big = int(os.environ.get("HOAGIAI_BENCH_REPORTING_CASES",
                             20_000 if ctx.quick else 100_000))
    rows: list[Row] = []
    run_id = uuid.uuid4().hex[:6]
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=120) as cluster:
        lags = measure_lag(cluster, ctx.amqp_uri, ctx.seconds if ctx.quick else 60.0)
        rows += [Row("event→projection lag p50 (200 ev/s, visible to RPC)",
                     percentile(lags, 0.5) * 1000, "ms"),
                 Row("event→projection lag p99", percentile(lags, 0.99) * 1000, "ms",
                     target="<1000")]
        started = time.perf_counter()
        load(cluster, ctx.amqp_uri, 0, small, run_id)
        live_rate = small / (time.perf_counter() - started)
        province = lambda: cluster.reporting.success_rate("20", YEAR, "LEGACY")  # noqa: E731
        at_small = latency_ms(province)
        single = latency_ms(lambda: cluster.reporting.success_rate("05900", YEAR, "LEGACY"))
        report = latency_ms(lambda: cluster.reporting.report("20", YEAR, None, "LEGACY"))
        rows += [Row("live projection throughput (1 event per case)", live_rate, "events/s"),
                 Row("province success rate at 10k cases", at_small, "ms"),
                 Row("single-commune success rate (baseline)", single, "ms"),
                 Row("official 0403 report, whole province, a year", report, "ms",
                     baseline=single, target="<=5x")]
        load(cluster, ctx.amqp_uri, small, big, run_id)
        at_big = latency_ms(province)
        rows.append(Row(f"province success rate at {big // 1000}k cases", at_big, "ms",
                        baseline=at_small, target="<=1.5x"))
    speed, count = rebuild_speed(30_000 if ctx.quick else 300_000)
    rows.append(Row(f"rebuild, {count // 1000}k events of 3-event cases (in-process)", speed,
                    "events/s", target=">=10000"))
    return rows
