"""Entrypoints every hoagiai service has: the `health` RPC, `/metrics` and the probes.

A service class inherits `ServiceBase`, sets `name`, and declares `db = Database(name)`
if it owns a database (the gateway does not).
"""

import contextlib
import inspect
import json
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import kombu.serialization
from kombu import Connection
from nameko import events as nameko_events
from nameko import rpc as nameko_rpc
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
    SERIALIZER_CONFIG_KEY,
)
from nameko.dependency_providers import Config
from nameko.exceptions import UnserializableValueError
from nameko.exceptions import serialize as nameko_serialize
from nameko.extensions import DependencyProvider
from nameko.messaging import QueueConsumer
from nameko.utils import sanitize_url
from nameko.web.handlers import http
from sqlalchemy import Table, insert
from werkzeug.wrappers import Response

from services.common import audit, rpc_publish
from services.common.db import ping
from services.common.errors import REFUSALS, HoagiaiError, parse
from services.common.json_codec import amqp_dumps, register_amqp_json
from services.common.metrics import Instrumentation, metrics_response
from services.common.queues import declare_shared, shared_queue
from services.common.remembered import Remembered
from services.common.rpc_publish import ReplyPublisher, RequestPublisher
from services.common.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
register_amqp_json()  # every service and the gateway import this module


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


# RPC messages are kept in memory by the broker, and replies are neither confirmed to the
# replying service nor acknowledged by the caller (`_QueueConsumer.get_consumers`): a
# request or reply lost with the broker ends in its caller's timeout anyway (writes carry
# idempotency keys), while writing each to disk and waiting for each reply's confirm cost
# CPU on every call (docs/performance.md). Requests stay confirmed:
# nameko publishes them `mandatory`, and only a confirmed publish tells at once that no
# queue took it (UnknownService); unconfirmed, the broker's return of such a request would
# surface as an error in a later, unrelated call on the same connection.


class _QueueConsumer(QueueConsumer):
    """nameko's, where a worker's ack or requeue on a connection that has just died is
    dropped, as nameko drops one on a connection it already knows is closed: the broker
    takes the message back and delivers it again (handlers are idempotent). nameko catches
    only amqp's ConnectionError; the socket's own (ConnectionResetError, BrokenPipeError),
    raised when a broker node dies as a worker finishes, escape from the worker thread,
    and nameko then kills the container: the process exits. Every entrypoint below uses
    this class, so a container still shares one consumer connection.
    Its reconnection warning hides every node's password (nameko's, only the first)."""

    def ack_message(self, message):
        with contextlib.suppress(OSError):
            super().ack_message(message)

    def requeue_message(self, message):
        with contextlib.suppress(OSError):
            super().requeue_message(message)

    def on_connection_error(self, exc, interval):
        log.warning("Error connecting to broker at %s (%s). Retrying in %s seconds.",
                    ";".join(map(sanitize_url, self.amqp_uri.split(";"))), exc, interval)

    def get_consumers(self, consumer_cls, channel):
        """nameko's, with RPC replies consumed without acknowledgements: a reply is in
        memory on one node either way (`_ReplyListener`), and its ack was one more frame
        for the process and the broker on every RPC."""
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():  # kombu reads it at consume()
            consumer.no_ack = isinstance(provider, nameko_rpc.ReplyListener)
        return consumers

    def handle_message(self, provider, body, message):
        """A reply only wakes its caller: handled here, not in a worker thread of its own
        (nameko spawns one per message). An event a service's `EventGate` turns away is
        acknowledged here too."""
        if isinstance(provider, nameko_rpc.ReplyListener):
            provider.handle_message(body, message)
        elif isinstance(provider, EventHandler) and not provider.passes(body):
            self.ack_message(message)
        else:
            super().handle_message(provider, body, message)


def rpc_proxy(service: str) -> nameko_rpc.RpcProxy:
    return _RpcProxy(service, delivery_mode=NON_PERSISTENT)


class _ReplyListener(nameko_rpc.ReplyListener):
    """nameko's, with a non-durable reply queue. nameko declares it durable, and in a
    cluster a durable classic queue whose node died can be declared nowhere else until
    that node is back (404): the process could not reconnect. A non-durable one is
    dropped with its node and declared again on the node the process fails over to;
    replies are in memory either way (see above)."""

    queue_consumer = _QueueConsumer()

    def setup(self):
        super().setup()
        self.queue.durable = False

    def stop(self):
        super().stop()
        rpc_publish.close(self.container.config[AMQP_URI_CONFIG_KEY])


class _MethodProxy(nameko_rpc.MethodProxy):
    publisher_cls = RequestPublisher  # services/common/rpc_publish.py


class _ServiceProxy(nameko_rpc.ServiceProxy):
    def __getattr__(self, name):
        return _MethodProxy(self.worker_ctx, self.service_name, name, self.reply_listener,
                            **self.options)


class _RpcProxy(nameko_rpc.RpcProxy):
    """nameko's, publishing requests with `RequestPublisher`, replies coming back to
    `_ReplyListener`."""

    rpc_reply_listener = _ReplyListener()

    def get_dependency(self, worker_ctx):
        return _ServiceProxy(worker_ctx, self.target_service, self.rpc_reply_listener,
                             **self.options)


class _Responder(nameko_rpc.Responder):
    """nameko's, publishing with `ReplyPublisher` (services/common/rpc_publish.py), and
    encoding a JSON reply once: nameko serialises the result to check that it can, throws
    that away, and serialises the whole reply again to publish it (two `json.dumps` of a
    15–70 KB teams read). Here the checked text goes into the body as it is; other
    serializers take nameko's way."""

    publisher_cls = ReplyPublisher

    def send_response(self, result, exc_info):
        content_type = self.message.properties["content_type"]
        if kombu.serialization.registry.type_to_name[content_type] != "json":
            return super().send_response(result, exc_info)
        error = None if exc_info is None else nameko_serialize(exc_info[1])
        try:
            result_text = amqp_dumps(result)
        except Exception:  # as nameko: the caller gets the error, the container lives on
            exc_info = sys.exc_info()
            error, result, result_text = nameko_serialize(UnserializableValueError(result)), \
                None, b"null"
        body = b'{"result":' + result_text + b',"error":' + amqp_dumps(error) + b"}"
        publisher = self.publisher_cls(self.amqp_uri, ssl=self.ssl,
                                       login_method=self.login_method)
        publisher.publish_reply(body, self.exchange.name, self.message.properties["reply_to"],
                                self.message.properties.get("correlation_id"))
        return result, exc_info


class _RpcConsumer(nameko_rpc.RpcConsumer):
    """nameko's, replying with `_Responder` (see above), its `rpc-<service>` queue of the
    type AMQP_QUEUE_TYPE says (services/common/queues.py)."""

    queue_consumer = _QueueConsumer()

    def setup(self):
        super().setup()
        self.queue = shared_queue(self.queue, self.container.config)
        declare_shared(self.queue, self.container.config)

    def stop(self):
        super().stop()
        rpc_publish.close(self.container.config[AMQP_URI_CONFIG_KEY])

    def handle_result(self, message, result, exc_info):
        config = self.container.config
        responder = _Responder(
            config[AMQP_URI_CONFIG_KEY], nameko_rpc.get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY), login_method=config.get(LOGIN_METHOD_CONFIG_KEY))
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class Rpc(nameko_rpc.Rpc):
    """nameko's, with typed refusals as expected exceptions (logged as refusals, not faults)."""

    rpc_consumer = _RpcConsumer()

    def __init__(self, expected_exceptions=REFUSALS, **kwargs):
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)


rpc = Rpc.decorator


class EventHandler(nameko_events.EventHandler):
    """nameko's; a queue shared by the service's replicas (not a broadcast handler's,
    nor one that goes with its consumer) is of the type AMQP_QUEUE_TYPE says."""

    queue_consumer = _QueueConsumer()

    def setup(self):
        super().setup()
        if self.handler_type != nameko_events.BROADCAST and self.reliable_delivery:
            self.queue = shared_queue(self.queue, self.container.config)
            declare_shared(self.queue, self.container.config)
        self.gates = [d for d in self.container.dependencies if isinstance(d, EventGate)]

    def passes(self, body) -> bool:
        return all(gate.passes(self.event_type, body) for gate in self.gates)


event_handler = EventHandler.decorator


class EventGate(DependencyProvider):
    """A service's say on each delivered event before nameko spawns a thread and a worker
    for it (≈ 0.4 ms of CPU): `passes(event_type, body)` False acknowledges it at once."""

    def passes(self, event_type: str, body) -> bool:
        return True

    def get_dependency(self, worker_ctx):
        return self


class CallerProvider(DependencyProvider):
    """The `audit.Caller` of an RPC that names its `actor` (None for any other worker);
    when such an RPC is refused, the service's `audit_refusal` records it."""

    def setup(self) -> None:
        self._signatures: dict[str, inspect.Signature] = {}

    def _arguments(self, worker_ctx) -> dict:
        if not isinstance(worker_ctx.entrypoint, Rpc):
            return {}
        name = worker_ctx.entrypoint.method_name
        if (signature := self._signatures.get(name)) is None:
            method = getattr(self.container.service_cls, name)
            signature = self._signatures[name] = inspect.signature(method)
        try:
            return signature.bind(None, *worker_ctx.args, **worker_ctx.kwargs).arguments
        except TypeError:  # nameko refuses the call itself
            return {}

    def get_dependency(self, worker_ctx) -> audit.Caller | None:
        arguments = self._arguments(worker_ctx)
        if "actor" not in arguments:
            return None
        return audit.Caller.of(arguments, worker_ctx.entrypoint.method_name,
                               worker_ctx.data.get("correlation_id"))

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        if exc_info is None or not isinstance(exc_info[1], HoagiaiError):
            return
        if (caller := self.get_dependency(worker_ctx)) is not None:
            worker_ctx.service.audit_refusal(caller, exc_info[1])


class ServiceBase:
    name: str
    config = Config()
    instrumentation = Instrumentation()
    caller = CallerProvider()
    audit_table: Table | None = None  # services with a database: their `audit_log`

    def read(self, work: Callable):
        """`work(session)` in a read-only session of the service's database."""
        with self.db() as session:
            return work(session)

    def write(self, work: Callable, single_statement: bool = False):
        """`work(uow)` in one unit of work (below); its result."""
        with self.unit_of_work(single_statement) as uow:
            return work(uow)

    @contextlib.contextmanager
    def unit_of_work(self, single_statement: bool = False) -> Iterator[UnitOfWork]:
        """One command's transaction (services with an outbox: `relay`). After the
        commit, `committed(uow)` sees what it raised. `single_statement`: for work that
        writes in one statement (see `Database.single_statement`)."""
        sessions = self.db.single_statement if single_statement else self.db
        with sessions.begin() as session:
            uow = self.new_unit_of_work(session)
            yield uow
            if uow.caller is not None and not uow.audited:  # a write that raised no event
                uow.audit()
            uow.finish()
        self.committed(uow)

    def new_unit_of_work(self, session) -> UnitOfWork:
        return UnitOfWork(session, self.relay.table, self.audit_table, self.caller)

    def audit_refusal(self, caller: audit.Caller, error: HoagiaiError) -> None:
        """The audit entry of a refused RPC (its transaction, if any, rolled back)."""
        if self.audit_table is None:
            return
        try:
            with self.db.begin() as session:
                session.execute(insert(self.audit_table),
                                caller.entry(datetime.now(UTC), outcome=error.code))
        except Exception:  # the refusal stands; the missing entry is logged, once
            log.exception("could not record the audit entry of a refused %s", caller.action)

    @rpc
    def audit_log(self, filters: dict) -> dict:
        """A page of this service's audit trail (services/common/audit.py)."""
        if self.audit_table is None:
            return {"total": 0, "items": []}
        args = parse(audit.PageArgs, filters)
        return self.read(lambda session: audit.page(
            session, self.audit_table, self.name, **args.model_dump()))

    def committed(self, uow: UnitOfWork) -> None:
        """Called after a unit of work commits (metrics on its events)."""

    def checks(self) -> dict[str, str]:
        """Each dependency's state: "up" or the reason it is down."""
        results = {"broker": _broker_state(self.config["AMQP_URI"])}
        sessions = getattr(self, "db", None)
        if sessions is not None:
            results["database"] = _database_state(sessions)
        return results

    @rpc
    def health(self) -> dict:
        checks = self.checks()
        up = all(state == "up" for state in checks.values())
        return {"service": self.name, "status": "up" if up else "degraded", "checks": checks}

    @http("GET", "/metrics")
    def metrics(self, request) -> Response:
        return metrics_response()

    @http("GET", "/health/live")
    def live(self, request) -> Response:
        return _json({"status": "up"})

    @http("GET", "/health/ready")
    def ready(self, request) -> Response:
        checks = self.checks()
        up = all(state == "up" for state in checks.values())
        return _json({"status": "up" if up else "down", "checks": checks}, 200 if up else 503)


BROKER_CHECK_TTL = 1.0  # seconds; the database check's too
# apart, so that a slow broker check does not hold up the database's
_broker_checks, _database_checks = Remembered(), Remembered()


def _broker_state(amqp_uri: str) -> str:
    """Whether a new connection to the broker opens, remembered for a second: opening
    one per health call made the `health` query cost 8 RPC round trips' worth."""
    return _broker_checks.get(amqp_uri, BROKER_CHECK_TTL,
                              lambda: _check(lambda: _ping_broker(amqp_uri)))


def _database_state(sessions) -> str:
    """Whether the service's database answers `SELECT 1`, remembered for a second like the
    broker's (for the engine it was asked of): with it, each `health` RPC cost ≈ 1.5 ping
    RPCs of CPU (docs/performance.md)."""
    engine = sessions.kw["bind"]
    return _database_checks.get((id(sessions), id(engine)), BROKER_CHECK_TTL,
                                lambda: _check(lambda: ping(engine)))


def _ping_broker(amqp_uri: str) -> None:
    with Connection(amqp_uri, connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=1)


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # a health check reports, it never raises
        return f"down: {type(exc).__name__}: {exc}"[:200]
    return "up"
