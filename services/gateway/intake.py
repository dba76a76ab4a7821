"""Intake gathered across requests: concurrent `submitCase`s go to cases as one batch.

A request sends its case at once while fewer than `slots` intake calls are in flight, as
`submit_case` (one client never waits for another). Requests arriving while every slot
is busy queue; the next to get a slot sends every queued case, each with its own actor
and correlation id, in one `submit_gathered` call. Under load that replaces a broker
round trip, a transaction and a worker per case by one per batch (docs/performance.md).

A batch the cases service refuses or fails as a whole (a key raced by a concurrent
write, an older cases without `submit_gathered`, a fault) sends each case alone again:
one case's answer is never another's error. Only a batch that got no answer in time fails
each of its cases, as one case alone would. The queue holds at most the gateway's
workers (`max_workers`).
"""

from collections.abc import Callable

from eventlet.queue import LightQueue
from nameko.exceptions import RemoteError

from services.common.errors import Conflict, HoagiaiError, ServiceUnavailable
from services.gateway.metrics import INTAKE_BATCH

SLOTS = 2  # intake calls in flight per gateway; measured: docs/performance.md
MAX_BATCH = 50
LEAD, ALONE = object(), object()  # to a ticket: send the queue's head; send yourself alone


class Ticket:
    def __init__(self, request: dict):
        self.request = request  # {payload, actor, correlation_id}
        self.taken = False
        self.inbox = LightQueue()  # LEAD, then (once taken) the answer


class Gatherer:
    """One per gateway container; `submit` runs in each request's green thread (eventlet
    switches only where it waits, so the counters need no lock)."""

    def __init__(self, slots: int = SLOTS, max_batch: int = MAX_BATCH):
        self.slots, self.max_batch = slots, max_batch
        self.in_flight = 0
        self.queue: list[Ticket] = []

    def submit(self, call: Callable, payload: dict, actor: dict,
               correlation_id: str | None):
        """What `submit_case` answers; `call(method, *args)` is this request's RPC."""
        ticket = Ticket({"payload": payload, "actor": actor, "correlation_id": correlation_id})
        self.queue.append(ticket)
        if self.in_flight < self.slots:
            self._lead(call)
        while (answer := ticket.inbox.get()) is LEAD:
            if not ticket.taken and self.in_flight < self.slots:
                self._lead(call)
        if answer is ALONE:
            answer = _submit_alone(call, ticket.request)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _lead(self, call: Callable) -> None:
        """Send the queue's head; when done, wake the next head to do the same."""
        self.in_flight += 1
        try:
            self._send(call, self._take())
        finally:
            self.in_flight -= 1
            if self.queue:
                self.queue[0].inbox.put(LEAD)

    def _take(self) -> list[Ticket]:
        batch, self.queue = self.queue[:self.max_batch], self.queue[self.max_batch:]
        for ticket in batch:
            ticket.taken = True
        return batch

    def _send(self, call: Callable, batch: list[Ticket]) -> None:
        INTAKE_BATCH.observe(len(batch))
        try:
            if len(batch) == 1:  # the leader's own: its RPC carries its correlation id
                batch[0].inbox.put(_submit_alone(call, batch[0].request))
                return
            answers = call("submit_gathered", [t.request for t in batch])
            for ticket, answer in zip(batch, answers, strict=True):
                ticket.inbox.put(answer["case"] if "case" in answer
                                 else HoagiaiError.from_dict(answer["error"]))
        except (Conflict, RemoteError):  # refused or failed as a whole: nothing was written
            for ticket in batch:
                ticket.inbox.put(ALONE)
        except BaseException as exc:  # a timeout, the broker gone: every case fails with it
            error = exc if isinstance(exc, Exception) else ServiceUnavailable(
                "the gateway stopped while this case was being submitted")
            for ticket in batch:
                ticket.inbox.put(error)
            if error is not exc:
                raise


def _submit_alone(call: Callable, request: dict):
    try:
        return call("submit_case", request["payload"], request["actor"])
    except Exception as exc:  # raised by the ticket's owner, in its own thread
        return exc
