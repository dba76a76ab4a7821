"""Our RPC entrypoint and proxy (services/common/service.py) on the real broker: replies
are unconfirmed and in memory, requests still confirmed, so a call to a service that
never ran fails at once and leaves the next calls on the connection unharmed."""

from nameko.exceptions import UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.service import rpc, rpc_proxy


class Present:
    name = "present"

    @rpc
    def echo(self, value):
        return value


class Caller:
    name = "caller"
    absent = rpc_proxy("absent")
    present = rpc_proxy("present")

    @rpc
    def probe(self, value):
        try:
            self.absent.echo(value)
        except UnknownService:
            refused = True
        else:
            refused = False
        return refused, self.present.echo(value)


def test_a_missing_service_is_refused_at_once_and_later_calls_still_work(
        container_factory, rabbit_config):
    for cls in (Present, Caller):
        container_factory(cls, rabbit_config).start()
    with ClusterRpcProxy(rabbit_config, timeout=5) as cluster:
        for n in range(5):
            assert cluster.caller.probe(n) == [True, n]
