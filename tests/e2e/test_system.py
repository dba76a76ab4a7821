"""The four services as separate processes, as `make run` starts them (on its SQLite
files where the database matters, and on PostgreSQL)."""

import os
import signal
import time
from pathlib import Path

import pytest
import requests

from scripts.system import SERVICES
from tests.support.system import BACKENDS

pytestmark = pytest.mark.e2e
on_both_backends = pytest.mark.parametrize("system", BACKENDS, indirect=True)


@on_both_backends
def test_gateway_reports_every_backend_up(system):
    assert system.health() == {"cases": "up", "teams": "up", "reporting": "up"}


def test_graphql_over_get_and_status_codes(system):
    get = requests.get(system.url, params={"query": "{ health { service } }"}, timeout=5)
    assert get.status_code == 200 and len(get.json()["data"]["health"]) == 3
    mutation_over_get = requests.get(system.url, params={"query": "mutation { x }"}, timeout=5)
    assert mutation_over_get.status_code in (400, 405)
    not_json = requests.post(system.url, data="{", timeout=5,
                             headers={"content-type": "application/json"})
    assert not_json.status_code == 400
    spec = requests.post(system.url, json={"query": "{ nope }"}, timeout=5,
                         headers={"accept": "application/graphql-response+json"})
    assert spec.status_code == 400
    assert spec.headers["content-type"].startswith("application/graphql-response+json")


def test_a_killed_backend_shows_down_within_five_seconds(system):
    """The gateway remembers each answer for a second (down within 1 s + the timeout;
    tests/unit/gateway/test_health_answers.py): the readiness poll's answer is let expire
    first, since honcho stops the whole system soon after one service dies."""
    time.sleep(1.1)
    for pid in system.service_pids("reporting"):
        os.kill(pid, signal.SIGKILL)
    started = time.monotonic()
    health = system.health()
    assert time.monotonic() - started < 5
    assert health == {"cases": "up", "teams": "up", "reporting": "down"}


@on_both_backends
def test_sigterm_stops_every_service_within_ten_seconds(system):
    pids = [pid for s in SERVICES for pid in system.service_pids(s)]
    assert len(pids) >= 4
    started = time.monotonic()
    system.stop()
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    assert [pid for pid in pids if alive(pid)] == []


def alive(pid: int) -> bool:
    try:
        return b"zombie" not in Path(f"/proc/{pid}/status").read_bytes()
    except FileNotFoundError:
        return False
