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
- Lag: cases submitted through intake at 200/s; from intake's answer to the case
  counted by the `success_rate` RPC (the outbox relay, the broker, the consumer).
"""

import threading
import time
import uuid
from datetime import datetime

from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy.orm import sessionmaker

from bench.bench_cases import ACTOR, new_team, payloads
from bench.core import Context, Row
from bench.environment import RUN_ID, drop_database, fresh_database
from services.common.db import make_engine, migrate

YEAR = 2024  # a full year of every data set (2021-2025)
PROVINCE = "20"
REBUILD_EVENTS = 300_000  # ≈ 20-40 s here: the full 500k history would not fit 10 minutes


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def measure_lag(cluster, amqp_uri: str, seconds: float, per_second: int = 200,
                batch: int = 20) -> tuple[list[float], float]:
    """Submit cases through intake at a steady rate (`submit_cases`, `batch` at a time)
    to a fresh team in the province's last commune; poll that commune's count this year.
    Lag of a case = first poll that saw it − the moment intake answered (committed its
    event). Returns the lags and the intake rate achieved."""
    commune = cluster.teams.list_units("COMMUNE", None, "LEGACY")[-1]
    team_id = new_team(cluster, commune, f"Thôn bench lag {uuid.uuid4().hex[:6]}")
    # cases received today are placed in the team's V2025 commune (the layout in force)
    current = cluster.teams.get_team(team_id)["v2025_code"]
    cases = payloads(team_id)
    year = datetime.fromisoformat(next(cases)["received_at"]).year
    base = cluster.reporting.success_rate(current, year, "V2025")["received"]
    calls = int(seconds * per_second / batch)
    committed: list[float] = []

    def feed():
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=60) as feeder:
            start = time.perf_counter()
            for call in range(calls):
                time.sleep(max(0.0, start + call * batch / per_second - time.perf_counter()))
                results = feeder.cases.submit_cases([next(cases) for _ in range(batch)],
                                                    ACTOR)
                if any("error" in r for r in results):
                    raise RuntimeError(f"intake refused a lag case: {results}")
                committed.extend([time.perf_counter()] * batch)

    thread = threading.Thread(target=feed)
    started = time.perf_counter()
    thread.start()
    seen: list[float] = []
    deadline = started + seconds + 60
    while len(seen) < calls * batch and time.perf_counter() < deadline:
        count = cluster.reporting.success_rate(current, year, "V2025")["received"]
        now = time.perf_counter()
        seen += [now] * (count - base - len(seen))
        if not thread.is_alive() and len(committed) < calls * batch:
            break  # the feeder failed
    thread.join()
    rate = len(committed) / (committed[-1] - started) if committed else 0.0
    return [s - c for s, c in zip(seen, committed, strict=False)], rate


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
    from services.reporting.settings import projection_settings

    name = f"hoagiai_bench{RUN_ID}_reporting_rebuild"
    url = fresh_database(name)
    migrate("reporting", url)
    engine = make_engine(url)

    taken = {"cases": 0}  # case events read (cursors are opaque: "tx_id.seq" on PostgreSQL)

    def history(source: str, after, limit: int) -> dict:
        if source == "cases" and taken["cases"] >= cap:
            return {"items": [], "next_after": after, "has_more": False}
        page = getattr(cluster, source).history(after=after, limit=limit)
        if source == "cases":
            taken["cases"] += len(page["items"])
            page["has_more"] = page["has_more"] and taken["cases"] < cap
        return page

    try:
        projector, hot = projection_settings(load_config("reporting"))
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
        lags, offered = measure_lag(cluster, ctx.amqp_uri, ctx.seconds if ctx.quick else 60.0)
        rows += [Row("intake rate during the lag run (target 200)", offered, "cases/s"),
                 Row("intake→projection lag p50 (visible to RPC)",
                     percentile(lags, 0.5) * 1000, "ms"),
                 Row("intake→projection lag p99", percentile(lags, 0.99) * 1000, "ms",
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
