"""Case list pages at any size (issue 22): a 100-case page of the big set next to the same
page of the 10k set (keyset pages, counters: services/cases/paging.py, counts.py), and
the raw RPC page rate. The gateway's page next to ping: bench/bench_gateway.py."""

from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy.orm import sessionmaker

from bench.bench_reporting import latency_ms
from bench.core import Context, Row, rate
from bench.environment import RUN_ID, drop_database, fresh_database
from services.cases import queries
from services.common.db import make_engine

DEEP = 20  # pages walked before the deep page


def pages(session) -> list[dict]:
    """The filters of the mix: the province (first page and one `DEEP` pages in), the
    V2025 commune with the most cases, with its commonest status, and that commune's
    busiest team."""
    first = queries.list_cases(session, first=100)
    after = first["end_cursor"]
    for _ in range(DEEP):
        after = queries.list_cases(session, first=100, after=after)["end_cursor"]
    case = first["items"][0]
    commune = {"unit_code": case["v2025_code"], "geo_version": "V2025"}
    return [{}, {"after": after}, commune, {**commune, "status": case["status"]},
            {"team_id": case["team_id"]}]


def page_mix_ms(url: str) -> tuple[float, int]:
    """Mean in-process latency of a 100-case page over the mix (one transaction each, as
    the RPC reads it), and how many cases the set holds."""
    engine = make_engine(url)
    sessions = sessionmaker(engine)
    try:
        with sessions.begin() as session:
            mix = pages(session)
            total = queries.list_cases(session, first=1)["total_count"]

        def one_round() -> None:
            for filters in mix:
                with sessions.begin() as session:
                    queries.list_cases(session, first=100, **filters)

        return latency_ms(one_round, rounds=7, calls=6) / len(mix), total
    finally:
        engine.dispose()


def run(ctx: Context) -> list[Row]:
    small = ctx.datasets["small"]
    name = f"hoagiai_bench{RUN_ID}_cases_small"
    small_url = fresh_database(name, small.templates["cases"])
    try:
        at_small, n_small = page_mix_ms(small_url)
    finally:
        drop_database(name)
    at_big, n_big = page_mix_ms(ctx.system.env["CASES_DATABASE_URL"])
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=60) as rpc:
        raw = ctx.baselines.get("raw_rpc") or rate(rpc.bench_ping.ping, ctx.seconds)
        raw_page = rate(lambda: rpc.cases.list_cases(first=100), ctx.seconds, warmup=3)
    return [
        Row(f"case page of 100 (5 filters), {n_small // 1000}k cases, in-proc", at_small,
            "ms"),
        Row(f"case page of 100 (5 filters), {n_big // 1000}k cases, in-proc", at_big, "ms",
            baseline=at_small, target="<=1.5x"),
        Row(f"raw RPC: cases.list_cases(first=100), province, {n_big // 1000}k cases",
            raw_page, "pages/s", baseline=raw),
    ]
