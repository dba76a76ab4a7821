"""One real system (all four services as processes, their own vhost and databases) for the
security and fuzzing tests, with users, a team of three mediators and one case."""

import uuid
from urllib.parse import urlparse

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.gateway_client import GraphQLClient
from tests.support.hostile import World, build_world
from tests.support.system import isolated_system


@pytest.fixture(scope="session")
def world(vhost_pipeline, new_database, request, tmp_path_factory) -> World:
    uri = urlparse(request.config.getoption("RABBIT_AMQP_URI"))
    with vhost_pipeline.get() as vhost:
        amqp = {"AMQP_URI": f"{uri.scheme}://{uri.netloc}/{vhost}"}
        system = isolated_system(amqp, new_database)
        secret = "security-" + uuid.uuid4().hex
        system.env.update({"JWT_SECRET": secret, "GATEWAY_RATE_PER_SECOND": "0"})
        system.start(timeout=90, log_path=tmp_path_factory.mktemp("sec") / "services.log")
        try:
            with ClusterRpcProxy(amqp, timeout=30) as rpc:
                yield build_world(rpc.teams, GraphQLClient(system.url), secret)
        finally:
            system.stop()
