"""Every environment variable a service reads is set for it in compose and in k8s, and each
service starts in production mode with exactly what compose, k8s and `make image-smoke`
give it. When a service starts reading a new variable, add it to x-hoagiai-env in
deploy/compose.yaml and to deploy/k8s/config.yaml (or secrets.yaml)."""

import os
import secrets
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.deploy.tools import (
    DB_SERVICES,
    ROOT,
    SERVICES,
    VENV_BIN,
    compose_environment,
    env_vars_read,
    image_environment,
    k8s_environment,
    smoke_environment,
)
from tests.support.browser import CHROMIUM_ACCEPT
from tests.support.ports import free_port


def compose_env(service: str) -> set[str]:
    return set(compose_environment(service))


@pytest.fixture(scope="module")
def k8s_env() -> dict[str, set[str]]:
    return {container: set(env) for container, env in k8s_environment().items()}


def test_the_scan_finds_what_the_services_read():
    assert {"AMQP_URI", "CASES_DATABASE_URL", "CASES_HTTP_ADDRESS"} <= env_vars_read("cases")
    assert {"GATEWAY_HEALTH_TIMEOUT", "HOAGIAI_PRODUCTION"} <= env_vars_read("gateway")


@pytest.mark.parametrize("service", SERVICES)
def test_every_variable_a_service_reads_is_set_in_compose(service):
    missing = env_vars_read(service) - compose_env(service)
    assert not missing, f"add {sorted(missing)} to x-hoagiai-env in deploy/compose.yaml"


@pytest.mark.parametrize("service", SERVICES)
def test_every_variable_a_service_reads_is_set_in_k8s(service, k8s_env):
    missing = env_vars_read(service) - k8s_env[service]
    assert not missing, f"add {sorted(missing)} to deploy/k8s/config.yaml or secrets.yaml"


def test_a_service_gets_no_other_service_database():
    for service in SERVICES:
        others = {f"{o.upper()}_DATABASE_URL" for o in SERVICES if o != service}
        assert not compose_env(service) & others, service


# ---- production settings: each deployment's variables start each service ---------------

DEPLOYMENTS = {
    "compose": lambda: {s: compose_environment(s) for s in SERVICES},
    "k8s": k8s_environment,
    "image-smoke": lambda: {"gateway": smoke_environment()},  # it runs the gateway only
}


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_each_service_starts_in_production_with_what_its_deployment_sets(
        deployment, rabbit_config, new_database, tmp_path):
    """The image's command (deploy/bin/hoagiai) with the image's ENV and the deployment's
    variables, only the broker, database and port pointed at this test's own."""
    processes, ports = {}, {}
    try:
        for service, deployed in DEPLOYMENTS[deployment]().items():
            env = {**image_environment(), **deployed}
            if "change-me" in env.get("JWT_SECRET", ""):  # the operator's own, as docs say
                env["JWT_SECRET"] = secrets.token_urlsafe(32)
            assert env["HOAGIAI_PRODUCTION"] == "true", (deployment, service)
            ports[service] = free_port()
            env.update({"PATH": f"{VENV_BIN}:/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                        "AMQP_URI": rabbit_config["AMQP_URI"],
                        f"{service.upper()}_HTTP_ADDRESS": f"127.0.0.1:{ports[service]}"})
            if service in DB_SERVICES:
                env[f"{service.upper()}_DATABASE_URL"] = new_database(service)
            processes[service] = start(service, env, tmp_path / f"{service}.log")
        for service, port in ports.items():
            wait_ready(service, port, processes[service], tmp_path / f"{service}.log")
        if "gateway" in ports:  # production: no GraphiQL page
            page = requests.get(f"http://127.0.0.1:{ports['gateway']}/graphql",
                                headers={"accept": CHROMIUM_ACCEPT}, timeout=5)
            assert "<html" not in page.text
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def start(service: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(["sh", "deploy/bin/hoagiai", service], cwd=ROOT, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_ready(service: str, port: int, process: subprocess.Popen, log: Path,
               timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{service} exited: {tail(log)}"
        try:
            if requests.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail(f"{service} was not ready within {timeout:.0f} s: {tail(log)}")


def tail(log: Path) -> str:
    return os.linesep + log.read_text(errors="replace")[-2000:]
