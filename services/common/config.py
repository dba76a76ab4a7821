"""Service configuration: one YAML file per service, `${VAR:default}` overridden by env."""

from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

SERVICES_DIR = Path(__file__).resolve().parent.parent


def config_path(service: str) -> Path:
    return SERVICES_DIR / service / "config.yaml"


def load_config(service: str) -> dict:
    """Read `services/<service>/config.yaml` exactly as `nameko run --config` does."""
    setup_yaml_parser()  # registers the ${VAR:default} resolver on yaml.SafeLoader
    with config_path(service).open() as f:
        return yaml.safe_load(f)
