"""Entrypoints every hoagiai service has: the `health` RPC, `/metrics` and the probes.

A service class inherits `ServiceBase`, sets `name`, and declares `db = Database(name)`
if it owns a database (the gateway does not).
"""

import json
import time

from kombu import Connection
from nameko.constants import NON_PERSISTENT
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from services.common.db import ping
from services.common.metrics import Instrumentation, metrics_response


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def rpc_proxy(service: str) -> RpcProxy:
    """An RPC proxy whose requests the broker keeps in memory only: a request lost with
    the broker times out at its caller anyway, and writing each to disk cost broker CPU."""
    return RpcProxy(service, delivery_mode=NON_PERSISTENT)


class ServiceBase:
    name: str
    config = Config()
    instrumentation = Instrumentation()

    def checks(self) -> dict[str, str]:
        """Each dependency's state: "up" or the reason it is down."""
        results = {"broker": _broker_state(self.config["AMQP_URI"])}
        sessions = getattr(self, "db", None)
        if sessions is not None:
            results["database"] = _check(lambda: ping(sessions.kw["bind"]))
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


BROKER_CHECK_TTL = 1.0  # seconds
_broker_checks: dict[str, tuple[float, str]] = {}


def _broker_state(amqp_uri: str) -> str:
    """Whether a new connection to the broker opens, remembered for a second: opening
    one per health call made the `health` query cost 8 RPC round trips' worth."""
    checked_at, state = _broker_checks.get(amqp_uri, (0.0, ""))
    if time.monotonic() - checked_at > BROKER_CHECK_TTL:
        state = _check(lambda: _ping_broker(amqp_uri))
        _broker_checks[amqp_uri] = (time.monotonic(), state)
    return state


def _ping_broker(amqp_uri: str) -> None:
    with Connection(amqp_uri, connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=1)


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # a health check reports, it never raises
        return f"down: {type(exc).__name__}: {exc}"[:200]
    return "up"
