"""AMQP_QUEUE_TYPE on the real broker (services/common/queues.py): every service started
with `quorum` declares its shared queues as quorum queues and its per-process queues as
classic ones; a queue already there with the other type stops the service at start-up
with the queue's name and what to do."""


import pytest
from kombu import Connection, Exchange, Queue
from nameko.events import BROADCAST
from nameko.standalone.rpc import ServiceRpcProxy

from services.cases.service import CasesService
from services.common.queues import QueueTypeMismatch
from services.gateway.service import GatewayService
from services.reporting.service import ReportingService
from services.teams.service import TeamsService
from tests.support.broker import consumer_details

SERVICES = [CasesService, TeamsService, ReportingService, GatewayService]


def start_all(container_factory, service_config, **settings) -> list:
    containers = []
    for cls in SERVICES:
        container = container_factory(cls, service_config(cls.name, **settings))
        container.start()
        containers.append(container)
    return containers


def queues_by_name(rabbit_manager, rabbit_config) -> dict[str, dict]:
    return {q["name"]: q for q in rabbit_manager.get_queues(rabbit_config["vhost"])}


def event_queue_names(containers, broadcast: bool = False) -> set[str]:
    """The services' shared event queues; with `broadcast`, the per-process ones (each
    gateway replica hears every token revocation on a queue of its own)."""
    return {e.queue.name for c in containers for e in c.entrypoints
            if type(e).__name__ == "EventHandler" and (e.handler_type == BROADCAST) == broadcast}


def test_quorum_setting_makes_shared_queues_quorum_and_per_process_ones_classic(
        container_factory, service_config, rabbit_manager, rabbit_config):
    containers = start_all(container_factory, service_config, AMQP_QUEUE_TYPE="quorum")
    queues = queues_by_name(rabbit_manager, rabbit_config)

    shared = {f"rpc-{cls.name}" for cls in SERVICES} | event_queue_names(containers)
    assert len(shared) > len(SERVICES)  # reporting and cases handle events
    assert {name: queues[name]["type"] for name in shared} == dict.fromkeys(shared, "quorum")
    replies = {name: q for name, q in queues.items() if name.startswith("rpc.reply-")}
    assert {name.split("-")[1] for name in replies} == {"cases", "gateway", "reporting"}
    assert all(q["type"] == "classic" and not q["durable"] for q in replies.values())
    broadcasts = event_queue_names(containers, broadcast=True)
    assert broadcasts and all(queues[name]["type"] == "classic" for name in broadcasts)
    assert set(queues) == shared | set(replies) | broadcasts
    # prefetch is per consumer (quorum queues refuse a global one): each service's workers
    workers = {f"rpc-{c.service_name}": c.max_workers for c in containers} | {
        e.queue.name: c.max_workers for c in containers for e in c.entrypoints
        if type(e).__name__ == "EventHandler" and e.queue.name in shared}
    assert prefetch_counts(rabbit_manager, rabbit_config["vhost"], shared) == workers


def prefetch_counts(rabbit_manager, vhost: str, names: set[str]) -> dict[str, int]:
    """Each queue's consumer's prefetch."""
    return {n: d[0]["prefetch_count"] if len(d) == 1 else d
            for n, d in consumer_details(rabbit_manager, vhost, names).items()}


def test_by_default_every_queue_is_classic(container_factory, service_config,
                                           rabbit_manager, rabbit_config):
    start_all(container_factory, service_config)
    queues = queues_by_name(rabbit_manager, rabbit_config)
    assert "rpc-cases" in queues
    assert {q["type"] for q in queues.values()} == {"classic"}


def test_changing_the_type_drain_delete_redeclare(container_factory, service_config,
                                                   rabbit_manager, rabbit_config):
    """docs/operations.md, 'Changing the queue type', run from classic to quorum: with
    every queue empty and the services stopped, the shared queues are deleted; started with
    `quorum`, the services declare them again as quorum queues, bound as before, and
    answer."""
    containers = start_all(container_factory, service_config)
    vhost = rabbit_config["vhost"]
    shared = {f"rpc-{cls.name}" for cls in SERVICES} | event_queue_names(containers)
    bindings = {name: _bindings(rabbit_manager, vhost, name) for name in shared}
    for container in containers:
        container.stop()
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        channel = connection.default_channel
        for name in sorted(shared):  # drained: nothing is lost by deleting them
            assert channel.queue_declare(name, passive=True).message_count == 0, name
            channel.queue_delete(name)

    start_all(container_factory, service_config, AMQP_QUEUE_TYPE="quorum")
    queues = queues_by_name(rabbit_manager, rabbit_config)
    assert {name: queues[name]["type"] for name in shared} == dict.fromkeys(shared, "quorum")
    assert {name: _bindings(rabbit_manager, vhost, name) for name in shared} == bindings
    with ServiceRpcProxy("teams", rabbit_config) as teams:
        assert teams.health()["service"] == "teams"


def _bindings(rabbit_manager, vhost: str, queue: str) -> set[tuple[str, str]]:
    return {(b["source"], b["routing_key"])
            for b in rabbit_manager.get_queue_bindings(vhost, queue) if b["source"]}


@pytest.mark.parametrize("existing, wanted", [("classic", "quorum"), ("quorum", "classic")])
def test_a_queue_of_the_other_type_stops_the_service_with_what_to_do(
        existing, wanted, container_factory, service_config, rabbit_config, rabbit_manager):
    arguments = {"x-queue-type": "quorum"} if existing == "quorum" else None
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        Queue("rpc-teams", Exchange("nameko-rpc", type="topic", durable=True), "teams.*",
              durable=True, queue_arguments=arguments)(connection.channel()).declare()

    container = container_factory(TeamsService,
                                  service_config("teams", AMQP_QUEUE_TYPE=wanted))
    with pytest.raises(QueueTypeMismatch) as raised:
        container.start()
    message = str(raised.value)
    assert "'rpc-teams'" in message and f"a {existing} queue" in message
    assert "drain" in message and "rabbitmqctl delete_queue rpc-teams" in message
    assert queues_by_name(rabbit_manager, rabbit_config)["rpc-teams"]["type"] == existing
