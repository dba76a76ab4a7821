"""Tables of the cases service: cases, their parties (personal data, kept apart),
the audit trail, and a directory of teams and mediators fed by teams events."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.audit import audit_table
from services.common.outbox import outbox_table, processed_events_table
from services.common.types import UTCDateTime

metadata = MetaData()
audit_log = audit_table(metadata)
outbox = outbox_table(metadata)
processed_events = processed_events_table(metadata)

When = UTCDateTime()


class Base(DeclarativeBase):
    metadata = metadata


class Case(Base):
    """The case summary: what reports and events may carry (no names, no facts)."""

    __tablename__ = "cases"
    # Each list filter (services/cases/queries.py) + ORDER BY received_at DESC, id DESC
    # LIMIT n is one index range, read backwards from the cursor: the province, a V2025
    # commune (with or without a status), a LEGACY commune, a LEGACY district, a team
    # (also the log book's year), a status. Overdue cases: a small partial index that
    # also answers their count without reading the table (`include`).
    __table_args__ = (
        Index("ix_cases_received_page", "received_at", "id"),
        Index("ix_cases_v2025_page", "v2025_code", "received_at", "id"),
        Index("ix_cases_v2025_status_page", "v2025_code", "status", "received_at", "id"),
        Index("ix_cases_legacy_commune_page", "commune_code", "received_at", "id",
              postgresql_where=text("geo_version = 'LEGACY'"),
              sqlite_where=text("geo_version = 'LEGACY'")),
        Index("ix_cases_district_page", "district_code", "received_at", "id"),
        Index("ix_cases_team_page", "team_id", "received_at", "id"),
        Index("ix_cases_status_page", "status", "received_at", "id"),
        Index("ix_cases_assigned", "start_deadline", "id",
              postgresql_include=["v2025_code", "geo_version", "commune_code",
                                  "district_code", "team_id"],
              postgresql_where=text("status = 'ASSIGNED'"),
              sqlite_where=text("status = 'ASSIGNED'")),
        # The retention job's scan (services/cases/personal_data.py): cases whose personal
        # data is still held, oldest last step first.
        Index("ix_cases_personal_data_held", "last_step_at",
              postgresql_where=text("personal_data_erased_at IS NULL"),
              sqlite_where=text("personal_data_erased_at IS NULL")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Unique: 20 concurrent submissions of one key give one case.
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(20))
    commune_code: Mapped[str] = mapped_column(String(16))
    geo_version: Mapped[str] = mapped_column(String(8))
    district_code: Mapped[str | None] = mapped_column(String(16))
    v2025_code: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(When)
    mediator_ids: Mapped[list] = mapped_column(JSON, default=list)
    assigned_at: Mapped[datetime | None] = mapped_column(When)
    start_deadline: Mapped[datetime | None] = mapped_column(When)
    started_at: Mapped[datetime | None] = mapped_column(When)
    overdue_raised_at: Mapped[datetime | None] = mapped_column(When)
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    agreement_text: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(When)
    referred_to: Mapped[str | None] = mapped_column(String(200))
    referred_at: Mapped[datetime | None] = mapped_column(When)
    followed_up_at: Mapped[datetime | None] = mapped_column(When)
    carried_out: Mapped[bool | None]
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    escalation_kind: Mapped[str | None] = mapped_column(String(20))
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    escalated_at: Mapped[datetime | None] = mapped_column(When)
    last_step_at: Mapped[datetime] = mapped_column(When)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # of the case's last event
    created_by: Mapped[str] = mapped_column(String(100))
    # Personal data erased (services/cases/personal_data.py): when, and why (a reason code,
    # and the officer's words or the retention rule's; never a party's data).
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(When)
    erasure_reason_code: Mapped[str | None] = mapped_column(String(20))
    erasure_reason: Mapped[str | None] = mapped_column(String(500))


class CaseCount(Base):
    """How many cases there are of each (team, place, status, category), and of each
    (place, status, category) under team_id '': `totalCount` of a case list is a SUM over
    a few of these rows (services/cases/counts.py). Kept in the transaction of every
    write of a case (services/cases/unit_of_work.py). A place column a case does not
    have holds '' (a key column is never NULL: ON CONFLICT)."""

    __tablename__ = "case_counts"
    __table_args__ = (  # the key starts with the team and the V2025 commune
        Index("ix_case_counts_legacy_commune", "team_id", "legacy_commune"),
        Index("ix_case_counts_district", "team_id", "district_code"),
        Index("ix_case_counts_status", "team_id", "status"),
    )

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    v2025_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    legacy_commune: Mapped[str] = mapped_column(String(16), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class CaseDetails(Base):
    """Personal data and the facts (nội dung): never in events or projections."""

    __tablename__ = "case_details"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    parties: Mapped[list] = mapped_column(JSON)  # [{full_name, address, related_mediator_ids}]


class Transition(Base):
    """Audit: who did what to a case, and when (business time and recording time)."""

    __tablename__ = "case_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(When)
    recorded_at: Mapped[datetime] = mapped_column(When)
    actor: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[dict | None] = mapped_column(JSON)


class Team(Base):
    """Directory (read model) of teams, from teams events."""

    __tablename__ = "directory_teams"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    commune_code: Mapped[str] = mapped_column(String(16))
    geo_version: Mapped[str] = mapped_column(String(8))
    district_code: Mapped[str | None] = mapped_column(String(16))
    v2025_code: Mapped[str | None] = mapped_column(String(16))
    # Sequence of the team event the place came from: the newest wins (a team's current
    # commune may be corrected, and the queues may deliver its events out of order).
    place_seq: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")
    active: Mapped[bool] = mapped_column(default=True)
    leader_id: Mapped[str | None] = mapped_column(String(64))


class Mediator(Base):
    """Directory (read model) of mediators, from teams events."""

    __tablename__ = "directory_mediators"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
