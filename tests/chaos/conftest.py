"""A private RabbitMQ node, a private PostgreSQL cluster and the system on them, for the
chaos scenarios (`make chaos`). Nothing here touches the machine's shared broker or DB."""

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.chaos import ProcessSystem
from tests.support.gateway_client import GraphQLClient
from tests.support.hostile import build_world
from tests.support.private_infra import PrivatePostgres, PrivateRabbit


@pytest.fixture(scope="module")
def rabbit():
    broker = PrivateRabbit()
    broker.start()
    yield broker
    broker.close()


@pytest.fixture(scope="module")
def postgres():
    cluster = PrivatePostgres()
    cluster.start()
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def chaos(rabbit, postgres, tmp_path_factory):
    databases = {s: postgres.new_database(s) for s in ("teams", "cases", "reporting")}
    system = ProcessSystem(rabbit.amqp_uri, databases, tmp_path_factory.mktemp("chaos"))
    try:
        system.start(timeout=120)
        with ClusterRpcProxy({"AMQP_URI": rabbit.amqp_uri}, timeout=30) as rpc:
            world = build_world(rpc.teams, GraphQLClient(system.url),
                                system.env["JWT_SECRET"])
        yield system, world
    finally:
        system.stop()
