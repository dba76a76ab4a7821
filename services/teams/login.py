"""Logins that cannot be abused: a throttle per username and per address, and the
password check (argon2, ~150 ms of CPU) in a real thread, one at a time per process.

After `per_user` failures for one username within `window` seconds (since its last
success), further attempts for it are refused with TOO_MANY_ATTEMPTS before any argon2
runs, and told when to retry; `per_address` failures from one address (a commune office
may share one behind NAT) refuse that address the same way. An attempt is written as
failed before its password is checked, under a lock on the username, so attempts in
flight count too; it is set succeeded once the password matched.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from eventlet.semaphore import Semaphore
from prometheus_client import Counter
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from services.common.audit import Caller
from services.common.errors import TooManyAttempts
from services.common.logging import correlation_id
from services.common.unit_of_work import UnitOfWork
from services.teams.models import LoginAttempt, Team, User
from services.teams.users import DUMMY_HASH, HASHER, user_dict

PASSWORD_CHECKS = Counter("hoagiai_password_checks_total",
                          "argon2 password verifications run by the teams service.")


@dataclass(frozen=True)
class LoginGuard:
    per_user: int = 5
    per_address: int = 100
    window: float = 900.0  # seconds

    @classmethod
    def from_config(cls, config: dict) -> "LoginGuard":
        section = config.get("LOGIN_THROTTLE") or {}
        return cls(per_user=int(section.get("per_user", cls.per_user)),
                   per_address=int(section.get("per_address", cls.per_address)),
                   window=float(section.get("window_seconds", cls.window)))


def admit(session: Session, guard: LoginGuard, username: str, address: str | None,
          now: datetime) -> tuple[int, str, dict | None]:
    """Refuse (TooManyAttempts) or record the attempt as failed; returns its id, the hash
    to check the password against (a dummy one for an unknown user: the same cost) and
    the user."""
    if session.bind.dialect.name == "postgresql":  # SQLite: one connection, already serial
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                        {"key": f"login:{username}"})
    start = now - timedelta(seconds=guard.window)
    last_success = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.succeeded, LoginAttempt.at > start))
    _refuse_over(session, guard, LoginAttempt.username == username,
                 max(start, last_success or start), guard.per_user, now)
    if address:
        _refuse_over(session, guard, LoginAttempt.address == address, start,
                     guard.per_address, now)
    attempt = LoginAttempt(username=username, address=address, at=now, succeeded=False)
    session.add(attempt)
    session.flush()
    user = session.get(User, username)
    return attempt.id, user.password_hash if user else DUMMY_HASH, user and user_dict(user)


def _refuse_over(session: Session, guard: LoginGuard, who, since: datetime, limit: int,
                 now: datetime) -> None:
    failures, oldest = session.execute(select(func.count(), func.min(LoginAttempt.at)).where(
        who, ~LoginAttempt.succeeded, LoginAttempt.at > since)).one()
    if failures >= limit:
        retry_after = max(1, math.ceil(guard.window - (now - oldest).total_seconds()))
        raise TooManyAttempts(f"too many failed logins: try again in {retry_after} s",
                              details={"retry_after": retry_after})


# argon2 checks running at once in this process: each takes a core for ~150 ms, so a flood
# of logins may take one core of the teams service and no more (more replicas, more logins).
ARGON2_AT_ONCE = Semaphore(1)


def password_matches(password_hash: str, password) -> bool:
    """argon2 in a real thread (eventlet's pool) while this green thread waits, one at a
    time per process: the service's other work goes on beside a flood of logins."""
    PASSWORD_CHECKS.inc()
    try:
        with ARGON2_AT_ONCE:
            return tpool.execute(HASHER.verify, password_hash, password)
    except (VerificationError, InvalidHashError, TypeError):
        return False


def succeeded(session: Session, attempt_id: int) -> None:
    session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id)
                    .values(succeeded=True))


def record(uow: UnitOfWork, username: str, user: dict | None, outcome: str) -> None:
    """The login's audit entry: "ok", or the refusal's code; placed where the account
    works, so its commune's officer sees it."""
    place = {}
    if user:
        place = {"unit_code": user["scope_code"], "geo_version": user["scope_version"],
                 "team_id": user["team_id"]}
        if user["scope_version"] == "V2025":
            place["v2025_code"] = user["scope_code"]
        if user["team_id"] and (team := uow.session.get(Team, user["team_id"])):
            place.update(v2025_code=team.v2025_code, district_code=team.district_code)
    caller = Caller(username, user and user["role"], "login", correlation_id())
    uow.audit(caller, outcome=outcome, object_type="user", object_id=username, place=place)


def forget_old(session: Session, guard: LoginGuard, now: datetime | None = None) -> int:
    """Attempts older than the window serve no throttle: not kept (they name addresses)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=guard.window)
    return session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff)).rowcount
