"""A small GraphQL-over-HTTP client for the gateway's tests."""

import requests

from services.gateway.auth import Tokens
from tests.support import gateway_backends as doubles

SECRET = "test-secret-that-is-long-enough-for-production-0123456789"


class GraphQLClient:
    def __init__(self, url: str):
        self.url = url
        self.tokens: dict[str, str] = {}

    def post(self, query: str, variables: dict | None = None, token: str | None = None,
             **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kwargs.pop("headers", {}))
        return requests.post(self.url, json={"query": query, "variables": variables or {}},
                             headers=headers, timeout=15, **kwargs)

    def run(self, query: str, variables: dict | None = None, as_user: str | None = None) -> dict:
        token = self.token(as_user) if as_user else None
        return self.post(query, variables, token).json()

    def token(self, username: str) -> str:
        """A token for a demo user, minted with the test secret (logins are tested apart)."""
        if username not in self.tokens:
            role, scope, team, version = doubles.USERS[username]
            self.tokens[username] = Tokens(SECRET).issue(
                {"username": username, "role": role, "scope_code": scope,
                 "scope_version": version, "team_id": team})
        return self.tokens[username]

    def login(self, username: str, password: str) -> dict:
        query = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) " \
                "{ token user { username role scopeCode teamId } } }"
        return self.post(query, {"u": username, "p": password}).json()


def codes(body: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
