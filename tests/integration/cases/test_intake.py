"""Intake: idempotency, bad input of every field, non-mediable matters, the directory."""

import eventlet
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.common.errors import Conflict, NotFound, ValidationError
from tests.integration.cases.conftest import ACTOR, ago, case_payload, wait_for
from tests.integration.cases.test_lifecycle import counts


def test_same_key_same_payload_gives_the_same_case(rpc, team):
    payload = case_payload(team[0])
    first = rpc.submit_case(payload, ACTOR)
    again = rpc.submit_case(dict(payload), ACTOR)
    assert again == first
    assert [e["type"] for e in rpc.history(0, 100)["items"]] == ["case.received"]


def test_a_retry_without_received_at_replays_the_case(rpc, team):
    """The time of receipt defaults to the first attempt's: a client that retries after a
    lost reply gets its case back, not a Conflict with itself."""
    payload = case_payload(team[0])
    del payload["received_at"]
    first = rpc.submit_case(payload, ACTOR)
    eventlet.sleep(0.05)  # the retry comes later: "now" differs
    assert rpc.submit_case(dict(payload), ACTOR) == first
    assert [e["type"] for e in rpc.history(0, 100)["items"]] == ["case.received"]


def test_same_key_other_payload_is_a_conflict(rpc, team, cases):
    payload = case_payload(team[0])
    first = rpc.submit_case(payload, ACTOR)
    before = counts(cases.config)
    with pytest.raises(Conflict) as clash:
        rpc.submit_case({**payload, "subject": "Khác"}, ACTOR)
    assert clash.value.field == "idempotency_key"
    assert clash.value.details["case_id"] == first["id"]
    assert counts(cases.config) == before


def test_twenty_concurrent_submissions_of_one_key_give_one_case(cases, team):
    payload = case_payload(team[0])

    def submit(_):
        with ServiceRpcProxy("cases", cases.config, timeout=30) as proxy:
            return proxy.submit_case(payload, ACTOR)["id"]

    pool = eventlet.GreenPool(20)
    ids = list(pool.imap(submit, range(20)))
    assert len(set(ids)) == 1
    assert counts(cases.config)["cases"] == 1
    assert counts(cases.config)["outbox"] == 1


BAD = [
    ("team_id", None), ("team_id", "x" * 65), ("team_id", 42),
    ("category", None), ("category", "THEFT"),
    ("subject", None), ("subject", ""), ("subject", "x" * 301), ("subject", ["a"]),
    ("description", None), ("description", "x" * 10001),
    ("parties", None), ("parties", [{"full_name": "Một người"}]),
    ("parties", [{"full_name": ""}, {"full_name": "B"}]),
    ("parties", [{"full_name": "x" * 201}, {"full_name": "B"}]),
    ("parties", "Nông Văn Bình"),
    ("received_at", "hôm qua"), ("received_at", "2024-01-01T10:00:00"),
    ("received_at", ago(days=-1)),
    ("channel", None), ("channel", "PIGEON"),
    ("idempotency_key", "x" * 101), ("idempotency_key", 7),
    ("unexpected", "field"),
]


@pytest.mark.parametrize(("field", "value"), BAD, ids=lambda v: str(v)[:20])
def test_bad_input_is_a_typed_error_and_changes_nothing(rpc, team, cases, field, value):
    before = counts(cases.config)
    payload = case_payload(team[0])
    if value is None:
        del payload[field]
    else:
        payload[field] = value
    with pytest.raises(ValidationError) as error:
        rpc.submit_case(payload, ACTOR)
    assert error.value.field.split(".")[0] == field
    assert counts(cases.config) == before


def test_unknown_team_is_not_found(rpc, cases):
    before = counts(cases.config)
    with pytest.raises(NotFound) as error:
        rpc.submit_case(case_payload("team-unknown"), ACTOR)
    assert error.value.field == "team_id"
    assert counts(cases.config) == before


@pytest.mark.parametrize("stale_cache", [False, True])
def test_dissolved_team_takes_no_cases(rpc, directory, team, team_places, stale_cache):
    team_id, _ = team
    accepted = case_payload(team_id)
    first = rpc.submit_case(accepted, ACTOR)  # intake now knows (caches) the team's place
    place = dict(team_places.get(team_id))
    ref = {"team_id": team_id, "commune_code": "06001", "geo_version": "LEGACY",
           "district_code": "178", "v2025_code": "06001"}
    directory.publish("team.dissolved", {**ref, "dissolved_on": "2024-05-01"}, team_id)
    wait_for(lambda: rpc.directory_stats()["teams"] == 0)
    if stale_cache:  # as on a replica that did not see the event: the statement checks
        team_places.remember(team_id, place)
    with pytest.raises(NotFound):
        rpc.submit_case(case_payload(team_id), ACTOR)
    assert rpc.submit_case(accepted, ACTOR)["id"] == first["id"]  # a retry still answers


def test_missing_actor_is_refused(rpc, team):
    with pytest.raises(ValidationError):
        rpc.submit_case(case_payload(team[0]), {"role": "VIEWER"})


@pytest.mark.parametrize(("text", "reason"), [
    ("Nghi trộm cắp trâu của hàng xóm", "CRIME"),
    ("nghi trom cap trau cua hang xom", "CRIME"),
    ("Đã bị XỬ PHẠT HÀNH CHÍNH về xây dựng", "ADMINISTRATIVE_VIOLATION"),
    ("gia đình ép con tảo hôn", "AGAINST_LAW_OR_MORALITY"),
])
def test_non_mediable_matters_are_refused_with_a_reason(rpc, team, cases, text, reason):
    before = counts(cases.config)
    with pytest.raises(ValidationError) as refused:
        rpc.submit_case(case_payload(team[0], description=text), ACTOR)
    assert refused.value.details["reason"] == reason
    assert counts(cases.config) == before


def test_declared_non_mediable_and_the_override(rpc, team):
    with pytest.raises(ValidationError) as declared:
        rpc.submit_case(case_payload(team[0], non_mediable="OTHER_EXCLUDED"), ACTOR)
    assert declared.value.details["reason"] == "OTHER_EXCLUDED"
    # An officer who checked a keyword hit (the theft was settled by the police;
    # the neighbours dispute the fence) may let the matter through.
    case = rpc.submit_case(case_payload(
        team[0], description="Vụ trộm đã xử lý xong, nay tranh chấp hàng rào",
        screen_override=True), ACTOR)
    assert case["status"] == "RECEIVED"


def test_the_directory_ignores_redelivered_events(rpc, directory, cases):
    team_id, mediators = directory.team()
    ref = {"team_id": team_id, "commune_code": "06001", "geo_version": "LEGACY",
           "district_code": "178", "v2025_code": "06001"}
    from nameko.standalone.events import event_dispatcher

    from services.common.events import new_event
    left = new_event("mediator.left", {**ref, "mediator_id": mediators[0],
                                       "left_on": "2024-01-01"}, aggregate_id=mediators[0])
    for _ in range(2):
        event_dispatcher(cases.config)("teams", "mediator.left", left.model_dump(mode="json"))
    wait_for(lambda: rpc.directory_stats()["mediators"] == directory.mediators - 1)
    case = rpc.submit_case(case_payload(team_id), ACTOR)
    with pytest.raises(ValidationError):
        rpc.assign_mediators(case["id"], [mediators[0]], ACTOR)
