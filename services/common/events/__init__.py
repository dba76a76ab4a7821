"""Event envelope and payload schemas: the one place the event contract lives."""

from services.common.events import cases, system, teams  # noqa: F401  (register schemas)
from services.common.events.envelope import (
    Envelope,
    new_event,
    parse_event,
    payload_schema,
    register,
)

__all__ = ["Envelope", "new_event", "parse_event", "payload_schema", "register"]
