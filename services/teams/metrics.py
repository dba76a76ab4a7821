"""The outbox gauges of docs/contracts.md, for the teams relay.

Get-or-create: another service in the same process (tests run them all in one) may have
registered the same metric names; the `service` label keeps them apart.
"""

from prometheus_client import REGISTRY, Counter, Gauge


def _metric(kind, name: str, documentation: str):
    existing = REGISTRY._names_to_collectors.get(name)  # noqa: SLF001 - no public lookup
    return existing if existing is not None else kind(name, documentation, ["service"])


OUTBOX_BACKLOG = _metric(Gauge, "hoagiai_outbox_backlog", "Outbox events not yet published.")
OUTBOX_OLDEST_AGE = _metric(Gauge, "hoagiai_outbox_oldest_age_seconds",
                            "Age of the oldest unpublished outbox event.")
OUTBOX_PUBLISH_FAILURES = _metric(Counter, "hoagiai_outbox_publish_failures_total",
                                  "Relay runs that failed to publish.")
