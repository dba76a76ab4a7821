"""Who may manage whose account: one rule, enforced by the gateway's policy and checked
again by the teams service (which keeps the accounts).

- the `create-user` CLI makes province officers;
- a province officer manages commune officers and viewers (any V2025 unit);
- a commune officer manages the leaders and mediators of the teams whose V2025 commune
  is theirs;
- nobody manages their own account (`changePassword` is for that), or gives a role
  above their own; no account is made or managed in the LEGACY layout, so no new
  district officer (districts ended on 1/7/2025).
"""

from collections.abc import Mapping

MANAGED_ROLES: dict[str, frozenset[str]] = {
    "PROVINCE_OFFICER": frozenset({"COMMUNE_OFFICER", "VIEWER"}),
    "COMMUNE_OFFICER": frozenset({"TEAM_LEADER", "MEDIATOR"}),
}
RANKS = {"VIEWER": 0, "MEDIATOR": 1, "TEAM_LEADER": 2, "COMMUNE_OFFICER": 3,
         "DISTRICT_OFFICER": 4, "PROVINCE_OFFICER": 5}
TEAM_ROLES = frozenset({"MEDIATOR", "TEAM_LEADER"})
MANAGERS = frozenset(MANAGED_ROLES)


def may_give(actor: Mapping, role: str) -> bool:
    """Whether `actor` (the gateway's `actor` dict) may manage accounts of `role` at all."""
    return (actor.get("scope_version") == "V2025"
            and role in MANAGED_ROLES.get(actor.get("role"), ())
            and RANKS.get(role, 99) < RANKS.get(actor.get("role"), -1))


def may_manage(actor: Mapping, account: Mapping) -> bool:
    """Whether `actor` may create, reset, disable or enable `account`: a dict with
    `username`, `role`, `scope_version` and `commune` (the V2025 commune the account works
    in: its scope unit, or its team's commune; None for a province-wide account)."""
    if actor.get("username") == account.get("username"):
        return False
    if not may_give(actor, account.get("role")) or account.get("scope_version") != "V2025":
        return False
    if actor.get("role") == "COMMUNE_OFFICER":
        return account.get("commune") is not None and account["commune"] == actor.get("scope_code")
    return True
