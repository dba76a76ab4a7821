"""Revoked tokens: logout revokes one token, an account change every token of the
account. Kept here (the gateway keeps no data of its own) and published as
`token.revoked`, which every gateway replica consumes into its memory; a replica that
starts asks for those still in force (`in_force`)."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common.events import new_event
from services.common.unit_of_work import UnitOfWork
from services.teams.models import RevokedToken

FIELDS = ("username", "token_id", "issued_before", "expires_at")


def revoke(uow: UnitOfWork, username: str, expires_at: datetime, token_id: str | None = None,
           issued_before: datetime | None = None) -> dict:
    row = RevokedToken(username=username, token_id=token_id, issued_before=issued_before,
                       expires_at=expires_at)
    uow.session.add(row)
    event = new_event("token.revoked", _as_dict(row))
    uow.raise_event(event)
    return event.payload


def in_force(session: Session, now: datetime) -> list[dict]:
    rows = session.scalars(select(RevokedToken).where(RevokedToken.expires_at > now)
                           .order_by(RevokedToken.id))
    return [new_event("token.revoked", _as_dict(row)).payload for row in rows]


def forget_expired(session: Session, now: datetime) -> int:
    return session.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now)).rowcount


def _as_dict(row: RevokedToken) -> dict:
    return {name: getattr(row, name) for name in FIELDS}
