"""The registry reads' answers, kept until this process commits a write.

The gateway reads the same teams over and over (a commune's ≈ 25 teams and their members,
on every page of cases), and a registry read cost its RPC two to three times over: the
transaction's round trips, the query, the dicts (docs/performance.md, ninth round).

Every write of the registry goes through this service's units of work
(`ServiceBase.write`) and raises its event, so the service forgets every answer once a
unit of work that raised one commits (`forget_all`, from `TeamsService.committed`). A
read that began before that commit does not keep its answer (`generation`). `TTL` bounds
how long a write made by another process (a second replica, an edit on the database) can
go unseen.
"""

import time
from collections.abc import Callable, Hashable, Iterable

from cachetools import TTLCache
from nameko.extensions import DependencyProvider

TTL = 5.0  # seconds
MAX_ENTRIES = 20_000  # a team, its members or a page each (the demo has 2,359 teams)
LARGEST_PAGE_KEPT = 100  # teams per page: the gateway's largest (loaders read 1,000 once)
_ABSENT = object()


class ReadCache:
    def __init__(self, ttl: float = TTL, max_entries: int = MAX_ENTRIES,
                 timer: Callable[[], float] = time.monotonic):
        self.entries: TTLCache = TTLCache(max_entries, ttl, timer)
        self.generation = 0  # moves on at each forget_all

    def forget_all(self) -> None:
        self.generation += 1
        self.entries.clear()

    def each(self, kind: str, keys: Iterable[Hashable],
             read: Callable[[list], dict]) -> dict:
        """{key: answer} for `keys`; `read(missing keys)` gives those not kept, as a dict
        (a key it leaves out is unknown: answered by nobody, kept by nobody)."""
        generation, found, missing = self.generation, {}, []
        for key in keys:
            answer = self.entries.get((kind, key), _ABSENT)
            if answer is _ABSENT:
                missing.append(key)
            else:
                found[key] = answer
        if missing:
            fresh = read(missing)
            if generation == self.generation:  # no write committed while it read
                self.entries.update(((kind, key), answer) for key, answer in fresh.items())
            found.update(fresh)
        return found

    def one(self, kind: str, key: Hashable, read: Callable[[], object]):
        return self.each(kind, [key], lambda _: {key: read()})[key]


class ReadCacheProvider(DependencyProvider):
    """One `ReadCache` per service container, shared by its workers."""

    def setup(self) -> None:
        self.cache = ReadCache()

    def get_dependency(self, worker_ctx) -> ReadCache:
        return self.cache
