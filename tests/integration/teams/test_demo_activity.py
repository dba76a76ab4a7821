"""The registry's demo activity through the real service: reviews, trainings, inspections,
commendations and a non-compliant team per demo commune; once, and resumed after a stop."""

from datetime import UTC, datetime

from services.teams import demo, demo_activity

# LEGACY communes merged into the demo leaders' V2025 communes (06187, 06079, 06400)
MERGED = ("05971", "06079", "06400")


def load_registry(teams) -> None:
    communes = {c["code"]: c for c in teams.list_units("COMMUNE", None, "LEGACY")}
    gen = demo.Generator()
    teams.import_teams([gen.team(communes[code], village, False) for code in MERGED
                        for village in gen.villages(communes[code], 2)], demo.ACTOR)


def test_the_activity_loads_once(teams_container, teams, capsys):
    load_registry(teams)
    demo_activity.load(teams_container.config["AMQP_URI"])
    assert "demo activity for" in capsys.readouterr().out
    inspections = teams.list_inspections(None, None, "V2025")
    assert len(inspections) == demo_activity.INSPECTED_COMMUNES
    commendations = teams.list_commendations()
    assert commendations and all(c["level"] != "DISTRICT" for c in commendations)
    for code in demo_activity.COMMUNES:  # a new team breaking Art. 12 in each
        failing = [t for t in teams.list_non_compliant(code, "V2025")
                   if t["name"] == demo_activity.NEW_TEAM]
        assert len(failing) == 1, code
    demo_activity.load(teams_container.config["AMQP_URI"])
    assert "already loaded" in capsys.readouterr().out
    assert len(teams.list_commendations()) == len(commendations)


def test_a_run_stopped_before_the_commendations_makes_no_second_team(teams_container, teams):
    load_registry(teams)
    demo_activity.form_new_teams(teams, datetime.now(UTC).date())  # then "Ctrl-C"
    demo_activity.load(teams_container.config["AMQP_URI"])
    for code in demo_activity.COMMUNES:
        names = [t["name"] for t in teams.list_teams(code, "V2025", 100)["items"]]
        assert names.count(demo_activity.NEW_TEAM) == 1, code
    inspections = teams.list_inspections(None, None, "V2025")
    assert len(inspections) == demo_activity.INSPECTED_COMMUNES
