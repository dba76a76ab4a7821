"""Where the CPU of one `submitCase` through the gateway goes: a system on the cached
1000-case data set, one client sending submitCase, each process's CPU per intake (bench/cpu.py)
and, with py-spy, the functions that hold each service's samples.

    HOAGIAI_BENCH_ID=_prof .venv/bin/python -m bench.profile_gateway_intake [seconds]

Prints, per process, CPU ms per intake and the top functions by inclusive share of its
samples (idle frames, eventlet's hub waiting, left out).
"""

import collections
import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from nameko.standalone.rpc import ClusterRpcProxy

from bench import cpu, dataset
from bench.bench_cases import OFFICER, payloads, real_team, submit
from bench.bench_gateway import login
from bench.core import GraphQLClient
from bench.environment import RUN_ID, bench_amqp_uri, running_system
from scripts.system import SERVICES

OUT = Path("var/bench")
IDLE = ("epoll", "select.select", "hub.py", "wait (threading", "_recv_loop")


def top_functions(raw: Path, count: int = 45) -> list[tuple[float, str]]:
    """(share of the non-idle samples, function) by inclusive samples."""
    inclusive, total = collections.Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or any(mark in stack.split(";")[-1] for mark in IDLE):
            continue
        total += int(samples)
        for frame in set(stack.split(";")):
            inclusive[frame] += int(samples)
    return [(n / max(total, 1), frame) for frame, n in inclusive.most_common(count + 8)
            if "<module>" not in frame and "run (" not in frame][:count]


def main(seconds: float = 10.0) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = dataset.ensure(1000, log_dir=OUT)  # the demo's registry, few cases
    amqp_uri = bench_amqp_uri()  # a fresh vhost: ask once
    with running_system(amqp_uri, OUT, data.templates) as system, \
            ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=60) as cluster:
        cases = payloads(real_team(cluster))
        client = GraphQLClient(system.url, login(requests.Session(), system.url, OFFICER))
        for _ in range(50):
            submit(client, cases)
        groups = {s: system.service_pids(s) for s in SERVICES}
        groups["client"] = [os.getpid()]
        groups["broker"] = cpu.pids_running("beam.smp")
        groups["PostgreSQL"] = cpu.database_backends(
            [f"hoagiai_bench{RUN_ID}_{s}" for s in SERVICES if s != "gateway"])
        count, ms = cpu.per_call(groups, lambda: submit(client, cases), seconds)
        print(f"{count / seconds:.0f} submitCase/s; CPU ms per intake: "
              + ", ".join(f"{g} {v:.2f}" for g, v in ms.items()), flush=True)
        spy_on(system, lambda: submit(client, cases), seconds)


def spy_on(system, call, seconds: float) -> None:
    """py-spy on each service process while `call` runs; raw profiles stay in
    var/bench/profile/ (for flame graphs), the top functions are printed."""
    directory = OUT / "profile"
    directory.mkdir(exist_ok=True)
    spies = {}
    for service in ("cases", "gateway", "reporting"):
        for pid in system.service_pids(service):
            out = directory / f"{service}-{pid}.txt"
            out.unlink(missing_ok=True)
            spies[out] = subprocess.Popen(
                [str(Path(sys.executable).parent / "py-spy"), "record", "--nonblocking",
                 "--format", "raw", "-d", str(int(seconds)), "-o", str(out), "-p", str(pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop = time.perf_counter() + seconds + 1
    while time.perf_counter() < stop:
        call()
    for out, spy in spies.items():
        spy.wait()
        if out.exists():  # not for a process that is no Python (a launcher)
            print(f"\n== {out.stem}")
            for share, frame in top_functions(out):
                print(f"  {share:6.1%}  {frame[:150]}")

if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:2]))
