"""A consumer the broker cancels (basic.cancel: its queue deleted, as when a quorum
queue's members are gone) comes back by itself: kombu's consumer loop takes the cancel
as a lost connection, reconnects, declares the queue again and consumes it."""

import time

from kombu import Connection
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_waiter

from services.common.service import event_handler

QUEUE = "evt-source-ping--listener.on_ping"


class Listener:
    name = "listener"
    received: list = []

    @event_handler("source", "ping")
    def on_ping(self, body):
        self.received.append(body)


def test_a_consumer_cancelled_by_the_broker_consumes_again(
        container_factory, rabbit_config, rabbit_manager):
    config = {**rabbit_config, "AMQP_QUEUE_TYPE": "quorum"}
    container = container_factory(Listener, config)
    container.start()
    dispatch = event_dispatcher(config)
    with entrypoint_waiter(container, "on_ping", timeout=10):
        dispatch("source", "ping", 1)

    with Connection(rabbit_config["AMQP_URI"]) as connection:
        connection.default_channel.queue_delete(QUEUE)  # the broker cancels its consumer
    deadline = time.monotonic() + 20
    while not any(q["name"] == QUEUE and q.get("consumers")
                  for q in rabbit_manager.get_queues(rabbit_config["vhost"])):
        assert time.monotonic() < deadline, "the queue was not consumed again"
        time.sleep(0.2)

    with entrypoint_waiter(container, "on_ping", timeout=10):
        dispatch("source", "ping", 2)
    assert Listener.received == [1, 2]
