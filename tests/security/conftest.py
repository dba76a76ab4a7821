"""Real systems (all four services as processes, their own vhost and databases) for the
security and fuzzing tests, with users, a team of three mediators and one case: `world` on
PostgreSQL; `fuzz_world` on PostgreSQL (the same system) and on SQLite files, as `make run`."""

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.gateway_client import GraphQLClient
from tests.support.hostile import World, build_world
from tests.support.system import isolated_system


@dataclass
class SecuritySystem:
    world: World
    log_path: Path  # every service's output, JSON lines


@contextmanager
def _security_system(request, vhost_pipeline, new_database, log_dir: Path, sqlite: bool):
    uri = urlparse(request.config.getoption("RABBIT_AMQP_URI"))
    with vhost_pipeline.get() as vhost:
        amqp = {"AMQP_URI": f"{uri.scheme}://{uri.netloc}/{vhost}"}
        files = lambda service: f"sqlite:///{log_dir}/{service}.db"  # noqa: E731 as `make run`
        system = isolated_system(amqp, files if sqlite else new_database)
        secret = "security-" + uuid.uuid4().hex
        # the fuzz's changePassword calls fail on the old password like wrong logins: the
        # per-user throttle (tested on its own) would refuse the world's users their logins
        system.env.update({"JWT_SECRET": secret, "GATEWAY_RATE_PER_SECOND": "0",
                           "LOGIN_MAX_FAILURES_PER_USER": "1000000"})
        system.start(timeout=90, log_path=log_dir / "services.log")
        try:
            with ClusterRpcProxy(amqp, timeout=30) as rpc:
                world = build_world(rpc.teams, GraphQLClient(system.url), secret)
                yield SecuritySystem(world, log_dir / "services.log")
        finally:
            system.stop()


@pytest.fixture(scope="session")
def security_system(vhost_pipeline, new_database, request, tmp_path_factory) -> SecuritySystem:
    with _security_system(request, vhost_pipeline, new_database,
                          tmp_path_factory.mktemp("sec"), sqlite=False) as system:
        yield system


@pytest.fixture(scope="session")
def world(security_system) -> World:
    return security_system.world


@pytest.fixture(scope="module")  # only the fuzz asks for it: stopped after its module
def sqlite_security_system(vhost_pipeline, new_database, request, tmp_path_factory):
    with _security_system(request, vhost_pipeline, new_database,
                          tmp_path_factory.mktemp("sec-sqlite"), sqlite=True) as system:
        yield system


@pytest.fixture(params=["postgresql", "sqlite"])
def fuzz_system(request) -> SecuritySystem:
    name = "security_system" if request.param == "postgresql" else "sqlite_security_system"
    return request.getfixturevalue(name)
