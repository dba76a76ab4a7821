"""Payloads of the teams RPCs, validated at the edge with `errors.parse`."""

from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from services.common.vocabulary import CommendationLevel, Gender, GeoVersion, Role
from services.teams import domain

Text = Field(min_length=1, max_length=200)


def _not_future(day: date) -> date:
    if day > domain.today():
        raise PydanticCustomError("future_date", "{day} is in the future",
                                  {"day": day.isoformat()})
    return day


# A date something happened on (an election, a decision, a review …): never after today
# in Vietnam. Plans (a programme's deadline and period) may lie ahead.
Happened = Annotated[date, AfterValidator(_not_future)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Actor(BaseModel):
    username: str = "system"
    role: str | None = None
    scope_code: str | None = None
    scope_version: str | None = None
    team_id: str | None = None


class Page(_In):
    first: int = Field(default=100, ge=1, le=1000)
    after: str | None = None


class NewMediator(_In):
    full_name: str = Text
    gender: Gender
    year_of_birth: int | None = Field(default=None, ge=1900, le=2100)
    ethnicity: str | None = Field(default=None, max_length=40)
    mass_organisation: str | None = Field(default=None, max_length=100)
    citizen_id: str | None = Field(default=None, pattern=r"^\d{9,12}$")
    elected_on: Happened | None = None
    election_share: float | None = Field(default=None, ge=0, le=1)


class Recognition(_In):
    decision_number: str = Field(min_length=1, max_length=40)
    decision_date: Happened
    issued_by: str | None = Field(default=None, max_length=200)


class FormTeam(_In):
    name: str = Text
    commune_code: str = Field(min_length=1, max_length=16)
    geo_version: GeoVersion = "LEGACY"
    village: str | None = Field(default=None, max_length=200)
    formed_on: Happened
    # The V2025 commune the team's village belongs to now: needed only where a LEGACY
    # commune was split (else the crosswalk tells, and an assumption is recorded).
    current_commune_code: str | None = Field(default=None, min_length=1, max_length=16)


class PlacementCorrection(_In):
    team_id: str
    commune_code: str = Field(min_length=1, max_length=16)


class ImportMediator(NewMediator):
    recognition: Recognition | None = None


class ImportTeam(FormTeam):
    """One team with its members, for loaders: run through the same rules as the RPCs."""

    mediators: list[ImportMediator] = Field(default_factory=list, max_length=50)
    leader_index: int | None = Field(default=None, ge=0)
    leader_elected_on: Happened | None = None


class ImportBatch(_In):
    teams: list[ImportTeam] = Field(max_length=500)


class ElectLeader(_In):
    team_id: str
    mediator_id: str
    elected_on: Happened


class Review(_In):
    team_id: str
    reviewed_on: Happened
    findings: str = Field(min_length=1, max_length=4000)
    actions: str = Field(default="", max_length=4000)


class Training(_In):
    mediator_id: str
    training: str = Text
    trained_on: Happened


class ContestResult(_In):
    mediator_id: str
    contest: str = Text
    held_on: Happened
    result: str = Field(min_length=1, max_length=100)


class InspectionIn(_In):
    unit_code: str = Field(min_length=1, max_length=16)
    geo_version: GeoVersion = "LEGACY"
    inspected_on: Happened
    body: str = Text
    findings: str = Field(min_length=1, max_length=4000)
    actions: str = Field(default="", max_length=4000)


class CommendationIn(_In):
    team_id: str
    mediator_id: str | None = None
    level: CommendationLevel
    awarded_on: Happened
    reason: str = Field(min_length=1, max_length=4000)


class Programme(_In):
    year: int = Field(ge=2000, le=2100)
    deadline: date
    period_start: date
    period_end: date
    target_rate: float = Field(default=0.9, gt=0, le=1)


class PilotCommuneIn(_In):
    year: int
    commune_code: str = Field(min_length=1, max_length=16)
    selected_on: Happened


class ModelTeamIn(_In):
    year: int
    team_id: str
    selected_on: Happened


class NewUser(_In):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    password: str = Field(min_length=4, max_length=200, repr=False)
    role: Role
    scope_code: str | None = Field(default=None, max_length=16)
    scope_version: GeoVersion | None = "LEGACY"
    team_id: str | None = None


class Revocation(_In):
    username: str = Field(min_length=1, max_length=64)
    expires_at: AwareDatetime
    token_id: str | None = Field(default=None, min_length=1, max_length=64)
    issued_before: AwareDatetime | None = None

    @model_validator(mode="after")
    def names_what(self):
        if (self.token_id is None) == (self.issued_before is None):
            raise ValueError("give token_id (one token) or issued_before (every older one)")
        return self
