import uuid
from datetime import UTC, datetime

import pytest

from services.common.errors import HoagiaiError, ValidationError
from services.common.events import new_event, parse_event
from services.common.events.envelope import InvalidEvent


def heartbeat(**overrides) -> dict:
    body = new_event("system.heartbeat", {"service": "cases"}, unit_code="06400",
                     geo_version="LEGACY").model_dump(mode="json")
    return {**body, **overrides}


def test_a_new_event_round_trips_through_json():
    envelope, payload = parse_event(heartbeat())
    assert envelope.type == "system.heartbeat"
    assert envelope.version == 1
    assert envelope.unit_code == "06400"
    assert envelope.occurred_at.tzinfo is not None
    assert payload.service == "cases"


def test_each_event_gets_its_own_id():
    assert heartbeat()["id"] != heartbeat()["id"]


@pytest.mark.parametrize("field, value", [
    ("id", "not-a-uuid"),
    ("type", "NoDot"),
    ("version", 0),
    ("occurred_at", "2025-01-01T00:00:00"),  # naive: no time zone
    ("geo_version", "V1990"),
    ("payload", "text"),
])
def test_a_malformed_envelope_is_refused_naming_the_field(field, value):
    with pytest.raises(ValidationError) as raised:
        parse_event(heartbeat(**{field: value}))
    assert raised.value.field == field


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        parse_event(heartbeat(extra="x"))


def test_an_unregistered_event_type_is_refused():
    with pytest.raises(InvalidEvent, match="unknown event type"):
        new_event("case.exploded", {})
    with pytest.raises(ValidationError):
        parse_event(heartbeat(type="case.exploded"))


def test_the_payload_is_checked_against_its_schema():
    with pytest.raises(ValidationError) as raised:
        parse_event(heartbeat(payload={"service": 3, "more": 1}))
    assert raised.value.field in {"service", "more"}


def test_a_built_event_that_breaks_its_schema_is_a_fault_not_a_refusal():
    # A refusal (ValidationError) would be answered as BAD_USER_INPUT and counted as a
    # rejected input: the SQLite intake bug hid behind exactly that.
    with pytest.raises(InvalidEvent) as raised:
        new_event("system.heartbeat", {"service": 3})
    assert not isinstance(raised.value, HoagiaiError)


def test_an_explicit_time_and_id_are_kept():
    when = datetime(2024, 5, 1, tzinfo=UTC)
    envelope = new_event("system.heartbeat", {"service": "x"}, occurred_at=when)
    assert envelope.occurred_at == when
    assert isinstance(envelope.id, uuid.UUID)
