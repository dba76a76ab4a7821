"""The relay's batch publisher against the real broker: messages as nameko's dispatcher
sends them, in order, confirmed; a lost broker raises, and the next batch reconnects."""

import json

import pytest
from kombu import Connection, Exchange, Queue
from nameko.standalone.events import get_event_exchange

from services.common.confirms import BatchPublisher
from tests.support.tcp_proxy import TcpProxy, proxied_uri


def bound_queue(uri: str, exchange: Exchange) -> Queue:
    queue = Queue("confirms-test", exchange=exchange, routing_key="#")
    with Connection(uri) as connection:
        queue(connection.channel()).declare()
    return queue


def received(uri: str, queue: Queue) -> list:
    messages = []
    with Connection(uri) as connection:
        channel = connection.channel()
        while (message := queue(channel).get(no_ack=True)) is not None:
            messages.append(message)
    return messages


def test_a_batch_arrives_in_order_as_the_dispatcher_would_send_it(rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    exchange = get_event_exchange("cases", rabbit_config)
    publisher = BatchPublisher(uri, exchange)
    try:
        publisher.publish([("case.received", '{"n": 0}')])  # declares the exchange
        queue = bound_queue(uri, exchange)
        batch = [(f"case.{'received' if n % 2 else 'assigned'}", {"n": n, "ở": "Lạng Sơn"})
                 for n in range(300)]
        publisher.publish([(key, json.dumps(body)) for key, body in batch])
        assert not publisher.unconfirmed
    finally:
        publisher.close()
    messages = received(uri, queue)
    assert [(m.delivery_info["routing_key"], m.payload) for m in messages] == batch
    assert {m.content_type for m in messages} == {"application/json"}
    assert {m.properties["delivery_mode"] for m in messages} == {2}  # persistent


def test_a_lost_broker_raises_and_the_next_batch_reconnects(rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    host, port = uri.split("@", 1)[1].split("/", 1)[0].split(":")
    proxy = TcpProxy(host, int(port))
    exchange = get_event_exchange("cases", rabbit_config)
    publisher = BatchPublisher(proxied_uri(uri, proxy), exchange, timeout=2.0)
    try:
        publisher.publish([("case.received", '{"n": 0}')])
        queue = bound_queue(uri, exchange)
        proxy.cut()
        with pytest.raises(Exception):  # noqa: B017 - socket, AMQP or confirm errors alike
            publisher.publish([("case.received", '{"n": 1}')])
        assert publisher.connection is None
        proxy.restore()
        publisher.publish([("case.received", '{"n": 2}')])
    finally:
        publisher.close()
        proxy.close()
    assert [m.payload["n"] for m in received(uri, queue)][-1] == 2
