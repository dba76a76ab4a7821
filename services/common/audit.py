"""The audit trail (nhật ký): one append-only model, a table in each service's database.

An entry says who (actor, role), did what (action: the RPC's name, e.g. `submit_case`,
`get_case_parties`, or `login`), to what (object type and id), where (the unit, and the
place columns the gateway's policy scopes by), when, in which request (correlation id) and with what
outcome ("ok", or the refusal's code). Entries are written:
- for every write RPC that names its `actor`: one per event the command raised, inserted
  by the unit of work beside the event's outbox row, in the same transaction, so a write
  cannot skip it (services/common/unit_of_work.py);
- for such an RPC refused: one entry with the refusal's code, in a transaction of its own;
- explicitly (`UnitOfWork.audit`) for what raises no event: logins, and reads of parties'
  personal data, recorded by the service that holds the data before it returns them.
Nothing in an entry is personal data: ids, codes and usernames only.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from services.common.events import Envelope
from services.common.types import UTCDateTime

PLACE = ("unit_code", "geo_version", "district_code", "v2025_code", "team_id")
OBJECT_ARGUMENTS = ("case_id", "team_id", "mediator_id", "username", "commune_code")


def audit_table(metadata: MetaData) -> Table:
    return Table(
        "audit_log",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
               autoincrement=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("actor", String(64), nullable=False),
        Column("role", String(32)),
        Column("action", String(48), nullable=False),
        Column("object_type", String(32)),
        Column("object_id", String(64)),
        Column("unit_code", String(16)),
        Column("geo_version", String(8)),
        Column("district_code", String(16)),
        Column("v2025_code", String(16)),
        Column("team_id", String(64)),
        Column("correlation_id", String(64)),
        Column("outcome", String(32), nullable=False),
        Index("ix_audit_log_at", "at", "id"),
        Index("ix_audit_log_v2025", "v2025_code", "at"),
    )


@dataclass(frozen=True)
class Caller:
    """Who runs this worker, for its audit entries: the `actor` the RPC was given."""

    actor: str
    role: str | None
    action: str
    correlation_id: str | None = None
    object_type: str | None = None  # what the RPC's arguments name (`case_id`…)
    object_id: str | None = None

    @classmethod
    def of(cls, arguments: dict, action: str, correlation_id: str | None) -> "Caller | None":
        """From an RPC's arguments, by its `actor`; None if that names nobody (the RPC's
        own checks refuse such an actor)."""
        actor = arguments.get("actor")
        if not isinstance(actor, dict) or not isinstance(actor.get("username"), str):
            return None
        role = actor.get("role")
        return cls(actor["username"][:64], role[:32] if isinstance(role, str) else None,
                   action[:48], (correlation_id or None) and str(correlation_id)[:64],
                   *object_of(arguments))

    def entry(self, at: datetime, *, action: str | None = None, outcome: str = "ok",
              object_type: str | None = None, object_id: str | None = None,
              place: dict | None = None) -> dict:
        place = place or {}
        if object_type is None:
            object_type, object_id = self.object_type, object_id or self.object_id
        return {"at": at, "actor": self.actor, "role": self.role,
                "action": action or self.action, "object_type": object_type,
                "object_id": None if object_id is None else str(object_id)[:64],
                **{key: _text(place.get(key)) for key in PLACE},
                "correlation_id": self.correlation_id, "outcome": outcome[:32]}

    def event_entry(self, event: Envelope, at: datetime) -> dict:
        """The entry of a write that raised `event`: its object and place come from it."""
        return self.entry(at, object_type=event.type.split(".")[0],
                          object_id=event.aggregate_id or event.payload.get("username"),
                          place=event_place(event))


def event_place(event: Envelope) -> dict:
    """Where an event happened, in the columns the policy scopes by. Team and case events
    carry their place in the payload; others (accounts, programme) only their unit."""
    payload = event.payload
    place = {key: payload.get(key) for key in PLACE if payload.get(key) is not None}
    place.setdefault("unit_code", event.unit_code)
    place.setdefault("geo_version", event.geo_version)
    if event.geo_version == "V2025":
        place.setdefault("v2025_code", event.unit_code)
    return place


def object_of(arguments: dict) -> tuple[str | None, str | None]:
    """The object a refused RPC was about, from its arguments' names."""
    for name in OBJECT_ARGUMENTS:
        if isinstance(value := arguments.get(name), str | int):
            return name.removesuffix("_id").removesuffix("_code"), str(value)
    return None, None


def _text(value) -> str | None:
    return None if value is None else str(value)[:64]


# --- reading ------------------------------------------------------------------------

class PageArgs(BaseModel):
    """A page's filters; `scope`: {place column: code} the entries must match."""

    model_config = ConfigDict(extra="forbid")
    scope: dict[Literal[PLACE], str] | None = None
    actor: str | None = Field(default=None, max_length=64)
    action: str | None = Field(default=None, max_length=64)
    since: AwareDatetime | None = None
    until: AwareDatetime | None = None
    after: tuple[AwareDatetime, str, int] | None = None
    limit: int = Field(default=20, ge=1, le=101)


def page(session: Session, table: Table, service: str, *, scope: dict | None,
         actor: str | None, action: str | None, since: datetime | None,
         until: datetime | None, after: tuple | None, limit: int) -> dict:
    """Up to `limit` entries in (time, service, id) order, after the cursor `after`
    (time, service, id) of a merged listing (the gateway merges every service's pages),
    and how many match in all. `scope`: {column: code} the entries must match."""
    c = table.c
    where = [c[column] == code for column, code in (scope or {}).items()]
    where += [c.actor == actor] if actor else []
    where += [c.action == action] if action else []
    where += [c.at >= since] if since else []
    where += [c.at < until] if until else []
    total = session.scalar(select(func.count()).select_from(table).where(*where))
    if after:
        at, other, last_id = after
        same = and_(c.at == at, c.id > last_id) if service == other else (
            c.at == at if service > other else false())
        where.append(or_(c.at > at, same))
    rows = session.execute(select(table).where(*where).order_by(c.at, c.id).limit(limit))
    return {"total": total, "items": [{**row._asdict(), "at": row.at.isoformat(),
                                       "service": service} for row in rows]}
