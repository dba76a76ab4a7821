"""Reporting's metrics (names and labels from docs/contracts.md).

`hoagiai_events_consumed_total` is shared by every consumer: if another module of the
process registered it first (common.metrics), that collector is reused.
"""

from prometheus_client import REGISTRY, Counter, Gauge, Histogram

LAG_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def _shared(name: str, factory):
    existing = REGISTRY._names_to_collectors.get(name)  # noqa: SLF001 (no public lookup)
    return existing if existing is not None else factory()


EVENTS_CONSUMED = _shared("hoagiai_events_consumed_total", lambda: Counter(
    "hoagiai_events_consumed_total", "Events consumed, by result.",
    ["service", "event_type", "result"]))
PROJECTION_LAG = Histogram(
    "hoagiai_projection_lag_seconds", "Now minus occurred_at of a live event when applied.",
    ["event_type"], buckets=LAG_BUCKETS)
DEAD_LETTERS = Gauge("hoagiai_dead_letters", "Dead letters not yet replayed.", ["service"])
HOTSPOTS_ACTIVE = Gauge("hoagiai_hotspots_active", "Open hot-spot episodes.",
                        ["district", "category"])
