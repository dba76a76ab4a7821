"""deploy/k8s: kubernetes-validate --strict over every manifest and the kustomize output,
failing on warnings; and the shape the issue asks for."""

import pytest
import yaml

from tests.deploy.tools import K8S, SERVICES, kustomize, run

MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def validate(*paths) -> tuple[int, str]:
    result = run("kubernetes-validate", "--strict", "--quiet", *map(str, paths))
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def resources() -> list[dict]:
    return kustomize()


def of_kind(resources, kind) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def test_every_manifest_and_the_kustomize_output_validate_strictly(tmp_path, resources):
    built = tmp_path / "kustomized.yaml"
    built.write_text(yaml.safe_dump_all(resources))
    code, output = validate(*MANIFESTS, built)
    assert code == 0 and "WARN" not in output and "ERROR" not in output, output
    assert len(MANIFESTS) >= 8


@pytest.mark.parametrize("breakage", ["unknown field", "wrong type", "unknown kind"])
def test_a_broken_manifest_fails_validation(tmp_path, breakage):
    deployment = yaml.safe_load_all((K8S / "gateway.yaml").read_text())
    deployment = next(deployment)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    if breakage == "unknown field":
        container["livenessProbe"]["httpGet"]["paht"] = "/health/live"
    elif breakage == "wrong type":
        container["ports"][0]["containerPort"] = "eight thousand"
    else:
        deployment["apiVersion"] = "apps/v9"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(deployment))
    code, output = validate(path)
    assert code != 0 or "WARN" in output, output


def test_deployments_have_probes_resources_and_run_as_non_root(resources):
    deployments = of_kind(resources, "Deployment")
    assert set(deployments) == set(SERVICES)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["args"] == [name]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        assert pod["securityContext"]["runAsUser"] != 0
        assert container["securityContext"]["runAsNonRoot"] is True
        if name != "gateway":
            assert pod["initContainers"][0]["args"] == ["migrate", name]


def test_autoscaling_disruption_budgets_and_services(resources):
    assert set(of_kind(resources, "HorizontalPodAutoscaler")) == {"gateway", "cases"}
    assert set(of_kind(resources, "PodDisruptionBudget")) == {*SERVICES, "rabbitmq"}
    assert set(of_kind(resources, "Service")) == {*SERVICES, "rabbitmq", "rabbitmq-nodes"}
    assert all(r["metadata"].get("namespace", "hoagiai") == "hoagiai" for r in resources)


def test_only_the_gateway_takes_traffic_from_anywhere(resources):
    policies = of_kind(resources, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    open_to_all = [name for name, p in policies.items()
                   for rule in p["spec"].get("ingress", ()) if "from" not in rule]
    assert open_to_all == ["gateway-from-anywhere"]
    selector = policies["gateway-from-anywhere"]["spec"]["podSelector"]["matchLabels"]
    assert selector["app.kubernetes.io/name"] == "gateway"
    egress_ports = {port["port"] for name, p in policies.items() if name != "rabbitmq"
                    for rule in p["spec"].get("egress", ()) for port in rule.get("ports", ())}
    assert egress_ports == {53, 5672, 5432}


def test_the_broker_is_three_clustered_nodes_of_a_pinned_version(resources):
    broker = of_kind(resources, "StatefulSet")["rabbitmq"]
    assert broker["spec"]["replicas"] == 3
    image = broker["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "rabbitmq:3.10.8-management"
    conf = of_kind(resources, "ConfigMap")["rabbitmq-config"]["data"]["rabbitmq.conf"]
    peers = {line.split(" = ")[1] for line in conf.splitlines()
             if line.startswith("cluster_formation.classic_config.nodes.")}
    service = broker["spec"]["serviceName"]
    assert peers == {f"rabbit@rabbitmq-{i}.{service}.hoagiai.svc.cluster.local"
                     for i in range(3)}
    assert of_kind(resources, "ConfigMap")["hoagiai-config"]["data"]["AMQP_QUEUE_TYPE"] == \
        "quorum"
    assert of_kind(resources, "PodDisruptionBudget")["rabbitmq"]["spec"]["maxUnavailable"] == 1
