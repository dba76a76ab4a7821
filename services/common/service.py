"""Entrypoints every hoagiai service has: the `health` RPC, `/metrics` and the probes.

A service class inherits `ServiceBase`, sets `name`, and declares `db = Database(name)`
if it owns a database (the gateway does not).
"""

import json

from kombu import Connection
from nameko.dependency_providers import Config
from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from services.common.db import ping
from services.common.metrics import Instrumentation, metrics_response


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


class ServiceBase:
    name: str
    config = Config()
    instrumentation = Instrumentation()

    def checks(self) -> dict[str, str]:
        """Each dependency's state: "up" or the reason it is down."""
        results = {"broker": _check(self._ping_broker)}
        sessions = getattr(self, "db", None)
        if sessions is not None:
            results["database"] = _check(lambda: ping(sessions.kw["bind"]))
        return results

    def _ping_broker(self) -> None:
        with Connection(self.config["AMQP_URI"], connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)

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


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # a health check reports, it never raises
        return f"down: {type(exc).__name__}: {exc}"[:200]
    return "up"
