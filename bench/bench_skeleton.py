"""Baseline (raw nameko RPC) and the gateway's health query."""

import requests
from nameko.standalone.rpc import ClusterRpcProxy

from bench.core import Context, Row, rate


def run(ctx: Context) -> list[Row]:
    with ClusterRpcProxy({"AMQP_URI": ctx.amqp_uri}) as cluster:
        raw = rate(cluster.bench_ping.ping, ctx.seconds)
    ctx.baselines["raw_rpc"] = raw
    session = requests.Session()
    body = {"query": "{ health { service status } }"}
    health = rate(lambda: session.post(ctx.gateway_url, json=body, timeout=10).raise_for_status(),
                  ctx.seconds)
    return [
        Row("raw nameko RPC ping (baseline)", raw, "calls/s"),
        Row("gateway health query (3 RPCs, answers up to 1 s old)", health, "req/s", baseline=raw,
            target=">=0.4x"),  # issue 22
    ]
