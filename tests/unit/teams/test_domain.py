"""Pure rules: compliance, working days, election share, leaders, pilot warnings."""

from datetime import date, timedelta

import pytest

from services.common.errors import Conflict, ValidationError
from services.teams import domain
from services.teams.domain import Member


def test_compliance_rules_and_goal():
    assert domain.compliance([Member("FEMALE", "Tày"), Member("MALE", "Kinh"),
                              Member("MALE", "Nùng")], leader_elected=True).compliant
    check = domain.compliance([Member("MALE", "Kinh"), Member("MALE", "Kinh")],
                              leader_elected=True)
    assert check.reasons == ["fewer than 3 mediators (2)", "no woman among the mediators"]
    assert check.warnings == ["no ethnic-minority mediator"]
    assert [(i.code, i.severity) for i in check.issues] == [
        ("TOO_FEW_MEDIATORS", "RULE"), ("NO_WOMAN", "RULE"),
        ("NO_ETHNIC_MINORITY_MEDIATOR", "WARNING")]
    assert domain.compliance([], leader_elected=False).reasons[0] == \
        "fewer than 3 mediators (0)"


def test_no_leader_means_non_compliant():
    """Art. 12: the team's mediators elect its leader; three members alone are not enough."""
    check = domain.compliance([Member("FEMALE", "Tày"), Member("MALE", "Kinh"),
                               Member("MALE", "Nùng")], leader_elected=False)
    assert not check.compliant
    assert [(i.code, i.severity, i.message) for i in check.issues] == [
        ("NO_LEADER", "RULE", "no team leader elected")]


@pytest.mark.parametrize("elected, decided, days, late", [
    (date(2018, 1, 8), date(2018, 1, 15), 5, False),   # Mon → next Mon
    (date(2018, 1, 8), date(2018, 1, 16), 6, True),
    (date(2018, 1, 12), date(2018, 1, 19), 5, False),  # Fri → next Fri, weekend not counted
    (date(2018, 1, 12), date(2018, 1, 12), 0, False),
])
def test_recognition_within_five_working_days(elected, decided, days, late):
    assert domain.working_days_between(elected, decided) == days
    assert domain.recognition_late(elected, decided) is late


def test_working_days_match_a_day_by_day_count():
    """The count is computed by weeks (it was a loop over every day): the same result for
    every start weekday and gaps of up to two years, and 0 when the end is not later."""
    def by_day(start, end):
        days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
        return sum(1 for d in days if d.weekday() < 5)

    for offset in range(7):
        start = date(2020, 3, 2) + timedelta(days=offset)
        for gap in (*range(-3, 30), 364, 365, 366, 730):
            end = start + timedelta(days=gap)
            assert domain.working_days_between(start, end) == by_day(start, end)


def test_recognition_before_election_is_invalid():
    with pytest.raises(ValidationError):
        domain.recognition_late(date(2018, 1, 8), date(2018, 1, 5))


def test_election_share_must_exceed_half():
    domain.check_election_share(0.51)
    domain.check_election_share(None)
    with pytest.raises(ValidationError):
        domain.check_election_share(0.5)


def test_leader_rules():
    domain.check_leader("t1", "RECOGNISED", "t1", leads_other_team=False)
    with pytest.raises(Conflict, match="member"):
        domain.check_leader("t2", "RECOGNISED", "t1", leads_other_team=False)
    with pytest.raises(Conflict, match="member"):
        domain.check_leader("t1", "LEFT", "t1", leads_other_team=False)
    with pytest.raises(Conflict, match="another"):
        domain.check_leader("t1", "ELECTED", "t1", leads_other_team=True)


def test_person_key_prefers_the_citizen_id_and_normalises_names():
    assert domain.person_key("X", 1970, "020170000001") == "id:020170000001"
    assert domain.person_key("Hoàng  Thị MAI", 1970, None) == \
        domain.person_key("hoàng thị mai", 1970, None)


def test_pilot_rules():
    assert domain.on_time(date(2018, 3, 20), date(2018, 3, 20))
    assert not domain.on_time(date(2018, 3, 21), date(2018, 3, 20))
    assert domain.pilot_warnings({"178": 2, "180": 1}) == [
        "district 180 has 1 pilot commune(s); the plan asks for at least 2"]
    domain.check_model_team_slot(1)
    with pytest.raises(Conflict):
        domain.check_model_team_slot(2)


def test_current_commune_of_a_split_commune():
    current_commune, placement_issues = domain.current_commune, domain.placement_issues
    assert current_commune("06622", "06613", ["06613", "06625"], None, "f") == ("06613", True)
    assert current_commune("06622", "06613", ["06613", "06625"], "06625", "f") == \
        ("06625", False)
    assert current_commune("05971", "06187", [], None, "f") == ("06187", False)
    assert current_commune("05971", "06187", [], "06187", "f") == ("06187", False)
    for stated, targets in (("06637", ["06613", "06625"]), ("06188", [])):
        with pytest.raises(ValidationError) as raised:
            current_commune("06622", "06613", targets, stated, "current_commune_code")
        assert raised.value.field == "current_commune_code"
    assert [i.code for i in placement_issues(True)] == ["PLACEMENT_ASSUMED"]
    assert placement_issues(False) == []
