"""RPC replies inside a service (services/common/service.py `_QueueConsumer`): consumed
without acknowledgements and handled in the consumer's own thread; every call still gets
its own answer."""

from nameko.rpc import ReplyListener
from nameko.standalone.rpc import ServiceRpcProxy

from services.common.service import ServiceBase, _RpcConsumer, rpc, rpc_proxy
from services.teams.service import TeamsService
from tests.support.broker import consumer_details


class Caller(ServiceBase):
    name = "caller"
    teams = rpc_proxy("teams")

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


def test_a_reply_whose_connection_broke_is_published_again(container_factory, service_config,
                                                           rabbit_config, caplog):
    """Replies go out on kept connections (`ReplyPublisher`); one that broke is dropped and
    its reply published nameko's way, with retries."""
    teams = container_factory(TeamsService, service_config("teams"))
    teams.start()
    replies = next(e.replies for e in teams.extensions if isinstance(e, _RpcConsumer))
    with ServiceRpcProxy("teams", rabbit_config, timeout=30) as proxy:
        assert proxy.health()["service"] == "teams"
        kept = [c for c in replies.pool._resource.queue if getattr(c, "connected", False)]
        assert kept  # the first reply's connection, back in the pool
        for connection in kept:
            connection.connection.sock.close()
        assert proxy.health()["service"] == "teams"
        assert "an RPC reply's connection failed" in caplog.text
        assert proxy.health()["service"] == "teams"  # on a new kept connection
