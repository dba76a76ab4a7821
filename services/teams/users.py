"""Users of the gateway: argon2 password hashes (argon2-cffi), a role and a scope.

Passwords are never logged, stored in clear or returned; `verify_credentials` answers
unknown users and wrong passwords with the same error, after the same work.
"""

from datetime import UTC, datetime

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import Conflict
from services.common.events import new_event
from services.common.unit_of_work import UnitOfWork
from services.teams import domain, queries, schemas
from services.teams.models import User

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("not a password of anyone")


def user_dict(user: User) -> dict:
    return {"username": user.username, "role": user.role, "scope_code": user.scope_code,
            "scope_version": user.scope_version, "team_id": user.team_id}


def create_users(uow: UnitOfWork, users: list[schemas.NewUser],
                 skip_existing: bool = False) -> list[dict]:
    """Create users in one transaction. Identical passwords in one call share one hash
    (demo users all have the demo password: hashing it 200 times would take a minute)."""
    session = uow.session
    existing = set(session.scalars(select(User.username).where(
        User.username.in_([u.username for u in users]))))
    hashes: dict[str, str] = {}
    created = []
    for new in users:
        if new.username in existing:
            if skip_existing:
                continue
            raise Conflict(f"user {new.username} exists", field="username")
        _check_scope(session, new)
        if new.password not in hashes:
            hashes[new.password] = HASHER.hash(new.password)
        user = User(username=new.username, password_hash=hashes[new.password], role=new.role,
                    scope_code=new.scope_code,
                    scope_version=new.scope_version if new.scope_code else None,
                    team_id=new.team_id, created_at=datetime.now(UTC))
        session.add(user)
        existing.add(new.username)
        uow.raise_event(new_event("user.created", user_dict(user), aggregate_id=user.username,
                                  unit_code=user.scope_code, geo_version=user.scope_version))
        created.append(user_dict(user))
    session.flush()
    return created


def _check_scope(session: Session, new: schemas.NewUser) -> None:
    domain.check_user_scope(new.role, new.scope_code, new.team_id)
    if new.scope_code:
        queries.get_unit_row(session, new.scope_code, new.scope_version or "LEGACY")
    if new.team_id:
        queries.get_team_row(session, new.team_id)
