"""teams: batch import throughput and the reads the gateway's lists use."""

import time
import uuid

from nameko.standalone.rpc import ClusterRpcProxy

from bench.core import Context, Row, rate
from services.teams import demo, geography

ACTOR = {"username": "bench", "role": "PROVINCE_OFFICER"}


def run(ctx: Context) -> list[Row]:
    communes = [u for u in geography.read()["layouts"]["LEGACY"] if u["level"] == "COMMUNE"]
    batch = demo.plan(communes, seed=uuid.uuid4().int % 10_000)[:100]
    for team in batch:  # fresh citizen ids, so a rerun does not collide with the demo
        for m in team["mediators"]:
            m["citizen_id"] = str(uuid.uuid4().int)[:12]
    raw = ctx.baselines.get("raw_rpc")
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=120) as rpc:
        teams = rpc.teams
        started = time.perf_counter()
        ids = teams.import_teams(batch, ACTOR)
        imported = len(ids) / (time.perf_counter() - started)
        page = ids[:20]
        username = f"bench.{uuid.uuid4().hex[:8]}"
        teams.create_user({"username": username, "password": "bench-pw", "role": "VIEWER"},
                          ACTOR)
        rows = [
            Row("teams import_teams (100 teams, ~620 mediators)", imported, "teams/s",
                target=">=50"),
            Row("teams get_teams(20 ids)", rate(lambda: teams.get_teams(page), ctx.seconds),
                "calls/s", baseline=raw),
            Row("teams list_teams(first=20)", rate(lambda: teams.list_teams(first=20),
                                                   ctx.seconds), "calls/s", baseline=raw),
            Row("teams list_mediators(20 teams)",
                rate(lambda: teams.list_mediators(page), ctx.seconds), "calls/s", baseline=raw),
            Row("teams verify_credentials (argon2)",
                rate(lambda: teams.verify_credentials(username, "bench-pw"), ctx.seconds,
                     warmup=3), "calls/s"),
        ]
    return rows
