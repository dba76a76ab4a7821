"""`make bench`: every benchmark in one run, each figure next to its same-run baseline.

Prints one table and writes var/bench/results.json (and the previous run's file is kept
as results.prev.json for comparison).
"""

import argparse
import json
import time
from pathlib import Path

import requests
from nameko.standalone.rpc import ClusterRpcProxy

from bench.environment import bench_amqp_uri, running_baseline, running_system

OUT = Path("var/bench")


def rate(fn, seconds: float) -> float:
    """Calls per second of `fn` over about `seconds` (after a short warm-up)."""
    for _ in range(20):
        fn()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - started)


def raw_rpc_rate(amqp_uri: str, seconds: float) -> float:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}) as cluster:
        return rate(cluster.bench_ping.ping, seconds)


def gateway_health_rate(url: str, seconds: float) -> float:
    session = requests.Session()
    body = {"query": "{ health { service status } }"}
    return rate(lambda: session.post(url, json=body, timeout=10).raise_for_status(), seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else 10.0
    OUT.mkdir(parents=True, exist_ok=True)
    amqp_uri = bench_amqp_uri()
    rows = []
    with running_baseline(amqp_uri, OUT), running_system(amqp_uri, OUT) as system:
        raw = raw_rpc_rate(amqp_uri, seconds)
        rows.append(("raw nameko RPC ping (baseline)", raw, "calls/s", None, None))
        health = gateway_health_rate(system.url, seconds)
        rows.append(("gateway health query over HTTP (3 RPCs)", health, "req/s", raw, None))
    print_table(rows)
    save(rows)


def print_table(rows) -> None:
    print(f"\n{'figure':<46} {'value':>10} {'unit':<8} {'ratio':>7} {'target':>8}")
    for name, value, unit, baseline, target in rows:
        ratio = f"{value / baseline:.2f}x" if baseline else "-"
        print(f"{name:<46} {value:>10.1f} {unit:<8} {ratio:>7} {target or '-':>8}")


def save(rows) -> None:
    results = OUT / "results.json"
    if results.exists():
        results.replace(OUT / "results.prev.json")
    results.write_text(json.dumps([
        {"figure": n, "value": v, "unit": u, "baseline": b, "target": t} for n, v, u, b, t in rows
    ], indent=2))
    print(f"\nresults: {results}")


if __name__ == "__main__":
    main()
