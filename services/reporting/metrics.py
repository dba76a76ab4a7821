"""Reporting's own metrics (names and labels from docs/contracts.md); the consumer
counter `hoagiai_events_consumed_total` is shared, in services.common.metrics."""

from prometheus_client import Gauge, Histogram

from services.common.metrics import EVENTS_CONSUMED

LAG_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

PROJECTION_LAG = Histogram(
    "hoagiai_projection_lag_seconds", "Now minus occurred_at of a live event when applied.",
    ["event_type"], buckets=LAG_BUCKETS)
DEAD_LETTERS = Gauge("hoagiai_dead_letters", "Dead letters not yet replayed.", ["service"])
HOTSPOTS_ACTIVE = Gauge("hoagiai_hotspots_active", "Open hot-spot episodes.",
                        ["commune", "district", "category"])  # V2025 commune, LEGACY district

__all__ = ["DEAD_LETTERS", "EVENTS_CONSUMED", "HOTSPOTS_ACTIVE", "PROJECTION_LAG"]
