"""One system, one broker state: a system stopped while reporting was behind leaves events
queued on its broker; after its var/ is removed, the next start (on the same broker, as
`make run` chooses the vhost: scripts/broker_state.py) counts only its own cases."""

import shutil
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy

from scripts.broker_state import Management, amqp_uri_for
from services.cases import demo as cases_demo
from services.teams import demo as teams_demo
from tests.support.chaos import ProcessSystem

pytestmark = pytest.mark.e2e
ACTOR = {"username": "e2e", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "LEGACY", "team_id": None}
YEAR = 2024
WAIT = 45  # seconds: a busy 2-core machine


@pytest.fixture
def broker(request):
    """The base AMQP URI and the management API; deletes every vhost the test made."""
    base = request.config.getoption("RABBIT_AMQP_URI")
    ctl = urlparse(request.config.getoption("RABBIT_API_URI"))
    api = Management(base, f"http://{ctl.hostname}:{ctl.port}")
    made: list[str] = []
    yield base, api, made
    for vhost in made:
        requests.delete(f"{api.url}/api/vhosts/{quote(vhost, safe='')}", auth=api.auth, timeout=10)


@contextmanager
def started(var: Path, broker, log_dir: Path):
    base, api, made = broker
    var.mkdir(exist_ok=True)
    amqp_uri = amqp_uri_for(var, base, api.url)  # what `make run` does for its var/
    made.append(urlparse(amqp_uri).path.lstrip("/"))
    system = ProcessSystem(amqp_uri, {s: f"sqlite:///{var}/{s}.db"
                                      for s in ("teams", "cases", "reporting")}, log_dir)
    try:
        system.start(timeout=90)
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=60) as rpc:
            yield system, rpc
    finally:
        system.stop()


def submit_cases(rpc, count: int, seed: int) -> tuple[str, int]:
    """One new team and `count` cases of YEAR in its commune: (commune code, cases stored)."""
    commune = rpc.teams.list_units("COMMUNE", None, "LEGACY")[0]
    [team_id] = rpc.teams.import_teams(
        [teams_demo.Generator(seed=seed).team(commune, f"Thôn {seed}", False)], ACTOR)
    deadline = time.monotonic() + WAIT
    while not (known := [t for t in rpc.cases.directory_teams()
                         if t["team_id"] == team_id and t["mediator_ids"]]):
        assert time.monotonic() < deadline, "cases did not learn of the team in time"
        time.sleep(0.5)
    generator = cases_demo.Generator(known, datetime.now(UTC), seed=seed)
    planned = [case for case in (generator.case(YEAR, n) for n in range(count)) if case]
    stored = [r for r in rpc.cases.submit_cases(planned, ACTOR) if "case" in r]
    return commune["code"], len(stored)


def queued_for_reporting(api: Management, vhost: str) -> int:
    queues = requests.get(f"{api.url}/api/queues/{quote(vhost, safe='')}", auth=api.auth,
                          timeout=10).json()
    return sum(q.get("messages", 0) for q in queues if "reporting" in q["name"])


def wait_for(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.5)
    return value


def test_a_fresh_var_never_receives_events_an_earlier_run_left_behind(broker, tmp_path):
    _, api, made = broker
    var = tmp_path / "var"
    with started(var, broker, tmp_path) as (system, rpc):
        system.kill("reporting")  # reporting falls behind: its queues keep what comes
        _, left = submit_cases(rpc, 60, seed=1)
        wait_for(lambda: queued_for_reporting(api, made[0]) >= left,
                 "the cases' events did not queue up for reporting")
    shutil.rmtree(var)

    with started(var, broker, tmp_path) as (system, rpc):
        assert made[1] != made[0]
        assert made[0] not in api.vhosts_described(
            f"hoagiai make run, var/ at {var.resolve()}")  # the stale one is gone
        commune, new = submit_cases(rpc, 12, seed=2)
        assert new > 0

        def settled():
            counted = rpc.reporting.success_rate(commune, YEAR, "LEGACY")["received"]
            return queued_for_reporting(api, made[1]) == 0 and counted >= new and counted
        assert wait_for(settled, "reporting did not count the new cases") == new
        recount = rpc.cases.list_cases(unit_code=commune, geo_version="LEGACY")["total_count"]
        assert recount == new


def test_a_var_keeps_its_vhost_across_restarts_and_another_var_gets_its_own(broker, tmp_path):
    base, api, made = broker
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    uri = amqp_uri_for(first, base, api.url)
    made.append(urlparse(uri).path.lstrip("/"))
    assert amqp_uri_for(first, base, api.url) == uri  # a restart finds its queues again
    other = amqp_uri_for(second, base, api.url)
    made.append(urlparse(other).path.lstrip("/"))
    assert other != uri and urlparse(other).netloc == urlparse(base).netloc
    assert made[0] in api.vhosts_described(f"hoagiai make run, var/ at {first.resolve()}")
