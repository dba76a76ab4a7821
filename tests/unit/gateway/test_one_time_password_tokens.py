"""A token of an account with a one-time password may only change it, log out and read
`me`; a token issued right after an account change is not refused by that change's
revocation, every older one is."""

import time
from datetime import UTC, datetime

import pytest

from services.common.errors import Forbidden, Unauthenticated
from services.gateway import policy
from services.gateway.auth import Revocations, Tokens

USER = {"username": "commune2025.06400", "role": "COMMUNE_OFFICER", "scope_code": "06400",
        "scope_version": "V2025", "team_id": None}


@pytest.fixture
def tokens():
    revocations = Revocations()
    revocations.load([])
    return Tokens("a-test-secret-of-enough-length-0123456789", revocations=revocations)


def test_the_one_time_password_flag_is_in_the_token(tokens):
    assert tokens.verify(tokens.issue({**USER, "must_change_password": True})) \
        .must_change_password is True
    assert tokens.verify(tokens.issue(USER)).must_change_password is False


def test_a_one_time_password_token_may_only_change_it_or_log_out(tokens):
    principal = tokens.verify(tokens.issue({**USER, "must_change_password": True}))
    for action in ("change_password", "own_session"):
        policy.require(principal, action)
    for action in sorted(set(policy.ACTIONS) - policy.ONE_TIME_PASSWORD_ACTIONS):
        with pytest.raises(Forbidden) as refused:
            policy.require(principal, action)
        assert "changePassword" in refused.value.message
    normal = tokens.verify(tokens.issue(USER))
    policy.require(normal, "read_registry")


def test_a_token_issued_right_after_an_account_change_outlives_its_revocation(tokens):
    old = tokens.issue(USER)
    changed_at = time.time()
    tokens.revocations.add({"username": USER["username"],
                            "issued_before": datetime.fromtimestamp(changed_at, UTC).isoformat(),
                            "expires_at": datetime.fromtimestamp(changed_at + 60,
                                                                 UTC).isoformat()})
    with pytest.raises(Unauthenticated):
        tokens.verify(old)
    fresh = tokens.issue(USER, not_before=changed_at)  # within the same second
    assert tokens.verify(fresh).username == USER["username"]
