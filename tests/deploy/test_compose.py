"""deploy/compose.yaml: valid against the compose spec (offline), and complete."""

import copy
import re

import pytest
import yaml

from tests.deploy.tools import DEPLOY, SERVICES, run

COMPOSE = DEPLOY / "compose.yaml"
PORTS = {"gateway": 8000, "cases": 8001, "teams": 8002, "reporting": 8003}


def validate(path) -> "object":
    return run("check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(path))


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_is_valid_against_the_compose_spec():
    result = validate(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_compose_file_fails_validation(tmp_path, compose):
    compose = copy.deepcopy(compose)
    compose["services"]["gateway"]["depends_on"]["cases"]["condition"] = "service_happy"
    compose["services"]["cases"]["healthcheck"]["intervall"] = "5s"
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.safe_dump(compose))
    result = validate(broken)
    assert result.returncode != 0


def test_services_have_health_checks_and_wait_for_healthy_dependencies(compose):
    services = compose["services"]
    assert {"rabbitmq", "postgres", "prometheus", "grafana", *SERVICES} <= set(services)
    for name in SERVICES:
        service = services[name]
        assert service["command"] == [name]
        assert service["healthcheck"]["test"][-2:] == ["ready", str(PORTS[name])]
        conditions = {dep["condition"] for dep in service["depends_on"].values()}
        assert conditions == {"service_healthy"}, name
        assert "rabbitmq" in service["depends_on"]
        assert service["stop_grace_period"] == "15s"
    for name in ("teams", "cases", "reporting"):
        assert "postgres" in services[name]["depends_on"]


def test_monitoring_is_provisioned_from_the_repository(compose):
    prometheus = " ".join(compose["services"]["prometheus"]["volumes"])
    grafana = " ".join(compose["services"]["grafana"]["volumes"])
    assert "./prometheus:/etc/prometheus" in prometheus
    assert "./grafana/provisioning:/etc/grafana/provisioning" in grafana
    assert "./grafana/dashboards:/etc/grafana/dashboards" in grafana
    assert set(compose["volumes"]) >= {"rabbitmq-data", "postgres-data", "prometheus-data",
                                       "grafana-data"}


def test_every_required_variable_is_in_the_env_example():
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE.read_text()))
    example = {line.split("=", 1)[0] for line in (DEPLOY / ".env.example").read_text().splitlines()
               if "=" in line and not line.startswith("#")}
    assert required and required <= example
    assert "deploy/.env" in (DEPLOY.parent / ".gitignore").read_text().split()


def test_postgres_init_script_creates_one_database_per_service():
    script = (DEPLOY / "postgres" / "init-databases.sh").read_text()
    assert "for service in teams cases reporting" in script
    assert "CREATE DATABASE" in script
    result = run("bash", "-n", str(DEPLOY / "postgres" / "init-databases.sh"))
    assert result.returncode == 0, result.stderr


def test_the_cluster_profile_adds_two_nodes_of_the_pinned_version(compose):
    nodes = {name: compose["services"][name] for name in ("rabbitmq", "rabbitmq-2", "rabbitmq-3")}
    assert {node["image"] for node in nodes.values()} == {"rabbitmq:3.10.8-management"}
    assert "profiles" not in nodes["rabbitmq"]
    assert all(nodes[n]["profiles"] == ["cluster"] for n in ("rabbitmq-2", "rabbitmq-3"))
    uri = compose["x-hoagiai-env"]["AMQP_URI"]
    assert [url.split("@")[1] for url in uri.split(";")] == [
        "rabbitmq:5672/", "rabbitmq-2:5672/", "rabbitmq-3:5672/"]
    conf = (DEPLOY / "rabbitmq" / "cluster.conf").read_text()
    assert all(f"= rabbit@{name}\n" in conf for name in nodes)
