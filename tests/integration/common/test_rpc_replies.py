"""RPC inside a service: replies consumed without acknowledgements and handled in the
consumer's own thread (services/common/service.py `_QueueConsumer`); requests and replies
published on kept connections (services/common/rpc_publish.py). Every call still gets its
own answer, an unknown service is still told, a broken connection loses nothing."""

import json
import time

from kombu import Connection, Exchange, Producer, Queue
from nameko.constants import NON_PERSISTENT
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


def test_requests_and_replies_carry_what_nameko_would_send(container_factory, service_config,
                                                          rabbit_config):
    """Kept-connection publishing sends the properties nameko's publisher sends: in
    memory, JSON, the caller's reply queue, correlation id and call-id headers."""
    teams, caller = (container_factory(cls, service_config(cls.name))
                     for cls in (TeamsService, Caller))
    teams.start()
    caller.start()
    exchange = Exchange("nameko-rpc", type="topic", durable=True)
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        channel = connection.channel()
        requests = Queue("probe-requests", exchange, routing_key="teams.health",
                         auto_delete=True)(channel)
        requests.declare()  # beside teams' own queue: a copy of every health request
        replies = Queue("probe-replies", exchange, routing_key="probe-replies",
                        auto_delete=True)(channel)
        replies.declare()
        with ServiceRpcProxy("caller", rabbit_config, timeout=30) as proxy:
            assert proxy.ask_teams(1) == ["teams"]
        request = requests.get(no_ack=True)
        assert request.properties["delivery_mode"] == NON_PERSISTENT
        assert request.properties["reply_to"] == next(
            e.routing_key for e in caller.extensions if isinstance(e, ReplyListener))
        assert request.properties["correlation_id"]
        assert request.content_type == "application/json"
        assert request.headers["nameko.call_id_stack"][-1].startswith("caller.ask_teams.")
        assert json.loads(request.body) == {"args": [], "kwargs": {}}
        # a request of our own: its reply as teams publishes it
        Producer(channel).publish({"args": [], "kwargs": {}}, exchange=exchange,
                                  routing_key="teams.health", reply_to="probe-replies",
                                  correlation_id="probe-1", serializer="json")
        reply = None
        for _ in range(100):
            if (reply := replies.get(no_ack=True)) is not None:
                break
            time.sleep(0.1)
        assert reply is not None
        assert reply.properties["correlation_id"] == "probe-1"
        assert reply.properties["delivery_mode"] == NON_PERSISTENT
        assert "priority" not in reply.properties
        assert reply.content_type == "application/json"
        assert json.loads(reply.body)["result"]["service"] == "teams"
