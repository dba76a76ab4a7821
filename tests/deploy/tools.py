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
