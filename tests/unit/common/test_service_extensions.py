"""services/common/service.py: the `health` RPC's database check is remembered for a
second, like the broker's; RPC replies are encoded once."""

import json
import sys

from kombu import Exchange
from nameko.rpc import Responder
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from services.common import remembered, service


def counting_engine():
    engine = create_engine("sqlite://")
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_: statements.append(statement))
    return engine, statements


def test_the_database_check_is_remembered_for_a_second(monkeypatch):
    engine, statements = counting_engine()
    sessions = sessionmaker(engine)
    clock = [100.0]
    monkeypatch.setattr(remembered.time, "monotonic", lambda: clock[0])
    assert service._database_state(sessions) == "up"
    clock[0] += 0.5
    assert service._database_state(sessions) == "up"
    assert len(statements) == 1
    clock[0] += service.BROKER_CHECK_TTL
    assert service._database_state(sessions) == "up"
    assert len(statements) == 2


def test_another_engine_is_checked_at_once():
    engine, statements = counting_engine()
    sessions = sessionmaker(engine)
    assert service._database_state(sessions) == "up"
    sessions.kw["bind"] = object()  # not an engine: the ping fails, nothing remembered hides it
    assert service._database_state(sessions).startswith("down")
    assert len(statements) == 1


class Captured:
    """A publisher (nameko's way) and a `ReplyPublisher` (ours) that keep what they get."""

    published: list = []

    def __init__(self, *_args, **_kwargs):
        pass

    def publish(self, payload, **kwargs):
        Captured.published.append((payload, kwargs))

    def publish_reply(self, body, exchange, routing_key, correlation_id):
        Captured.published.append((body, {"routing_key": routing_key,
                                          "correlation_id": correlation_id}))


class Message:
    properties = {"content_type": "application/json", "reply_to": "rpc.reply-x",
                  "correlation_id": "c-1"}


def reply_of(responder_cls, result, exc_info=None):
    """(the reply's JSON, what the responder returned), with the publisher captured."""
    Captured.published = []
    responder = responder_cls("memory://", Exchange("nameko-rpc"), "json", Message())
    responder.publisher_cls = Captured
    returned = responder.send_response(result, exc_info)
    payload, kwargs = Captured.published[0]
    if isinstance(payload, bytes):  # ours: the JSON as it is published
        payload = json.loads(payload)
    assert kwargs["routing_key"] == "rpc.reply-x" and kwargs["correlation_id"] == "c-1"
    return payload, returned


def test_a_reply_encoded_once_says_what_nameko_says():
    """RPC replies are encoded once (nameko encodes the result twice); same content, same
    outcome for an unserializable result and for an error."""
    try:
        raise ValueError("no")
    except ValueError:
        error = sys.exc_info()
    for result, exc_info in (({"a": [1, "é", None]}, None), (None, error), ({1, 2}, None)):
        ours, ours_returned = reply_of(service._Responder, result, exc_info)
        theirs, theirs_returned = reply_of(type("Plain", (Responder,), {}), result, exc_info)
        assert ours == theirs
        assert ours_returned[0] == theirs_returned[0]
        assert (ours_returned[1] is None) == (theirs_returned[1] is None)
