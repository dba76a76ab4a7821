"""teams: batch import throughput and the reads the gateway's lists use."""

import contextlib
import threading
import time
import uuid

from nameko.standalone.rpc import ClusterRpcProxy

from bench.core import ROUNDS, Context, Row, median_round, rate
from services.common.errors import TooManyAttempts, Unauthenticated
from services.teams import demo, geography

ACTOR = {"username": "bench", "role": "PROVINCE_OFFICER"}


def run(ctx: Context) -> list[Row]:
    communes = [u for u in geography.read()["layouts"]["LEGACY"] if u["level"] == "COMMUNE"]
    batch = demo.plan(communes, seed=uuid.uuid4().int % 10_000)[:100]
    for team in batch:  # fresh citizen ids, so a rerun does not collide with the demo
        for m in team["mediators"]:
            m["citizen_id"] = str(uuid.uuid4().int)[:12]
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=120) as rpc:
        teams = rpc.teams
        started = time.perf_counter()
        ids = teams.import_teams(batch, ACTOR)
        imported = len(ids) / (time.perf_counter() - started)
        page = ids[:20]
        username = f"bench.{uuid.uuid4().hex[:8]}"
        teams.create_user({"username": username, "password": "bench-pw", "role": "VIEWER"},
                          ACTOR)
        wait_until_digested(rpc)

        def beside_ping(name: str, read) -> Row:
            """A read's rate next to a ping measured just before it (the system idle);
            issue 22's target, in interleaved rounds (`median_round`)."""

            def pair(i: int) -> tuple[float, float]:
                warmup = 20 if i == 0 else 0
                ping = rate(rpc.bench_ping.ping, ctx.seconds / 2 / ROUNDS, warmup)
                return rate(read, ctx.seconds / ROUNDS, warmup), ping

            value, ping = median_round(pair)
            return Row(name, value, "calls/s", baseline=ping, target=">=0.4x")

        rows = [
            Row("teams import_teams (100 teams, ~620 mediators)", imported, "teams/s",
                target=">=50"),
            beside_ping("teams get_teams(20 ids)", lambda: teams.get_teams(page)),
            beside_ping("teams list_teams(first=20)", lambda: teams.list_teams(first=20)),
            # as the console's intake, dashboard and reports read teams (no totalCount)
            beside_ping("teams list_teams(first=20), no count",
                        lambda: teams.list_teams(first=20, count=False)),
            beside_ping("teams list_mediators(20 teams)", lambda: teams.list_mediators(page)),
            Row("teams verify_credentials (argon2)",
                rate(lambda: teams.verify_credentials(username, "bench-pw"), ctx.seconds,
                     warmup=3), "calls/s"),
            *login_rows(ctx, teams, page),
        ]
    return rows


def wait_until_digested(rpc, timeout: float = 180) -> None:
    """Until reporting has applied every event the import raised (≈ 720): reads measured
    while cases and reporting digest them shared the two cores with that work."""
    deadline = time.monotonic() + timeout
    while not rpc.reporting.pipeline()["caught_up"]:
        if time.monotonic() > deadline:
            raise RuntimeError("reporting did not catch up with the import in time")
        time.sleep(0.5)


def login_rows(ctx: Context, teams, page: list[str]) -> list[Row]:
    """A refused (throttled) login's time, and get_teams' p99 during a burst of wrong
    logins (each an argon2 check of an unknown user) next to its p99 without one."""
    victim = f"bench.{uuid.uuid4().hex[:8]}"
    for _ in range(5):  # the throttle's limit of failures (LOGIN_MAX_FAILURES_PER_USER)
        _attempt(teams, victim)
    refused = rate(lambda: _attempt(teams, victim, TooManyAttempts), ctx.seconds, warmup=3)
    quiet = _p99_ms(lambda: teams.get_teams(page), ctx.seconds)
    stop = threading.Event()
    flood = [threading.Thread(target=_wrong_logins, args=(ctx.amqp_uri, stop))
             for _ in range(4)]
    for thread in flood:
        thread.start()
    try:
        loaded = _p99_ms(lambda: teams.get_teams(page), ctx.seconds)
    finally:
        stop.set()
        for thread in flood:
            thread.join()
    return [Row("teams refused login while throttled (no argon2)", 1000 / refused, "ms"),
            Row("teams get_teams(20 ids) p99, no logins", quiet, "ms"),
            Row("teams get_teams(20 ids) p99 during a burst of wrong logins", loaded, "ms",
                baseline=quiet)]


def _attempt(teams, username: str, expected=Unauthenticated) -> None:
    try:
        teams.verify_credentials(username, "wrong")
    except expected:
        return
    raise RuntimeError(f"a login of {username} was not refused with {expected.__name__}")


def _wrong_logins(amqp_uri: str, stop: threading.Event) -> None:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=60) as rpc:
        while not stop.is_set():
            with contextlib.suppress(Unauthenticated, TooManyAttempts):
                rpc.teams.verify_credentials(f"nobody.{uuid.uuid4().hex[:8]}", "wrong")


def _p99_ms(fn, seconds: float) -> float:
    took, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        fn()
        took.append(time.perf_counter() - started)
    took.sort()
    return took[min(len(took) - 1, int(0.99 * len(took)))] * 1000
