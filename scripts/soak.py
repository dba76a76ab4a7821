"""A steady mixed load through the gateway for a bounded time (`make soak`,
SOAK_SECONDS, default 600), on a private RabbitMQ node and PostgreSQL cluster.

Prints each service's resident memory at start, after warm-up and at the end, the
growth after warm-up, request counts and errors by code.

    python -m scripts.soak --seconds 180
"""

import eventlet

eventlet.monkey_patch()  # noqa: E402 (nameko's standalone proxy and requests, green)

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402

from scripts.system import SERVICES  # noqa: E402
from tests.support.chaos import ProcessSystem  # noqa: E402
from tests.support.gateway_client import GraphQLClient  # noqa: E402
from tests.support.hostile import SUBMIT, World, build_world  # noqa: E402
from tests.support.private_infra import PrivatePostgres, PrivateRabbit  # noqa: E402

READS = [
    "{ cases(first: 20) { totalCount edges { node { id status team { name } } } } }",
    "{ teams(first: 20) { totalCount edges { node { id name compliant mediators "
    "{ fullName } } } } }",
    "{ me { username role scope { name } } }",
]


def rss_mb(system: ProcessSystem) -> dict[str, float]:
    """Resident memory (VmRSS) of each service's process, in MiB."""
    found = {}
    for service in SERVICES:
        status = Path(f"/proc/{system.processes[service].pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines()
                  if line.startswith("VmRSS:"))
        found[service] = round(kb / 1024, 1)
    return found


def one_request(world: World, outcomes: Counter) -> None:
    token = world.tokens[world.officer]
    if random.random() < 0.3:
        response = world.client.post(SUBMIT, {
            "t": world.team_id, "k": uuid.uuid4().hex, "s": "Tranh chấp đất", "d": "Soak",
            "p1": "Nguyễn Văn A", "a1": "Thôn 3", "p2": "Hoàng Thị B"}, token)
    elif random.random() < 0.2:
        response = world.client.post(
            "query($u: String!) { successRate(unitCode: $u, year: 2026, geoVersion: LEGACY) "
            "{ received rate } }", {"u": world.home["code"]})
    else:
        response = world.client.post(random.choice(READS), token=token)
    if response.status_code >= 500:
        outcomes[f"HTTP {response.status_code}"] += 1
        return
    errors = response.json().get("errors") or []
    for error in errors:
        outcomes[(error.get("extensions") or {}).get("code", "no code")] += 1
    outcomes["ok" if not errors else "with errors"] += 1


def load(world: World, seconds: float, concurrency: int, outcomes: Counter) -> None:
    pool = eventlet.GreenPool(concurrency)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pool.spawn_n(_guarded, world, outcomes)
        eventlet.sleep(1 / (concurrency * 8))
    pool.waitall()


def _guarded(world: World, outcomes: Counter) -> None:
    try:
        one_request(world, outcomes)
    except Exception as exc:  # a failed request is a figure, not the end of the soak
        outcomes[type(exc).__name__] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    warm_up = min(60.0, args.seconds / 5)
    rabbit, postgres = PrivateRabbit(), PrivatePostgres()
    rabbit.start()
    postgres.start()
    system = ProcessSystem(rabbit.amqp_uri,
                           {s: postgres.new_database(s) for s in ("teams", "cases", "reporting")},
                           Path(tempfile.mkdtemp(prefix="hoagiai_soak_")))
    try:
        system.start(timeout=120)
        with ClusterRpcProxy({"AMQP_URI": rabbit.amqp_uri}, timeout=30) as rpc:
            world = build_world(rpc.teams, GraphQLClient(system.url), system.env["JWT_SECRET"])
        figures = {"seconds": args.seconds, "warm_up_s": warm_up, "rss_start_mb": rss_mb(system)}
        outcomes: Counter = Counter()
        load(world, warm_up, args.concurrency, outcomes)
        figures["rss_after_warm_up_mb"] = rss_mb(system)
        started = time.monotonic()
        load(world, args.seconds - warm_up, args.concurrency, outcomes)
        figures["rss_end_mb"] = rss_mb(system)
        figures["requests"] = sum(outcomes[k] for k in ("ok", "with errors"))
        figures["rate_per_s"] = round(figures["requests"] / (time.monotonic() - started
                                                             + warm_up), 1)
        figures["outcomes"] = dict(outcomes)
        figures["growth_after_warm_up_pct"] = {
            s: round(100 * (figures["rss_end_mb"][s] / figures["rss_after_warm_up_mb"][s] - 1), 1)
            for s in SERVICES}
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        errors = {k: v for k, v in outcomes.items() if k not in ("ok", "with errors")}
        return 1 if any(k in errors for k in ("HTTP 500", "INTERNAL_SERVER_ERROR")) else 0
    finally:
        system.stop()
        rabbit.close()
        postgres.close()


if __name__ == "__main__":
    sys.exit(main())
