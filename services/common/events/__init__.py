"""Event envelope and payload schemas: the one place the event contract lives."""

from services.common.events import system  # noqa: F401  (registers schemas)
from services.common.events.envelope import (
    Envelope,
    new_event,
    parse_event,
    payload_schema,
    register,
)

__all__ = ["Envelope", "new_event", "parse_event", "payload_schema", "register"]
