"""Teams and mediators through the real RPCs: every rule with a good and a bad case."""

import time

import pytest
from sqlalchemy import update

from services.common.errors import Conflict, NotFound, Unauthenticated, ValidationError
from services.teams import read_cache
from services.teams.models import Team
from tests.integration.teams.conftest import ACTOR, person


def test_form_team_places_it_in_both_layouts(teams, db):
    team = teams.form_team({"name": "Tổ 1", "commune_code": "06079", "village": "Thôn Nà Pàn",
                            "formed_on": "2018-01-02"}, ACTOR)
    assert (team["geo_version"], team["district_code"], team["v2025_code"]) == \
        ("LEGACY", "181", "06079")
    assert team["compliant"] is False
    events = teams.history(0, 100)["items"]
    formed = [e for e in events if e["type"] == "team.formed"][-1]
    assert formed["payload"]["district_code"] == "181" and formed["aggregate_id"] == team["id"]
    assert formed["payload"]["v2025_code"] == "06079" and formed["sequence"] == 1


def test_team_on_a_2025_commune(teams):
    team = teams.form_team({"name": "Tổ 1", "commune_code": "06184", "geo_version": "V2025",
                            "formed_on": "2025-08-01"}, ACTOR)
    assert (team["district_code"], team["v2025_code"]) == (None, "06184")
    assert [t["id"] for t in teams.list_teams("06184", "V2025")["items"]] == [team["id"]]


@pytest.mark.parametrize("payload, error, field", [
    ({"commune_code": "99999"}, NotFound, "code"),
    ({"commune_code": "181"}, ValidationError, "commune_code"),
    ({"formed_on": "2018-02-30"}, ValidationError, "formed_on"),
    ({"geo_version": "V2018"}, ValidationError, "geo_version"),
])
def test_form_team_rejects_bad_input_and_changes_nothing(teams, snapshot, payload, error, field):
    before = snapshot()
    with pytest.raises(error) as raised:
        teams.form_team({"name": "Tổ 1", "commune_code": "06079", "formed_on": "2018-01-02",
                         **payload}, ACTOR)
    assert raised.value.field == field
    assert snapshot() == before


def led(teams, team: dict) -> dict:
    """The team with its first mediator elected leader."""
    return teams.elect_leader(team["id"], team["mediator_ids"][0], "2018-01-10", ACTOR)


def test_compliance_needs_three_mediators_a_woman_and_a_leader(make_team, teams):
    good = led(teams, make_team(("FEMALE", "MALE", "MALE")))
    assert good["compliant"] and good["compliance_reasons"] == [] and good["issues"] == []
    too_few = led(teams, make_team(("FEMALE", "MALE")))
    assert too_few["compliance_reasons"] == ["fewer than 3 mediators (2)"]
    no_woman = led(teams, make_team(("MALE", "MALE", "MALE")))
    assert no_woman["compliance_reasons"] == ["no woman among the mediators"]
    listed = {t["id"]: t["compliance_reasons"] for t in teams.list_non_compliant("05971")}
    assert set(listed) == {too_few["id"], no_woman["id"]}
    assert teams.list_non_compliant("178") == teams.list_non_compliant("05971")


def test_a_team_without_an_elected_leader_is_not_compliant(make_team, teams):
    team = make_team(("FEMALE", "MALE", "MALE"))
    assert team["compliant"] is False
    assert team["issues"] == [{"code": "NO_LEADER", "severity": "RULE",
                               "message": "no team leader elected"}]
    assert [t["id"] for t in teams.list_non_compliant("05971")] == [team["id"]]
    men = [m["id"] for m in teams.get_mediators(team["mediator_ids"]) if m["gender"] == "MALE"]
    leader = teams.elect_leader(team["id"], men[0], "2018-01-10", ACTOR)
    assert leader["compliant"] is True
    teams.remove_mediator(men[0], "2019-01-01", ACTOR)  # the leader leaves: none again
    assert [i["code"] for i in teams.get_team(team["id"])["issues"]] == \
        ["TOO_FEW_MEDIATORS", "NO_LEADER"]


def test_ethnic_minority_is_a_warning_not_a_breach(teams, make_team):
    team = make_team(())
    for gender in ("FEMALE", "MALE", "MALE"):
        teams.add_mediator(team["id"], person(gender, ethnicity="Kinh"), ACTOR)
    team = led(teams, teams.get_team(team["id"]))
    assert team["compliant"] and team["warnings"] == ["no ethnic-minority mediator"]
    assert team["issues"] == [{"code": "NO_ETHNIC_MINORITY_MEDIATOR", "severity": "WARNING",
                               "message": "no ethnic-minority mediator"}]


def test_duplicate_mediator_is_a_conflict_and_changes_nothing(teams, make_team, snapshot):
    team = make_team(())
    mediator = person("FEMALE", citizen_id="020180001234")
    teams.add_mediator(team["id"], mediator, ACTOR)
    before = snapshot()
    with pytest.raises(Conflict):
        teams.add_mediator(team["id"], {**mediator, "full_name": "Other Name"}, ACTOR)
    assert snapshot() == before
    other = make_team(())
    assert teams.add_mediator(other["id"], mediator, ACTOR)["team_id"] == other["id"]


def test_election_share_must_exceed_half(teams, make_team, snapshot):
    team = make_team(())
    assert teams.add_mediator(team["id"], person(election_share=0.51), ACTOR)
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        teams.add_mediator(team["id"], person(election_share=0.5), ACTOR)
    assert raised.value.field == "election_share"
    assert snapshot() == before


def test_unknown_team_and_mediator_are_not_found(teams, snapshot):
    before = snapshot()
    with pytest.raises(NotFound):
        teams.add_mediator("no-such-team", person(), ACTOR)
    with pytest.raises(NotFound):
        teams.recognise_mediator("nobody", {"decision_number": "1/QĐ",
                                            "decision_date": "2018-01-10"}, ACTOR)
    with pytest.raises(NotFound):
        teams.get_team("no-such-team")
    assert snapshot() == before


def test_recognition_after_five_working_days_is_flagged(teams, make_team, snapshot):
    team = make_team(())
    # Elected Monday 8/1/2018: Monday 15/1 is the 5th working day, Tuesday 16/1 the 6th.
    on_time = teams.add_mediator(team["id"], person(elected_on="2018-01-08"), ACTOR)
    late = teams.add_mediator(team["id"], person(elected_on="2018-01-08"), ACTOR)
    ok = teams.recognise_mediator(on_time["id"], {"decision_number": "12/QĐ-UBND",
                                                  "decision_date": "2018-01-15"}, ACTOR)
    flagged = teams.recognise_mediator(late["id"], {"decision_number": "13/QĐ-UBND",
                                                    "decision_date": "2018-01-16"}, ACTOR)
    assert (ok["recognition_late"], flagged["recognition_late"]) == (False, True)
    assert (ok["recognition_working_days"], flagged["recognition_working_days"]) == (5, 6)
    assert ok["status"] == "RECOGNISED"
    events = [e for e in teams.history(0, 1000)["items"] if e["type"] == "mediator.recognised"]
    assert [e["payload"]["late"] for e in events] == [False, True]
    before = snapshot()
    third = teams.add_mediator(team["id"], person(elected_on="2018-01-08"), ACTOR)
    before = snapshot()
    for bad in ("2018-01-05", "15/01/2018"):
        with pytest.raises(ValidationError):
            teams.recognise_mediator(third["id"], {"decision_number": "14/QĐ",
                                                   "decision_date": bad}, ACTOR)
    assert snapshot() == before


def test_leader_must_be_a_member_and_lead_one_team(teams, make_team, snapshot):
    first, second = make_team(), make_team()
    leader = first["mediator_ids"][0]
    elected = teams.elect_leader(first["id"], leader, "2018-01-10", ACTOR)
    assert elected["leader_id"] == leader
    before = snapshot()
    with pytest.raises(Conflict, match="member"):
        teams.elect_leader(second["id"], leader, "2018-01-10", ACTOR)
    # The same person, also a member of the second team, may not lead it too.
    same_person = teams.get_mediators([leader])[0]
    twin = teams.add_mediator(second["id"], {**person(), "full_name": same_person["full_name"],
                                             "year_of_birth": same_person["year_of_birth"]},
                              ACTOR)
    before = snapshot()
    with pytest.raises(Conflict, match="another team"):
        teams.elect_leader(second["id"], twin["id"], "2018-01-10", ACTOR)
    with pytest.raises(ValidationError):
        teams.elect_leader(second["id"], twin["id"], "2018-13-01", ACTOR)
    assert snapshot() == before


def test_batch_lookups_and_paging(teams, make_team):
    made = [make_team() for _ in range(3)]
    ids = [t["id"] for t in made]
    assert [t["id"] if t else None for t in teams.get_teams([*ids, "missing"])] == \
        [*ids, None]
    members = teams.list_mediators(ids)
    assert all(len(members[i]) == 3 for i in ids)
    assert set(members[ids[0]][0]) == {  # what the gateway's Mediator type reads
        "id", "team_id", "full_name", "gender", "year_of_birth", "ethnicity", "status",
        "elected_on", "decision_number", "decision_date", "decision_issued_by",
        "recognition_late", "recognition_working_days"}
    mediator_ids = members[ids[0]]
    assert [m["id"] for m in teams.get_mediators([m["id"] for m in mediator_ids])] == \
        [m["id"] for m in mediator_ids]
    first = teams.list_teams("05971", "LEGACY", 2)
    assert first["total_count"] == 3 and first["has_next_page"]
    rest = teams.list_teams("05971", "LEGACY", 2, first["end_cursor"])
    assert not rest["has_next_page"] and rest["total_count"] == 3
    past_the_end = teams.list_teams("05971", "LEGACY", 2, rest["end_cursor"])
    assert (past_the_end["items"], past_the_end["total_count"]) == ([], 3)
    assert teams.list_teams("05971", "LEGACY", 2, status="DISSOLVED")["total_count"] == 0
    # a page's statement is built once per set of filters: other values, their own rows
    active = teams.list_teams("05971", "LEGACY", 2, status="ACTIVE")
    assert active == first
    assert teams.list_teams("05971", "LEGACY", 2, status="DISSOLVED")["items"] == []
    assert teams.list_teams("05971", "LEGACY", 5, count=False)["has_next_page"] is False
    assert sorted(t["id"] for t in first["items"] + rest["items"]) == sorted(ids)
    uncounted = teams.list_teams("05971", "LEGACY", 2, count=False)
    assert uncounted == {**first, "total_count": None}  # the same page, no count
    assert teams.list_teams("178")["total_count"] == 3
    assert teams.list_teams("06187", "V2025")["total_count"] == 3  # 05971 → Kỳ Lừa
    with pytest.raises(ValidationError):
        teams.list_teams(first=0)
    with pytest.raises(NotFound):
        teams.list_teams("99999")


def test_batch_reads_give_what_the_single_read_gives(teams, make_team):
    """get_teams and list_teams read teams and members in one joined statement; the
    single read loads them one by one: the same dicts, with a team that has no member
    and a member who left (not counted)."""
    made = [make_team(), make_team(), make_team(genders=())]
    ids = [t["id"] for t in made]
    teams.remove_mediator(made[1]["mediator_ids"][0], "2019-01-01", ACTOR)
    singles = [teams.get_team(i) for i in ids]
    assert [len(t["mediator_ids"]) for t in singles] == [3, 2, 0]
    assert teams.get_teams([ids[2], "missing", *ids[:2]]) == [singles[2], None, *singles[:2]]
    listed, after = [], None
    while True:
        page = teams.list_teams("05971", "LEGACY", 2, after)
        listed += page["items"]
        if not page["has_next_page"]:
            break
        after = page["end_cursor"]
    assert listed == sorted(singles, key=lambda t: t["id"])


def test_review_training_contest_leaving_and_dissolving(teams, make_team):
    team = led(teams, make_team())
    mediator_id = next(m["id"] for m in teams.list_mediators([team["id"]])[team["id"]]
                       if m["gender"] == "MALE" and m["id"] != team["leader_id"])
    review = teams.record_review({"team_id": team["id"], "reviewed_on": "2018-12-15",
                                  "findings": "đủ thành phần", "actions": "bổ sung"}, ACTOR)
    assert review["compliant"] is True
    teams.record_training({"mediator_id": mediator_id, "training": "Luật Hòa giải",
                           "trained_on": "2018-05-10"}, ACTOR)
    teams.record_contest({"mediator_id": mediator_id, "contest": "Hội thi 2019",
                          "held_on": "2019-09-01", "result": "Giải Nhì"}, ACTOR)
    left = teams.remove_mediator(mediator_id, "2019-01-01", ACTOR)
    assert left["status"] == "LEFT"
    assert teams.get_team(team["id"])["compliance_reasons"] == ["fewer than 3 mediators (2)"]
    teams.dissolve_team(team["id"], "2020-01-01", ACTOR)
    with pytest.raises(Conflict):
        teams.add_mediator(team["id"], person(), ACTOR)
    types = [e["type"] for e in teams.history(0, 1000)["items"]]
    for expected in ("team.reviewed", "mediator.trained", "mediator.contest_recorded",
                     "mediator.left", "team.dissolved"):
        assert expected in types


FUTURE = "2030-01-02"


@pytest.mark.parametrize("write, field", [
    (lambda t, team, m: t.add_mediator(team["id"], person(elected_on=FUTURE), ACTOR),
     "elected_on"),
    (lambda t, team, m: t.elect_leader(team["id"], m, FUTURE, ACTOR), "elected_on"),
    (lambda t, team, m: t.recognise_mediator(m, {"decision_number": "1/QĐ",
                                                 "decision_date": FUTURE}, ACTOR),
     "decision_date"),
    (lambda t, team, m: t.form_team({"name": "Tổ 2", "commune_code": "05971",
                                     "formed_on": FUTURE}, ACTOR), "formed_on"),
    (lambda t, team, m: t.record_review({"team_id": team["id"], "reviewed_on": FUTURE,
                                         "findings": "x"}, ACTOR), "reviewed_on"),
    (lambda t, team, m: t.remove_mediator(m, FUTURE, ACTOR), "left_on"),
    (lambda t, team, m: t.dissolve_team(team["id"], FUTURE, ACTOR), "dissolved_on"),
    (lambda t, team, m: t.import_teams([{"name": "Tổ 3", "commune_code": "05971",
                                         "formed_on": "2018-01-02",
                                         "mediators": [person(elected_on=FUTURE)]}], ACTOR),
     "teams.0.mediators.0.elected_on"),
])
def test_a_date_in_the_future_is_refused_and_changes_nothing(teams, make_team, snapshot,
                                                             write, field):
    team = make_team()
    before = snapshot()
    with pytest.raises(ValidationError, match="in the future") as raised:
        write(teams, team, team["mediator_ids"][0])
    assert raised.value.field == field
    assert snapshot() == before


def test_outbox_gauges_are_exported(teams_container, make_team):
    import time

    import requests

    make_team()
    url = f"http://{teams_container.config['WEB_SERVER_ADDRESS']}/metrics"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = requests.get(url, timeout=5).text
        if 'hoagiai_outbox_backlog{service="teams"} 0.0' in text:
            break
        time.sleep(0.3)
    assert 'hoagiai_outbox_backlog{service="teams"} 0.0' in text
    assert 'hoagiai_outbox_oldest_age_seconds{service="teams"}' in text


def _twin_leader(t, team, m):
    """The leader of another team, also a member of `team`, elected leader of it too."""
    other = led(t, make_other_team(t))
    same = t.get_mediators([other["leader_id"]])[0]
    twin = t.add_mediator(team["id"], {**person(), "full_name": same["full_name"],
                                       "year_of_birth": same["year_of_birth"]}, ACTOR)
    t.elect_leader(team["id"], twin["id"], "2018-01-10", ACTOR)


def make_other_team(t) -> dict:
    team = t.form_team({"name": "Tổ hòa giải khối 2", "commune_code": "05971",
                        "formed_on": "2018-01-02"}, ACTOR)
    t.add_mediator(team["id"], person(), ACTOR)
    return t.get_team(team["id"])


def _twice(first, then):
    def write(t, team, m):
        first(t, team, m)
        then(t, team, m)
    return write


RECOGNISE = {"decision_number": "1/QĐ-UBND", "decision_date": "2018-01-10"}


# Every refusal a commune officer's registry form can meet, with the reason the console
# words it by (UserError.reason; services/common/vocabulary.py RegistryRefusal).
@pytest.mark.parametrize("write, error, field, reason", [
    (_twice(lambda t, team, m: t.dissolve_team(team["id"], "2019-01-01", ACTOR),
            lambda t, team, m: t.add_mediator(team["id"], person(), ACTOR)),
     Conflict, "team_id", "TEAM_DISSOLVED"),
    (lambda t, team, m: t.form_team({"name": "Tổ 2", "commune_code": "181",
                                     "formed_on": "2018-01-02"}, ACTOR),
     ValidationError, "commune_code", "NOT_A_COMMUNE"),
    (lambda t, team, m: t.correct_team_placement(team["id"], "06184", ACTOR),
     ValidationError, "commune_code", "NOT_A_SUCCESSOR_COMMUNE"),
    (lambda t, team, m: t.add_mediator(team["id"], person(elected_on="2017-12-29"), ACTOR),
     ValidationError, "elected_on", "BEFORE_TEAM_FORMED"),
    (lambda t, team, m: t.dissolve_team(team["id"], "2017-12-29", ACTOR),
     ValidationError, "dissolved_on", "BEFORE_TEAM_FORMED"),
    (lambda t, team, m: t.record_review({"team_id": team["id"], "reviewed_on": "2017-12-29",
                                         "findings": "x"}, ACTOR),
     ValidationError, "reviewed_on", "BEFORE_TEAM_FORMED"),
    (lambda t, team, m: t.remove_mediator(m, "2018-01-05", ACTOR),
     ValidationError, "left_on", "BEFORE_ELECTION"),
    (lambda t, team, m: t.add_mediator(team["id"], person(election_share=0.4), ACTOR),
     ValidationError, "election_share", "ELECTION_SHARE_TOO_LOW"),
    (lambda t, team, m: t.add_mediator(team["id"], {
        **person(), **{k: v for k, v in t.get_mediators([m])[0].items()
                       if k in ("full_name", "year_of_birth")}}, ACTOR),
     Conflict, "full_name", "ALREADY_A_MEDIATOR"),
    (lambda t, team, m: t.recognise_mediator(m, {**RECOGNISE, "decision_date": "2018-01-05"},
                                             ACTOR),
     ValidationError, "decision_date", "DECISION_BEFORE_ELECTION"),
    (_twice(lambda t, team, m: t.recognise_mediator(m, RECOGNISE, ACTOR),
            lambda t, team, m: t.recognise_mediator(m, RECOGNISE, ACTOR)),
     Conflict, "mediator_id", "NOT_AWAITING_RECOGNITION"),
    (_twice(lambda t, team, m: t.remove_mediator(m, "2019-01-01", ACTOR),
            lambda t, team, m: t.remove_mediator(m, "2019-01-02", ACTOR)),
     Conflict, "mediator_id", "MEDIATOR_LEFT"),
    (lambda t, team, m: t.elect_leader(team["id"], make_other_team(t)["mediator_ids"][0],
                                       "2018-01-10", ACTOR),
     Conflict, "mediator_id", "LEADER_NOT_A_MEMBER"),
    (_twin_leader, Conflict, "mediator_id", "LEADS_ANOTHER_TEAM"),
    (lambda t, team, m: t.record_commendation({
        "team_id": team["id"], "mediator_id": make_other_team(t)["mediator_ids"][0],
        "level": "COMMUNE", "awarded_on": "2019-01-01", "reason": "x"}, ACTOR),
     Conflict, "mediator_id", "NOT_A_MEMBER"),
    (lambda t, team, m: t.set_pilot_programme({"year": 2022, "deadline": "2022-03-31",
                                               "period_start": "2023-04-01",
                                               "period_end": "2022-12-31"}, ACTOR),
     ValidationError, "period_end", "PERIOD_ENDS_BEFORE_START"),
    (lambda t, team, m: t.import_teams([{"name": "Tổ 3", "commune_code": "05971",
                                         "formed_on": "2018-01-02", "leader_index": 1,
                                         "mediators": [person()]}], ACTOR),
     ValidationError, "teams.0.leader_index", "LEADER_NOT_A_MEMBER"),
])
def test_each_registry_refusal_carries_its_reason(teams, make_team, write, error, field,
                                                  reason):
    team = make_team()
    with pytest.raises(error) as raised:
        write(teams, team, team["mediator_ids"][0])
    assert (raised.value.field, raised.value.details.get("reason")) == (field, reason)


def test_registry_reads_give_what_the_last_write_left(teams, teams_container, make_team, db):
    """get_teams, list_mediators and list_teams keep their answers
    (services/teams/read_cache.py) until a write commits; a change made behind the
    service's back shows once the answers' TTL runs out (at once in a page larger than
    the gateway's, which is never kept)."""
    tid = make_team()["id"]

    def reads() -> tuple:
        return (teams.get_teams([tid])[0], teams.list_mediators([tid])[tid],
                teams.list_teams("05971", "LEGACY", 10, status="ACTIVE"))

    before = reads()
    added = teams.add_mediator(tid, person(), ACTOR)
    team, members, page = reads()
    assert added["id"] in team["mediator_ids"] and len(members) == 4
    assert page["items"] == [team]
    teams.recognise_mediator(added["id"], {"decision_number": "7/QĐ",
                                           "decision_date": "2018-01-10"}, ACTOR)
    assert {m["decision_number"] for m in reads()[1]} == {None, "7/QĐ"}
    teams.remove_mediator(added["id"], "2019-01-01", ACTOR)
    assert reads() == before
    teams.elect_leader(tid, before[0]["mediator_ids"][0], "2018-02-01", ACTOR)
    assert reads()[0]["leader_id"] == before[0]["mediator_ids"][0]
    other = teams.form_team({"name": "Tổ hòa giải khối 2", "commune_code": "05971",
                             "formed_on": "2018-01-02"}, ACTOR)
    assert other["id"] in [t["id"] for t in reads()[2]["items"]]
    teams.dissolve_team(tid, "2020-01-01", ACTOR)
    team, members, page = reads()
    assert team["status"] == "DISSOLVED" and tid not in [t["id"] for t in page["items"]]

    with db.begin() as session:  # not through the service: its answers stand for a while
        session.execute(update(Team).where(Team.id == tid).values(name="Tổ đổi tên"))
    with pytest.raises(Unauthenticated):  # a login's bookkeeping is no registry write
        teams.verify_credentials("nobody", "wrong password")
    assert teams.get_teams([tid])[0]["name"] == before[0]["name"]
    big_page = teams.list_teams("05971", "LEGACY", read_cache.LARGEST_PAGE_KEPT + 1)
    assert [t["name"] for t in big_page["items"] if t["id"] == tid] == ["Tổ đổi tên"]
    cache = next(d for d in teams_container.dependencies if d.attr_name == "read_cache").cache
    cache.entries.expire(time.monotonic() + read_cache.TTL)
    assert teams.get_teams([tid])[0]["name"] == "Tổ đổi tên"
