"""The first run: what `make run` does on a fresh `var/` with the venv present (the four
services on new SQLite files, the demo data through the services, then reporting's
figures built in bulk), timed until the public `pipeline { caughtUp }` says the figures
are complete. A system of its own (vhost, ports, var dir), beside the benchmarked one.

Full run only (it takes minutes; `--quick` skips it). On its own:

    HOAGIAI_BENCH_ID=_me .venv/bin/python -m bench.bench_first_run
"""

import shutil
import time
from pathlib import Path

from bench.core import Context, GraphQLClient, Row
from bench.environment import RUN_ID, delete_vhost, vhost_uri
from scripts import demo
from scripts.system import SERVICES, System
from tests.support.ports import free_port

VAR = Path("var/bench/first_run")
PIPELINE = "{ pipeline { caughtUp pendingEvents } }"


def run(ctx: Context) -> list[Row]:
    if ctx.quick:
        return []
    return first_run()


def first_run(var: Path = VAR) -> list[Row]:
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    vhost = f"hoagiai_bench{RUN_ID}_first_run"
    delete_vhost(vhost)
    amqp_uri = vhost_uri(vhost)
    ports = {service: free_port() for service in SERVICES}
    env = {"AMQP_URI": amqp_uri, "LOG_LEVEL": "WARNING"}
    for service, port in ports.items():
        env[f"{service.upper()}_HTTP_ADDRESS"] = f"127.0.0.1:{port}"
        if service != "gateway":  # as `make run`: sqlite:///var/<service>.db
            env[f"{service.upper()}_DATABASE_URL"] = f"sqlite:///{var.resolve()}/{service}.db"
    system = System(env=env, gateway_port=ports["gateway"])
    marks = {}
    started = time.monotonic()
    try:
        system.start(timeout=300, log_path=var / "services.log")
        marks["services up"] = time.monotonic()
        demo.defer_projections(amqp_uri)
        demo.load(amqp_uri, markers=var / "demo")
        marks["demo data loaded"] = time.monotonic()
        demo.build_projections(amqp_uri)
        wait_caught_up(system.url)
        marks["figures complete"] = time.monotonic()
    finally:
        system.stop()
        delete_vhost(vhost)
    minutes = {name: (at - started) / 60 for name, at in marks.items()}
    return [Row("first run (make run, venv present): services up", minutes["services up"],
                "min"),
            Row("first run: demo data loaded", minutes["demo data loaded"], "min"),
            Row("first run: figures complete (pipeline caughtUp)",
                minutes["figures complete"], "min", target="<=3")]


def wait_caught_up(url: str, timeout: float = 1800) -> None:
    client, deadline = GraphQLClient(url), time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.post(PIPELINE)["data"]["pipeline"]["caughtUp"]:
            return
        time.sleep(1)
    raise TimeoutError("the figures were not complete in time")


if __name__ == "__main__":
    for row in first_run():
        print(f"{row.figure:<60} {row.value:6.1f} {row.unit} {row.target}")
