"""`make run PROMETHEUS=1` / `make prometheus`: a local Prometheus scrapes the four
services, its targets page shows them all up, and what they export is catalogued."""

import os
import signal
import subprocess
import time

import pytest
import requests

from scripts.system import SERVICES
from tests.deploy.metric_names import catalogue, exported_series
from tests.deploy.tools import ROOT, run
from tests.support.ports import free_port

pytestmark = pytest.mark.e2e


@pytest.fixture
def prometheus(system, tmp_path):
    port = free_port()
    env = {**system.env, "PROMETHEUS_PORT": str(port), "PROMETHEUS_DATA": str(tmp_path / "prom")}
    log = (tmp_path / "prometheus.log").open("wb")
    process = subprocess.Popen(["bash", str(ROOT / "scripts" / "prometheus_local.sh"), "run"],
                               env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    yield f"http://127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(15)


def targets(url: str) -> dict[str, str]:
    try:
        active = requests.get(f"{url}/api/v1/targets", timeout=2).json()["data"]["activeTargets"]
    except (requests.RequestException, ValueError, KeyError):
        return {}
    return {target["labels"]["job"]: target["health"] for target in active}


def test_the_targets_page_shows_all_four_services_up(system, prometheus):
    expected = {f"hoagiai-{service}": "up" for service in SERVICES}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and targets(prometheus) != expected:
        time.sleep(1)
    assert targets(prometheus) == expected
    # The targets page a person opens (Debian's build serves only the classic UI).
    pages = [requests.get(f"{prometheus}{path}", timeout=5)
             for path in ("/targets", "/classic/targets")]
    page = next(page for page in pages if page.status_code == 200)
    for job in expected:
        assert job in page.text
    rules = requests.get(f"{prometheus}/api/v1/rules", timeout=5).json()["data"]["groups"]
    assert {group["name"] for group in rules} >= {"hoagiai-platform", "hoagiai-mediation"}

    # Everything hoagiai_* the services export is in the contracts' catalogue.
    names = requests.get(f"{prometheus}/api/v1/label/__name__/values", timeout=5).json()["data"]
    seen = {name for name in names if name.startswith("hoagiai_")}
    assert "hoagiai_entrypoint_requests_total" in seen
    assert seen <= exported_series(), f"not in docs/contracts.md: {seen - exported_series()}"
    assert catalogue()


def test_every_service_metrics_pass_promtool_lint(system, tmp_path):
    for service, port in system.ports.items():
        scrape = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
        assert scrape.status_code == 200, service
        path = tmp_path / f"{service}.prom"
        path.write_text(scrape.text)
        result = subprocess.run(["promtool", "check", "metrics"], input=scrape.text,
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"{service}: {result.stdout}{result.stderr}"
    assert run("promtool", "--version").returncode == 0
