"""services/common/json_codec.py: orjson where it agrees with the standard library's
JSON and kombu's codec, their answer where it does not."""

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import kombu.serialization
import pytest
from kombu.utils import json as kombu_json

from services.common import json_codec

MARKED = {"at": datetime(2025, 7, 1, 8, 30, tzinfo=UTC), "day": date(2025, 7, 1),
          "amount": Decimal("12.50"), "raw": b"\x00\xff", "text": b"plain"}


def test_amqp_bodies_bring_kombus_types_back():
    assert json_codec.amqp_loads(json_codec.amqp_dumps(MARKED)) == MARKED


@pytest.mark.parametrize("value", [
    MARKED, {"name": "Hoàng Văn Thụ", "n": [1, 2.5, None, True], "nested": {"a": {}}},
    {2024: "a year as a key"}, {"seq": 2**63 - 1, "low": -(2**63)}, [], ""])
def test_amqp_bodies_read_as_kombus_own_codec_reads_them(value):
    """Both ways: a process with kombu's own codec and one with this one understand
    each other (the content type is the same)."""
    ours, theirs = json_codec.amqp_dumps(value), kombu_json.dumps(value)
    assert kombu_json.loads(ours) == kombu_json.loads(theirs)
    assert json_codec.amqp_loads(theirs) == kombu_json.loads(theirs)
    assert json_codec.amqp_loads(memoryview(ours)) == kombu_json.loads(theirs)


def test_amqp_differences_from_kombus_codec_are_the_documented_ones():
    """A UUID travels as its text; an integer beyond 64 bits, encoded exactly, comes back
    as a float (no hoagiai message carries either)."""
    assert json_codec.amqp_loads(json_codec.amqp_dumps({"id": uuid.UUID(int=7)})) == {
        "id": str(uuid.UUID(int=7))}
    assert json_codec.amqp_dumps(2**70) == str(2**70).encode()
    assert json_codec.amqp_loads(json_codec.amqp_dumps(2**70)) == float(2**70)


def test_kombus_json_serializer_is_this_codec():
    import services.common.service  # noqa: F401 (registers it, as every service does)

    content_type, encoding, body = kombu.serialization.dumps({"a": date(2025, 1, 2)}, "json")
    assert (content_type, encoding) == ("application/json", "utf-8")
    assert body == json_codec.amqp_dumps({"a": date(2025, 1, 2)})
    assert kombu.serialization.loads(body, content_type, encoding) == {"a": date(2025, 1, 2)}


@pytest.mark.parametrize("value", [
    {"data": {"case": {"facts": "Tranh chấp đất đai ở thôn Nà Lầu"}}, "errors": None},
    {"n": 2**70}, {"a": [1.5, None]}, {3: "a key that is a number"}])
def test_plain_encode_is_the_standard_librarys_json(value):
    assert json.loads(json_codec.encode(value)) == json.loads(json.dumps(value))


def test_plain_encode_keeps_vietnamese_as_utf8():
    assert json_codec.encode({"x": "Nà Lầu"}) == '{"x":"Nà Lầu"}'.encode()
