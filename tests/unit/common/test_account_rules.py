"""Who may manage whose account (services/common/accounts.py): the rule the gateway's
policy enforces and the teams service checks again. Written out as a table here, apart
from the rule."""

import pytest

from services.common.accounts import may_give, may_manage

PROVINCE = {"username": "province.officer", "role": "PROVINCE_OFFICER", "scope_code": "20",
            "scope_version": "V2025"}
COMMUNE = {"username": "commune2025.06400", "role": "COMMUNE_OFFICER",
           "scope_code": "06400", "scope_version": "V2025"}
LEGACY_COMMUNE = {"username": "commune.06400", "role": "COMMUNE_OFFICER",
                  "scope_code": "06400", "scope_version": "LEGACY"}
DISTRICT = {"username": "district.186", "role": "DISTRICT_OFFICER", "scope_code": "186",
            "scope_version": "LEGACY"}
LEADER = {"username": "leader.t1", "role": "TEAM_LEADER", "scope_code": "06400",
          "scope_version": "V2025", "team_id": "t1"}
VIEWER = {"username": "viewer", "role": "VIEWER", "scope_code": "20", "scope_version": "V2025"}


def account(role, commune="06400", version="V2025", username="new.user"):
    return {"username": username, "role": role, "scope_version": version, "commune": commune}


ROLES = ("PROVINCE_OFFICER", "DISTRICT_OFFICER", "COMMUNE_OFFICER", "TEAM_LEADER",
         "MEDIATOR", "VIEWER")
# actor → the roles it may give (V2025 accounts in its scope)
GIVES = {"province": {"COMMUNE_OFFICER", "VIEWER"}, "commune": {"TEAM_LEADER", "MEDIATOR"},
         "legacy_commune": set(), "district": set(), "leader": set(), "viewer": set()}
ACTORS = {"province": PROVINCE, "commune": COMMUNE, "legacy_commune": LEGACY_COMMUNE,
          "district": DISTRICT, "leader": LEADER, "viewer": VIEWER}


@pytest.mark.parametrize("name", list(ACTORS))
def test_each_role_gives_only_the_roles_below_it_that_it_manages(name):
    actor = ACTORS[name]
    assert {role for role in ROLES if may_give(actor, role)} == GIVES[name]
    assert {role for role in ROLES if may_manage(actor, account(role))} == GIVES[name]


def test_a_province_officer_manages_commune_officers_and_viewers_of_any_v2025_unit():
    assert may_manage(PROVINCE, account("COMMUNE_OFFICER", "06101"))
    assert may_manage(PROVINCE, account("VIEWER", None))  # a province-wide viewer
    assert not may_manage(PROVINCE, account("COMMUNE_OFFICER", "06400", "LEGACY"))
    assert not may_manage(PROVINCE, account("DISTRICT_OFFICER", None, "LEGACY"))
    assert not may_manage(PROVINCE, account("PROVINCE_OFFICER", None))


def test_a_commune_officer_manages_the_team_accounts_of_its_own_commune_only():
    assert may_manage(COMMUNE, account("TEAM_LEADER", "06400"))
    assert may_manage(COMMUNE, account("MEDIATOR", "06400"))
    assert not may_manage(COMMUNE, account("MEDIATOR", "06101"))
    assert not may_manage(COMMUNE, account("MEDIATOR", None))
    assert not may_manage(COMMUNE, account("COMMUNE_OFFICER", "06400"))  # its peers
    assert not may_manage(COMMUNE, account("VIEWER", "06400"))


def test_nobody_manages_their_own_account():
    for actor in (PROVINCE, COMMUNE):
        me = account(actor["role"], actor["scope_code"], username=actor["username"])
        assert not may_manage(actor, me)


def test_history_users_manage_no_account():
    for actor in (LEGACY_COMMUNE, DISTRICT):
        assert not any(may_manage(actor, account(role)) for role in ROLES)
