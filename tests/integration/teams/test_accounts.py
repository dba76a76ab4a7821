"""Officers' accounts through teams' own RPCs: the scope rule checked again here (a caller
that skipped the gateway's policy is refused and nothing is stored), one-time passwords,
the events and revocations of every change, and users made before accounts kept working."""

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from services.common.db import SERVICES_DIR, make_engine, migrate
from services.common.errors import Forbidden, NotFound, Unauthenticated, ValidationError
from tests.integration.teams.conftest import ACTOR

PASSWORD = "a-long-pass-phrase"
PROVINCE = {"username": "province.officer", "role": "PROVINCE_OFFICER", "scope_code": "20",
            "scope_version": "V2025", "team_id": None}


def commune_actor(code: str) -> dict:
    return {"username": f"commune2025.{code}", "role": "COMMUNE_OFFICER", "scope_code": code,
            "scope_version": "V2025", "team_id": None}


@pytest.fixture
def places(teams):
    home, away = [u["code"] for u in teams.list_units("COMMUNE", None, "V2025")[:2]]
    team = teams.form_team({"name": "Tổ hòa giải 1", "commune_code": home,
                            "geo_version": "V2025", "formed_on": "2025-08-01"}, ACTOR)
    return home, away, team["id"]


def test_teams_refuses_an_actor_out_of_scope_and_stores_nothing(teams, places, snapshot):
    home, away, team_id = places
    before = snapshot()
    refused = [
        ({"username": "a.leader", "full_name": "A", "role": "TEAM_LEADER", "team_id": team_id},
         commune_actor(away)),
        ({"username": "a.leader", "full_name": "A", "role": "TEAM_LEADER", "team_id": team_id},
         PROVINCE),
        ({"username": "an.officer", "full_name": "A", "role": "COMMUNE_OFFICER",
          "unit_code": home}, commune_actor(home)),
        ({"username": "a.district", "full_name": "A", "role": "DISTRICT_OFFICER",
          "unit_code": "20"}, PROVINCE),
        ({"username": "a.province", "full_name": "A", "role": "PROVINCE_OFFICER",
          "unit_code": "20"}, PROVINCE),
        ({"username": "an.officer", "full_name": "A", "role": "COMMUNE_OFFICER",
          "unit_code": home}, {**PROVINCE, "scope_version": "LEGACY"}),
        ({"username": "a.leader", "full_name": "A", "role": "TEAM_LEADER",
          "team_id": "no-such-team"}, commune_actor(home)),
    ]
    for account, actor in refused:
        with pytest.raises(Forbidden):
            teams.create_account(account, actor)
    with pytest.raises(ValidationError):
        teams.create_account({"username": "x", "full_name": "A", "role": "VIEWER"}, None)
    with pytest.raises(Forbidden):
        teams.list_accounts(commune_actor(home), away)
    assert snapshot() == before


def test_an_account_change_revokes_its_tokens_and_raises_an_event(teams, places):
    home, _, team_id = places
    made = teams.create_account({"username": "leader.new", "full_name": "Hoàng Thị Mai",
                                 "role": "TEAM_LEADER", "team_id": team_id},
                                commune_actor(home))
    otp = made["password"]
    assert made["user"]["must_change_password"] is True and len(otp) >= 12
    assert teams.verify_credentials("leader.new", otp)["must_change_password"] is True
    actor = {**made["user"], "username": "leader.new"}
    with pytest.raises(ValidationError) as refused:
        teams.change_password(otp, "password", actor)
    assert refused.value.field == "new_password"
    changed = teams.change_password(otp, "Tổ hòa giải Nà Pàn 2025", actor)
    assert changed["user"]["must_change_password"] is False
    assert changed["revoked"]["username"] == "leader.new" and changed["revoked"]["issued_before"]
    disabled = teams.set_account_active("leader.new", False, commune_actor(home))
    assert disabled["user"]["active"] is False and disabled["revoked"]
    with pytest.raises(Unauthenticated):
        teams.verify_credentials("leader.new", "Tổ hòa giải Nà Pàn 2025")
    assert teams.set_account_active("leader.new", False, commune_actor(home))["revoked"] is None
    teams.set_account_active("leader.new", True, commune_actor(home))
    reset = teams.reset_account_password("leader.new", commune_actor(home))
    assert teams.verify_credentials("leader.new", reset["password"])["must_change_password"]
    events = [e for e in teams.history(0, 1000)["items"]
              if e["aggregate_id"] == "leader.new" or e["type"] == "token.revoked"]
    assert [e["type"] for e in events] == [
        "user.created", "token.revoked", "user.password_changed", "token.revoked",
        "user.disabled", "token.revoked", "user.enabled", "token.revoked",
        "user.password_reset"]
    for event in events:
        text_of = str(event)
        assert otp not in text_of and "Nà Pàn" not in text_of and "argon2" not in text_of
        if event["type"].startswith("user."):
            assert (event["unit_code"], event["geo_version"]) == (home, "V2025")
    assert events[0]["payload"]["full_name"] == "Hoàng Thị Mai"
    listed = teams.list_accounts(commune_actor(home))
    assert [u["username"] for u in listed["items"]] == ["leader.new"]
    assert "password_hash" not in listed["items"][0]
    # the audit trail (services/common/audit.py): each change by its actor, where the
    # account works, from its events; the throttle's bookkeeping adds no entry
    officer = teams.audit_log({"actor": commune_actor(home)["username"], "limit": 101})
    assert [(e["action"], e["object_type"], e["outcome"]) for e in officer["items"]
            if e["object_type"] == "user"] == [
        ("create_account", "user", "ok"), ("set_account_active", "user", "ok"),
        ("set_account_active", "user", "ok"), ("reset_account_password", "user", "ok")]
    assert {e["v2025_code"] for e in officer["items"] if e["object_type"] == "user"} == {home}
    own = teams.audit_log({"actor": "leader.new", "action": "change_password", "limit": 101})
    assert [(e["object_type"], e["outcome"]) for e in own["items"]] == [
        (None, "BAD_USER_INPUT"), ("token", "ok"), ("user", "ok")]
    with pytest.raises(NotFound):
        teams.reset_account_password("nobody", PROVINCE)
    with pytest.raises(Forbidden):
        teams.reset_account_password("nobody", commune_actor(home))


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_users_made_before_accounts_keep_working(backend, new_database, tmp_path):
    url = new_database("accounts") if backend == "postgresql" else \
        f"sqlite:///{tmp_path}/teams.db"
    engine = make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(SERVICES_DIR / "teams" / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "4b82d1e6f307")  # the revision before the accounts' columns
        connection.execute(text(
            "INSERT INTO users (username, password_hash, role, scope_code, scope_version, "
            "created_at) VALUES ('old.officer', 'x', 'PROVINCE_OFFICER', '20', 'V2025', "
            "'2025-01-01 00:00:00')"))
    engine.dispose()
    migrate("teams", url)
    engine = make_engine(url)
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT full_name, active, must_change_password, password_changed_at FROM users"
        )).one()
    engine.dispose()
    assert (row[0], bool(row[1]), bool(row[2]), row[3]) == ("", True, False, None)
