"""RPC replies inside a service (services/common/service.py `_QueueConsumer`): consumed
without acknowledgements and handled in the consumer's own thread; every call still gets
its own answer."""

import time

from nameko.standalone.rpc import ServiceRpcProxy

from services.common.service import ServiceBase, rpc, rpc_proxy
from services.teams.service import TeamsService


class Caller(ServiceBase):
    name = "caller"
    teams = rpc_proxy("teams")

    @rpc
    def ask_teams(self, times: int) -> list[str]:
        """`times` health RPCs to teams in flight at once; the service name of each answer."""
        calls = [self.teams.health.call_async() for _ in range(times)]
        return [call.result()["service"] for call in calls]


def consumers_of(rabbit_manager, vhost: str, prefix: str) -> list[dict]:
    deadline = time.monotonic() + 30
    while True:  # the management stats list consumers a moment after they start
        found = [c for q in rabbit_manager.get_queues(vhost) if q["name"].startswith(prefix)
                 for c in rabbit_manager.get_queue(vhost, q["name"]).get("consumer_details")
                 or []]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_replies_are_consumed_without_acks_and_each_call_gets_its_answer(
        container_factory, service_config, rabbit_manager, rabbit_config):
    for cls in (TeamsService, Caller):
        container_factory(cls, service_config(cls.name)).start()
    with ServiceRpcProxy("caller", rabbit_config, timeout=30) as caller:
        assert caller.ask_teams(1) == ["teams"]
        assert caller.ask_teams(40) == ["teams"] * 40
    vhost = rabbit_config["vhost"]
    replies = consumers_of(rabbit_manager, vhost, "rpc.reply-caller")
    assert [c["ack_required"] for c in replies] == [False]
    requests = consumers_of(rabbit_manager, vhost, "rpc-teams")
    assert [c["ack_required"] for c in requests] == [True]  # requests are acked when done
