"""RPC inside a service: replies consumed without acknowledgements and handled in the
consumer's own thread (services/common/service.py `_QueueConsumer`); requests and replies
published on kept connections (services/common/rpc_publish.py). Every call still gets its
own answer, an unknown service is still told, a broken connection loses nothing."""

from nameko.exceptions import UnknownService
from nameko.rpc import ReplyListener
from nameko.standalone.rpc import ServiceRpcProxy

from services.common import rpc_publish
from services.common.service import ServiceBase, rpc, rpc_proxy
from services.teams.service import TeamsService
from tests.support.broker import consumer_details


class Caller(ServiceBase):
    name = "caller"
    teams = rpc_proxy("teams")
    nobody = rpc_proxy("nobody")

    @rpc
    def ask_nobody(self) -> str:
        try:
            self.nobody.health()
        except UnknownService:
            return "unknown service"
        return "answered"

    @rpc
    def ask_teams(self, times: int) -> list[str]:
        """`times` health RPCs to teams in flight at once; the service name of each answer."""
        calls = [self.teams.health.call_async() for _ in range(times)]
        return [call.result()["service"] for call in calls]


def test_replies_are_consumed_without_acks_and_each_call_gets_its_answer(
        container_factory, service_config, rabbit_manager, rabbit_config):
    teams, caller = (container_factory(cls, service_config(cls.name))
                     for cls in (TeamsService, Caller))
    teams.start()
    caller.start()
    with ServiceRpcProxy("caller", rabbit_config, timeout=30) as proxy:
        assert proxy.ask_teams(1) == ["teams"]
        assert proxy.ask_teams(40) == ["teams"] * 40
    reply_queue = next(e.queue.name for e in caller.extensions
                       if isinstance(e, ReplyListener))
    consumers = consumer_details(rabbit_manager, rabbit_config["vhost"],
                                 [reply_queue, "rpc-teams"])
    assert [c["ack_required"] for c in consumers[reply_queue]] == [False]
    # requests are acked when done
    assert [c["ack_required"] for c in consumers["rpc-teams"]] == [True]


def break_kept_connections(confirms: bool) -> int:
    """Close the sockets of the kept connections (requests': confirms); how many."""
    kept = [connection for key, pool in rpc_publish._pools.items() if key[3] == confirms
            for connection in pool._resource.queue if getattr(connection, "connected", False)]
    for connection in kept:
        connection.connection.sock.close()
    return len(kept)


def test_unknown_services_and_broken_connections(container_factory, service_config,
                                                 rabbit_config, caplog):
    teams, caller = (container_factory(cls, service_config(cls.name))
                     for cls in (TeamsService, Caller))
    teams.start()
    caller.start()
    with ServiceRpcProxy("caller", rabbit_config, timeout=30) as proxy:
        # a returned request is noted, not an error: its connection is kept, in step
        for _ in range(3):
            assert proxy.ask_nobody() == "unknown service"
            assert proxy.ask_teams(3) == ["teams"] * 3
        assert "connection failed" not in caplog.text
        # replies (the teams container's) and requests (the caller's) on broken connections
        assert break_kept_connections(confirms=False) and break_kept_connections(confirms=True)
        assert proxy.ask_teams(1) == ["teams"]
        assert "connection failed" in caplog.text
        assert proxy.ask_teams(5) == ["teams"] * 5  # on new kept connections
        assert proxy.ask_nobody() == "unknown service"
