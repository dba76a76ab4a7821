"""A-B of the read paths of issue 22 in one run: two systems side by side on copies of
one small data set, A from another checkout (`--base DIR`, e.g. `git archive integrate |
tar -x -C DIR`), B from this one, measured in interleaved rounds (A B, B A, …), each
figure next to a raw RPC `ping` measured just before it.

    HOAGIAI_BENCH_ID=_me .venv/bin/python -m bench.ab_reads --base /tmp/base --rounds 4

Prints, per round, each figure's ratio to ping and the CPU per call of each process of
its system (bench/cpu.py), then the medians. The data set is the cached 1000-case one
(bench/dataset.py): the teams registry is the demo's whole, the cases do not matter here.
"""

import argparse
import os
import statistics
import time
from contextlib import ExitStack
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

import scripts.system
from bench import cpu, dataset
from bench.core import GraphQLClient
from bench.environment import (
    RUN_ID,
    bench_amqp_uri,
    delete_vhost,
    running_baseline,
    running_system,
    vhost_uri,
)

OUT = Path("var/bench")
OPS = ("health", "get_teams", "list_teams", "list_mediators")


def operations(system, rpc) -> dict:
    teams = rpc.teams
    page = [t["id"] for t in teams.list_teams(first=20)["items"]]
    gql = GraphQLClient(system.url)
    return {"health": lambda: gql.post("{ health { service status } }"),
            "get_teams": lambda: teams.get_teams(page),
            "list_teams": lambda: teams.list_teams(first=20),
            "list_mediators": lambda: teams.list_mediators(page)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="the checkout system A runs from")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--only", default=",".join(OPS))
    args = parser.parse_args()
    ops = args.only.split(",")
    OUT.mkdir(parents=True, exist_ok=True)
    data = dataset.ensure(1000, log_dir=OUT)
    uris = {"A": bench_amqp_uri()}
    delete_vhost(f"hoagiai_bench{RUN_ID}_b")
    uris["B"] = vhost_uri(f"hoagiai_bench{RUN_ID}_b")
    here = scripts.system.ROOT
    with ExitStack() as stack:
        stack.enter_context(running_baseline(uris["A"], OUT))
        systems = {}
        for name, root in (("A", Path(args.base).resolve()), ("B", here)):
            scripts.system.ROOT = root  # System.start runs the Procfile of this checkout
            try:
                systems[name] = stack.enter_context(running_system(
                    uris[name], OUT, data.templates, label=f"_{name.lower()}",
                    PYTHONPATH=str(root)))
            finally:
                scripts.system.ROOT = here
        time.sleep(2)
        ping = stack.enter_context(ClusterRpcProxy({"AMQP_URI": uris["A"]}, timeout=60))
        calls, groups = {}, {}
        for name, system in systems.items():
            rpc = stack.enter_context(ClusterRpcProxy({"AMQP_URI": uris[name]}, timeout=60))
            calls[name] = operations(system, rpc)
            groups[name] = {s: system.service_pids(s) for s in scripts.system.SERVICES}
            groups[name]["client"] = [os.getpid()]
            groups[name]["pg"] = cpu.database_backends(
                [f"hoagiai_bench{RUN_ID}_{name.lower()}_{s}" for s in ("teams", "cases",
                                                                        "reporting")])
        results = {name: {op: [] for op in ops} for name in systems}
        for round_ in range(args.rounds):
            for name in ("AB" if round_ % 2 == 0 else "BA"):
                for op in ops:
                    pings, _ = cpu.per_call({}, ping.bench_ping.ping, args.seconds / 2)
                    ping_rate = pings / (args.seconds / 2)
                    for _ in range(10):  # warm-up
                        calls[name][op]()
                    count, ms = cpu.per_call(groups[name], calls[name][op], args.seconds)
                    ratio = count / args.seconds / ping_rate
                    results[name][op].append((ratio, ms))
                    print(f"round {round_} {name} {op:15s} {ratio:.2f}x of ping "
                          f"({ping_rate:.0f}/s); CPU ms per call: "
                          + " ".join(f"{g}={v:.2f}" for g, v in ms.items() if v > 0.05),
                          flush=True)
    print("medians: ratio to ping [range]; CPU ms per call, all processes of the system")
    for op in ops:
        cells = []
        for name in systems:
            ratios = [r for r, _ in results[name][op]]
            total = statistics.median(sum(ms.values()) for _, ms in results[name][op])
            cells.append(f"{name} {statistics.median(ratios):.2f}x "
                         f"[{min(ratios):.2f}-{max(ratios):.2f}] {total:.2f} ms")
        print(f"{op:15s} " + " | ".join(cells))


if __name__ == "__main__":
    main()
