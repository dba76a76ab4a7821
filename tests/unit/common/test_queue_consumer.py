"""The services' queue consumer (services/common/service.py): an ack or requeue on a
connection that has just died is dropped, not raised in the worker (nameko would kill the
container), and every entrypoint of a service shares the one consumer."""

from unittest.mock import Mock

import pytest
from nameko.containers import ServiceContainer
from nameko.messaging import QueueConsumer

from services.common.service import _QueueConsumer
from services.gateway.service import GatewayService
from services.reporting.service import ReportingService


def dead_socket_message(action: str) -> Mock:
    message = Mock()
    message.channel.connection = object()  # the consumer has not yet noticed
    getattr(message, action).side_effect = ConnectionResetError(104, "Connection reset")
    return message


@pytest.mark.parametrize("method, action", [("ack_message", "ack"),
                                            ("requeue_message", "requeue")])
def test_an_ack_or_requeue_on_a_reset_socket_is_dropped(method, action):
    with pytest.raises(ConnectionResetError):  # what nameko's own does
        getattr(QueueConsumer(), method)(dead_socket_message(action))
    message = dead_socket_message(action)
    getattr(_QueueConsumer(), method)(message)
    getattr(message, action).assert_called_once()


@pytest.mark.parametrize("service", [ReportingService, GatewayService])
def test_every_entrypoint_and_reply_listener_shares_one_consumer(service):
    container = ServiceContainer(service, {"AMQP_URI": "memory://"})
    consumers = [x for x in container.shared_extensions.values()
                 if isinstance(x, QueueConsumer)]
    assert [type(c) for c in consumers] == [_QueueConsumer]


def test_the_reconnection_warning_hides_every_nodes_password(caplog):
    consumer = _QueueConsumer()
    consumer.container = Mock(config={"AMQP_URI": "pyamqp://u:secret1@a:5672/;"
                                                  "pyamqp://u:secret2@b:5672/"})
    consumer.on_connection_error(ConnectionRefusedError(111, "refused"), 2)
    assert "a:5672" in caplog.text and "b:5672" in caplog.text
    assert "secret" not in caplog.text
