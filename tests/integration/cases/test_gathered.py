"""Live intake gathered by the gateway (`submit_gathered`): each request answered and
audited as its own `submit_case` would be, in one transaction for the batch."""

from .conftest import ACTOR, case_payload

OTHER = {**ACTOR, "username": "officer2"}


def request(payload: dict, actor: dict, correlation_id: str) -> dict:
    return {"payload": payload, "actor": actor, "correlation_id": correlation_id}


def entries(rpc, correlation_id: str) -> list[tuple]:
    items = rpc.audit_log({"action": "submit_case", "limit": 101})["items"]
    return [(e["actor"], e["outcome"]) for e in items if e["correlation_id"] == correlation_id]


def without_id(case: dict) -> dict:
    return {k: v for k, v in case.items() if k not in ("id", "case_id", "idempotency_key")}


def test_each_request_is_answered_and_audited_as_its_own(rpc, team):
    team_id, _ = team
    first, second = case_payload(team_id), case_payload(team_id, subject="Tranh chấp nước")
    alone = rpc.submit_case(case_payload(team_id, received_at=first["received_at"]), ACTOR)
    unknown = case_payload("team-nobody")
    answers = rpc.submit_gathered([
        request(first, ACTOR, "r1"), request(second, OTHER, "r2"),
        request(first, ACTOR, "r3"),  # a repeat within the batch: the same case
        request({**first, "parties": first["parties"][:1]}, ACTOR, "r4"),
        request(unknown, OTHER, "r5"),
        request(case_payload(team_id), {"role": "X"}, "r6"),  # an actor naming nobody
    ])
    assert [sorted(a) for a in answers] == [["case"]] * 3 + [["error"]] * 3
    assert answers[0]["case"]["id"] == answers[2]["case"]["id"] != answers[1]["case"]["id"]
    assert without_id(answers[0]["case"]) == without_id(alone)
    assert answers[3]["error"]["code"] == "BAD_USER_INPUT"
    assert answers[3]["error"]["field"] == "parties"
    assert answers[4]["error"] == {"code": "NOT_FOUND", "field": "team_id", "details": {},
                                   "message": "no active team team-nobody"}
    assert answers[5]["error"]["field"] == "username"
    assert rpc.get_case(answers[1]["case"]["id"])["subject"] == "Tranh chấp nước"
    assert entries(rpc, "r1") == [(ACTOR["username"], "ok")]
    assert entries(rpc, "r2") == [(OTHER["username"], "ok")]
    assert entries(rpc, "r3") == [(ACTOR["username"], "ok")]  # the replay, as submit_case's
    assert entries(rpc, "r4") == [(ACTOR["username"], "BAD_USER_INPUT")]
    assert entries(rpc, "r5") == [(OTHER["username"], "NOT_FOUND")]
    assert entries(rpc, "r6") == []  # nobody to name, as for submit_case
    assert rpc.list_cases()["total_count"] == 3


def test_a_refused_reason_keeps_its_details(rpc, team):
    team_id, _ = team
    [answer] = rpc.submit_gathered([request(
        case_payload(team_id, description="Nghi trộm cắp trâu của hàng xóm"), ACTOR, "r7")])
    assert answer["error"]["code"] == "BAD_USER_INPUT"
    assert answer["error"]["details"]["reason"] == "CRIME"
