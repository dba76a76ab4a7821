"""Paths and the command-line tools the deploy checks run (installed by `make test`
through scripts/ensure_deploy_tools.sh and requirements-dev.txt)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
K8S = DEPLOY / "k8s"
VENV_BIN = Path(sys.executable).parent
SERVICES = ("gateway", "cases", "teams", "reporting")
DB_SERVICES = ("cases", "teams", "reporting")


def tool(name: str) -> str:
    """The path of a tool; a missing one fails (never skips) with how to install it."""
    found = shutil.which(name) or shutil.which(name, path=str(VENV_BIN))
    if not found:
        pytest.fail(f"{name} is not installed: run `make test` (scripts/ensure_deploy_tools.sh)")
    return found


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([tool(args[0]), *args[1:]], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def load_all(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def kustomize() -> list[dict]:
    result = run("kubectl", "kustomize", str(K8S), timeout=60)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


ENV_IN_CONFIG = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")
ENV_IN_CODE = re.compile(
    r"""os\.(?:environ(?:\.get|\.setdefault)?\s*[\[(]|getenv\s*\()\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""
)


def env_vars_read(service: str) -> set[str]:
    """Environment variables a service reads: `${VAR:default}` in its config.yaml and
    os.environ / os.getenv reads in its package and in services/common."""
    names = set(ENV_IN_CONFIG.findall((ROOT / "services" / service / "config.yaml").read_text()))
    for package in (service, "common"):
        for source in (ROOT / "services" / package).rglob("*.py"):
            if "migrations" not in source.parts:
                names |= set(ENV_IN_CODE.findall(source.read_text()))
    return names


# ---- the environment each deployment gives a service ---------------------------------

COMPOSE_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def env_file(text: str) -> dict[str, str]:
    """NAME=value lines; blank lines and comments skipped."""
    lines = (line.strip() for line in text.splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def compose_environment(service: str) -> dict[str, str]:
    """A service's environment in deploy/compose.yaml, interpolated as compose does with
    the values of deploy/.env.example (what a user copies to deploy/.env)."""
    values = env_file((DEPLOY / ".env.example").read_text())

    def interpolate(match: re.Match) -> str:
        name, operator, argument = match.groups()
        value = values.get(name, "")
        if value or operator is None:
            return value
        if operator.endswith("?"):
            pytest.fail(f"compose needs {name} ({argument}); deploy/.env.example lacks it")
        return argument

    environment = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"][service].get(
        "environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: COMPOSE_VARIABLE.sub(interpolate, str(value))
            for name, value in environment.items()}


def k8s_environment() -> dict[str, dict[str, str]]:
    """Each Deployment container's environment: its `env` and the ConfigMaps and Secrets
    of its `envFrom`, by container name."""
    resources = kustomize()
    data = {(r["kind"], r["metadata"]["name"]):
            {**(r.get("data") or {}), **(r.get("stringData") or {})}
            for r in resources if r["kind"] in ("ConfigMap", "Secret")}
    found = {}
    for deployment in (r for r in resources if r["kind"] == "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            environment = {}
            for source in container.get("envFrom", ()):
                for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                    if key in source:
                        environment.update(data[(kind, source[key]["name"])])
            environment.update({item["name"]: item.get("value", "")
                                for item in container.get("env", ())})
            found[container["name"]] = {k: str(v) for k, v in environment.items()}
    return found


def smoke_environment() -> dict[str, str]:
    """The gateway's environment in `make image-smoke` (scripts/image_smoke.sh)."""
    result = subprocess.run(["bash", "scripts/image_smoke.sh", "--print-env"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30, check=True)
    return env_file(result.stdout)


def image_environment() -> dict[str, str]:
    """The ENV of deploy/Dockerfile's runtime stage, but for the image's own paths."""
    text = (DEPLOY / "Dockerfile").read_text().split("AS runtime", 1)[1]
    block = re.search(r"^ENV ((?:.*\\\n)*.*)$", text, re.M).group(1)
    pairs = dict(re.findall(r"([A-Z_][A-Z0-9_]*)=(\S+)", block))
    return {k: v for k, v in pairs.items() if k not in ("PATH", "PYTHONPATH")}
