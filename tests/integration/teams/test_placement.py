"""A team's current (V2025) commune next to the LEGACY one it was formed in: stated for
the communes split in 2025, else the crosswalk's default recorded as an assumption the
commune officer corrects."""

import pytest

from services.common.errors import ValidationError
from tests.integration.teams.conftest import ACTOR

# LEGACY commune → (its 2025 targets, the crosswalk's default) in data/lang_son.json
SPLIT = {"06622": (["06613", "06625"], "06613"), "06625": (["06625", "06637"], "06625")}


def form(teams, commune_code: str, **extra) -> dict:
    return teams.form_team({"name": "Tổ hòa giải thôn Nà Phai", "commune_code": commune_code,
                            "village": "Thôn Nà Phai", "formed_on": "2018-01-02", **extra},
                           ACTOR)


@pytest.mark.parametrize("legacy", sorted(SPLIT))
def test_a_split_communes_team_gets_the_default_target_as_an_assumption(teams, legacy):
    targets, default = SPLIT[legacy]
    team = form(teams, legacy)
    assert (team["commune_code"], team["geo_version"], team["v2025_code"]) == \
        (legacy, "LEGACY", default)
    assert team["placement_assumed"] is True
    assumed = [i for i in team["issues"] if i["code"] == "PLACEMENT_ASSUMED"]
    assert [i["severity"] for i in assumed] == ["WARNING"]
    assert teams.get_team(team["id"])["placement_assumed"] is True
    other = next(t for t in targets if t != default)
    stated = form(teams, legacy, current_commune_code=other)
    assert (stated["v2025_code"], stated["placement_assumed"]) == (other, False)
    assert "PLACEMENT_ASSUMED" not in [i["code"] for i in stated["issues"]]
    assert [t["id"] for t in teams.list_teams(other, "V2025")["items"]] == [stated["id"]]


def test_a_commune_that_was_not_split_assumes_nothing(teams):
    # 06079: the package split it, a reviewed data fix maps it wholly (`decisions`)
    for team in (form(teams, "06079"), form(teams, "05971"),
                 form(teams, "06079", current_commune_code="06079")):
        assert team["placement_assumed"] is False
        assert "PLACEMENT_ASSUMED" not in [i["code"] for i in team["issues"]]
    v2025 = teams.form_team({"name": "Tổ 1", "commune_code": "06400", "geo_version": "V2025",
                             "formed_on": "2025-08-01"}, ACTOR)
    assert (v2025["v2025_code"], v2025["placement_assumed"]) == ("06400", False)


@pytest.mark.parametrize("extra", [
    {"commune_code": "06622", "current_commune_code": "06637"},  # 06625's target, not 06622's
    {"commune_code": "06079", "current_commune_code": "06184"},  # the dropped target
    {"commune_code": "06400", "geo_version": "V2025", "current_commune_code": "06388"},
])
def test_a_current_commune_its_commune_did_not_become_is_refused(teams, snapshot, extra):
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        form(teams, **extra)
    assert raised.value.field == "current_commune_code"
    with pytest.raises(ValidationError) as batch:
        teams.import_teams([{"name": "Tổ 1", "formed_on": "2018-01-02", **extra}], ACTOR)
    assert batch.value.field == "teams.0.current_commune_code"
    assert snapshot() == before


def test_the_commune_officer_corrects_an_assumed_placement(teams, snapshot):
    team = form(teams, "06622")
    before = snapshot()
    for bad in ("06637", "99999"):
        with pytest.raises(ValidationError) as raised:
            teams.correct_team_placement(team["id"], bad, ACTOR)
        assert raised.value.field == "commune_code"
    assert snapshot() == before

    corrected = teams.correct_team_placement(team["id"], "06625", ACTOR)
    assert (corrected["v2025_code"], corrected["placement_assumed"]) == ("06625", False)
    assert (corrected["commune_code"], corrected["district_code"]) == ("06622", "189")
    assert "PLACEMENT_ASSUMED" not in [i["code"] for i in corrected["issues"]]
    assert [t["id"] for t in teams.list_teams("06625", "V2025")["items"]] == [team["id"]]
    assert teams.list_teams("06613", "V2025")["items"] == []
    assert [t["id"] for t in teams.list_teams("06622", "LEGACY")["items"]] == [team["id"]]

    events = [e for e in teams.history(0, 100)["items"] if e["aggregate_id"] == team["id"]]
    assert [(e["type"], e["sequence"]) for e in events] == \
        [("team.formed", 1), ("team.placement_corrected", 2)]
    assert events[-1]["payload"]["v2025_code"] == "06625"
    assert events[-1]["payload"]["previous_v2025_code"] == "06613"

    again = teams.correct_team_placement(team["id"], "06625", ACTOR)  # nothing to change
    assert again == corrected
    assert len([e for e in teams.history(0, 100)["items"]
                if e["aggregate_id"] == team["id"]]) == 2
    confirmed = teams.correct_team_placement(form(teams, "06625")["id"], "06625", ACTOR)
    assert (confirmed["v2025_code"], confirmed["placement_assumed"]) == ("06625", False)
