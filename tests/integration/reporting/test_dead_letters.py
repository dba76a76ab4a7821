"""A poison event lands in the dead letters after bounded retries, the rest go on, and an
operator can list and replay it."""

import pytest
import requests

from services.common.errors import Conflict, NotFound, ValidationError
from services.reporting.projector import Projector
from tests.integration.reporting import dataset
from tests.integration.reporting.conftest import snapshot


def test_an_invalid_event_is_dead_lettered_and_later_events_still_apply(reporting):
    feeder = reporting()
    good = dataset.case_events("C1", "T1", "CONFLICT", dataset.date(2019, 3, 1), "SUCCESSFUL")
    poison = dict(good[0], id="00000000-0000-4000-8000-000000000001",
                  payload={**good[0]["payload"], "category": "BOGUS"})
    feeder.deliver([poison, *good])
    with feeder.rpc() as rpc:
        letters = rpc.list_dead_letters(first=10)
        assert rpc.success_rate("05977", 2019, "LEGACY")["successful"] == 1
        before = snapshot(feeder.sessions)
        with pytest.raises(Conflict):  # still invalid: the letter stays, nothing changes
            rpc.replay_dead_letter(letters["items"][0]["id"])
        assert snapshot(feeder.sessions) == before
        assert rpc.list_dead_letters()["items"][0]["attempts"] == 2
    assert letters["total_count"] == 1 and letters["has_next_page"] is False
    letter = letters["items"][0]
    assert letter["event_type"] == "case.received" and "category" in letter["error"]
    assert letter["body"]["payload"]["category"] == "BOGUS" and letter["replayed_at"] is None
    metrics = requests.get(f"http://{feeder.container.config['WEB_SERVER_ADDRESS']}/metrics",
                           timeout=5).text
    assert 'hoagiai_dead_letters{service="reporting"} 1.0' in metrics


def test_a_failing_handler_retries_then_dead_letters_and_replay_applies_it(reporting,
                                                                          monkeypatch):
    feeder = reporting()
    events = dataset.case_events("C1", "T1", "CONFLICT", dataset.date(2019, 3, 1),
                                 "SUCCESSFUL")
    poison_id = events[3]["id"]  # the resolution fails until the "fix" is deployed
    calls = {"n": 0}
    original = Projector.apply

    def broken(self, changes, envelope, payload):
        if str(envelope.id) == poison_id:
            calls["n"] += 1
            raise RuntimeError("disk on fire")
        return original(self, changes, envelope, payload)

    monkeypatch.setattr(Projector, "apply", broken)
    feeder.deliver(events)
    other = dataset.case_events("C2", "T2", "OTHER", dataset.date(2019, 3, 2), "UNSUCCESSFUL")
    feeder.deliver(other)
    with feeder.rpc() as rpc:
        assert calls["n"] == 4  # its batch once, then 3 tries alone: bounded
        first = rpc.success_rate("20", 2019, "LEGACY")
        assert (first["successful"], first["unsuccessful"], first["in_progress"]) == (0, 1, 1)
        letter = rpc.list_dead_letters()["items"][0]
        assert letter["attempts"] == 3 and "disk on fire" in letter["error"]
        monkeypatch.setattr(Projector, "apply", original)
        assert rpc.replay_dead_letter(letter["id"]) == {"id": letter["id"], "result": "applied"}
        after = rpc.success_rate("20", 2019, "LEGACY")
        assert (after["successful"], after["unsuccessful"], after["in_progress"]) == (1, 1, 0)
        assert rpc.list_dead_letters()["items"][0]["replayed_at"] is not None
        with pytest.raises(Conflict):
            rpc.replay_dead_letter(letter["id"])
        with pytest.raises(NotFound):
            rpc.replay_dead_letter(999)
        with pytest.raises(ValidationError):
            rpc.list_dead_letters(first=0)
