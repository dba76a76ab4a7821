"""Events the teams service publishes: the registry's facts, past tense.

Aggregates: a team (`aggregate_id` = team id) or a mediator (= mediator id).
Consumers (cases keeps a directory of teams and mediators; reporting counts teams
and mediators per unit and tracks the pilot) rely on these fields.
"""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.common.events.envelope import register
from services.common.vocabulary import Gender, GeoVersion


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TeamRef(_Payload):
    team_id: str = Field(max_length=64)
    commune_code: str = Field(max_length=16)
    geo_version: GeoVersion
    district_code: str | None = Field(default=None, description="LEGACY district, if known")
    v2025_code: str | None = Field(default=None, description="the commune's 2025 unit")


@register("team.formed")
class TeamFormed(TeamRef):
    name: str = Field(max_length=200)
    village: str | None = Field(default=None, max_length=200)
    formed_on: date


@register("team.dissolved")
class TeamDissolved(TeamRef):
    dissolved_on: date


@register("team.placement_corrected")
class TeamPlacementCorrected(TeamRef):
    """The team's current (V2025) commune was corrected: `v2025_code` is the new one.
    Cases re-place the team's cases (`case.place_corrected`); reports move its teams and
    mediators."""

    previous_v2025_code: str | None = None


@register("team.leader_elected")
class TeamLeaderElected(TeamRef):
    mediator_id: str
    elected_on: date


@register("team.reviewed")
class TeamReviewed(TeamRef):
    reviewed_on: date
    compliant: bool


@register("mediator.added")
class MediatorAdded(TeamRef):
    mediator_id: str
    full_name: str = Field(max_length=200, description="for conflict-of-interest checks")
    gender: Gender
    ethnicity: str | None = None
    elected_on: date | None = None


@register("mediator.recognised")
class MediatorRecognised(TeamRef):
    mediator_id: str
    decision_number: str
    decision_date: date
    late: bool = Field(description="more than 5 working days after the election")


@register("mediator.left")
class MediatorLeft(TeamRef):
    mediator_id: str
    left_on: date


@register("mediator.trained")
class MediatorTrained(TeamRef):
    mediator_id: str
    training: str = Field(max_length=200)
    trained_on: date


@register("pilot.commune_selected")
class PilotCommuneSelected(_Payload):
    programme_year: int
    commune_code: str
    district_code: str
    selected_on: date
    on_time: bool


@register("pilot.team_selected")
class PilotTeamSelected(TeamRef):
    programme_year: int
    selected_on: date
    period_start: date
    period_end: date
    target_rate: float = 0.9


@register("mediator.contest_recorded")
class MediatorContestRecorded(TeamRef):
    mediator_id: str
    contest: str = Field(max_length=200)
    held_on: date
    result: str = Field(max_length=100)


@register("inspection.recorded")
class InspectionRecorded(_Payload):
    inspection_id: int
    unit_code: str
    geo_version: GeoVersion
    district_code: str | None = None
    inspected_on: date
    body: str = Field(max_length=200)


@register("commendation.awarded")
class CommendationAwarded(TeamRef):
    commendation_id: int
    mediator_id: str | None = None
    level: str = Field(max_length=16)
    awarded_on: date


@register("pilot.programme_set")
class PilotProgrammeSet(_Payload):
    programme_year: int
    deadline: date
    period_start: date
    period_end: date
    target_rate: float


@register("user.created")
class UserCreated(_Payload):
    """Never carries a password or its hash."""

    username: str
    role: str
    scope_code: str | None = None
    scope_version: GeoVersion | None = None
    team_id: str | None = None
    full_name: str | None = Field(default=None, max_length=200)


class _AccountChanged(_Payload):
    """An account change by an officer (services/teams/accounts.py); the account's live
    tokens were revoked with it (`token.revoked`). Never carries a password or its hash."""

    username: str = Field(max_length=64)
    role: str
    scope_code: str | None = None
    scope_version: GeoVersion | None = None
    team_id: str | None = None


@register("user.disabled")
class UserDisabled(_AccountChanged):
    """The account may no longer log in."""


@register("user.enabled")
class UserEnabled(_AccountChanged):
    """The account may log in again."""


@register("user.password_reset")
class UserPasswordReset(_AccountChanged):
    """An officer gave the account a new one-time password, to be changed at its next
    login."""


@register("user.password_changed")
class UserPasswordChanged(_AccountChanged):
    """The account's user changed their own password."""


@register("token.revoked")
class TokenRevoked(_Payload):
    """One token (`token_id`), or every token of `username` issued before
    `issued_before`, is refused from now on; `expires_at`: when such tokens expire
    anyway. Each gateway replica keeps these in memory. Carries no token."""

    username: str = Field(max_length=64)
    token_id: str | None = Field(default=None, max_length=64)
    issued_before: datetime | None = None
    expires_at: datetime
