"""Officers' accounts: created, listed, disabled, enabled and reset by the officer whose
scope holds them (services/common/accounts.py, the rule the gateway enforces first), and
passwords changed by their users.

A new account, and a reset one, gets a one-time password that must be changed at the
next login. Every change (creation excluded) revokes the account's live tokens in the
same transaction (`token.revoked`, heard by every gateway replica), and raises a
`user.*` event (services/common/events/teams.py) that names no password nor hash.
"""

from datetime import datetime, timedelta

from pydantic import Field
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from services.common.accounts import TEAM_ROLES, may_give, may_manage
from services.common.errors import Conflict, Forbidden, NotFound, ValidationError
from services.common.events import new_event
from services.common.unit_of_work import UnitOfWork
from services.common.vocabulary import Role
from services.teams import revocations
from services.teams.models import Team, Unit, User
from services.teams.schemas import _In
from services.teams.users import user_dict, user_event

DENIED = "you are not allowed to do this, or it does not exist"  # the gateway's words
LAYOUT = "V2025"  # accounts are made and managed in today's layout only


class NewAccount(_In):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    full_name: str = Field(min_length=1, max_length=200)
    role: Role
    unit_code: str | None = Field(default=None, min_length=1, max_length=16)
    team_id: str | None = Field(default=None, min_length=1, max_length=64)


class AccountPage(_In):
    unit_code: str | None = Field(default=None, min_length=1, max_length=16)
    role: Role | None = None
    first: int = Field(default=20, ge=1, le=200)  # the gateway's page and a cursor's offset
    after: str | None = Field(default=None, max_length=64)


# -- reads -------------------------------------------------------------------------

def account_dict(session: Session, user: User) -> dict:
    """A user and `commune`, the V2025 commune the account works in (its team's for a
    team role), which the scope rule reads."""
    return {**user_dict(user), "commune": _commune(session, user)}


def get_account(session: Session, username: str) -> dict | None:
    user = session.get(User, username) if isinstance(username, str) else None
    return None if user is None else account_dict(session, user)


def list_accounts(session: Session, actor: dict, page: AccountPage) -> dict:
    """The accounts in the actor's scope (a province officer: all; a commune officer:
    their commune's, team accounts by their team's current commune), by username."""
    commune = _listed_commune(session, actor, page.unit_code)
    query = select(User, Team.v2025_code).outerjoin(Team, User.team_id == Team.id)
    if commune is not None:
        query = query.where(or_(
            and_(User.team_id.is_(None), User.scope_code == commune,
                 User.scope_version == LAYOUT),
            Team.v2025_code == commune))
    if page.role:
        query = query.where(User.role == page.role)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    if page.after:
        query = query.where(User.username > page.after)
    rows = session.execute(query.order_by(User.username).limit(page.first + 1)).all()
    items = [{**user_dict(user), "commune": team_commune or _own_commune(user)}
             for user, team_commune in rows[:page.first]]
    return {"items": items, "total_count": total, "has_next_page": len(rows) > page.first,
            "end_cursor": items[-1]["username"] if items else page.after}


def _listed_commune(session: Session, actor: dict, unit_code: str | None) -> str | None:
    role = actor.get("role")
    if role == "PROVINCE_OFFICER" and actor.get("scope_version") == LAYOUT:
        if unit_code is None:
            return None
        unit = session.get(Unit, (LAYOUT, unit_code))
        if unit is None:
            raise NotFound(f"no unit {unit_code} in layout {LAYOUT}", field="unit_code")
        return unit.code if unit.level == "COMMUNE" else None
    if role == "COMMUNE_OFFICER" and actor.get("scope_version") == LAYOUT \
            and unit_code in (None, actor.get("scope_code")):
        return actor.get("scope_code")
    raise Forbidden(DENIED)


# -- writes ------------------------------------------------------------------------

def create_account(uow: UnitOfWork, actor: dict, new: NewAccount, password_hash: str,
                   now: datetime) -> dict:
    """The account, with a one-time password (its hash given) to change at first login."""
    session = uow.session
    if not may_give(actor, new.role):
        raise Forbidden(DENIED)
    scope_code, team_id, commune = _place(session, actor, new)
    account = {"username": new.username, "role": new.role, "scope_version": LAYOUT,
               "commune": commune}
    if not may_manage(actor, account):
        raise Forbidden(DENIED)
    if session.get(User, new.username) is not None:
        raise Conflict(f"user {new.username} exists", field="username")
    user = User(username=new.username, password_hash=password_hash, role=new.role,
                scope_code=scope_code, scope_version=LAYOUT, team_id=team_id,
                full_name=new.full_name, active=True, must_change_password=True,
                created_at=now)
    session.add(user)
    session.flush()
    uow.raise_event(_event("user.created", user, full_name=user.full_name))
    return account_dict(session, user)


def set_active(uow: UnitOfWork, actor: dict, username: str, active: bool, now: datetime,
               token_ttl: float) -> dict:
    """Disable (no login, its tokens revoked) or enable an account; unchanged: no event."""
    user = _managed(uow.session, actor, username)
    if user.active == active:
        return {"user": account_dict(uow.session, user), "revoked": None}
    user.active = active
    revoked = _revoke(uow, user, now, token_ttl)
    uow.raise_event(_event("user.enabled" if active else "user.disabled", user))
    return {"user": account_dict(uow.session, user), "revoked": revoked}


def reset_password(uow: UnitOfWork, actor: dict, username: str, password_hash: str,
                   now: datetime, token_ttl: float) -> dict:
    """A new one-time password (its hash given), to change at the next login."""
    user = _managed(uow.session, actor, username)
    return _set_password(uow, user, password_hash, True, now, token_ttl)


def change_password(uow: UnitOfWork, username: str, password_hash: str, now: datetime,
                    token_ttl: float) -> dict:
    """The user's own new password (checked against the policy and the old one by the
    caller); the one-time password's restriction ends."""
    user = uow.session.get(User, username)
    if user is None or not user.active:
        raise ValidationError("old_password: wrong password", field="old_password")
    return _set_password(uow, user, password_hash, False, now, token_ttl)


def _set_password(uow: UnitOfWork, user: User, password_hash: str, one_time: bool,
                  now: datetime, token_ttl: float) -> dict:
    """The new hash (a one-time password must be changed at the next login); the
    account's tokens revoked."""
    user.password_hash = password_hash
    user.must_change_password = one_time
    user.password_changed_at = now
    revoked = _revoke(uow, user, now, token_ttl)
    uow.raise_event(_event("user.password_reset" if one_time else "user.password_changed",
                           user))
    return {"user": account_dict(uow.session, user), "revoked": revoked}


def _managed(session: Session, actor: dict, username) -> User:
    """The account `actor` may manage, or Forbidden (not found looks the same, except to
    a province officer, like the gateway's policy)."""
    user = session.get(User, username) if isinstance(username, str) else None
    if user is None:
        if actor.get("role") == "PROVINCE_OFFICER":
            raise NotFound(f"no user {username}", field="username")
        raise Forbidden(DENIED)
    if not may_manage(actor, account_dict(session, user)):
        raise Forbidden(DENIED)
    return user


def _place(session: Session, actor: dict, new: NewAccount) -> tuple[str, str | None, str | None]:
    """(scope code, team, V2025 commune) of a new account, from its unit or team."""
    if new.role in TEAM_ROLES:
        if new.unit_code is not None:
            raise ValidationError("a team's account is placed by its team, not a unit",
                                  field="unit_code")
        if new.team_id is None:
            raise ValidationError(f"a {new.role} account needs a team", field="team_id")
        team = session.get(Team, new.team_id)
        if team is None:
            raise Forbidden(DENIED)  # only commune officers get here: out of scope
        if team.status != "ACTIVE":
            raise Conflict(f"team {team.id} is dissolved", field="team_id")
        return team.v2025_code, team.id, team.v2025_code
    if new.team_id is not None:
        raise ValidationError("only team leaders and mediators belong to a team",
                              field="team_id")
    code = new.unit_code or (actor.get("scope_code") if new.role == "VIEWER" else None)
    if code is None:
        raise ValidationError(f"a {new.role} account needs a unit", field="unit_code")
    unit = session.get(Unit, (LAYOUT, code))
    if unit is None:
        raise NotFound(f"no unit {code} in layout {LAYOUT}", field="unit_code")
    if new.role == "COMMUNE_OFFICER" and unit.level != "COMMUNE":
        raise ValidationError("a commune officer's unit is a commune", field="unit_code")
    return code, None, code if unit.level == "COMMUNE" else None


def _commune(session: Session, user: User) -> str | None:
    if user.team_id:
        return session.scalar(select(Team.v2025_code).where(Team.id == user.team_id))
    return _own_commune(user)


def _own_commune(user: User) -> str | None:
    return user.scope_code if user.scope_version == LAYOUT else None


def _revoke(uow: UnitOfWork, user: User, now: datetime, token_ttl: float) -> dict:
    """Every token of the account issued until now: refused by every gateway replica."""
    return revocations.revoke(uow, username=user.username, issued_before=now,
                              expires_at=now + timedelta(seconds=token_ttl))


def _event(event_type: str, user: User, **extra):
    return new_event(event_type, {**user_event(user), **extra}, aggregate_id=user.username,
                     unit_code=user.scope_code, geo_version=user.scope_version)
