"""System queries: the health of every backend service, and whether the figures are
complete (the reporting pipeline)."""

import time

import eventlet
import graphene
from nameko.exceptions import UnknownService

from services.gateway.schema.common import ctx
from services.gateway.schema.permissions import public, requires

BACKENDS = ("cases", "teams", "reporting")


class ServiceHealth(graphene.ObjectType):
    service = graphene.String(required=True)
    status = graphene.String(required=True, description="up, degraded or down")
    latency_ms = graphene.Float(description="round trip of the health RPC; null when down")
    detail = graphene.String()


class Pipeline(graphene.ObjectType):
    """Whether reporting's figures include every event written so far. While a first
    load is under way or reporting is behind, the figures are partial."""

    caught_up = graphene.Boolean(
        required=True, description="true when the figures include every event written")
    pending_events = graphene.Int(
        required=True, description="events written but not yet in the figures (waiting "
        "to be published, queued for reporting, or deferred to its bulk build)")


class SystemQueries(graphene.ObjectType):
    health = graphene.List(graphene.NonNull(ServiceHealth), required=True)
    pipeline = graphene.Field(Pipeline, required=True,
                              description="public: whether the figures are complete yet")

    @requires("read_aggregates")
    def resolve_pipeline(root, info):
        state = ctx(info).call("reporting", "pipeline")
        return Pipeline(caught_up=state["caught_up"], pending_events=state["pending_events"])

    @public  # the state of each service, as the probes see it: no data
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
