"""The gateway's intake gathering (services/gateway/intake.py), on green threads, with a
stand-in for the cases RPC: who is sent alone, who is gathered, and whose answer is
whose (the real services: tests/integration/cases/test_gathered.py and the audit trail's
e2e test)."""

import eventlet
import pytest
from nameko.exceptions import RemoteError

from services.common.errors import (
    Conflict,
    HoagiaiError,
    NotFound,
    ServiceUnavailable,
    ValidationError,
)
from services.gateway.intake import Gatherer


class Cases:
    """Answers like cases after `delay` seconds; `refuse` makes a batch fail as a whole."""

    def __init__(self, delay: float = 0.02, refuse: Exception | None = None):
        self.delay, self.refuse = delay, refuse
        self.calls: list[tuple[str, int]] = []

    def call(self, method: str, *args):
        self.calls.append((method, len(args[0]) if method == "submit_gathered" else 1))
        eventlet.sleep(self.delay)
        if method == "submit_case":
            return self.answer(args[0])
        if self.refuse is not None:
            raise self.refuse
        return [{"case": self.answer(r["payload"])} if r["payload"]["n"] >= 0 else
                {"error": NotFound("no such team", "team_id").as_dict()} for r in args[0]]

    def answer(self, payload: dict) -> dict:
        if payload["n"] < 0:
            raise NotFound("no such team", "team_id")
        return {"id": f"case-{payload['n']}"}


def submit_all(gatherer: Gatherer, call, numbers) -> list:
    """Each number submitted from its own green thread at once: its answer or error."""
    def one(n: int):
        try:
            return gatherer.submit(call, {"n": n}, {"username": f"u{n}"}, f"r{n}")
        except Exception as exc:
            return exc

    pool = eventlet.GreenPool()
    threads = [pool.spawn(one, n) for n in numbers]
    return [t.wait() for t in threads]


def test_one_client_is_sent_alone_every_time():
    cases, gatherer = Cases(), Gatherer()
    answers = [gatherer.submit(cases.call, {"n": n}, {}, None) for n in range(3)]
    assert answers == [{"id": f"case-{n}"} for n in range(3)]
    assert cases.calls == [("submit_case", 1)] * 3


def test_requests_beyond_the_slots_are_gathered_and_each_gets_its_own_answer():
    cases, gatherer = Cases(), Gatherer(slots=2)
    answers = submit_all(gatherer, cases.call, range(12))
    assert answers == [{"id": f"case-{n}"} for n in range(12)]
    assert cases.calls[:2] == [("submit_case", 1)] * 2
    assert ("submit_gathered", 10) in cases.calls
    assert sum(size for _, size in cases.calls) == 12
    assert gatherer.queue == [] and gatherer.in_flight == 0


def test_a_refused_item_is_its_own_typed_error():
    cases, gatherer = Cases(), Gatherer(slots=1)
    answers = submit_all(gatherer, cases.call, [1, 2, -3, 4])
    assert answers[:2] == [{"id": "case-1"}, {"id": "case-2"}] and answers[3] == {"id": "case-4"}
    assert isinstance(answers[2], NotFound) and answers[2].field == "team_id"
    assert ("submit_gathered", 3) in cases.calls


@pytest.mark.parametrize("refusal", [
    Conflict("another batch used some of these keys", "idempotency_key"),
    RemoteError("MethodNotFound", "submit_gathered")])
def test_a_batch_refused_as_a_whole_sends_each_alone(refusal):
    cases, gatherer = Cases(refuse=refusal), Gatherer(slots=1)
    answers = submit_all(gatherer, cases.call, range(5))
    assert answers == [{"id": f"case-{n}"} for n in range(5)]
    assert [m for m, _ in cases.calls].count("submit_case") == 5  # 1, then the 4 again


def test_a_batch_that_times_out_fails_every_case_in_it():
    cases, gatherer = Cases(), Gatherer(slots=1)

    def call(method, *args):
        if method == "submit_gathered":
            raise ServiceUnavailable("the cases service did not answer in time")
        return cases.call(method, *args)

    answers = submit_all(gatherer, call, range(4))
    assert answers[0] == {"id": "case-0"}
    assert all(isinstance(a, ServiceUnavailable) for a in answers[1:])
    assert gatherer.queue == [] and gatherer.in_flight == 0


def test_an_error_crosses_a_batch_as_its_own_class():
    error = ValidationError("parties: at least two", "parties", {"reason": "CRIME"})
    again = HoagiaiError.from_dict(error.as_dict())
    assert type(again) is ValidationError and again.as_dict() == error.as_dict()
