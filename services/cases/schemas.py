"""Payloads of the cases RPCs, validated at the edge with `services.common.errors.parse`."""

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from services.common.vocabulary import (
    Category,
    Channel,
    EscalationKind,
    GeoVersion,
    NonMediableReason,
    Outcome,
)

Id = Field(min_length=1, max_length=64)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Actor(BaseModel):
    model_config = ConfigDict(extra="ignore")

    username: str = Field(min_length=1, max_length=100)
    role: str | None = Field(default=None, max_length=32)
    scope_code: str | None = None
    scope_version: str | None = None
    team_id: str | None = None


class Party(_Strict):
    full_name: str = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    # Mediators the party declares related to it (art. 18): they may not mediate.
    related_mediator_ids: list[str] = Field(default_factory=list, max_length=20)


class AssignStep(_Strict):
    action: Literal["assign"]
    mediator_ids: list[str] = Field(min_length=1, max_length=10)
    at: AwareDatetime | None = None


class StartStep(_Strict):
    action: Literal["start"]
    at: AwareDatetime | None = None


class OutcomeStep(_Strict):
    action: Literal["outcome"]
    outcome: Outcome
    note: str | None = Field(default=None, max_length=2000)
    agreement_text: str | None = Field(default=None, max_length=10000)
    at: AwareDatetime | None = None


class ReferStep(_Strict):
    action: Literal["refer"]
    authority: str = Field(min_length=1, max_length=200)
    reason: str | None = Field(default=None, max_length=2000)
    at: AwareDatetime | None = None


class FollowUpStep(_Strict):
    action: Literal["follow_up"]
    carried_out: bool
    note: str | None = Field(default=None, max_length=2000)
    at: AwareDatetime | None = None


class EscalateStep(_Strict):
    action: Literal["escalate"]
    kind: EscalationKind
    reason: str = Field(min_length=1, max_length=2000)
    at: AwareDatetime | None = None


Step = AssignStep | StartStep | OutcomeStep | ReferStep | FollowUpStep | EscalateStep


class SubmitCase(_Strict):
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=100)
    team_id: str = Id
    category: Category
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=10000)
    parties: list[Party] = Field(min_length=2, max_length=50)
    # Omitted: when the case is first stored. It stays out of the idempotency hash then,
    # so a retry after a lost reply replays the case instead of clashing with it.
    received_at: AwareDatetime | None = None
    channel: Channel
    non_mediable: NonMediableReason | None = Field(
        default=None, description="declared by the officer: Decree 15/2014 art. 5")
    screen_override: bool = Field(
        default=False, description="an officer checked a keyword hit: the matter is mediable")


class SubmitHistoricCase(SubmitCase):
    """A batch item (demo and migration loaders): the case and the steps it went
    through, each applied by the same domain code as the single-step RPCs."""

    steps: list[Step] = Field(default_factory=list, max_length=10)


class Assign(_Strict):
    case_id: str = Id
    mediator_ids: list[str] = Field(min_length=1, max_length=10)
    at: AwareDatetime | None = None

    @field_validator("mediator_ids")
    @classmethod
    def _distinct(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("mediator ids repeat")
        return ids


class CaseStep(_Strict):
    case_id: str = Id
    at: AwareDatetime | None = None


class RecordOutcome(CaseStep):
    outcome: Outcome
    note: str | None = Field(default=None, max_length=2000)
    agreement_text: str | None = Field(default=None, max_length=10000)


class Refer(CaseStep):
    authority: str = Field(min_length=1, max_length=200)
    reason: str | None = Field(default=None, max_length=2000)


class FollowUp(CaseStep):
    carried_out: bool
    note: str | None = Field(default=None, max_length=2000)


class Escalate(CaseStep):
    kind: EscalationKind
    reason: str = Field(min_length=1, max_length=2000)


class ListCases(_Strict):
    unit_code: str | None = Field(default=None, max_length=16)
    geo_version: GeoVersion = "LEGACY"
    status: str | None = None
    category: Category | None = None
    team_id: str | None = None
    first: int = Field(default=50, ge=1, le=1000)
    after: str | None = Field(default=None, max_length=100)


class LogBook(_Strict):
    team_id: str = Id
    year: int = Field(ge=2000, le=2100)
    format: Literal["data", "csv", "xlsx"] = "data"


class ErasePersonalData(_Strict):
    case_id: str = Id
    reason: str = Field(min_length=1, max_length=500)


class CaseId(_Strict):
    case_id: str = Id
