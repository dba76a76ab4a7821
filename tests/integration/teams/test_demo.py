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
    for username in ("province.officer", "district.186", "commune.06400"):
        assert teams.verify_credentials(username, "demo-pw")["username"] == username
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
