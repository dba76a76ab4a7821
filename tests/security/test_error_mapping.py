"""Outages found by the chaos scenarios are SERVICE_UNAVAILABLE, not masked 500s."""

from kombu.exceptions import OperationalError
from nameko.exceptions import RemoteError

from services.gateway.errors import classify


def test_an_unreachable_broker_is_service_unavailable():
    """Broker restart: publishing the RPC request raised kombu's OperationalError."""
    assert classify(OperationalError("[Errno 111] ECONNREFUSED"))[0] == "SERVICE_UNAVAILABLE"
    assert classify(ConnectionResetError())[0] == "SERVICE_UNAVAILABLE"


def test_a_backends_database_down_is_service_unavailable():
    """Database restart: the service's SQLAlchemy OperationalError crossed the RPC hop."""
    down = RemoteError("OperationalError", "connection to server failed")
    assert classify(down)[0] == "SERVICE_UNAVAILABLE"
    assert classify(RemoteError("KeyError", "'x'"))[0] == "INTERNAL_SERVER_ERROR"
