"""The lifecycle through the real RPCs, broker and PostgreSQL."""

import pytest
from sqlalchemy import create_engine, func, select

from services.cases.models import Case, Transition, outbox
from services.common.errors import Conflict, NotFound, ValidationError
from tests.integration.cases.conftest import ACTOR, ago, case_payload, wait_for


def counts(config) -> dict:
    url = config["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg2://")
    engine = create_engine(url)
    with engine.connect() as connection:
        result = {name: connection.scalar(select(func.count()).select_from(table))
                  for name, table in (("cases", Case.__table__), ("outbox", outbox),
                                      ("audit", Transition.__table__))}
    engine.dispose()
    return result


def test_a_case_goes_through_its_whole_life(rpc, team, make_case):
    team_id, mediators = team
    case = make_case(received_at=ago(days=6))
    assert case["status"] == "RECEIVED"
    # received after 30/6/2025: placed in today's layout, in the team's current commune
    assert (case["geo_version"], case["commune_code"], case["district_code"]) == \
        ("V2025", "06001", None)
    assert "parties" not in case and "description" not in case

    # steps within the 3-day start deadline: the overdue timer must not race the start
    case = rpc.assign_mediators(case["id"], mediators[:2], ACTOR, at=ago(hours=3))
    assert case["status"] == "ASSIGNED" and case["assigned_mediator_ids"] == mediators[:2]
    case = rpc.start_mediation(case["id"], ACTOR, at=ago(hours=2))
    assert case["status"] == "IN_MEDIATION" and not case["start_overdue"]
    case = rpc.record_outcome(case["id"], "SUCCESSFUL", "hai bên thống nhất",
                              "Văn bản hòa giải thành", ACTOR, at=ago(hours=1))
    assert case["status"] == "SUCCESSFUL" and case["has_agreement"]
    case = rpc.follow_up(case["id"], True, "đã thực hiện", ACTOR)
    assert case["carried_out"] is True

    history = rpc.history(0, 100)["items"]
    mine = [e for e in history if e["aggregate_id"] == case["id"]]
    assert [e["type"] for e in mine] == ["case.received", "case.assigned",
                                         "case.mediation_started", "case.resolved",
                                         "case.followed_up"]
    assert [e["sequence"] for e in mine] == [1, 2, 3, 4, 5]
    for event in mine:
        assert event["payload"]["case_id"] == case["id"]
        assert (event["payload"]["geo_version"], event["payload"]["v2025_code"],
                event["payload"]["district_code"]) == ("V2025", "06001", None)
        assert "Nông Văn Bình" not in str(event)  # no names in events
    assert rpc.get_case_parties(case["id"], ACTOR)["parties"][0]["full_name"] == "Nông Văn Bình"

    timeline = rpc.get_timelines([case["id"], "no-such-case"])
    assert timeline["no-such-case"] == []
    steps = timeline[case["id"]]
    assert [(s["step"], s["status"]) for s in steps] == [
        ("receive", "RECEIVED"), ("assign", "ASSIGNED"), ("start", "IN_MEDIATION"),
        ("resolve", "SUCCESSFUL"), ("follow_up", "SUCCESSFUL")]
    assert {s["actor"] for s in steps} == {ACTOR["username"]}
    assert steps[1]["at"] == case["assigned_at"] and steps[0]["at"] < steps[1]["at"]
    assert "Nông Văn Bình" not in str(steps)  # the timeline names no party


@pytest.mark.parametrize("outcome", ["UNSUCCESSFUL", "STOPPED"])
def test_other_outcomes(rpc, team, make_case, outcome):
    case = make_case()
    rpc.assign_mediators(case["id"], team[1][:1], ACTOR)
    rpc.start_mediation(case["id"], ACTOR)
    assert rpc.record_outcome(case["id"], outcome, None, None, ACTOR)["status"] == outcome


@pytest.mark.parametrize("steps", [[], ["assign"], ["assign", "start"]])
def test_refer_from_every_open_state(rpc, team, make_case, steps):
    case = make_case()
    if "assign" in steps:
        rpc.assign_mediators(case["id"], team[1][:1], ACTOR)
    if "start" in steps:
        rpc.start_mediation(case["id"], ACTOR)
    case = rpc.refer_case(case["id"], "Công an xã", "có dấu hiệu tội phạm", ACTOR)
    assert case["status"] == "REFERRED" and case["referred_to"] == "Công an xã"


def test_an_unsuccessful_case_is_guided_on_and_stays_unsuccessful(rpc, team, make_case, cases):
    """Art. 25: after a failed mediation the parties are guided to the competent authority;
    the guidance is recorded, the outcome stays (and so do the figures: `case.guided`)."""
    case = make_case()
    rpc.assign_mediators(case["id"], team[1][:1], ACTOR)
    rpc.start_mediation(case["id"], ACTOR)
    resolved = rpc.record_outcome(case["id"], "UNSUCCESSFUL", None, None, ACTOR)
    guided = rpc.refer_case(case["id"], "Tòa án nhân dân huyện", "tranh chấp đất đai", ACTOR)
    assert (guided["status"], guided["outcome"], guided["resolved_at"]) == \
        ("UNSUCCESSFUL", "UNSUCCESSFUL", resolved["resolved_at"])
    assert guided["referred_to"] == "Tòa án nhân dân huyện" and guided["referred_at"]
    events = [e for e in rpc.history(0, 1000)["items"] if e["aggregate_id"] == case["id"]]
    assert [e["type"] for e in events][-2:] == ["case.resolved", "case.guided"]
    assert events[-1]["payload"]["authority"] == "Tòa án nhân dân huyện"
    before = counts(cases.config)
    with pytest.raises(Conflict, match="already guided"):
        rpc.refer_case(case["id"], "UBND xã", "again", ACTOR)
    assert counts(cases.config) == before
    assert rpc.get_case(case["id"])["referred_to"] == "Tòa án nhân dân huyện"


@pytest.mark.parametrize("outcome", ["SUCCESSFUL", "STOPPED"])
def test_only_an_unsuccessful_outcome_is_guided_on(rpc, team, make_case, cases, outcome):
    case = make_case()
    rpc.assign_mediators(case["id"], team[1][:1], ACTOR)
    rpc.start_mediation(case["id"], ACTOR)
    rpc.record_outcome(case["id"], outcome, None, None, ACTOR)
    before = counts(cases.config)
    with pytest.raises(Conflict, match=f"cannot refer a case that is {outcome}"):
        rpc.refer_case(case["id"], "Tòa án", "r", ACTOR)
    assert counts(cases.config) == before


def test_illegal_transitions_are_conflicts_and_change_nothing(rpc, team, make_case, cases):
    case = make_case()
    before = counts(cases.config)
    with pytest.raises(Conflict):
        rpc.start_mediation(case["id"], ACTOR)
    with pytest.raises(Conflict):
        rpc.record_outcome(case["id"], "SUCCESSFUL", None, None, ACTOR)
    with pytest.raises(Conflict):
        rpc.follow_up(case["id"], True, None, ACTOR)
    rpc.assign_mediators(case["id"], team[1][:1], ACTOR)
    rpc.start_mediation(case["id"], ACTOR)
    with pytest.raises(Conflict):
        rpc.assign_mediators(case["id"], team[1][:1], ACTOR)
    rpc.record_outcome(case["id"], "UNSUCCESSFUL", None, None, ACTOR)
    after_outcome = counts(cases.config)
    for attempt in (lambda: rpc.start_mediation(case["id"], ACTOR),
                    lambda: rpc.follow_up(case["id"], True, None, ACTOR),
                    lambda: rpc.escalate_case(case["id"], "VIOLENCE_RISK", "x", ACTOR),
                    lambda: rpc.record_outcome(case["id"], "SUCCESSFUL", None, None, ACTOR)):
        with pytest.raises(Conflict):
            attempt()
    assert counts(cases.config) == after_outcome
    assert after_outcome["outbox"] == before["outbox"] + 3
    assert rpc.get_case(case["id"])["status"] == "UNSUCCESSFUL"


def test_conflict_of_interest_is_refused(rpc, directory, make_case):
    team_id, mediators = directory.team(["  NÔNG  văn bình ", "Lý Thị Mai", "Vi Văn Sáu"])
    case = rpc.submit_case(case_payload(team_id, parties=[
        {"full_name": "Nông Văn Bình"},
        {"full_name": "Hoàng Văn Tư", "related_mediator_ids": [mediators[1]]},
    ]), ACTOR)
    with pytest.raises(Conflict) as party:
        rpc.assign_mediators(case["id"], [mediators[0]], ACTOR)
    assert party.value.details["mediator_id"] == mediators[0]
    with pytest.raises(Conflict):
        rpc.assign_mediators(case["id"], [mediators[2], mediators[1]], ACTOR)
    assert rpc.get_case(case["id"])["status"] == "RECEIVED"
    assert rpc.assign_mediators(case["id"], [mediators[2]], ACTOR)["status"] == "ASSIGNED"


def test_mediators_must_be_known_members_of_the_team(rpc, directory, make_case, team):
    other_team, others = directory.team()
    case = make_case()
    with pytest.raises(NotFound):
        rpc.assign_mediators(case["id"], ["med-nobody"], ACTOR)
    with pytest.raises(ValidationError):
        rpc.assign_mediators(case["id"], [others[0]], ACTOR)
    with pytest.raises(ValidationError):
        rpc.assign_mediators(case["id"], [], ACTOR)
    with pytest.raises(NotFound):
        rpc.assign_mediators("no-such-case", team[1][:1], ACTOR)
    assert rpc.get_case(case["id"])["status"] == "RECEIVED"


def test_step_times_are_neither_future_nor_before_the_previous_step(rpc, team, make_case):
    case = make_case(received_at=ago(days=2))
    with pytest.raises(ValidationError) as future:
        rpc.assign_mediators(case["id"], team[1][:1], ACTOR, at=ago(days=-1))
    assert future.value.field == "at"
    with pytest.raises(ValidationError):
        rpc.assign_mediators(case["id"], team[1][:1], ACTOR, at=ago(days=3))
    assert rpc.get_case(case["id"])["status"] == "RECEIVED"


def test_escalation_publishes_at_once(rpc, make_case):
    case = make_case()
    case = rpc.escalate_case(case["id"], "VIOLENCE_RISK", "đe dọa dùng dao", ACTOR)
    assert case["escalated"] and case["escalation_kind"] == "VIOLENCE_RISK"
    with pytest.raises(Conflict):
        rpc.escalate_case(case["id"], "CRIME_SIGNS", "lần hai", ACTOR)
    events = [e for e in rpc.history(0, 100)["items"] if e["aggregate_id"] == case["id"]]
    assert events[-1]["type"] == "case.escalated"
    assert "đe dọa" not in str(events[-1])


def test_start_deadline_overdue_is_raised_once(rpc, team, make_case):
    late = make_case(received_at=ago(days=9))
    rpc.assign_mediators(late["id"], team[1][:1], ACTOR, at=ago(days=8))
    on_time = make_case(received_at=ago(days=2))
    rpc.assign_mediators(on_time["id"], team[1][:1], ACTOR, at=ago(days=1))

    def overdue_events():
        return [e for e in rpc.history(0, 1000)["items"] if e["type"] == "case.start_overdue"]

    wait_for(overdue_events, timeout=10)
    overdue = rpc.list_overdue()
    assert [c["id"] for c in overdue["items"]] == [late["id"]]
    # a team's own overdue cases, counted whole, whatever the page size
    mine = rpc.list_overdue(first=1, team_id=team[0])
    assert (mine["total_count"], [c["id"] for c in mine["items"]]) == (1, [late["id"]])
    assert rpc.list_overdue(team_id="another-team")["total_count"] == 0
    wait_for(lambda: rpc.get_case(late["id"])["start_overdue"])
    # A few more timer ticks raise nothing new; a late start raises nothing twice.
    rpc.start_mediation(late["id"], ACTOR)
    events = overdue_events()
    assert [e["payload"]["case_id"] for e in events] == [late["id"]]
    assert events[0]["occurred_at"].startswith(rpc.get_case(late["id"])["start_deadline"][:16])


def test_a_late_start_raises_overdue_before_the_start(rpc, team, make_case):
    case = make_case(received_at=ago(days=30))
    rpc.assign_mediators(case["id"], team[1][:1], ACTOR, at=ago(days=29))
    rpc.start_mediation(case["id"], ACTOR, at=ago(days=20))
    types = [e["type"] for e in rpc.history(0, 1000)["items"]
             if e["aggregate_id"] == case["id"]]
    assert types == ["case.received", "case.assigned", "case.start_overdue",
                     "case.mediation_started"]
