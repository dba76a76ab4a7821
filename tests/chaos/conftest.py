"""A private RabbitMQ node, a private PostgreSQL cluster and the system on them, for the
chaos scenarios (`make chaos`). Nothing here touches the machine's shared broker or DB."""

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.chaos import ProcessSystem
from tests.support.gateway_client import GraphQLClient
from tests.support.hostile import build_world
from tests.support.private_infra import PrivatePostgres, PrivateRabbit, PrivateRabbitCluster


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
def rabbit_cluster():
    cluster = PrivateRabbitCluster(3)
    cluster.start()
    yield cluster
    cluster.close()


def _running_system(amqp_uri: str, postgres, log_dir, **env):
    databases = {s: postgres.new_database(s) for s in ("teams", "cases", "reporting")}
    system = ProcessSystem(amqp_uri, databases, log_dir)
    system.env.update(env)
    try:
        system.start(timeout=120)
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as rpc:
            world = build_world(rpc.teams, GraphQLClient(system.url),
                                system.env["JWT_SECRET"])
        yield system, world
    finally:
        system.stop()


@pytest.fixture(scope="module")
def chaos(rabbit, postgres, tmp_path_factory):
    yield from _running_system(rabbit.amqp_uri, postgres, tmp_path_factory.mktemp("chaos"))


@pytest.fixture(scope="module")
def cluster_chaos(rabbit_cluster, postgres, tmp_path_factory):
    """The system on the three-node cluster, its shared queues quorum queues."""
    yield from _running_system(rabbit_cluster.amqp_uri, postgres,
                               tmp_path_factory.mktemp("cluster_chaos"),
                               AMQP_QUEUE_TYPE="quorum")
