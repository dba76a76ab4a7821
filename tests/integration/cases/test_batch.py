"""Batch intake (`submit_cases`, services/cases/batch.py): the same rules and the same rows
as the live commands, written per batch; idempotency keys across and within batches."""

from services.cases import batch
from services.common.errors import Conflict

from .conftest import ACTOR, ago, case_payload

STEPS = [("assign", "assign_mediators"), ("start", "start_mediation"),
         ("outcome", "record_outcome"), ("follow_up", "follow_up")]


def history_of(rpc, case_id: str) -> list[tuple]:
    """The case's events as (type, sequence, payload without ids and recording times)."""
    skip = {"case_id"}
    return [(e["type"], e["sequence"], {k: v for k, v in e["payload"].items() if k not in skip})
            for e in rpc.history(0, 1000)["items"] if e["aggregate_id"] == case_id]


def test_a_batch_writes_what_the_live_commands_write(rpc, team):
    team_id, mediators = team
    # steps within the 3-day start deadline: the overdue timer must not race the start
    received, *times = [ago(hours=h) for h in (20, 4, 3, 2, 1)]
    args = [{"mediator_ids": mediators[:2]}, {}, {"outcome": "SUCCESSFUL"},
            {"carried_out": True}]
    live = rpc.submit_case(case_payload(team_id, received_at=received), ACTOR)
    for (_, command), at, extra in zip(STEPS, times, args, strict=True):
        live = getattr(rpc, command)(live["id"], actor=ACTOR, at=at, **extra)
    steps = [{"action": action, "at": at, **extra}
             for (action, _), at, extra in zip(STEPS, times, args, strict=True)]
    [item] = rpc.submit_cases([case_payload(team_id, received_at=received, steps=steps)], ACTOR)
    loaded = item["case"]

    def same(case: dict) -> dict:
        return {k: v for k, v in case.items() if k not in ("id", "case_id")}

    assert loaded["status"] == "SUCCESSFUL" and loaded["carried_out"] is True
    assert same(rpc.get_case(loaded["id"])) == same(loaded) == same(live)
    assert history_of(rpc, loaded["id"]) == history_of(rpc, live["id"])
    assert len(history_of(rpc, live["id"])) == 5
    parties = [rpc.get_case_parties(c["id"], ACTOR) for c in (loaded, live)]
    assert same(parties[0]) == same(parties[1])


def test_keys_repeat_within_and_across_batches(rpc, team):
    team_id, _ = team
    first = case_payload(team_id)
    other = case_payload(team_id, idempotency_key=first["idempotency_key"], subject="Khác")
    results = rpc.submit_cases([first, first, other], ACTOR)
    assert results[0]["case"]["id"] == results[1]["case"]["id"]
    assert results[2]["error"]["code"] == "CONFLICT"
    again = rpc.submit_cases([first, case_payload(team_id)], ACTOR)
    assert again[0]["case"]["id"] == results[0]["case"]["id"]
    assert rpc.list_cases()["total_count"] == 2
    assert len(rpc.history(0, 100)["items"]) == 2  # one case.received each


def test_a_mediator_of_another_team_is_refused_in_a_batch(rpc, directory, team):
    team_id, _ = team
    _, strangers = directory.team(mediator_names=("Lý Văn Sơn",))
    steps = [{"action": "assign", "mediator_ids": strangers, "at": ago(days=9)}]
    [item] = rpc.submit_cases([case_payload(team_id, steps=steps)], ACTOR)
    assert item["error"]["code"] == "BAD_USER_INPUT"
    assert item["error"]["field"] == "mediator_ids"
    assert rpc.list_cases()["total_count"] == 0


def test_a_key_taken_meanwhile_refuses_the_whole_batch(rpc, team, monkeypatch):
    """Another batch commits one of our keys between our look and our insert: the unique
    key stops ours, which writes nothing and says to submit again."""
    team_id, _ = team
    taken = case_payload(team_id)
    rpc.submit_cases([taken], ACTOR)
    looked = batch.Batch.__init__

    def look_before_it_was_taken(self, session, commands):
        looked(self, session, commands)
        self.cases.clear()

    monkeypatch.setattr(batch.Batch, "__init__", look_before_it_was_taken)
    try:
        rpc.submit_cases([case_payload(team_id), taken], ACTOR)
    except Conflict as exc:
        assert exc.field == "idempotency_key"
    else:
        raise AssertionError("the batch was not refused")
    assert rpc.list_cases()["total_count"] == 1
    assert len(rpc.history(0, 100)["items"]) == 1
