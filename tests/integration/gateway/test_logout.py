"""Logout and the login throttle through the public API, on the real teams service (cases
and reporting are doubles): a token revoked through one gateway replica is refused by
another within a second; throttled logins say when to retry; X-Forwarded-For names the
client only behind a trusted proxy (the first replica trusts the test's own address, the
second trusts nobody)."""

import time

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.gateway.service import GatewayService
from services.teams.service import TeamsService
from tests.integration.teams.conftest import ACTOR
from tests.support import gateway_backends as doubles
from tests.support.gateway_client import SECRET, GraphQLClient

PASSWORD = "a-long-pass-phrase"
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
    token user { username } } }"""
ME = "{ me { username } }"
LOGOUT = "mutation { logout { revoked } }"


@pytest.fixture
def replicas(container_factory, rabbit_config, service_config):
    teams = service_config("teams", LOGIN_THROTTLE={"per_user": 5, "per_address": 3,
                                                    "window_seconds": 60})
    container_factory(TeamsService, teams).start()
    for double in (doubles.CasesDouble, doubles.ReportingDouble):
        container_factory(double, rabbit_config).start()
    clients = []
    for trusted in ("127.0.0.1", ""):
        gateway = container_factory(GatewayService, service_config(
            "gateway", JWT_SECRET=SECRET, TRUSTED_PROXIES=trusted,
            LIMITS={"rate_per_second": 1000, "rate_burst": 1000}))
        gateway.start()
        clients.append(GraphQLClient(f"http://{gateway.config['WEB_SERVER_ADDRESS']}/graphql"))
    with ServiceRpcProxy("teams", teams, timeout=30) as rpc:
        rpc.create_user({"username": "officer.x", "password": PASSWORD,
                         "role": "PROVINCE_OFFICER", "scope_code": "20"}, ACTOR)
    return clients


def login(client, password=PASSWORD, address=None) -> dict:
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post(LOGIN, {"u": "officer.x", "p": password}, headers=headers).json()


def code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"] if body.get("errors") else "OK"


def test_a_token_revoked_on_one_replica_is_refused_by_the_other_within_a_second(replicas):
    first, second = replicas
    body = login(first)
    assert body.get("data") and body["data"]["login"], body
    token = body["data"]["login"]["token"]
    assert second.post(ME, token=token).json()["data"]["me"]["username"] == "officer.x"
    assert first.post(LOGOUT, token=token).json()["data"]["logout"]["revoked"] is True
    assert first.post(ME, token=token).status_code == 401  # at once where it was revoked
    deadline = time.monotonic() + 1.0
    while second.post(ME, token=token).status_code != 401:
        assert time.monotonic() < deadline, "the other replica still takes the token"
        time.sleep(0.05)
    again = login(second)["data"]["login"]["token"]  # a new login is a new token
    assert first.post(ME, token=again).json()["data"]["me"]["username"] == "officer.x"


def test_logout_needs_a_login(replicas):
    body = replicas[0].post(LOGOUT).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_throttled_login_says_when_to_retry(replicas):
    trusting = replicas[0]
    bodies = [login(trusting, "wrong", f"203.0.113.{n}") for n in range(6)]
    assert [code(b) for b in bodies] == ["UNAUTHENTICATED"] * 5 + ["TOO_MANY_ATTEMPTS"]
    assert 1 <= bodies[-1]["errors"][0]["extensions"]["retryAfter"] <= 60


@pytest.mark.parametrize("replica, fourth", [(0, "OK"), (1, "TOO_MANY_ATTEMPTS")])
def test_forwarded_for_names_the_client_only_behind_a_trusted_proxy(replicas, replica, fourth):
    """3 failures from 3 forwarded addresses: behind the trusted proxy they are 3 clients
    (under the cap of 3 per address); sent straight to the other replica they are the
    test's one address, which the cap then refuses."""
    client = replicas[replica]
    assert [code(login(client, "wrong", f"203.0.113.{n}")) for n in range(3)] == \
        ["UNAUTHENTICATED"] * 3
    assert code(login(client, PASSWORD, "198.51.100.7")) == fourth
