"""Every closed list of words the services and the API share, each defined once.

Events and RPC payloads validate against these `Literal`s; the gateway builds its GraphQL
enums from them (services/gateway/schema/enums.py), and a test keeps the SDL equal to them.
Vietnamese labels, one per value, are what screens and exports show (domain.md's glossary).
"""

from typing import Literal, get_args

GeoVersion = Literal["LEGACY", "V2025"]  # LEGACY: until 30/6/2025; V2025: the current layout
UnitLevel = Literal["PROVINCE", "DISTRICT", "COMMUNE"]
Role = Literal["MEDIATOR", "TEAM_LEADER", "COMMUNE_OFFICER", "DISTRICT_OFFICER",
               "PROVINCE_OFFICER", "VIEWER"]
Gender = Literal["FEMALE", "MALE"]
CommendationLevel = Literal["COMMUNE", "DISTRICT", "PROVINCE", "NATIONAL"]

# A case (vụ việc hòa giải)
Category = Literal["CONFLICT", "CIVIL_FAMILY", "OTHER"]  # the three groups of indicator 0403
Channel = Literal["IN_PERSON", "PHONE", "REFERRAL", "MEDIATOR_NOTICED", "ONLINE", "OTHER"]
Outcome = Literal["SUCCESSFUL", "UNSUCCESSFUL", "STOPPED"]  # what a mediation ends in
# The API's outcome adds REFERRED: recording it refers the case (cases' refer_case).
OutcomeChoice = Literal[Outcome, "REFERRED"]
CaseStatus = Literal["RECEIVED", "ASSIGNED", "IN_MEDIATION", Outcome, "REFERRED"]
EscalationKind = Literal["VIOLENCE_RISK", "CRIME_SIGNS", "MASS_OR_COMPLEX"]
NonMediableReason = Literal["CRIME", "ADMINISTRATIVE_VIOLATION", "AGAINST_LAW_OR_MORALITY",
                            "OTHER_EXCLUDED"]  # Decree 15/2014 Art. 5
HotspotReason = Literal["SURGE", "ESCALATED"]
# Why a case's personal data was erased: its retention period ended, or on request (the
# data subject's, through the commune officer: Personal Data Protection Law 2025)
ErasureReason = Literal["RETENTION_EXPIRED", "REQUESTED"]

# The registry's findings on a team (Law 35 Art. 12): RULE breaks the law, WARNING misses a goal
IssueSeverity = Literal["RULE", "WARNING"]
RegistryIssueCode = Literal["TOO_FEW_MEDIATORS", "NO_WOMAN", "NO_LEADER",
                            "NO_ETHNIC_MINORITY_MEDIATOR",
                            "PLACEMENT_ASSUMED"]  # see Team.placementAssumed
# Why the registry (the teams service) refused a change: `details["reason"]` of its
# ValidationError/Conflict, UserError.reason in the API, so a client can word it (Law 35
# Art. 8, 12; Plan 73 for the pilot)
RegistryRefusal = Literal[
    "TEAM_DISSOLVED", "NOT_A_COMMUNE", "NOT_A_SUCCESSOR_COMMUNE", "BEFORE_TEAM_FORMED",
    "BEFORE_ELECTION",
    "ELECTION_SHARE_TOO_LOW", "ALREADY_A_MEDIATOR", "DECISION_BEFORE_ELECTION",
    "NOT_AWAITING_RECOGNITION", "MEDIATOR_LEFT", "LEADER_NOT_A_MEMBER", "LEADS_ANOTHER_TEAM",
    "NOT_A_MEMBER", "PERIOD_ENDS_BEFORE_START", "ALREADY_A_PILOT_COMMUNE", "NOT_A_PILOT_COMMUNE",
    "ALREADY_A_MODEL_TEAM", "MODEL_TEAMS_FULL"]
# Every refusal's reason the API names (UserError.reason): intake's and the registry's
RefusalReason = Literal[NonMediableReason, RegistryRefusal]


def values(vocabulary) -> tuple[str, ...]:
    """The words of a vocabulary, in order (nested Literals are flattened)."""
    return get_args(vocabulary)


CATEGORY_LABELS = {  # the 0403 groups (Circular 10/2017/TT-BTP)
    "CONFLICT": "Mâu thuẫn giữa các bên",
    "CIVIL_FAMILY": "Tranh chấp dân sự, hôn nhân và gia đình",
    "OTHER": "Khác",
}
STATUS_LABELS = {
    "RECEIVED": "Đã tiếp nhận", "ASSIGNED": "Đã phân công", "IN_MEDIATION": "Đang hòa giải",
    "SUCCESSFUL": "Hòa giải thành", "UNSUCCESSFUL": "Hòa giải không thành",
    "STOPPED": "Dừng hòa giải", "REFERRED": "Chuyển cơ quan có thẩm quyền",
}
