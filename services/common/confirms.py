"""Publishing a batch of events with pipelined publisher confirms.

nameko's EventDispatcher (kombu with `confirm_publish`) waits for the broker's confirm
after every message: a round trip, and a wake-up of both processes, per event. The outbox
relay instead publishes its whole batch, with one socket write, then waits once while
RabbitMQ confirms it (one ack frame often covers many messages). kombu has no such mode,
so this keeps its own connection with a channel in confirm mode. Messages are those the
dispatcher would send: JSON, persistent, to `<service>.events` with the event type as
routing key; the bodies come as JSON text (the outbox's), so nothing is decoded and
encoded again on the way.
"""

import time

from amqp.method_framing import frame_writer
from kombu import Connection, Exchange
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.extensions import DependencyProvider
from nameko.standalone.events import get_event_exchange


class PublishFailed(Exception):
    """The broker refused (nacked) a message, or did not confirm in time."""


class HeldWrites:
    """A transport's `write` that holds what it is given while `holding`, for `flush` to
    send in one system call (py-amqp writes every message with its own `sendall`)."""

    def __init__(self, transport):
        self.transport = transport
        self.held: list[bytes] = []
        self.holding = False

    def write(self, data) -> None:
        if self.holding:
            self.held.append(bytes(data))  # py-amqp reuses its buffer for the next frame
        else:
            self.transport.write(data)

    def flush(self) -> None:
        self.holding = False
        data, self.held = b"".join(self.held), []
        if data:
            self.transport.write(data)


class BatchPublisher:
    def __init__(self, amqp_uri: str, exchange: Exchange, timeout: float = 10.0):
        self.amqp_uri = amqp_uri
        self.exchange = exchange
        self.timeout = timeout
        self.connection: Connection | None = None
        self.channel = None
        self.published = 0  # delivery tags of this channel so far
        self.unconfirmed: set[int] = set()
        self.refused = False
        self.writes: HeldWrites | None = None

    def publish(self, messages: list[tuple[str, str]]) -> None:
        """Publish every (routing key, JSON text); return once the broker has confirmed
        them all. On any failure the connection is dropped (the next call reconnects) and
        the error raised: the caller publishes the batch again (consumers deduplicate)."""
        properties = {"delivery_mode": self.exchange.delivery_mode}
        try:
            channel = self.channel or self._connect()
            self.writes.holding = True
            for routing_key, body in messages:  # on the channel: kombu's Producer costs 2×
                channel.basic_publish(channel.prepare_message(
                    body.encode(), content_type="application/json", content_encoding="utf-8",
                    properties=properties), exchange=self.exchange.name, routing_key=routing_key)
                self.published += 1
                self.unconfirmed.add(self.published)
            self.writes.flush()
            self._wait_for_confirms()
        except Exception:
            self.close()
            raise

    def _connect(self):
        def writer(connection, transport):
            self.writes = HeldWrites(transport)
            return frame_writer(connection, self.writes)

        self.connection = Connection(self.amqp_uri, connect_timeout=self.timeout,
                                     transport_options={"confirm_publish": False,
                                                        "frame_writer": writer})
        channel = self.connection.channel()
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        self.published, self.unconfirmed, self.refused = 0, set(), False
        self.exchange(channel).declare()  # here: `publish` holds its frames until flushed
        self.channel = channel
        return channel

    def _on_ack(self, tag: int, multiple: bool) -> None:
        if multiple:
            self.unconfirmed = {t for t in self.unconfirmed if t > tag}
        else:
            self.unconfirmed.discard(tag)

    def _on_nack(self, tag: int, multiple: bool) -> None:
        self.refused = True

    def _wait_for_confirms(self) -> None:
        deadline = time.monotonic() + self.timeout
        while self.unconfirmed and not self.refused:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PublishFailed(f"{len(self.unconfirmed)} messages not confirmed "
                                    f"within {self.timeout} s")
            try:
                self.connection.drain_events(timeout=left)
            except TimeoutError:
                continue
        if self.refused:
            raise PublishFailed("the broker refused (nacked) a message")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.collect()  # no goodbye handshake with a broker that may be gone
        self.connection = self.channel = None


class BatchPublisherProvider(DependencyProvider):
    """One `BatchPublisher` per container, to the service's events exchange."""

    def setup(self) -> None:
        config = self.container.config
        self.publisher = BatchPublisher(
            config[AMQP_URI_CONFIG_KEY], get_event_exchange(self.container.service_name, config))

    def stop(self) -> None:
        self.publisher.close()

    def kill(self) -> None:
        self.publisher.close()

    def get_dependency(self, worker_ctx) -> BatchPublisher:
        return self.publisher
