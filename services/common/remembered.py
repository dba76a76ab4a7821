"""Values read at most once per period, by one caller at a time."""

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Remembered:
    """Values by key, read again once older than `ttl` seconds. A caller that finds one
    stale while another is reading it waits for that read and takes its answer: under
    eventlet a read yields, and each caller of a burst used to read it on its own (a
    query per event in reporting's consumers, a broker connection per `health` RPC)."""

    def __init__(self):
        self.values: dict[Hashable, tuple[float, object]] = {}
        self.reading = threading.Lock()  # green under nameko's eventlet

    def get(self, key: Hashable, ttl: float, read: Callable[[], T]) -> T:
        found = self._fresh(key, ttl)
        if found is None:
            with self.reading:
                found = self._fresh(key, ttl)
                if found is None:
                    read_at = time.monotonic()  # before the read: never trusted for longer
                    found = self.values[key] = (read_at, read())
        return found[1]

    def forget(self, key: Hashable) -> None:
        self.values.pop(key, None)

    def _fresh(self, key: Hashable, ttl: float) -> tuple[float, object] | None:
        found = self.values.get(key)
        return found if found is not None and time.monotonic() - found[0] <= ttl else None
