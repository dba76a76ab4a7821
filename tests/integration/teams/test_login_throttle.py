"""Logins that cannot be abused (services/teams/login.py), on the real teams service:
a burst of wrong passwords is refused after 5 without running argon2, the right password
works again after the window, and one address is capped on its own."""

import time

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from services.common.errors import TooManyAttempts, Unauthenticated
from services.teams.login import PASSWORD_CHECKS
from services.teams.models import LoginAttempt
from services.teams.service import TeamsService
from tests.integration.teams.conftest import ACTOR

WINDOW = 15  # seconds: short, so the burst test sees it pass; long enough that its five
# argon2 checks (~0.15 s each, more on a loaded machine) stay inside it
PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def guarded(container_factory, service_config, request):
    window = getattr(request, "param", 600)  # long unless a test waits for it to pass
    config = service_config("teams", LOGIN_THROTTLE={"per_user": 5, "per_address": 8,
                                                     "window_seconds": window})
    container = container_factory(TeamsService, config)
    container.start()
    with ServiceRpcProxy("teams", config, timeout=30) as teams:
        for name in ("officer.a", "officer.b", "officer.c"):
            teams.create_user({"username": name, "password": PASSWORD,
                               "role": "PROVINCE_OFFICER", "scope_code": "20"}, ACTOR)
        yield teams, next(d for d in container.dependencies if d.attr_name == "db").sessions


def checks() -> float:
    return PASSWORD_CHECKS._value.get()


def outcome(call) -> str:
    try:
        call()
    except TooManyAttempts as exc:
        assert exc.retry_after >= 1
        return "TOO_MANY_ATTEMPTS"
    except Unauthenticated:
        return "UNAUTHENTICATED"
    return "OK"


@pytest.mark.parametrize("guarded", [WINDOW], indirect=True)
def test_a_burst_of_wrong_logins_is_refused_after_five_without_argon2(guarded):
    teams, _ = guarded
    before = checks()
    results = [outcome(lambda: teams.verify_credentials("officer.a", "wrong", "10.1.1.1"))
               for _ in range(50)]
    assert results == ["UNAUTHENTICATED"] * 5 + ["TOO_MANY_ATTEMPTS"] * 45
    assert checks() - before == 5  # the 45 refusals ran no argon2
    # the right password too is refused while throttled, and told when to retry ...
    with pytest.raises(TooManyAttempts) as refused:
        teams.verify_credentials("officer.a", PASSWORD)
    assert 1 <= refused.value.retry_after <= WINDOW
    time.sleep(refused.value.retry_after + 0.5)
    # ... and works once the window has passed
    assert teams.verify_credentials("officer.a", PASSWORD)["username"] == "officer.a"


def test_one_address_is_capped_across_usernames(guarded):
    teams, _ = guarded
    results = [outcome(lambda user=user: teams.verify_credentials(user, "wrong", "10.2.2.2"))
               for user in ["officer.b"] * 4 + ["officer.c"] * 4 + ["officer.b", "nobody"]]
    assert results == ["UNAUTHENTICATED"] * 8 + ["TOO_MANY_ATTEMPTS"] * 2
    # the same user from another address is not refused for the first one's failures
    assert teams.verify_credentials("officer.c", PASSWORD, "10.3.3.3")["role"] == \
        "PROVINCE_OFFICER"


def test_a_success_clears_the_users_count(guarded):
    teams, _ = guarded
    for _ in range(4):
        assert outcome(lambda: teams.verify_credentials("officer.b", "wrong")) == \
            "UNAUTHENTICATED"
    assert teams.verify_credentials("officer.b", PASSWORD)["username"] == "officer.b"
    assert [outcome(lambda: teams.verify_credentials("officer.b", "wrong"))
            for _ in range(5)] == ["UNAUTHENTICATED"] * 5


@pytest.mark.parametrize("username", ["", "x" * 65, None, 7, ["officer.a"]])
def test_a_bad_username_is_refused_and_stores_nothing(guarded, username):
    teams, sessions = guarded
    with pytest.raises(Unauthenticated):
        teams.verify_credentials(username, PASSWORD)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
