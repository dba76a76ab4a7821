"""Event envelope and payload schemas: the one place the event contract lives."""

from services.common.events import (  # noqa: F401  (register schemas)
    cases,
    reporting,
    system,
    teams,
)
from services.common.events.envelope import (
    Envelope,
    new_event,
    parse_event,
    payload_schema,
    register,
)

__all__ = ["Envelope", "new_event", "parse_event", "payload_schema", "register"]
