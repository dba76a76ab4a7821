"""Token revocations in a replica's memory, and the client address behind proxies."""

import time
from datetime import UTC, datetime

import pytest

from services.common.errors import ServiceUnavailable, Unauthenticated
from services.gateway.auth import Revocations, Tokens, client_address, trusted_networks

USER = {"username": "officer", "role": "PROVINCE_OFFICER", "scope_code": "20",
        "scope_version": "V2025", "team_id": None}


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


@pytest.fixture
def tokens():
    revocations = Revocations()
    revocations.load([])
    return Tokens("a-test-secret-of-enough-length-0123456789", revocations=revocations)


def test_a_revoked_token_is_refused_and_others_are_not(tokens):
    token, other = tokens.issue(USER), tokens.issue(USER)
    principal = tokens.verify(token)  # verified once: cached
    tokens.revocations.add({"username": "officer", "token_id": principal.token_id,
                            "expires_at": iso(principal.expires_at)})
    with pytest.raises(Unauthenticated):
        tokens.verify(token)
    assert tokens.verify(other).username == "officer"


def test_every_token_issued_before_a_time_is_refused(tokens):
    old = tokens.issue(USER)
    tokens.revocations.add({"username": "officer", "issued_before": iso(time.time() + 1),
                            "expires_at": iso(time.time() + 3600)})
    with pytest.raises(Unauthenticated):
        tokens.verify(old)


def test_tokens_are_refused_until_the_revocations_are_known():
    tokens = Tokens("a-test-secret-of-enough-length-0123456789", revocations=Revocations())
    with pytest.raises(ServiceUnavailable):
        tokens.verify(tokens.issue(USER))


TRUSTED = trusted_networks("10.0.0.0/8, 192.168.1.5")


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("203.0.113.9", None, "203.0.113.9"),
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # an untrusted peer: header ignored
    ("10.1.2.3", "198.51.100.1", "198.51.100.1"),
    ("10.1.2.3", "6.6.6.6, 198.51.100.1, 192.168.1.5", "198.51.100.1"),  # right-most untrusted
    ("10.1.2.3", "10.9.9.9", "10.1.2.3"),  # only proxies: the peer
    ("10.1.2.3", "not-an-address", "not-an-address"),
])
def test_the_client_address(peer, forwarded, expected):
    assert client_address(peer, forwarded, TRUSTED) == expected


def test_a_bad_trusted_proxy_setting_stops_the_start():
    with pytest.raises(ValueError):
        trusted_networks("10.0.0.0/8, nonsense")
