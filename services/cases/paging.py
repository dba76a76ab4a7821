"""Keyset pages of cases: a page is the rows after the cursor in the list's order, read
from an index range (services/cases/models.py) with no OFFSET, so the page after a
million rows costs what the first does, and rows arriving between pages move none.

The cursor is the last row's sort key: (time in microseconds since 1970, case id),
tagged with the list's order. The next page is `WHERE (time, id) < (cursor)` (newest
first) or `> (cursor)` (most overdue first), a row comparison on both databases. A unit
filter made of two disjoint branches (a LEGACY commune or district) reads each branch's
page from its own index and merges them.
"""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, bindparam, select, tuple_, union_all
from sqlalchemy.orm import Session

from services.cases.models import Case
from services.common.errors import ValidationError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Order:
    tag: str  # in the cursor: a cursor of one list is refused by the other
    column: object  # the time column; the case id breaks ties
    descending: bool

    def by(self, time, case_id) -> list:
        return [time.desc(), case_id.desc()] if self.descending else [time, case_id]

    def after(self, key: tuple[datetime, str]):
        row = tuple_(self.column, Case.id)
        cursor = tuple_(bindparam(None, key[0], type_=self.column.type),
                        bindparam(None, key[1], type_=Case.id.type))
        return row < cursor if self.descending else row > cursor


# What a page's row carries: the columns of the case summary (`queries.case_dict`), as
# plain rows: loading ORM objects cost about as much as the rest of a page.
SUMMARY = [Case.__table__.c[name] for name in (
    "id", "status", "category", "subject", "channel", "team_id", "commune_code",
    "geo_version", "district_code", "v2025_code", "received_at", "mediator_ids",
    "assigned_at", "start_deadline", "started_at", "overdue_raised_at", "outcome",
    "outcome_note", "agreement_text", "resolved_at", "referred_to", "referred_at",
    "followed_up_at", "carried_out", "escalated_at", "escalation_kind", "created_by",
    "personal_data_erased_at")]

NEWEST = Order("n", Case.received_at, descending=True)
MOST_OVERDUE = Order("d", Case.start_deadline, descending=False)


def page(session: Session, order: Order, branches: list[list], first: int,
         after: str | None, total: int) -> dict:
    """The `first` cases (rows) after the cursor `after` matching any of `branches`
    (lists of conditions; disjoint), and the page's cursor and whether more follow."""
    first = max(1, min(first, 1000))
    key = decode(order, after)
    rows = session.execute(_query(order, branches, key, first + 1)).all()
    items = rows[:first]
    end = encode(order, getattr(items[-1], order.column.key), items[-1].id) if items else after
    return {"items": items, "total_count": total,
            "end_cursor": end, "has_next_page": len(rows) > first}


def _query(order: Order, branches: list[list], key, limit: int) -> Select:
    after = [order.after(key)] if key else []
    if len(branches) == 1:
        return (select(*SUMMARY).where(*branches[0], *after)
                .order_by(*order.by(order.column, Case.id)).limit(limit))
    heads = [select(select(Case.id, order.column.label("t")).where(*branch, *after)
                    .order_by(*order.by(order.column, Case.id)).limit(limit).subquery())
             for branch in branches]
    merged = union_all(*heads).subquery()
    ids = select(merged.c.id).order_by(*order.by(merged.c.t, merged.c.id)).limit(limit)
    return select(*SUMMARY).where(Case.id.in_(ids)).order_by(*order.by(order.column, Case.id))


def encode(order: Order, time: datetime, case_id: str) -> str:
    micros = (time - EPOCH) // MICROSECOND
    return base64.urlsafe_b64encode(f"{order.tag}:{micros}:{case_id}".encode()).decode()


def decode(order: Order, cursor: str | None) -> tuple[datetime, str] | None:
    """The sort key in a cursor of this list; a typed refusal for anything else."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeError):
        raise ValidationError("after is not a cursor this list gave out",
                              field="after") from None
    if text.startswith("o:"):
        raise ValidationError("after is a cursor of an older version (page numbers): "
                              "start again from the first page", field="after")
    tag, _, rest = text.partition(":")
    micros, _, case_id = rest.partition(":")
    try:
        if tag != order.tag or not case_id or len(case_id) > 64:
            raise ValueError(text)
        return EPOCH + int(micros) * MICROSECOND, case_id
    except (ValueError, OverflowError):
        raise ValidationError("after is not a cursor this list gave out",
                              field="after") from None
