"""The envelope every hoagiai event travels in, and the registry of payload schemas.

An event is a fact in the past tense (`case.received`). Its payload schema is
registered per (type, version) by the modules beside this one; publishing or
consuming an unregistered type is an error, so the contract cannot drift silently.
"""

import uuid
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.common.errors import ValidationError, parse
from services.common.ids import new_uuid
from services.common.vocabulary import GeoVersion

_SCHEMAS: dict[tuple[str, int], type[BaseModel]] = {}


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: uuid.UUID
    type: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=64)
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    unit_code: str | None = Field(default=None, max_length=16)
    geo_version: GeoVersion | None = None
    # Order of events about one aggregate (a case, a team): consumers use it to
    # ignore a stale event that arrives after a newer one.
    aggregate_id: str | None = Field(default=None, max_length=64)
    sequence: int | None = Field(default=None, ge=0)
    correlation_id: str | None = Field(default=None, max_length=64)
    payload: dict


class InvalidEvent(Exception):
    """An event the service built breaks its own contract: a bug, not a bad input."""


def register(event_type: str, version: int = 1):
    """Class decorator: `@register("case.received")` on the payload's pydantic model."""

    def decorator(model: type[BaseModel]) -> type[BaseModel]:
        _SCHEMAS[(event_type, version)] = model
        return model

    return decorator


def payload_schema(event_type: str, version: int = 1) -> type[BaseModel]:
    try:
        return _SCHEMAS[(event_type, version)]
    except KeyError:
        raise ValidationError(
            f"unknown event type {event_type} v{version}", field="type"
        ) from None


def new_event(
    event_type: str,
    payload: dict,
    *,
    unit_code: str | None = None,
    geo_version: GeoVersion | None = None,
    version: int = 1,
    aggregate_id: str | None = None,
    sequence: int | None = None,
    correlation_id: str | None = None,
    occurred_at: datetime | None = None,
) -> Envelope:
    """Build a validated envelope; the payload is checked against its registered schema.

    The service builds this payload itself from input it already accepted, so a payload
    that fails its schema is our fault, not the client's: it raises `InvalidEvent`, which
    reaches the client as an internal error and is logged at ERROR, never as a refusal."""
    try:
        body = parse(payload_schema(event_type, version), payload).model_dump(mode="json")
    except ValidationError as exc:
        raise InvalidEvent(f"{event_type} v{version}: {exc.message}") from None
    return Envelope(
        id=new_uuid(),
        type=event_type,
        version=version,
        occurred_at=occurred_at or datetime.now(UTC),
        unit_code=unit_code,
        geo_version=geo_version,
        aggregate_id=aggregate_id,
        sequence=sequence,
        correlation_id=correlation_id,
        payload=body,
    )


def parse_event(data: dict) -> tuple[Envelope, BaseModel]:
    """Validate a received event: the envelope, then its payload. Raises ValidationError."""
    envelope = parse(Envelope, data)
    payload = parse(payload_schema(envelope.type, envelope.version), envelope.payload)
    return envelope, payload
