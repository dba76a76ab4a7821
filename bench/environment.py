"""An isolated place for a benchmark run: its own vhost, databases and ports."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import requests

from scripts.system import ROOT, SERVICES, System
from tests.support.ports import free_port

AMQP = os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")
RABBIT_API = os.environ.get("RABBIT_CTL_URI", "http://guest:guest@127.0.0.1:15672")
PG = os.environ.get("HOAGIAI_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
# HOAGIAI_BENCH_ID keeps benchmark runs on one machine apart (vhost and databases).
RUN_ID = os.environ.get("HOAGIAI_BENCH_ID", "")
VHOST = f"hoagiai_bench{RUN_ID}"


def bench_amqp_uri() -> str:
    """A fresh vhost, so a running `make run` never competes for our messages."""
    delete_vhost(VHOST)
    return vhost_uri(VHOST)


def vhost_uri(vhost: str) -> str:
    """`vhost` (created if absent, with its queues if present) and its AMQP URI."""
    requests.put(f"{RABBIT_API}/api/vhosts/{vhost}", timeout=10).raise_for_status()
    requests.put(f"{RABBIT_API}/api/permissions/{vhost}/guest", timeout=10,
                 json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()
    return AMQP.rsplit("/", 1)[0] + f"/{vhost}"


def delete_vhost(vhost: str) -> None:
    requests.delete(f"{RABBIT_API}/api/vhosts/{vhost}", timeout=10)


@contextmanager
def admin():
    """A cursor on the server's `postgres` database, outside any transaction."""
    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    try:
        yield connection.cursor()
    finally:
        connection.close()


def fresh_database(name: str, template: str | None = None) -> str:
    """An empty database, or a copy of `template` (a cached data set: FILE_COPY copies
    its files after one checkpoint, much faster than WAL-logging gigabytes)."""
    with admin() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        cursor.execute(f'CREATE DATABASE "{name}"{copy}')
    return f"{PG}/{name}"


def drop_database(name: str) -> None:
    with admin() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_system(amqp_uri: str, log_dir: Path, dataset: dict[str, str] | None = None,
                   label: str = "", **settings: str):
    """The four services on fresh databases, or on copies of a data set's templates
    (`dataset`: service → template database, see bench/dataset.py); their migrations
    then find themselves at head. `label` names a second system's databases apart;
    `settings` are more environment variables for the services."""
    ports = {service: free_port() for service in SERVICES}
    # No rate limit: the benchmark is one caller driving the gateway as hard as it can.
    # The data sets hold cases closed in 2021: the retention job would erase them at the
    # start, beside the first benchmarks (their CPU per intake counted its work).
    env = {"AMQP_URI": amqp_uri, "LOG_LEVEL": "WARNING", "GATEWAY_RATE_PER_SECOND": "0",
           "PERSONAL_DATA_RETENTION_YEARS": "100", **settings}
    for service, port in ports.items():
        env[f"{service.upper()}_HTTP_ADDRESS"] = f"127.0.0.1:{port}"
        if service != "gateway":
            database = fresh_database(f"hoagiai_bench{RUN_ID}{label}_{service}",
                                      (dataset or {}).get(service))
            env[f"{service.upper()}_DATABASE_URL"] = database
    system = System(env=env, gateway_port=ports["gateway"])
    system.start(timeout=120, log_path=log_dir / "services.log")
    system.ports = ports
    try:
        yield system
    finally:
        system.stop()
        if dataset or label:  # copies of gigabytes, or a side system: not left behind
            for service in (s for s in SERVICES if s != "gateway"):
                drop_database(f"hoagiai_bench{RUN_ID}{label}_{service}")


@contextmanager
def running_baseline(amqp_uri: str, log_dir: Path):
    env = {**os.environ, "AMQP_URI": amqp_uri, "PYTHONPATH": str(ROOT),
           "BENCH_DATABASE_URL": fresh_database(f"hoagiai_bench{RUN_ID}_baseline")}
    with (log_dir / "baseline.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "nameko", "run", "--broker", amqp_uri, "bench.baseline"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        time.sleep(1.5)
        yield
    finally:
        process.terminate()
        process.wait(15)
