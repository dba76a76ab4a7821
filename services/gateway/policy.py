"""Authorization, in one place: who may read and write what (domain.md, "Who uses it").

| role | scope |
|---|---|
| MEDIATOR, TEAM_LEADER | their own team (`team_id` in the token) |
| COMMUNE_OFFICER | one commune (`commune_code`, or `v2025_code` for a V2025 scope) |
| DISTRICT_OFFICER | one LEGACY district, read-only history since 1/7/2025 (`district_code`) |
| PROVINCE_OFFICER | the whole province |
| VIEWER, anonymous | aggregate figures only |

A scope is (layout, unit): current users are V2025 (the province, the 65 communes, teams);
a V2025 commune officer's scope holds every row whose `v2025_code` is its commune, so the
teams and pre-reform cases of the LEGACY communes merged into it too. A unit code is only
ever compared within one layout (codes are reused across layouts).

Accounts: a province officer manages commune officers and viewers, a commune officer its
teams' leaders and mediators (services/common/accounts.py, `authorize_account`); a token
with a one-time password may only change it, log out and read `me`.

Parties' personal data (names, addresses, the facts) only for the handling team
and the commune officer of the case's commune. Every denial is `Forbidden` with
the same message, whether or not the object exists.
"""

from datetime import date

from services.common import accounts
from services.common.errors import Forbidden, NotFound, Unauthenticated
from services.gateway.auth import Principal

TEAM_ROLES = frozenset({"MEDIATOR", "TEAM_LEADER"})
OFFICERS = frozenset({"COMMUNE_OFFICER", "DISTRICT_OFFICER", "PROVINCE_OFFICER"})
SCOPED = TEAM_ROLES | OFFICERS
EVERYONE = frozenset({*SCOPED, "VIEWER", "ANONYMOUS"})

# action → the roles that may do it (within their scope). Reads and writes alike.
ACTIONS: dict[str, frozenset[str]] = {
    # aggregates and geography: public
    "read_aggregates": EVERYONE,
    "read_units": EVERYONE,
    "own_session": EVERYONE - {"ANONYMOUS"},  # logout
    # registry and cases: names and details, never for viewers
    "read_registry": SCOPED,
    "read_cases": SCOPED,
    "read_remuneration": OFFICERS,
    "read_team_rate": SCOPED,  # a team's own figures, within scope (Team.successRate)
    "read_inspections": OFFICERS,
    "read_commendations": SCOPED,  # team roles: their own team's commendations only
    "log_book": TEAM_ROLES | {"COMMUNE_OFFICER"},
    # parties' personal data (Personal Data Protection Law): the case's commune keeps it
    "read_personal_data": frozenset({"COMMUNE_OFFICER"}),  # what is held, until when
    "erase_personal_data": frozenset({"COMMUNE_OFFICER"}),
    # case lifecycle
    "submit_case": TEAM_ROLES | {"COMMUNE_OFFICER"},
    "assign_mediators": frozenset({"TEAM_LEADER", "COMMUNE_OFFICER"}),
    "start_mediation": TEAM_ROLES | {"COMMUNE_OFFICER"},
    "record_outcome": TEAM_ROLES | {"COMMUNE_OFFICER"},
    "escalate_case": TEAM_ROLES | {"COMMUNE_OFFICER"},
    "refer_case": TEAM_ROLES | {"COMMUNE_OFFICER"},
    "follow_up": TEAM_ROLES | {"COMMUNE_OFFICER"},
    # registry: the commune recognises mediators and keeps its teams (Law 35 Art. 8, 12)
    "form_team": frozenset({"COMMUNE_OFFICER"}),
    "add_mediator": frozenset({"COMMUNE_OFFICER"}),
    "recognise_mediator": frozenset({"COMMUNE_OFFICER"}),
    "elect_leader": frozenset({"COMMUNE_OFFICER"}),
    "dissolve_team": frozenset({"COMMUNE_OFFICER"}),
    "correct_team_placement": frozenset({"COMMUNE_OFFICER"}),  # which 2025 commune it is in
    "record_review": OFFICERS,
    "record_training": OFFICERS,
    "record_contest": OFFICERS,
    "record_inspection": frozenset({"DISTRICT_OFFICER", "PROVINCE_OFFICER"}),
    "record_commendation": frozenset({"DISTRICT_OFFICER", "PROVINCE_OFFICER"}),
    # pilot programme (Plan 73): districts pick communes, pilot communes pick model teams
    "select_pilot_commune": frozenset({"DISTRICT_OFFICER", "PROVINCE_OFFICER"}),
    "select_model_team": OFFICERS,
    "set_pilot_programme": frozenset({"PROVINCE_OFFICER"}),  # the Sở Tư pháp's plan
    # money and operations
    "set_budget": frozenset({"COMMUNE_OFFICER", "PROVINCE_OFFICER"}),
    "operate": frozenset({"PROVINCE_OFFICER"}),  # dead letters, rebuilds
    # accounts (services/common/accounts.py says whose: `authorize_account`)
    "read_accounts": frozenset({"COMMUNE_OFFICER", "PROVINCE_OFFICER"}),
    "manage_accounts": frozenset({"COMMUNE_OFFICER", "PROVINCE_OFFICER"}),
    "change_password": EVERYONE - {"ANONYMOUS"},  # one's own
    "read_audit": OFFICERS,  # the audit trail of their scope
}
# What a token with a one-time password may do (with `me`): change it, or log out.
ONE_TIME_PASSWORD_ACTIONS = frozenset({"own_session", "change_password"})

DENIED = "you are not allowed to do this, or it does not exist"
DISTRICTS_ENDED = date(2025, 7, 1)
CHANGE_PASSWORD_FIRST = ("this account has a one-time password: change it first "
                         "(changePassword); until then only changePassword, logout and me "
                         "are allowed")
HISTORY_ONLY = ("districts ended on 1/7/2025: a district officer may only record what "
                "happened before that date")


def allowed(principal: Principal, action: str) -> bool:
    return principal.role in ACTIONS[action]


def require(principal: Principal, action: str) -> None:
    """The role may do `action` somewhere; anonymous callers are told to log in; a
    token with a one-time password may only change it (or log out)."""
    if principal.must_change_password and action not in ONE_TIME_PASSWORD_ACTIONS:
        raise Forbidden(CHANGE_PASSWORD_FIRST)
    if allowed(principal, action):
        return
    if principal.anonymous:
        raise Unauthenticated("log in first: this needs a token")
    raise Forbidden(DENIED)


def in_scope(principal: Principal, obj: dict) -> bool:
    """Whether a team, case or commune (a dict with `team_id`, `commune_code`,
    `district_code`, `v2025_code`) lies inside the caller's scope."""
    role = principal.role
    if role == "PROVINCE_OFFICER":
        return True
    if role == "DISTRICT_OFFICER":
        return obj.get("district_code") is not None and obj["district_code"] == principal.scope_code
    if role == "COMMUNE_OFFICER":
        key = "v2025_code" if principal.scope_version == "V2025" else "commune_code"
        return obj.get(key) is not None and obj[key] == principal.scope_code
    if role in TEAM_ROLES:
        team = obj.get("team_id")
        return principal.team_id is not None and team is not None and str(team) == principal.team_id
    return False


def authorize(principal: Principal, action: str, obj: dict | None) -> dict:
    """Allow `action` on `obj` (None: it was not found) or raise. Returns `obj`.

    Not found and out of scope look the same, except to a province officer, who
    may see everything and so learns nothing from NOT_FOUND."""
    require(principal, action)
    if obj is None:
        if principal.role == "PROVINCE_OFFICER":
            raise NotFound("no such object")
        raise Forbidden(DENIED)
    if not in_scope(principal, obj):
        raise Forbidden(DENIED)
    return obj


def authorize_account(principal: Principal, account: dict | None) -> dict:
    """Allow managing `account` (a dict with `username`, `role`, `scope_version` and
    `commune`, its V2025 commune; None: not found) or raise, like `authorize`."""
    require(principal, "manage_accounts")
    if account is None:
        if principal.role == "PROVINCE_OFFICER":
            raise NotFound("no such user", field="username")
        raise Forbidden(DENIED)
    if not accounts.may_manage(principal.as_actor(), account):
        raise Forbidden(DENIED)
    return account


def authorize_account_list(principal: Principal, unit_code: str | None) -> None:
    """The accounts a caller may list: a province officer's, any V2025 unit's; a commune
    officer's, its own commune's (the default)."""
    require(principal, "read_accounts")
    if principal.scope_version != "V2025":  # history users manage no accounts
        raise Forbidden(DENIED)
    if principal.role != "PROVINCE_OFFICER" and unit_code not in (None, principal.scope_code):
        raise Forbidden(DENIED)


def may_give(principal: Principal, role: str) -> bool:
    return accounts.may_give(principal.as_actor(), role)


def team_scope(team: dict | None) -> dict | None:
    return None if team is None else {**team, "team_id": team["id"]}


def personal_data_allowed(principal: Principal, case: dict) -> bool:
    """Parties' names, addresses, the facts: only the handling team and its commune."""
    if principal.role in TEAM_ROLES or principal.role == "COMMUNE_OFFICER":
        return in_scope(principal, case)
    return False


def check_dated_write(principal: Principal, on: str | date | None) -> None:
    """District officers are a history role: a write dated on or after 1/7/2025 (None:
    today) is refused. A date that is not one is left to the service to refuse."""
    if principal.role != "DISTRICT_OFFICER":
        return
    if on is None:
        day = date.today()
    elif isinstance(on, date):
        day = on
    else:
        try:
            day = date.fromisoformat(str(on)[:10])
        except ValueError:
            return
    if day >= DISTRICTS_ENDED:
        raise Forbidden(HISTORY_ONLY)


def require_whole_unit(principal: Principal, action: str, scope: dict,
                       unit_code: str) -> None:
    """A figure of one whole unit (remuneration): the caller's scope must be that unit,
    not narrowed to a part of it (a team's share of a commune)."""
    if scope["unit_code"] != unit_code and principal.role != "PROVINCE_OFFICER":
        authorize(principal, action, None)


def list_scope(principal: Principal, action: str, unit_code: str | None,
               unit_chain: list[dict] | None, geo_version: str) -> dict:
    """The filters a list query runs with: the caller's own scope, narrowed by
    `unit_code` when it lies inside. `unit_chain` is `[unit, parent, …]` of `unit_code` in
    `geo_version`, the layout asked; a code is the caller's own only in the caller's layout.

    Returns `{"unit_code", "geo_version", "team_id"}`; raises Forbidden outside scope."""
    require(principal, action)
    role = principal.role
    if role == "PROVINCE_OFFICER":
        return {"unit_code": unit_code, "geo_version": geo_version, "team_id": None}
    own_version = principal.scope_version or "LEGACY"
    own = unit_code is None or (unit_code, geo_version) == (principal.scope_code, own_version)
    if role in TEAM_ROLES:
        if not own:
            raise Forbidden(DENIED)
        return {"unit_code": None, "geo_version": own_version, "team_id": principal.team_id}
    scope = {"unit_code": principal.scope_code, "geo_version": own_version, "team_id": None}
    if own:
        return scope
    if role == "DISTRICT_OFFICER" and unit_chain and geo_version == own_version \
            and principal.scope_code in [u["code"] for u in unit_chain[1:]]:
        return {**scope, "unit_code": unit_code}
    raise Forbidden(DENIED)
