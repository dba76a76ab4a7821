"""Pure parts of the gateway: tokens, the policy, cost analysis, the SDL file, labels."""

import json
import logging
import time

import jwt
import pytest
from graphql import get_operation_ast, parse

from services.common.errors import Forbidden, NotFound, Unauthenticated
from services.common.logging import JsonFormatter
from services.gateway import metrics, policy
from services.gateway.auth import ANONYMOUS, DEFAULT_SECRET, Principal, Tokens
from services.gateway.limits import LimitExceeded, RateLimiter, measure
from services.gateway.schema import SDL_PATH, schema, sdl

SECRET = "x" * 40
USER = {"username": "commune.06400", "role": "COMMUNE_OFFICER", "scope_code": "06400",
        "scope_version": "LEGACY", "team_id": None}


def test_a_token_round_trips_and_expires():
    tokens = Tokens(SECRET)
    principal = tokens.principal("Bearer " + tokens.issue(USER))
    assert principal.as_actor() == Principal(
        "commune.06400", "COMMUNE_OFFICER", "06400", "LEGACY", None).as_actor()
    assert principal.token_id and principal.issued_at < principal.expires_at  # for logout
    expired = jwt.encode({**USER, "sub": "a", "exp": int(time.time()) - 5}, SECRET, "HS256")
    with pytest.raises(Unauthenticated, match="expired"):
        tokens.verify(expired)
    with pytest.raises(Unauthenticated):
        Tokens("y" * 40).verify(tokens.issue(USER))  # another secret
    assert tokens.principal(None) is ANONYMOUS


def test_a_token_verified_once_still_expires():
    tokens = Tokens(SECRET, ttl_seconds=1)
    token = tokens.issue(USER)
    assert tokens.verify(token).username == "commune.06400"
    assert tokens.verify(token).username == "commune.06400"  # remembered
    time.sleep(2.1)
    with pytest.raises(Unauthenticated, match="expired"):
        tokens.verify(token)


def test_production_refuses_the_default_a_placeholder_or_a_short_secret():
    for secret in ("", DEFAULT_SECRET, "short", "change-me-to-a-long-random-string"):
        with pytest.raises(RuntimeError, match="JWT_SECRET"):
            Tokens(secret, production=True)
    Tokens(SECRET, production=True)
    Tokens("", production=False)  # development falls back to the default


CASE = {"team_id": "t1", "commune_code": "06400", "district_code": "186", "v2025_code": "06401"}


@pytest.mark.parametrize("principal, sees", [
    (Principal("m", "MEDIATOR", "06400", "LEGACY", "t1"), True),
    (Principal("m", "MEDIATOR", "06400", "LEGACY", "t9"), False),
    (Principal("c", "COMMUNE_OFFICER", "06400", "LEGACY"), True),
    (Principal("c", "COMMUNE_OFFICER", "06401", "V2025"), True),
    (Principal("c", "COMMUNE_OFFICER", "06100", "LEGACY"), False),
    (Principal("d", "DISTRICT_OFFICER", "186", "LEGACY"), True),
    (Principal("d", "DISTRICT_OFFICER", "180", "LEGACY"), False),
    (Principal("p", "PROVINCE_OFFICER", "20", "LEGACY"), True),
    (Principal("v", "VIEWER", "20", "LEGACY"), False),
    (ANONYMOUS, False),
])
def test_scope(principal, sees):
    assert policy.in_scope(principal, CASE) is sees


def test_not_found_is_forbidden_except_for_the_province():
    with pytest.raises(Forbidden):
        policy.authorize(Principal("c", "COMMUNE_OFFICER", "06400"), "read_cases", None)
    with pytest.raises(NotFound):
        policy.authorize(Principal("p", "PROVINCE_OFFICER", "20"), "read_cases", None)
    with pytest.raises(Unauthenticated):
        policy.authorize(ANONYMOUS, "read_cases", CASE)


def test_personal_data_only_for_the_handling_team_and_commune():
    assert policy.personal_data_allowed(Principal("m", "TEAM_LEADER", "06400", None, "t1"), CASE)
    assert policy.personal_data_allowed(Principal("c", "COMMUNE_OFFICER", "06400"), CASE)
    assert not policy.personal_data_allowed(Principal("d", "DISTRICT_OFFICER", "186"), CASE)
    assert not policy.personal_data_allowed(Principal("p", "PROVINCE_OFFICER", "20"), CASE)


def _measure(query: str, variables=None):
    document = parse(query)
    return measure(schema.graphql_schema, document, get_operation_ast(document), variables)


def test_cost_counts_aliases_and_page_sizes():
    one = _measure("{ cases(first: 10) { edges { node { id } } } }")
    two = _measure("{ a: cases(first: 10) { edges { node { id } } } "
                   "b: cases(first: 10) { edges { node { id } } } }")
    big = _measure("query($n: Int) { cases(first: $n) { edges { node { id } } } }", {"n": 100})
    assert two[1] == 2 * one[1] and big[1] > 9 * one[1] and one[0] == 4
    with pytest.raises(LimitExceeded) as refused:
        _measure("{ cases(first: 1000) { totalCount } }")
    assert refused.value.code == "PAGE_SIZE_TOO_LARGE"


def test_fragments_count_like_inline_fields():
    inline = _measure("{ team(id: 1) { mediators { id fullName } } }")
    spread = _measure("{ team(id: 1) { ...F } } fragment F on Team { mediators { id fullName } }")
    assert inline == spread


def test_the_token_bucket_refuses_past_the_burst_and_refills():
    slow = RateLimiter(rate=0.001, burst=1)
    slow.take("a")
    with pytest.raises(LimitExceeded) as refused:
        slow.take("a")
    assert (refused.value.code, refused.value.status) == ("RATE_LIMITED", 429)
    slow.take("b")  # another caller has its own bucket
    off = RateLimiter(rate=0, burst=0)
    for _ in range(1000):
        off.take("a")  # 0: no limit
    fast = RateLimiter(rate=1000, burst=1)
    fast.take("a")
    time.sleep(0.01)
    fast.take("a")


def test_schema_graphql_matches_the_code():
    """Regenerate with `python -m services.gateway.schema` after changing the schema."""
    with open(SDL_PATH) as f:
        assert f.read() == sdl(), "services/gateway/schema.graphql is stale"


def test_operation_labels_are_bounded(monkeypatch):
    monkeypatch.setattr(metrics.operation_label, "seen", set())  # this process's stay untouched
    assert metrics.operation_label(None) == "anonymous"
    assert metrics.operation_label("bad name!") == "anonymous"
    for n in range(metrics.MAX_NAMES + 5):
        metrics.operation_label(f"Op{n}")
    assert len(metrics.operation_label.seen) <= metrics.MAX_NAMES
    assert metrics.operation_label("OneMoreNewName") == "anonymous"


class _Worker:
    data = {"correlation_id": "req-7"}


def _run_worker(worker_ctx, record):  # named like nameko's container method
    return JsonFormatter().format(record)


def test_log_lines_carry_the_workers_correlation_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert json.loads(_run_worker(_Worker(), record))["correlation_id"] == "req-7"
    assert "correlation_id" not in json.loads(JsonFormatter().format(record))
