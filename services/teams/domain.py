"""Pure rules of the registry (Law 35/2013 on grassroots mediation, Plan 73/KH-UBND).

Where the law is a rule, a breach raises a typed error; where it is a goal, it is a
warning or a flag. No nameko, no SQLAlchemy here.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from services.common.errors import Conflict, ValidationError
from services.common.geography import VIETNAM

MIN_MEDIATORS = 3  # Art. 12
RECOGNITION_WORKING_DAYS = 5  # Art. 8
MAJORITY = 0.5  # Art. 8: more than half of the household representatives
MODEL_TEAMS_PER_COMMUNE = 2  # Plan 73 P2
MIN_PILOT_COMMUNES_PER_DISTRICT = 2  # Plan 73 P2
MAJORITY_ETHNICITY = "Kinh"
ROLES = ("MEDIATOR", "TEAM_LEADER", "COMMUNE_OFFICER", "DISTRICT_OFFICER",
         "PROVINCE_OFFICER", "VIEWER")
TEAM_ROLES = ("MEDIATOR", "TEAM_LEADER")


@dataclass(frozen=True)
class Member:
    gender: str
    ethnicity: str | None


RULE, WARNING = "RULE", "WARNING"


@dataclass(frozen=True)
class Issue:
    code: str  # stable, for clients to translate
    severity: str  # RULE: a breach of the law (not compliant); WARNING: a goal missed
    message: str


@dataclass
class Compliance:
    issues: list[Issue] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        return not self.reasons

    @property
    def reasons(self) -> list[str]:
        return [i.message for i in self.issues if i.severity == RULE]

    @property
    def warnings(self) -> list[str]:
        return [i.message for i in self.issues if i.severity == WARNING]


def compliance(members: list[Member], *, leader_elected: bool) -> Compliance:
    """Art. 12: at least 3 mediators including a woman, and a leader elected by them
    (rules); in ethnic-minority areas an ethnic-minority mediator (a goal here: all of
    Lạng Sơn is such an area)."""
    issues = []
    if len(members) < MIN_MEDIATORS:
        issues.append(Issue("TOO_FEW_MEDIATORS", RULE,
                            f"fewer than {MIN_MEDIATORS} mediators ({len(members)})"))
    if not any(m.gender == "FEMALE" for m in members):
        issues.append(Issue("NO_WOMAN", RULE, "no woman among the mediators"))
    if not leader_elected:
        issues.append(Issue("NO_LEADER", RULE, "no team leader elected"))
    if members and not any(m.ethnicity and m.ethnicity != MAJORITY_ETHNICITY for m in members):
        issues.append(Issue("NO_ETHNIC_MINORITY_MEDIATOR", WARNING,
                            "no ethnic-minority mediator"))
    return Compliance(issues)


def current_commune(legacy_code: str, default: str, split_into: list[str],
                    stated: str | None, field_name: str) -> tuple[str, bool]:
    """The V2025 commune a team of `legacy_code` is in now, and whether that is assumed.

    A split commune's villages went to different new communes: the team's own village
    decides (`stated`, one of `split_into`); when nothing says, the crosswalk's default
    target is taken and recorded as an assumption."""
    targets = split_into or [default]
    if stated is None:
        return default, len(targets) > 1
    if stated not in targets:
        raise ValidationError(f"{legacy_code} became {' or '.join(targets)} in 2025, "
                              f"not {stated}", field=field_name,
                              details={"allowed": list(targets),
                                       "reason": "NOT_A_SUCCESSOR_COMMUNE"})
    return stated, False


def placement_issues(assumed: bool) -> list[Issue]:
    if not assumed:
        return []
    return [Issue("PLACEMENT_ASSUMED", WARNING,
                  "the 2025 commune is the crosswalk's default for a split commune: "
                  "the commune officer should confirm or correct it")]


def person_key(full_name: str, year_of_birth: int | None, citizen_id: str | None) -> str:
    """Who a mediator is, across teams: the citizen id if known, else name and birth year."""
    if citizen_id:
        return f"id:{citizen_id}"
    name = " ".join(unicodedata.normalize("NFC", full_name).casefold().split())
    return f"name:{name}|{year_of_birth or ''}"


def check_election_share(share: float | None) -> None:
    if share is not None and not share > MAJORITY:
        raise ValidationError(
            "a mediator needs more than 50% of the household representatives (Art. 8)",
            field="election_share", details={"reason": "ELECTION_SHARE_TOO_LOW"})


@lru_cache(maxsize=4096)  # a list of mediators repeats a team's election dates
def working_days_between(start: date, end: date) -> int:
    """Working days (Mon–Fri) after `start` up to and including `end`; holidays not counted."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    first = start.weekday()  # any 7 days in a row hold 5 working days; then the rest
    return weeks * 5 + sum(1 for i in range(1, rest + 1) if (first + i) % 7 < 5)


def today() -> date:
    """The date in Vietnam (UTC+7), where the registry's dates are written."""
    return datetime.now(VIETNAM).date()


def recognition_late(elected_on: date | None, decision_date: date) -> bool:
    """Art. 8: the commune chairperson recognises within 5 working days of the election."""
    if elected_on is None:
        return False
    if decision_date < elected_on:
        raise ValidationError("the decision cannot precede the election", field="decision_date",
                              details={"reason": "DECISION_BEFORE_ELECTION"})
    return working_days_between(elected_on, decision_date) > RECOGNITION_WORKING_DAYS


def check_leader(mediator_team_id: str, mediator_status: str, team_id: str,
                 leads_other_team: bool) -> None:
    """Art. 12: the leader is one of the team's mediators; a person leads one team only."""
    if mediator_team_id != team_id or mediator_status == "LEFT":
        raise Conflict("the leader must be a member of the team", field="mediator_id",
                       details={"reason": "LEADER_NOT_A_MEMBER"})
    if leads_other_team:
        raise Conflict("this person already leads another team", field="mediator_id",
                       details={"reason": "LEADS_ANOTHER_TEAM"})


def check_active(status: str, what: str = "team") -> None:
    if status != "ACTIVE":
        raise Conflict(f"the {what} is dissolved", field="team_id",
                       details={"reason": "TEAM_DISSOLVED"})


def check_dates(earlier: date | None, later: date, field_name: str,
                reason: str = "BEFORE_TEAM_FORMED") -> None:
    """`later` may not precede `earlier`: the team's formation (BEFORE_TEAM_FORMED) or the
    mediator's election (BEFORE_ELECTION), as `reason` says."""
    if earlier is not None and later < earlier:
        raise ValidationError(f"{field_name} is before {earlier.isoformat()}", field=field_name,
                              details={"reason": reason})


def on_time(selected_on: date, deadline: date) -> bool:
    """Plan 73 P3: selections are reported before the programme's deadline (a flag)."""
    return selected_on <= deadline


def check_model_team_slot(already_selected: int) -> None:
    if already_selected >= MODEL_TEAMS_PER_COMMUNE:
        raise Conflict(f"a pilot commune selects {MODEL_TEAMS_PER_COMMUNE} model teams",
                       field="team_id", details={"reason": "MODEL_TEAMS_FULL"})


def pilot_warnings(communes_per_district: dict[str, int]) -> list[str]:
    return [f"district {code} has {n} pilot commune(s); the plan asks for at least "
            f"{MIN_PILOT_COMMUNES_PER_DISTRICT}"
            for code, n in sorted(communes_per_district.items())
            if n < MIN_PILOT_COMMUNES_PER_DISTRICT]


def check_user_scope(role: str, scope_code: str | None, team_id: str | None) -> None:
    if role in TEAM_ROLES and not team_id:
        raise ValidationError(f"a {role} user needs a team", field="team_id")
    if role not in ("VIEWER", *TEAM_ROLES) and not scope_code:
        raise ValidationError(f"a {role} user needs a scope unit", field="scope_code")
