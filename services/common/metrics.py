"""Prometheus metrics: one registry per process (the default one, which carries the
process collectors), RED metrics for every entrypoint, and the /metrics response."""

import time
from collections.abc import Callable

from nameko.extensions import DependencyProvider
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from werkzeug.wrappers import Response

from services.common.errors import HoagiaiError

# Milliseconds matter here: an RPC costs ~2-4 ms on this stack.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

ENTRYPOINT_REQUESTS = Counter(
    "hoagiai_entrypoint_requests_total",
    "Entrypoint calls (RPC, event handler, HTTP route, timer) by outcome.",
    ["service", "kind", "entrypoint", "outcome"],
)
ENTRYPOINT_LATENCY = Histogram(
    "hoagiai_entrypoint_duration_seconds",
    "Entrypoint latency.",
    ["service", "kind", "entrypoint"],
    buckets=LATENCY_BUCKETS,
)

# The event pipeline, for every service with an outbox or a consumer (docs/contracts.md).
OUTBOX_BACKLOG = Gauge("hoagiai_outbox_backlog", "Outbox events not yet published.",
                       ["service"])
OUTBOX_OLDEST_AGE = Gauge("hoagiai_outbox_oldest_age_seconds",
                          "Age of the oldest unpublished outbox event.", ["service"])
OUTBOX_PUBLISH_FAILURES = Counter("hoagiai_outbox_publish_failures_total",
                                  "Relay runs that failed to publish to the broker.",
                                  ["service"])
EVENTS_CONSUMED = Counter("hoagiai_events_consumed_total",
                          "Events handled by a consumer, by result.",
                          ["service", "event_type", "result"])
CONSUMED_RESULTS = ("applied", "duplicate", "stale", "failed")


def event_consumed(service: str, event_type: str, result: str) -> None:
    """Count a consumed event once its transaction is settled; `result` in CONSUMED_RESULTS."""
    if result not in CONSUMED_RESULTS:
        raise ValueError(f"unknown result {result}")
    EVENTS_CONSUMED.labels(service, event_type, result).inc()


class BoundedLabel:
    """A label's values kept to a bounded set, so a metric's series stay few: a value that
    is not a string, fails `valid`, or is new once `limit` values were seen in this
    process, becomes `fallback`. The set is per process, as the registry is."""

    def __init__(self, limit: int, valid: Callable[[str], object], fallback: str = "unknown"):
        self.limit, self.valid, self.fallback = limit, valid, fallback
        self.seen: set[str] = set()

    def __call__(self, value: object) -> str:
        if not (isinstance(value, str) and value and self.valid(value)):
            return self.fallback
        if value not in self.seen:
            if len(self.seen) >= self.limit:
                return self.fallback
            self.seen.add(value)
        return value


# The V2025 communes of Lạng Sơn (65; a guard of 70 codes in one process), or "unknown".
V2025_COMMUNE = BoundedLabel(70, lambda code: len(code) == 5 and code.isdigit())


KINDS = {"Rpc": "rpc", "EventHandler": "event", "HttpRequestHandler": "http", "Timer": "timer"}


def outcome_of(exc_info) -> str:
    if exc_info is None:
        return "ok"
    return "rejected" if isinstance(exc_info[1], HoagiaiError) else "error"


class Instrumentation(DependencyProvider):
    """Times every worker of the service and counts it by outcome (RED)."""

    def setup(self) -> None:
        self.started: dict = {}

    def worker_setup(self, worker_ctx) -> None:
        self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        started = self.started.pop(worker_ctx, None)
        if started is None:
            return
        entrypoint = worker_ctx.entrypoint
        kind = KINDS.get(type(entrypoint).__name__, type(entrypoint).__name__.lower())
        labels = (worker_ctx.service_name, kind, entrypoint.method_name)
        ENTRYPOINT_LATENCY.labels(*labels).observe(time.perf_counter() - started)
        ENTRYPOINT_REQUESTS.labels(*labels, outcome_of(exc_info)).inc()


def metrics_response() -> Response:
    return Response(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
