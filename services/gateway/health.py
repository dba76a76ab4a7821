"""Each backend's `health` answer, remembered by the gateway container for a second (as
the backends remember their broker and database checks): the `health` query then costs
no RPC while an answer is fresh, and concurrent queries share one RPC per backend.

A backend that stops answering shows down within the second plus the timeout; a failed
or late answer is remembered the same second, like any other."""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import eventlet
from cachetools import TTLCache
from eventlet.event import Event
from nameko.exceptions import UnknownService

HEALTH_TTL = 1.0


@dataclass(frozen=True)
class Answer:
    status: str
    latency_ms: float | None = None  # the round trip of the RPC that gave this answer
    detail: str | None = None


class HealthAnswers:
    """`answers(names, ask, timeout)`: one Answer per name; `ask(name)` starts that
    backend's health RPC (`call_async`) and is called only when no answer is fresh and
    none is on its way."""

    def __init__(self, ttl: float = HEALTH_TTL, clock: Callable[[], float] = time.monotonic):
        self.fresh: TTLCache = TTLCache(maxsize=16, ttl=ttl, timer=clock)
        self.asking: dict[str, Event] = {}

    def answers(self, names: Iterable[str], ask: Callable, timeout: float) -> list[Answer]:
        deadline = time.monotonic() + timeout
        names = list(names)
        waits = {name: self._start(name, ask) for name in names}
        return [self._settle(name, waits[name], deadline) for name in names]

    def _start(self, name: str, ask: Callable):
        """A fresh answer, the Event of a call on its way, or our own call started."""
        if (answer := self.fresh.get(name)) is not None:
            return answer
        if (event := self.asking.get(name)) is not None:
            return event
        self.asking[name] = Event()  # before `ask` yields: later queries wait on it
        try:
            return time.perf_counter(), ask(name)
        except UnknownService:
            return self._finish(name, Answer("down", detail="no instance is running"))
        except BaseException:
            self._finish(name, Answer("down", detail="not asked"))
            raise

    def _settle(self, name: str, wait, deadline: float) -> Answer:
        if isinstance(wait, Answer):
            return wait
        remaining = max(0.0, deadline - time.monotonic())
        if isinstance(wait, Event):
            with eventlet.Timeout(remaining, False):
                return wait.wait()
            return Answer("down", detail="no answer in time")
        answer = Answer("down", detail="not asked")
        try:
            answer = _outcome(*wait, remaining)
        finally:
            self._finish(name, answer)
        return answer

    def _finish(self, name: str, answer: Answer) -> Answer:
        self.fresh[name] = answer
        event = self.asking.pop(name, None)
        if event is not None:
            event.send(answer)
        return answer


def _outcome(started: float, reply, timeout: float) -> Answer:
    try:
        with eventlet.Timeout(timeout):
            result = reply.result()
    except eventlet.Timeout:
        return Answer("down", detail="no answer in time")
    except Exception as exc:  # noqa: BLE001 (the backend answered with an error)
        return Answer("down", detail=type(exc).__name__)
    latency = (time.perf_counter() - started) * 1000
    detail = ", ".join(f"{k}: {v}" for k, v in result["checks"].items() if v != "up") or None
    return Answer(result["status"], latency_ms=latency, detail=detail)
