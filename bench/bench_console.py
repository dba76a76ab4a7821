"""The officers' console (issue 18): the province dashboard in Chromium, from navigation
to figures drawn, next to the sum of its GraphQL requests' server times (the part the
browser cannot make faster), and how many requests it makes."""

import json
import subprocess
import sys
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

from bench.core import Context, Row

ROOT = Path(__file__).resolve().parents[1]
USER = {"username": "bench.console", "password": "bench-pass", "role": "PROVINCE_OFFICER",
        "scope_code": "20", "scope_version": "V2025", "team_id": None}
ACTOR = {"username": "bench", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "LEGACY", "team_id": None}


def run(ctx: Context) -> list[Row]:
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}, timeout=60) as rpc:
        rpc.teams.create_users([USER], True, ACTOR)
    console = ctx.gateway_url.rsplit("/graphql", 1)[0] + "/"
    done = subprocess.run([sys.executable, "-m", "bench.console_dashboard", console,
                           USER["username"], USER["password"]],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(f"console dashboard probe failed: {done.stderr[-2000:]}")
    seen = json.loads(done.stdout)
    return [
        Row("console: GraphQL server time of the province dashboard", seen["server_ms"],
            "ms"),
        Row("console: province dashboard, navigation to figures drawn", seen["ms"], "ms",
            baseline=seen["server_ms"], target="<=1000"),
        Row("console: GraphQL requests of the province dashboard", seen["requests"],
            "requests", target="<=5"),
    ]
