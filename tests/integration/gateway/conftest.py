"""The gateway on the real broker, with doubles of its three backends, started once
per test module on its own vhost and a free port."""

from urllib.parse import urlparse

import pytest
from nameko.containers import ServiceContainer

from services.gateway.service import GatewayService
from tests.support import gateway_backends as doubles
from tests.support.gateway_client import SECRET, GraphQLClient
from tests.support.ports import free_port


def start_gateway(vhost_pipeline, request, **overrides):
    uri = urlparse(request.config.getoption("RABBIT_AMQP_URI"))
    vhost_context = vhost_pipeline.get()
    vhost = vhost_context.__enter__()
    config = {"AMQP_URI": f"{uri.scheme}://{uri.netloc}/{vhost}",
              "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}", "JWT_SECRET": SECRET,
              "LIMITS": {"rate_per_second": 1000, "rate_burst": 1000}, "RPC_TIMEOUT": 5,
              **overrides}
    containers = [ServiceContainer(cls, config) for cls in (*doubles.DOUBLES, GatewayService)]
    for container in containers:
        container.start()

    def stop():
        for container in containers:
            container.stop()
        vhost_context.__exit__(None, None, None)

    return config, containers, stop


@pytest.fixture(scope="module")
def gateway(vhost_pipeline, request):
    config, _, stop = start_gateway(vhost_pipeline, request)
    yield GraphQLClient(f"http://{config['WEB_SERVER_ADDRESS']}/graphql")
    stop()


@pytest.fixture(autouse=True)
def fresh_world():
    doubles.reset()
    yield
