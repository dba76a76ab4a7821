"""The demo loader through the real service: loads once, then loads nothing."""

from services.teams import demo


def test_demo_loads_once_with_users_and_pilot(teams_container, teams, snapshot, monkeypatch,
                                              capsys):
    monkeypatch.setattr(demo, "TEAMS", 388)  # 2 per commune keeps this test quick
    monkeypatch.setenv("HOAGIAI_DEMO_PASSWORD", "demo-pw")
    demo.load(teams_container.config["AMQP_URI"])
    assert teams.list_teams(first=1)["total_count"] == 388
    pilot = teams.get_pilot(2018)
    assert len(pilot["communes"]) == 22 and pilot["warnings"] == []
    assert all(len(c["model_teams"]) == 2 and c["on_time"] for c in pilot["communes"])
    users = {u["username"]: u for u in demo.demo_users(teams, "demo-pw")}
    for username, version in (("province.officer", "V2025"), ("district.186", "LEGACY"),
                              ("commune2025.06400", "V2025")):
        user = teams.verify_credentials(username, "demo-pw")
        assert (user["username"], user["scope_version"]) == (username, version)
    # one officer per V2025 commune, the 11 LEGACY districts as history users, no LEGACY
    # commune officers: no user name means two communes
    by_role = {}
    for user in users.values():
        by_role.setdefault((user["role"], user["scope_version"]), []).append(user["username"])
    assert len(by_role[("COMMUNE_OFFICER", "V2025")]) == 65
    assert all(n.startswith("commune2025.") for n in by_role[("COMMUNE_OFFICER", "V2025")])
    assert len(by_role[("DISTRICT_OFFICER", "LEGACY")]) == 11
    assert ("COMMUNE_OFFICER", "LEGACY") not in by_role
    teams_of = {u["team_id"]: u["scope_code"] for u in users.values() if u["team_id"]}
    assert sorted(set(teams_of.values())) == sorted(demo.WORKFLOW_COMMUNES)
    assert all(teams.get_team(t)["v2025_code"] == code for t, code in teams_of.items())
    assert "demo-pw" in capsys.readouterr().out
    before = snapshot()
    demo.load(teams_container.config["AMQP_URI"])
    assert snapshot() == before
    assert "already loaded" in capsys.readouterr().out


def test_a_load_stopped_halfway_is_resumed_to_the_same_registry(teams_container, teams,
                                                                 monkeypatch, capsys):
    monkeypatch.setattr(demo, "TEAMS", 388)
    communes = teams.list_units("COMMUNE", None, "LEGACY")
    planned = demo.plan(communes)
    first_ids = teams.import_teams(planned[:demo.BATCH], demo.ACTOR)  # then "Ctrl-C"
    teams.select_pilot_commune(2018, demo.pilot_communes(communes)[0], "2018-03-12", demo.ACTOR)
    assert not demo.registry_complete(teams)

    demo.load(teams_container.config["AMQP_URI"])
    assert "stopped halfway (100 teams); resuming" in capsys.readouterr().out
    assert teams.list_teams(first=1)["total_count"] == 388  # nothing twice
    assert demo.registry_complete(teams)
    names = {(t["commune_code"], t["name"]) for t in planned}
    assert set(demo.existing_teams(teams)) == names
    assert set(first_ids) <= set(demo.existing_teams(teams).values())  # the first batch kept
