"""System queries: the health of every backend service."""

import time

import eventlet
import graphene
from nameko.exceptions import UnknownService

BACKENDS = ("cases", "teams", "reporting")


class ServiceHealth(graphene.ObjectType):
    service = graphene.String(required=True)
    status = graphene.String(required=True, description="up, degraded or down")
    latency_ms = graphene.Float(description="round trip of the health RPC; null when down")
    detail = graphene.String()


class SystemQueries(graphene.ObjectType):
    health = graphene.List(graphene.NonNull(ServiceHealth), required=True)

    def resolve_health(root, info):
        rpc, timeout = info.context.rpc, info.context.health_timeout
        deadline = time.monotonic() + timeout
        pending = {}
        for name in BACKENDS:
            try:
                pending[name] = (time.perf_counter(), getattr(rpc, name).health.call_async())
            except UnknownService:
                pending[name] = None
        return [_await(name, pending[name], deadline) for name in BACKENDS]


def _await(name: str, call, deadline: float) -> ServiceHealth:
    if call is None:
        return ServiceHealth(service=name, status="down", detail="no instance is running")
    started, reply = call
    try:
        with eventlet.Timeout(max(0.0, deadline - time.monotonic())):
            result = reply.result()
    except eventlet.Timeout:
        return ServiceHealth(service=name, status="down", detail="no answer in time")
    except Exception as exc:  # the backend answered with an error
        return ServiceHealth(service=name, status="down", detail=type(exc).__name__)
    latency = (time.perf_counter() - started) * 1000
    detail = ", ".join(f"{k}: {v}" for k, v in result["checks"].items() if v != "up") or None
    return ServiceHealth(service=name, status=result["status"], latency_ms=latency, detail=detail)
