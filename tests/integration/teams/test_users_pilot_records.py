"""Users, the pilot programme, inspections and commendations through the real RPCs."""

import sys

import pytest

from services.common.errors import Conflict, NotFound, Unauthenticated, ValidationError
from services.teams.models import User
from tests.integration.teams.conftest import ACTOR, person
from tests.support.command import run_command


def test_verify_credentials_good_and_bad(teams, make_team):
    team = make_team()
    created = teams.create_user({"username": "leader.one", "password": "s3cret-pass",
                                 "role": "TEAM_LEADER", "scope_code": "05971",
                                 "team_id": team["id"]}, ACTOR)
    assert "password" not in created and "password_hash" not in created
    assert teams.verify_credentials("leader.one", "s3cret-pass") == {
        "username": "leader.one", "role": "TEAM_LEADER", "scope_code": "05971",
        "scope_version": "LEGACY", "team_id": team["id"], "full_name": "", "active": True,
        "must_change_password": False}
    for username, password in (("leader.one", "wrong"), ("nobody", "s3cret-pass")):
        with pytest.raises(Unauthenticated) as raised:
            teams.verify_credentials(username, password)
        assert raised.value.message == "unknown user or wrong password"
    assert all("s3cret" not in str(e) for e in teams.history(0, 1000)["items"])


def test_create_user_rejects_bad_input_and_changes_nothing(teams, snapshot):
    teams.create_user({"username": "province.officer", "password": "demo",
                       "role": "PROVINCE_OFFICER", "scope_code": "20"}, ACTOR)
    before = snapshot()
    bad = [({"username": "province.officer"}, Conflict),
           ({"role": "KING"}, ValidationError),
           ({"scope_code": "99999"}, NotFound),
           ({"role": "MEDIATOR", "scope_code": "05971"}, ValidationError),  # no team
           ({"role": "MEDIATOR", "team_id": "nope", "scope_code": "05971"}, NotFound)]
    for overrides, error in bad:
        with pytest.raises(error):
            teams.create_user({"username": "new.user", "password": "demo",
                               "role": "COMMUNE_OFFICER", "scope_code": "05971", **overrides},
                              ACTOR)
    assert snapshot() == before


def test_batch_of_users_shares_one_hash_per_password(teams, db):
    made = teams.create_users([{"username": f"commune.{c}", "password": "demo",
                                "role": "COMMUNE_OFFICER", "scope_code": c}
                               for c in ("05971", "05974")], False, ACTOR)
    assert len(made) == 2
    assert teams.create_users([{"username": "commune.05971", "password": "demo",
                                "role": "COMMUNE_OFFICER", "scope_code": "05971"}],
                              True, ACTOR) == []
    with db.begin() as session:
        hashes = {u.password_hash for u in session.query(User)}
    assert len(hashes) == 1 and next(iter(hashes)).startswith("$argon2")
    assert teams.verify_credentials("commune.05974", "demo")["scope_code"] == "05974"


def test_cli_creates_the_first_administrator(teams_container, teams):
    env = {"TEAMS_DATABASE_URL": teams_container.config["DATABASE_URL"],
           "PATH": "/usr/bin:/bin"}
    create_admin = [sys.executable, "-m", "services.teams.cli", "create-user",
                    "--username", "admin"]
    done = run_command(create_admin, env, "first-admin-pw\n")
    assert done.returncode == 0, done.stderr
    assert "first-admin-pw" not in done.stdout + done.stderr
    admin = teams.verify_credentials("admin", "first-admin-pw")
    assert (admin["role"], admin["scope_version"]) == ("PROVINCE_OFFICER", "V2025")
    again = run_command(create_admin, env, "first-admin-pw\n")
    assert again.returncode == 1 and "exists" in again.stderr


def test_pilot_selection_rules(teams, make_team, snapshot):
    pilot = teams.get_pilot(2018)
    assert (pilot["deadline"], pilot["period_start"], pilot["period_end"],
            pilot["target_rate"]) == ("2018-03-20", "2018-04-01", "2019-12-31", 0.9)
    assert len(pilot["warnings"]) == 11  # no district has its 2 pilot communes yet
    teams.select_pilot_commune(2018, "05971", "2018-03-20", ACTOR)
    late = teams.select_pilot_commune(2018, "05974", "2018-03-21", ACTOR)
    assert [c["on_time"] for c in late["communes"]] == [True, False]
    assert not any("district 178" in w for w in late["warnings"])
    a, b, c = make_team(), make_team(), make_team()
    teams.select_model_team(2018, a["id"], "2018-03-15", ACTOR)
    chosen = teams.select_model_team(2018, b["id"], "2018-03-15", ACTOR)
    assert len(chosen["communes"][0]["model_teams"]) == 2
    outside = make_team(commune_code="06079")
    before = snapshot()
    with pytest.raises(Conflict) as third:  # a third team in one commune
        teams.select_model_team(2018, c["id"], "2018-03-15", ACTOR)
    with pytest.raises(Conflict) as outside_pilot:  # not a pilot commune
        teams.select_model_team(2018, outside["id"], "2018-03-15", ACTOR)
    with pytest.raises(Conflict) as again:  # already selected
        teams.select_model_team(2018, b["id"], "2018-03-15", ACTOR)
    with pytest.raises(Conflict) as selected:  # already selected
        teams.select_pilot_commune(2018, "05971", "2018-03-15", ACTOR)
    assert [e.value.details["reason"] for e in (third, outside_pilot, again, selected)] == [
        "MODEL_TEAMS_FULL", "NOT_A_PILOT_COMMUNE", "ALREADY_A_MODEL_TEAM",
        "ALREADY_A_PILOT_COMMUNE"]
    with pytest.raises(NotFound):  # no such programme
        teams.select_pilot_commune(2019, "06079", "2019-03-15", ACTOR)
    with pytest.raises(ValidationError):  # a district is not a commune
        teams.select_pilot_commune(2018, "181", "2018-03-15", ACTOR)
    with pytest.raises(ValidationError):
        teams.select_pilot_commune(2018, "06079", "20/03/2018", ACTOR)
    assert snapshot() == before
    events = {e["type"]: e for e in teams.history(0, 1000)["items"]}
    assert events["pilot.team_selected"]["payload"]["target_rate"] == 0.9
    assert events["pilot.commune_selected"]["payload"]["district_code"] == "178"


def test_programmes_are_data(teams):
    programme = teams.set_pilot_programme({"year": 2021, "deadline": "2021-03-31",
                                           "period_start": "2021-04-01",
                                           "period_end": "2022-12-31", "target_rate": 0.85},
                                          ACTOR)
    assert programme["target_rate"] == 0.85
    with pytest.raises(ValidationError):
        teams.set_pilot_programme({"year": 2022, "deadline": "2022-03-31",
                                   "period_start": "2023-04-01", "period_end": "2022-12-31"},
                                  ACTOR)


def test_inspections_and_commendations_per_unit_and_year(teams, make_team, snapshot):
    team = make_team()
    teams.record_inspection({"unit_code": "05971", "inspected_on": "2019-06-01",
                             "body": "Sở Tư pháp", "findings": "sổ theo dõi đầy đủ",
                             "actions": "tập huấn thêm"}, ACTOR)
    teams.record_inspection({"unit_code": "06079", "inspected_on": "2020-06-01",
                             "body": "Phòng Tư pháp Bình Gia", "findings": "ổn"}, ACTOR)
    assert [i["unit_code"] for i in teams.list_inspections("178", 2019)] == ["05971"]
    assert teams.list_inspections("178", 2020) == []
    assert [i["district_code"] for i in teams.list_inspections(None, 2020)] == ["181"]
    mediator = team["mediator_ids"][0]
    teams.record_commendation({"team_id": team["id"], "mediator_id": mediator,
                               "level": "PROVINCE", "awarded_on": "2020-12-01",
                               "reason": "hòa giải viên giỏi"}, ACTOR)
    assert [c["mediator_id"] for c in teams.list_commendations("20", 2020)] == [mediator]
    assert teams.list_commendations("06187", 2020, "V2025")[0]["level"] == "PROVINCE"
    assert teams.list_commendations("181", 2020) == []
    other = make_team()
    before = snapshot()
    with pytest.raises(Conflict):
        teams.record_commendation({"team_id": other["id"], "mediator_id": mediator,
                                   "level": "PROVINCE", "awarded_on": "2020-12-01",
                                   "reason": "x"}, ACTOR)
    with pytest.raises(NotFound):
        teams.record_inspection({"unit_code": "99999", "inspected_on": "2019-06-01",
                                 "body": "x", "findings": "x"}, ACTOR)
    with pytest.raises(ValidationError):
        teams.record_inspection({"unit_code": "05971", "inspected_on": "2019-06-31",
                                 "body": "x", "findings": "x"}, ACTOR)
    assert snapshot() == before


def test_import_batch_is_all_or_nothing(teams, snapshot):
    good = {"name": "Tổ A", "commune_code": "05971", "formed_on": "2018-01-02",
            "mediators": [person("FEMALE"), person("MALE"), person("MALE")], "leader_index": 0}
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        teams.import_teams([good, {**good, "leader_index": 5}], ACTOR)
    assert raised.value.field == "teams.1.leader_index"
    leader = person("FEMALE", citizen_id="020170000001")
    twice = [{**good, "mediators": [leader, person()], "leader_index": 0} for _ in range(2)]
    with pytest.raises(Conflict):
        teams.import_teams(twice, ACTOR)
    assert snapshot() == before
    ids = teams.import_teams([good], ACTOR)
    team = teams.get_team(ids[0])
    assert team["compliant"] and team["leader_id"] in team["mediator_ids"]
