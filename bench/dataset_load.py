"""How a benchmark data set is built: through the services, as officers' apps would.

On a fresh vhost, teams, two cases processes and the gateway start (not reporting: its
live consumer does ~300-400 events/s, far too slow for millions of events). The demo
registry goes in through `teams.import_teams`; once the cases directory knows every team
(from teams' events), the cases (bench/dataset_cases.py) go in through
`cases.submit_cases`, `CALLERS` batches in flight; a stopped build resumes after the
cases already there. The outbox relays then drain (a copy must not re-publish), and the
reporting database is made by the real rebuild (services/reporting/rebuild.py, as its
CLI runs it: paging `cases.history` and `teams.history` through RPC): that is the
"rebuild from the full history" figure.
"""

import resource
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy.orm import sessionmaker
from tqdm import tqdm

from bench.core import rss_mb
from bench.dataset_cases import BATCH, batch, batch_count
from bench.environment import PG, admin, delete_vhost, fresh_database, vhost_uri
from scripts.system import System
from services.cases import demo as cases_demo
from services.cases.directory import DIRECTORY_EVENTS
from services.teams import demo as teams_demo
from tests.support.ports import free_port

CALLERS = 4  # batches in flight
STARTED = ("teams", "cases", "gateway")
SCALE = {"cases": 2}  # two cases processes: intake is CPU-bound in the service
CHECK_EVERY = 10  # batches between looks at the relay's backlog
VACUUM_EVERY = 100  # batches (25,000 cases) between VACUUM ANALYZE of the cases database
MAX_BACKLOG = 20_000  # events not yet relayed before intake waits for the relay


def build(size: int, teams: int | None, databases: dict[str, str], log_dir: Path) -> dict:
    """Load the set into `databases` (created if absent, so a stopped build resumes);
    returns its figures."""
    started = time.perf_counter()
    vhost = databases["cases"].rsplit("_", 1)[0]
    amqp_uri = vhost_uri(vhost)  # a stopped build's, with its queues, if there is one
    for service in ("teams", "cases"):
        create_database(databases[service])
    fresh_database(databases["reporting"])
    urls = {s: f"{PG}/{name}" for s, name in databases.items()}
    log_dir.mkdir(parents=True, exist_ok=True)
    system = start_system(amqp_uri, urls, log_dir / f"dataset_{size}.log")
    try:
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=600) as rpc:
            load_teams(rpc.teams, teams)
            directory = wait_for_directory(rpc, urls)
            intake = submit_cases(rpc.cases, size, urls)
            drain = drain_outboxes(urls)
            rss = {s: round(max(rss_mb([p]) for p in system.service_pids(s)), 1) for s in STARTED}
            rebuilt = rebuild_reporting(rpc, urls)
    finally:
        system.stop()
    delete_vhost(vhost)  # kept after a failure: its queues hold what a resumed build needs
    seconds = time.perf_counter() - started
    return {"size": size, "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(seconds), "teams": directory["teams"],
            "mediators": directory["mediators"], **intake, **drain,
            "rss_mb_after_load": rss, **rebuilt}


def create_database(name: str) -> None:
    """`name`, unless it exists (a stopped build's, to be finished)."""
    with admin() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')


def start_system(amqp_uri: str, urls: dict[str, str], log_path: Path) -> System:
    ports = {s: free_port() for s in STARTED}
    env = {"AMQP_URI": amqp_uri, "LOG_LEVEL": "WARNING",
           "TEAMS_DATABASE_URL": urls["teams"], "CASES_DATABASE_URL": urls["cases"]}
    env.update({f"{s.upper()}_HTTP_ADDRESS": f"127.0.0.1:{p}" for s, p in ports.items()})
    system = System(env=env, gateway_port=ports["gateway"], services=STARTED, scale=SCALE)
    system.start(timeout=120, log_path=log_path)
    return system


# --- teams ----------------------------------------------------------------------------


def load_teams(teams, limit: int | None) -> None:
    """The demo registry (resumes by itself), or `limit` of its teams spread over the
    province (no pilot, no users): tests build tiny sets with a few teams."""
    if limit is None:
        teams_demo.load_registry(teams)
        return
    planned = teams_demo.plan(teams.list_units("COMMUNE", None, "LEGACY"))
    chosen = planned[::max(1, len(planned) // limit)][:limit]
    have = teams_demo.existing_teams(teams)
    missing = [t for t in chosen if (t["commune_code"], t["name"]) not in have]
    for start in range(0, len(missing), teams_demo.BATCH):
        teams.import_teams(missing[start:start + teams_demo.BATCH], teams_demo.ACTOR)


def wait_for_directory(rpc, urls: dict[str, str], timeout: float = 600.0) -> dict:
    """Until cases has applied every directory event teams has published."""
    types = tuple(DIRECTORY_EVENTS)
    deadline = time.monotonic() + timeout
    while True:
        published = scalar(urls["teams"], "SELECT count(*) FROM outbox WHERE event_type IN %s "
                           "AND sent_at IS NOT NULL", (types,))
        applied = scalar(urls["cases"], "SELECT count(*) FROM processed_events "
                         "WHERE event_type IN %s", (types,))
        if published and applied >= published and not pending(urls["teams"]):
            return rpc.cases.directory_stats()
        if time.monotonic() > deadline:
            raise TimeoutError(f"the cases directory applied {applied} of {published} events")
        time.sleep(0.5)


# --- cases ----------------------------------------------------------------------------


def submit_cases(cases, size: int, urls: dict[str, str]) -> dict:
    """Every batch through `submit_cases`, `CALLERS` in flight; resumes after the cases
    already there (a few batches early: the idempotency keys make repeats harmless).
    Holds back while the relay is far behind, and vacuums now and then (see `upkeep`)."""
    teams = cases.directory_teams()
    count = cases.list_cases(first=1)["total_count"]
    first = max(0, count // BATCH - CALLERS)
    batches = range(first, batch_count(size))
    refused, errors, in_flight, paused = 0, [], [], {"relay": 0.0, "vacuum": 0.0}
    started = time.perf_counter()
    with tqdm(total=size, initial=first * BATCH, desc="cases: submit_cases", unit="case",
              mininterval=2, smoothing=0.05) as bar:
        for index in batches:
            if index > first and index % CHECK_EVERY == 0:
                upkeep(urls["cases"], index, paused, bar)
            in_flight.append((index, cases.submit_cases.call_async(batch(teams, index, size),
                                                                   cases_demo.ACTOR)))
            if len(in_flight) >= CALLERS:
                refused += settle(in_flight.pop(0), bar, errors)
        for item in in_flight:
            refused += settle(item, bar, errors)
    seconds = time.perf_counter() - started
    submitted = size - first * BATCH
    if errors:
        print(f"cases: {refused} refused, e.g. {errors[0]}", flush=True)
    return {"cases": cases.list_cases(first=1)["total_count"], "refused": refused,
            "submitted_now": submitted, "intake_seconds": round(seconds, 1),
            "intake_cases_per_second": round(submitted / seconds, 1),
            "relay_wait_seconds": round(paused["relay"]),
            "vacuum_seconds": round(paused["vacuum"])}


def upkeep(url: str, index: int, paused: dict, bar) -> None:
    """Keep the cases database as a live one would be. VACUUM ANALYZE every
    `VACUUM_EVERY` batches: autovacuum may be off (it is on this machine's server), and
    with statistics of a near-empty outbox the relay's query scans every row already
    sent (1.4 s per 200 events at 900k rows). And wait while more than `MAX_BACKLOG`
    events are not relayed yet (down to half): a deep backlog slows the relay further,
    and the final drain would take that much longer."""
    if index % VACUUM_EVERY == 0:
        bar.set_postfix_str("VACUUM ANALYZE")
        began = time.perf_counter()
        maintenance(url, "VACUUM ANALYZE")
        paused["vacuum"] += time.perf_counter() - began
    if (left := pending(url)) > MAX_BACKLOG:
        began = time.perf_counter()
        while left > MAX_BACKLOG // 2:
            bar.set_postfix_str(f"waiting for the relay: {left} events")
            time.sleep(1.0)
            left = pending(url)
        paused["relay"] += time.perf_counter() - began
    bar.set_postfix_str("")


def maintenance(url: str, sql: str) -> None:
    connection = psycopg2.connect(url)
    connection.autocommit = True  # VACUUM cannot run in a transaction
    try:
        connection.cursor().execute(sql)
    finally:
        connection.close()


def settle(item, bar, errors: list) -> int:
    _, reply = item
    results = reply.result()
    bar.update(len(results))
    failed = [r["error"] for r in results if "error" in r]
    errors += failed[:1]
    return len(failed)


# --- outbox and reporting ---------------------------------------------------------------


def scalar(url: str, sql: str, args: tuple = ()):
    """One value, read straight from a service's database (to know when to go on)."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def pending(url: str) -> int:
    """Outbox rows the relay has not published yet."""
    return scalar(url, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")


def drain_outboxes(urls: dict[str, str], quiet: float = 2.0) -> dict:
    """Wait for the relays to publish everything (else every copy would re-publish it),
    and for `quiet` seconds with nothing new (the overdue timer may still add events)."""
    started, left = time.perf_counter(), pending(urls["cases"])
    with tqdm(total=left, desc="cases: outbox relay", unit="event", mininterval=2) as bar:
        calm_since = None
        while True:
            now_left = pending(urls["cases"]) + pending(urls["teams"])
            bar.update(max(0, left - now_left))
            left = now_left
            if left:
                calm_since = None
            elif calm_since is None:
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since >= quiet:
                break
            time.sleep(0.5)
    return {"drain_seconds": round(time.perf_counter() - started - quiet, 1)}


def rebuild_reporting(rpc, urls: dict[str, str]) -> dict:
    """The reporting database from the full history, by the rebuild its CLI runs."""
    from services.common.config import load_config
    from services.common.db import make_engine, migrate
    from services.reporting.rebuild import rebuild
    from services.reporting.settings import projection_settings

    migrate("reporting", urls["reporting"])
    engine = make_engine(urls["reporting"])
    projector, hot = projection_settings(load_config("reporting"))
    total = sum(max_seq(urls[s]) for s in ("teams", "cases"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def history(source: str, after: int, limit: int) -> dict:
        return getattr(rpc, source).history(after=after, limit=limit)

    try:
        with tqdm(total=total, desc="reporting: rebuild", unit="event", mininterval=2) as bar:
            result = rebuild(sessionmaker(engine, expire_on_commit=False), projector, hot,
                             history, bar.update)
    finally:
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"events": result["events"], "rebuild_seconds": result["seconds"],
            "rebuild_events_per_second": result["events_per_second"],
            "rebuild_peak_rss_mb": round(max(peak, before) / 1024, 1),
            "projected_cases": result["cases"]}


def max_seq(url: str) -> int:
    return scalar(url, "SELECT coalesce(max(seq), 0) FROM outbox")
