"""The cases handlers on a fake unit of work (tests/support/fake_uow.py): the rows and
events each command writes, and that a refused command writes none."""

from datetime import UTC, datetime, timedelta

import pytest

from services.cases import domain, handlers
from services.cases.models import Case, Mediator
from services.cases.schemas import Actor, SubmitCase
from services.common.errors import Conflict, ValidationError
from tests.support.fake_uow import FakeCasesUnitOfWork

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
ACTOR = Actor(username="officer", role="COMMUNE_OFFICER")
PLACE = {"active": True, "commune_code": "06001", "geo_version": "V2025",
         "district_code": None, "v2025_code": "06001"}
PARTIES = [{"full_name": "Nông Văn An"}, {"full_name": "Hoàng Thị Bình"}]


def received(uow: FakeCasesUnitOfWork) -> Case:
    cmd = SubmitCase(team_id="t1", category="CIVIL_FAMILY", subject="Ranh giới đất",
                     description="Hai hộ tranh chấp lối đi.", parties=PARTIES,
                     received_at=NOW - timedelta(days=5), channel="IN_PERSON")
    key, digest, at = handlers.screen(cmd, NOW)
    case = Case(**handlers.case_values(cmd, ACTOR, PLACE, key, digest, at))
    uow.parties[case.id] = [p.model_dump() for p in cmd.parties]
    handlers.record_received(uow, case, cmd, ACTOR, NOW)
    return case


@pytest.fixture
def uow():
    uow = FakeCasesUnitOfWork()
    uow.mediators = {m.id: m for m in (
        Mediator(id="m1", team_id="t1", full_name="Lý Văn Cường", active=True),
        Mediator(id="m2", team_id="t1", full_name="Nông Văn An", active=True),
        Mediator(id="m3", team_id="t2", full_name="Vi Thị Dung", active=True))}
    return uow


def types(uow) -> list[str]:
    return [e.type for e in uow.events]


def test_a_received_case_writes_its_details_audit_row_and_event_once(uow):
    case = received(uow)
    assert types(uow) == ["case.received"]
    assert [name for name, _ in uow.rows] == ["case_details", "case_transitions", "outbox"]
    assert [p["full_name"] for p in uow.written("case_details")[0]["parties"]] == [
        p["full_name"] for p in PARTIES]
    event = uow.events[0]
    assert (event.aggregate_id, event.sequence) == (case.id, 1)
    assert uow.written("outbox")[0]["event_id"] == str(event.id)


def test_a_case_walks_to_successful(uow):
    case = received(uow)
    handlers.assign(uow, case, mediator_ids=["m1"], at=None, actor=ACTOR, now=NOW)
    handlers.start(uow, case, at=None, actor=ACTOR, now=NOW)
    handlers.resolve(uow, case, outcome="SUCCESSFUL", note=None, agreement_text="Thỏa thuận",
                     at=None, actor=ACTOR, now=NOW)
    handlers.follow_up(uow, case, carried_out=True, note=None, at=None, actor=ACTOR, now=NOW)
    assert types(uow) == ["case.received", "case.assigned", "case.mediation_started",
                          "case.resolved", "case.followed_up"]
    assert [e.sequence for e in uow.events] == [1, 2, 3, 4, 5]
    assert case.status == domain.SUCCESSFUL
    assert [r["action"] for r in uow.written("case_transitions")] == [
        "receive", "assign", "start", "resolve", "follow_up"]


@pytest.mark.parametrize("mediator_id, error", [
    ("m2", Conflict),         # a party by name: an interest in the case
    ("m3", ValidationError),  # another team's mediator
])
def test_a_refused_assignment_writes_nothing(uow, mediator_id, error):
    case = received(uow)
    rows, events = list(uow.rows), list(uow.events)
    with pytest.raises(error) as refused:
        handlers.assign(uow, case, mediator_ids=[mediator_id], at=None, actor=ACTOR, now=NOW)
    assert refused.value.field == "mediator_ids"
    assert (uow.rows, uow.events, case.status) == (rows, events, domain.RECEIVED)


def test_escalation_and_referral_raise_their_events(uow):
    case = received(uow)
    handlers.escalate(uow, case, kind="VIOLENCE_RISK", reason="đe dọa", at=None, actor=ACTOR,
                      now=NOW)
    handlers.refer(uow, case, authority="Công an xã", reason=None, at=None, actor=ACTOR,
                   now=NOW)
    assert types(uow)[1:] == ["case.escalated", "case.referred"]
    assert case.status == domain.REFERRED
    with pytest.raises(Conflict):
        handlers.escalate(uow, case, kind="VIOLENCE_RISK", reason="lại", at=None, actor=ACTOR,
                          now=NOW)


def test_a_late_start_raises_overdue_first(uow):
    case = received(uow)
    handlers.assign(uow, case, mediator_ids=["m1"], at=NOW - timedelta(days=4), actor=ACTOR,
                    now=NOW)
    handlers.start(uow, case, at=None, actor=ACTOR, now=NOW)
    assert types(uow)[-2:] == ["case.start_overdue", "case.mediation_started"]
