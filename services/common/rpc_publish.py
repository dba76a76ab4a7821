"""RPC requests and replies published on kept channels of pooled connections.

nameko's `Publisher` builds a kombu `Connection`, acquires a producer and wraps each
publish in kombu's retry closure, for every message: ≈ 350 µs of CPU a reply against
≈ 165 here, 330–390 a confirmed request against 190–290 (docs/performance.md, tenth
round). Here a pool of connections per
broker address is kept per process; a greenthread holds one connection while it
publishes. A connection that fails is dropped, and that message goes nameko's way,
with its retries and failover to another node.
"""

import logging

import kombu.serialization
from kombu import Connection
from nameko.amqp.publish import Publisher, UndeliverableMessage
from nameko.constants import DEFAULT_TRANSPORT_OPTIONS, NON_PERSISTENT

log = logging.getLogger(__name__)
POOL_SIZE = 10  # connections per broker address and process (nameko's default workers)
_pools: dict[tuple, object] = {}


def _pool(amqp_uri: str, ssl, login_method, confirms: bool):
    key = (amqp_uri, repr(ssl), login_method, confirms)
    if (pool := _pools.get(key)) is None:
        options = {**DEFAULT_TRANSPORT_OPTIONS, "confirm_publish": confirms}
        pool = _pools[key] = Connection(amqp_uri, ssl=ssl, login_method=login_method,
                                        transport_options=options).Pool(POOL_SIZE)
    return pool


def close(amqp_uri: str) -> None:
    """Close the kept connections to `amqp_uri` (a container's stop: tests start many
    containers in one process, each on a vhost of its own). Another container on the same
    address makes new ones; one it was publishing on fails and goes nameko's way."""
    for key in [key for key in _pools if key[0] == amqp_uri]:
        _pools.pop(key).force_close_all()


def _publish(pool, publish) -> bool:
    """`publish(channel)` on a pooled connection's channel; False if the connection
    failed (it is then dropped, and the caller publishes nameko's way)."""
    with pool.acquire(block=True) as connection:
        try:
            publish(connection.default_channel)
            return True
        except connection.connection_errors + connection.channel_errors as exc:
            log.warning("an RPC message's kept connection failed (%s); publishing it again",
                        type(exc).__name__)
            connection.collect()
            return False


class ReplyPublisher(Publisher):
    """Publishes an RPC reply (JSON bytes) unconfirmed and in memory: a reply lost with
    the broker ends in its caller's timeout anyway (services/common/service.py)."""

    use_confirms = False
    delivery_mode = NON_PERSISTENT

    def publish_reply(self, body: bytes, exchange: str, routing_key: str,
                      correlation_id: str | None) -> None:
        def publish(channel):
            channel.basic_publish(channel.prepare_message(
                body, content_type="application/json", content_encoding="utf-8",
                properties={"delivery_mode": NON_PERSISTENT, "correlation_id": correlation_id}),
                exchange=exchange, routing_key=routing_key)

        if not _publish(_pool(self.amqp_uri, self.ssl, self.login_method, False), publish):
            self.publish(body, content_type="application/json", content_encoding="utf-8",
                         exchange=exchange, routing_key=routing_key,
                         correlation_id=correlation_id)


class RequestPublisher(Publisher):
    """Publishes an RPC request as nameko's `MethodProxy` asks (`mandatory`, confirmed):
    the confirm tells at once whether any queue took it. The broker returns an unroutable
    request before it confirms it; the return is noted, not raised (py-amqp raises it
    from the wait for the confirm, which leaves that confirm unread and the channel's
    confirms one behind), and the request is then undeliverable (UnknownService)."""

    def publish(self, payload, **kwargs):
        if not (kwargs.get("mandatory") and self.use_confirms):
            return super().publish(payload, **kwargs)
        content_type, encoding, body = kombu.serialization.dumps(payload, self.serializer)
        returned: list = []

        def note(exc, exchange, routing_key, message):
            returned.append(exc)

        def publish(channel):
            channel.events["basic_return"].add(note)
            try:
                channel.basic_publish_confirm(channel.prepare_message(
                    body, content_type=content_type, content_encoding=encoding,
                    headers=kwargs.get("extra_headers", {}),
                    properties={"delivery_mode": self.delivery_mode,
                                "reply_to": kwargs["reply_to"],
                                "correlation_id": kwargs["correlation_id"]}),
                    exchange=kwargs["exchange"].name, routing_key=kwargs["routing_key"],
                    mandatory=True)
            finally:
                channel.events["basic_return"].discard(note)

        if not _publish(_pool(self.amqp_uri, self.ssl, self.login_method, True), publish):
            return super().publish(payload, **kwargs)
        if returned:
            raise UndeliverableMessage()
        return None
