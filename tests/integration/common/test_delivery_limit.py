"""A delivery limit on quorum queues (a policy's `delivery-limit`, or `x-delivery-limit`;
RabbitMQ 4 sets 20 by default) next to the services' own handling of failing events, on
the real broker (docs/operations.md, 'What quorum queues change for the consumers'):
reporting keeps a poison event in its dead letters and acks it, so the broker never
drops it; a handler that requeues on error, as the cases directory's do, has its event
dropped once the limit is passed."""

import time

from kombu import Connection
from nameko.standalone.events import event_dispatcher

from services.common.service import event_handler
from services.reporting.service import ReportingService
from tests.integration.reporting import dataset
from tests.integration.reporting.conftest import Feeder

LIMIT = 1


def limit_deliveries(rabbit_manager, vhost: str) -> None:
    rabbit_manager._put("policies", vhost, "delivery-limit", json={
        "pattern": "^evt-", "apply-to": "queues", "definition": {"delivery-limit": LIMIT}})


def applied_policy(rabbit_manager, vhost: str, queue: str) -> str | None:
    """The policy the broker applies to `queue`, once its management stats show one."""
    deadline = time.monotonic() + 30
    while (policy := rabbit_manager.get_queue(vhost, queue).get("policy")) is None:
        if time.monotonic() > deadline:
            return None
        time.sleep(0.5)
    return policy


def messages_in(rabbit_config, queue: str) -> int:
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        return connection.default_channel.queue_declare(queue, passive=True).message_count


def test_reporting_keeps_a_poison_event_the_limit_would_drop(
        container_factory, service_config, rabbit_manager, rabbit_config):
    limit_deliveries(rabbit_manager, rabbit_config["vhost"])
    container = container_factory(ReportingService,
                                  service_config("reporting", AMQP_QUEUE_TYPE="quorum"))
    container.start()
    feeder = Feeder(container)
    good = dataset.case_events("C1", "T1", "CONFLICT", dataset.date(2019, 3, 1), "SUCCESSFUL")
    poison = dict(good[0], id="00000000-0000-4000-8000-000000000001",
                  payload={**good[0]["payload"], "category": "BOGUS"})
    feeder.deliver([poison, *good])

    queue = "evt-cases-case.received--reporting.on_case_received"
    assert applied_policy(rabbit_manager, rabbit_config["vhost"], queue) == "delivery-limit"
    assert messages_in(rabbit_config, queue) == 0
    with feeder.rpc() as rpc:
        letters = rpc.list_dead_letters()["items"]
        assert [letter["body"]["id"] for letter in letters] == [poison["id"]]
        assert rpc.success_rate("05977", 2019, "LEGACY")["successful"] == 1


class Requeuing:
    name = "requeuing"
    calls: list = []

    @event_handler("source", "ping", requeue_on_error=True)
    def on_ping(self, body):
        self.calls.append(body)
        raise RuntimeError("fails every time")


def test_an_event_requeued_on_error_is_dropped_past_the_limit(
        container_factory, rabbit_manager, rabbit_config):
    limit_deliveries(rabbit_manager, rabbit_config["vhost"])
    config = {**rabbit_config, "AMQP_QUEUE_TYPE": "quorum"}
    container_factory(Requeuing, config).start()
    event_dispatcher(config)("source", "ping", "poison")
    deadline = time.monotonic() + 20
    while len(Requeuing.calls) < LIMIT + 1:
        assert time.monotonic() < deadline, Requeuing.calls
        time.sleep(0.1)
    time.sleep(2)  # no more deliveries come: the broker dropped it
    assert Requeuing.calls == ["poison"] * (LIMIT + 1)
    assert messages_in(rabbit_config, "evt-source-ping--requeuing.on_ping") == 0
