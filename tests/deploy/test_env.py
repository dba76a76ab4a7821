"""Every environment variable a service reads is set for it in compose and in k8s.
When a service starts reading a new variable, add it to x-hoagiai-env in
deploy/compose.yaml and to deploy/k8s/config.yaml (or secrets.yaml)."""

import pytest
import yaml

from tests.deploy.tools import DEPLOY, SERVICES, env_vars_read, kustomize


def compose_env(service: str) -> set[str]:
    environment = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"][service].get(
        "environment", {})
    if isinstance(environment, list):
        return {item.split("=", 1)[0] for item in environment}
    return set(environment)


@pytest.fixture(scope="module")
def k8s_env() -> dict[str, set[str]]:
    resources = kustomize()
    keys = {(r["kind"], r["metadata"]["name"]):
            set(r.get("data") or {}) | set(r.get("stringData") or {})
            for r in resources if r["kind"] in ("ConfigMap", "Secret")}
    found = {}
    for deployment in (r for r in resources if r["kind"] == "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            names = {item["name"] for item in container.get("env", ())}
            for source in container.get("envFrom", ()):
                if "configMapRef" in source:
                    names |= keys[("ConfigMap", source["configMapRef"]["name"])]
                if "secretRef" in source:
                    names |= keys[("Secret", source["secretRef"]["name"])]
            found[container["name"]] = names
    return found


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
