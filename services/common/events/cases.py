"""Events the cases service publishes (aggregate = a case; `sequence` counts from 1).

Every payload repeats where the case belongs (`CaseRef`), so a consumer can place an
event even when it arrives before the case's earlier events. No payload carries a
party's name, address or the facts of the dispute: those stay in the cases service.
"""

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.common.events.envelope import register
from services.common.vocabulary import (
    Category,
    Channel,
    ErasureReason,
    EscalationKind,
    GeoVersion,
    Outcome,
)


class CaseRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str = Field(max_length=64)
    team_id: str = Field(max_length=64)
    category: Category
    commune_code: str = Field(max_length=16, description="the team's commune")
    geo_version: GeoVersion = Field(description="layout of commune_code")
    district_code: str | None = Field(default=None, description="LEGACY district, if known")
    v2025_code: str | None = Field(default=None, description="the commune's 2025 unit")


@register("case.received")
class CaseReceived(CaseRef):
    channel: Channel
    received_at: AwareDatetime


@register("case.assigned")
class CaseAssigned(CaseRef):
    mediator_ids: list[str] = Field(min_length=1)
    assigned_at: AwareDatetime
    start_deadline: AwareDatetime


@register("case.mediation_started")
class CaseMediationStarted(CaseRef):
    started_at: AwareDatetime


@register("case.resolved")
class CaseResolved(CaseRef):
    outcome: Outcome
    resolved_at: AwareDatetime
    mediator_ids: list[str]
    has_agreement: bool = False


@register("case.referred")
class CaseReferred(CaseRef):
    referred_at: AwareDatetime
    authority: str = Field(max_length=200)


@register("case.guided")
class CaseGuided(CaseRef):
    """Law 35/2013 art. 25: after an UNSUCCESSFUL mediation the team guided the parties to
    the competent authority. The outcome stays UNSUCCESSFUL: a fact to record, no count
    changes (a referral of an open case is `case.referred`)."""

    guided_at: AwareDatetime
    authority: str = Field(max_length=200)


@register("case.followed_up")
class CaseFollowedUp(CaseRef):
    followed_up_at: AwareDatetime
    carried_out: bool


@register("case.escalated")
class CaseEscalated(CaseRef):
    escalated_at: AwareDatetime
    kind: EscalationKind


@register("case.start_overdue")
class CaseStartOverdue(CaseRef):
    start_deadline: AwareDatetime


@register("case.place_corrected")
class CasePlaceCorrected(CaseRef):
    """The case's team had its current commune corrected (`team.placement_corrected`):
    the ref carries the case's new place (its `v2025_code`; its `commune_code` too when
    the case was placed in V2025). Status and dates are unchanged."""

    previous_v2025_code: str | None = None


@register("case.personal_data_erased")
class CasePersonalDataErased(CaseRef):
    """The case's personal data (parties, the facts, every free text) was erased; its
    category, dates, status, outcome, place and mediators stay, so no figure changes.
    Only a reason code: the officer's words stay in the cases service."""

    erased_at: AwareDatetime
    reason: ErasureReason


__all__ = [
    "CaseAssigned", "CaseEscalated", "CaseFollowedUp", "CaseGuided", "CaseMediationStarted",
    "CasePersonalDataErased", "CasePlaceCorrected", "CaseReceived", "CaseReferred", "CaseRef",
    "CaseResolved", "CaseStartOverdue"
]
