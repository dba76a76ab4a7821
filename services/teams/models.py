"""Tables of the teams service: geography (versioned), teams, mediators and their records,
inspections, commendations, the pilot programme and users."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.common.audit import audit_table
from services.common.outbox import outbox_table, processed_events_table
from services.common.types import UTCDateTime

metadata = MetaData()
audit_log = audit_table(metadata)
outbox = outbox_table(metadata)
processed_events = processed_events_table(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class Unit(Base):
    """An administrative unit (đơn vị hành chính) of one geography version."""

    __tablename__ = "units"
    geo_version: Mapped[str] = mapped_column(String(8), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)


class Crosswalk(Base):
    """LEGACY commune → its V2025 unit (the default target when the commune was split)."""

    __tablename__ = "unit_crosswalk"
    legacy_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    v2025_code: Mapped[str] = mapped_column(String(16), index=True)
    split_into: Mapped[list] = mapped_column(JSON, default=list)


class Team(Base):
    """A mediation team (tổ hòa giải) in one commune, usually one per village (thôn)."""

    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    geo_version: Mapped[str] = mapped_column(String(8))
    commune_code: Mapped[str] = mapped_column(String(16), index=True)
    district_code: Mapped[str | None] = mapped_column(String(16), index=True)
    # The team's current (V2025) commune; `commune_code` keeps the one it was formed in.
    v2025_code: Mapped[str | None] = mapped_column(String(16), index=True)
    # True when a split LEGACY commune's default target was taken because nothing said
    # where the village went: an assumption the commune officer may correct.
    placement_assumed: Mapped[bool] = mapped_column(default=False)
    village: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="ACTIVE")
    leader_id: Mapped[str | None] = mapped_column(String(36))
    formed_on: Mapped[date]
    dissolved_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(Integer, default=0)


class Mediator(Base):
    """A mediator (hòa giải viên): elected in the village, recognised by the commune."""

    __tablename__ = "mediators"
    __table_args__ = (UniqueConstraint("team_id", "person_key"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    person_key: Mapped[str] = mapped_column(String(240), index=True)
    citizen_id: Mapped[str | None] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str] = mapped_column(String(8))
    year_of_birth: Mapped[int | None]
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    mass_organisation: Mapped[str | None] = mapped_column(String(100))
    elected_on: Mapped[date | None]
    election_share: Mapped[float | None] = mapped_column(Float)
    decision_number: Mapped[str | None] = mapped_column(String(40))
    decision_date: Mapped[date | None]
    decision_issued_by: Mapped[str | None] = mapped_column(String(200))
    recognition_late: Mapped[bool | None]
    status: Mapped[str] = mapped_column(String(16), default="ELECTED")
    left_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Declared so a flush inserts teams before their mediators (batch imports).
    team: Mapped[Team] = relationship(viewonly=False)


class Training(Base):
    __tablename__ = "trainings"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    mediator_id: Mapped[str] = mapped_column(ForeignKey("mediators.id"), index=True)
    training: Mapped[str] = mapped_column(String(200))
    trained_on: Mapped[date]


class Contest(Base):
    """A mediator's result in a contest (hội thi hòa giải viên giỏi)."""

    __tablename__ = "contests"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    mediator_id: Mapped[str] = mapped_column(ForeignKey("mediators.id"), index=True)
    contest: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    result: Mapped[str] = mapped_column(String(100))


class Review(Base):
    """The yearly review and strengthening (rà soát, củng cố, kiện toàn) of a team."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    reviewed_on: Mapped[date]
    findings: Mapped[str] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text)
    compliant: Mapped[bool]


class Inspection(Base):
    """An inspection (kiểm tra) of a commune's mediation work."""

    __tablename__ = "inspections"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    geo_version: Mapped[str] = mapped_column(String(8))
    unit_code: Mapped[str] = mapped_column(String(16), index=True)
    district_code: Mapped[str | None] = mapped_column(String(16), index=True)
    inspected_on: Mapped[date]
    body: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text)


class Commendation(Base):
    """A commendation (khen thưởng) of a team or a mediator."""

    __tablename__ = "commendations"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    mediator_id: Mapped[str | None] = mapped_column(ForeignKey("mediators.id"))
    commune_code: Mapped[str] = mapped_column(String(16), index=True)
    district_code: Mapped[str | None] = mapped_column(String(16), index=True)
    level: Mapped[str] = mapped_column(String(16))
    awarded_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)


class PilotProgramme(Base):
    """A model-team pilot (Plan 73 P2/P3): the dates and target are data, per year."""

    __tablename__ = "pilot_programmes"
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    deadline: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    target_rate: Mapped[float] = mapped_column(Float)


class PilotCommune(Base):
    __tablename__ = "pilot_communes"
    year: Mapped[int] = mapped_column(ForeignKey("pilot_programmes.year"), primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(16))
    selected_on: Mapped[date]
    on_time: Mapped[bool]


class PilotTeam(Base):
    __tablename__ = "pilot_teams"
    year: Mapped[int] = mapped_column(ForeignKey("pilot_programmes.year"), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(16))
    selected_on: Mapped[date]
    on_time: Mapped[bool]


class User(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(24))
    scope_code: Mapped[str | None] = mapped_column(String(16))
    scope_version: Mapped[str | None] = mapped_column(String(8))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginAttempt(Base):
    """A login attempt, kept for the login throttle's window (services/teams/login.py).
    Written as failed before the password is checked, so attempts in flight count too;
    set succeeded once it matched."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)


class RevokedToken(Base):
    """A revoked token (`token_id`), or every token of `username` issued before
    `issued_before`; kept until `expires_at`, when such tokens have expired anyway."""

    __tablename__ = "revoked_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    token_id: Mapped[str | None] = mapped_column(String(64))
    issued_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
