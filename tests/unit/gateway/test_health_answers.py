"""The gateway remembers each backend's health answer for a second (HealthAnswers)."""

import eventlet
from nameko.exceptions import UnknownService

from services.gateway.health import HealthAnswers

UP = {"status": "up", "checks": {"database": "up", "broker": "up"}}


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Reply:
    def __init__(self, result=UP, delay=0.0):
        self.value, self.delay = result, delay

    def result(self):
        eventlet.sleep(self.delay)
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


class Backends:
    """Counts the health RPCs started per backend; `replies[name]` is what each gives."""

    def __init__(self, **replies):
        self.replies, self.asked = replies, []

    def __call__(self, name):
        self.asked.append(name)
        reply = self.replies.get(name, Reply())
        if reply is None:
            raise UnknownService(name)
        return reply


def test_an_answer_is_remembered_for_one_second():
    clock, backends = Clock(), Backends()
    health = HealthAnswers(clock=clock)
    first = health.answers(["cases", "teams"], backends, timeout=1)
    clock.now += 0.9
    again = health.answers(["cases", "teams"], backends, timeout=1)
    assert backends.asked == ["cases", "teams"]
    assert again == first and first[0].status == "up" and first[0].latency_ms >= 0
    clock.now += 0.2  # 1.1 s after the answers
    health.answers(["cases", "teams"], backends, timeout=1)
    assert backends.asked == ["cases", "teams"] * 2


def test_concurrent_queries_share_one_call_per_backend():
    backends = Backends(cases=Reply(delay=0.05), teams=Reply(delay=0.05))
    health = HealthAnswers()
    pool = [eventlet.spawn(health.answers, ["cases", "teams"], backends, 1)
            for _ in range(5)]
    results = [thread.wait() for thread in pool]
    assert sorted(backends.asked) == ["cases", "teams"]
    assert all(result == results[0] for result in results)


def test_a_stopped_backend_shows_down_after_the_second_plus_the_timeout():
    clock = Clock()
    health = HealthAnswers(clock=clock)
    assert health.answers(["teams"], Backends(), timeout=1)[0].status == "up"
    stopped = Backends(teams=Reply(delay=5))  # never answers within the timeout
    assert health.answers(["teams"], stopped, timeout=0.05)[0].status == "up"  # remembered
    clock.now += 1.01
    answer = health.answers(["teams"], stopped, timeout=0.05)[0]
    assert (answer.status, answer.detail, answer.latency_ms) == (
        "down", "no answer in time", None)
    assert health.answers(["teams"], stopped, timeout=0.05)[0] == answer  # that second too
    assert stopped.asked == ["teams"]


def test_errors_and_missing_backends_show_down():
    backends = Backends(cases=Reply(RuntimeError("boom")), teams=None,
                        reporting=Reply({"status": "degraded",
                                         "checks": {"database": "down", "broker": "up"}}))
    cases, teams, reporting = HealthAnswers().answers(
        ["cases", "teams", "reporting"], backends, timeout=1)
    assert (cases.status, cases.detail) == ("down", "RuntimeError")
    assert (teams.status, teams.detail) == ("down", "no instance is running")
    assert (reporting.status, reporting.detail) == ("degraded", "database: down")


def test_a_waiting_query_keeps_its_own_deadline():
    backends = Backends(teams=Reply(delay=0.3))
    health = HealthAnswers()
    slow = eventlet.spawn(health.answers, ["teams"], backends, 1)
    eventlet.sleep(0)
    waiting = health.answers(["teams"], backends, timeout=0.05)[0]
    assert (waiting.status, waiting.detail) == ("down", "no answer in time")
    assert slow.wait()[0].status == "up" and backends.asked == ["teams"]
