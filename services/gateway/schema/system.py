"""System queries: the health of every backend service, and whether the figures are
complete (the reporting pipeline)."""

import graphene

from services.gateway.schema.common import ctx
from services.gateway.schema.permissions import public, requires

BACKENDS = ("cases", "teams", "reporting")


class ServiceHealth(graphene.ObjectType):
    service = graphene.String(required=True)
    status = graphene.String(required=True, description="up, degraded or down")
    latency_ms = graphene.Float(
        description="round trip of the health RPC that gave this answer; null when down")
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
    health = graphene.List(
        graphene.NonNull(ServiceHealth), required=True,
        description="each backend's answer to the gateway, remembered for a second: up to "
        "1 s old (a stopped backend shows down within 1 s plus the health timeout)")
    pipeline = graphene.Field(Pipeline, required=True,
                              description="public: whether the figures are complete yet")

    @requires("read_aggregates")
    def resolve_pipeline(root, info):
        state = ctx(info).call("reporting", "pipeline")
        return Pipeline(caught_up=state["caught_up"], pending_events=state["pending_events"])

    @public  # the state of each service, as the probes see it: no data
    def resolve_health(root, info):
        context = ctx(info)
        answers = context.shared.health.answers(
            BACKENDS, lambda name: getattr(context.rpc, name).health.call_async(),
            context.health_timeout)
        return [ServiceHealth(service=name, status=a.status, latency_ms=a.latency_ms,
                              detail=a.detail)
                for name, a in zip(BACKENDS, answers, strict=True)]
