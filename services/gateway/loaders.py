"""Per-request batching (DataLoader-style) over nameko RPC, and the bounded RPC call.

A list resolver `prime`s a loader with the ids of its page; the first `load` sends ONE
batch RPC for every id primed so far (with `call_async`, so loaders of different kinds
run concurrently), and later loads hit the per-request cache. Resolvers stay synchronous.
"""

from collections.abc import Callable, Hashable, Iterable
from functools import cached_property

import eventlet
from cachetools import TTLCache

from services.common.errors import ServiceUnavailable
from services.gateway.health import HealthAnswers
from services.gateway.intake import Gatherer

UNITS_TTL = 600.0  # the geography changes by version, not by the minute


class Backend:
    """The worker's RPC proxies with a deadline on every answer."""

    def __init__(self, rpc, timeout: float = 10.0):
        self.rpc, self.timeout = rpc, timeout

    def start(self, service: str, method: str, *args, **kwargs) -> "Reply":
        proxy = getattr(getattr(self.rpc, service), method)
        return Reply(proxy.call_async(*args, **kwargs), self.timeout, service)

    def call(self, service: str, method: str, *args, **kwargs):
        return self.start(service, method, *args, **kwargs).result()


class Reply:
    def __init__(self, reply, timeout: float, service: str):
        self.reply, self.timeout, self.service = reply, timeout, service

    def result(self):
        error = ServiceUnavailable(f"the {self.service} service did not answer in time")
        with eventlet.Timeout(self.timeout, error):
            return self.reply.result()


class BatchLoader:
    """Loads values by key, in batches; `fetch(keys)` returns a Reply whose result is
    `{key: value}` (missing keys load as None)."""

    def __init__(self, fetch: Callable[[list], Reply], key: Callable = str):
        self.fetch, self.key = fetch, key
        self.cache: dict[Hashable, object] = {}
        self.primed: list = []
        self.inflight: list[tuple[list, Reply]] = []

    def prime(self, keys: Iterable) -> None:
        for key in map(self.key, keys):
            if key not in self.cache and key not in self.primed:
                self.primed.append(key)

    def dispatch(self) -> None:
        """Send the batch of primed keys now, without waiting for its answer."""
        if self.primed:
            keys, self.primed = self.primed, []
            self.inflight.append((keys, self.fetch(keys)))

    def load(self, key):
        key = self.key(key)
        if key not in self.cache:
            self.prime([key])
            self.dispatch()
            self._settle()
        return _value(self.cache.get(key))

    def load_many(self, keys: Iterable) -> list:
        keys = [self.key(k) for k in keys]
        self.prime(keys)
        self.dispatch()
        self._settle()
        return [_value(self.cache.get(k)) for k in keys]

    def _settle(self) -> None:
        while self.inflight:
            keys, reply = self.inflight.pop(0)
            found = reply.result()
            for key in keys:
                self.cache[key] = found.get(key)


class _Mapped(Reply):
    """A Reply whose result is transformed (list of dicts → {id: dict})."""

    def __init__(self, inner: Reply, transform: Callable):
        self.inner, self.transform = inner, transform

    def result(self):
        return self.transform(self.inner.result())


def _by_id(items) -> dict:
    return {str(item["id"]): item for item in items or () if item}  # None: not found


def _by_key(mapping) -> dict:
    return {str(k): v for k, v in (mapping or {}).items()}


class _Each(Reply):
    """One call per key, all in flight together (for RPCs with no batch form); a key's
    refusal is its own (raised when that key is loaded), not its batch's."""

    def __init__(self, replies: dict[str, Reply]):
        self.replies = replies

    def result(self):
        return {key: _outcome(reply) for key, reply in self.replies.items()}


def _outcome(reply: Reply):
    try:
        return reply.result()
    except Exception as exc:  # noqa: BLE001 (kept for the key's own load to raise)
        return _Failed(exc)


class _Failed:
    def __init__(self, error: Exception):
        self.error = error


def _rates(backend: Backend, keys: list[tuple]) -> Reply:
    """One `success_rates` call per (year, layout) for the units asked."""
    groups: dict[tuple, list[str]] = {}
    for code, year, layout in keys:
        groups.setdefault((year, layout), []).append(code)
    calls = _Each({group: backend.start("reporting", "success_rates", codes, *group)
                   for group, codes in groups.items()})
    return _Mapped(calls, lambda found: {
        (code, *group): rates if isinstance(rates, _Failed) else rates.get(code)
        for group, rates in found.items() for code in groups[group]})


def _value(found):
    if isinstance(found, _Failed):
        raise found.error
    return found


class SharedCaches:
    """What one gateway container remembers across requests, bounded and short-lived:
    the layouts of units (they change by version, not by the minute) and where each team
    works (all that authorizing intake needs; cases itself refuses a dissolved or moved
    team), which saves intake an RPC per submission; and each backend's health answer
    for a second (`services/gateway/health.py`); and the intake gathered across requests
    (`services/gateway/intake.py`)."""

    def __init__(self, ttl: float = UNITS_TTL):
        self.layouts: TTLCache = TTLCache(maxsize=4, ttl=ttl)
        self.team_places: TTLCache = TTLCache(maxsize=200_000, ttl=ttl)
        self.health = HealthAnswers()
        self.intake = Gatherer()


PLACE_FIELDS = ("id", "commune_code", "district_code", "v2025_code", "geo_version")


class Loaders:
    """Every loader of one request, created lazily, over the container's `shared`
    caches."""

    def __init__(self, backend: Backend, shared: SharedCaches, principal):
        # each loader is built on its first use: a request uses few of them (intake none)
        self.backend, self.shared, self.principal = backend, shared, principal

    def _batch(self, service: str, method: str, by: Callable) -> BatchLoader:
        """A loader over one batch RPC of `service`, its answer keyed by `by`."""
        return BatchLoader(lambda ids: _Mapped(self.backend.start(service, method, ids), by))

    @cached_property
    def teams(self) -> BatchLoader:
        return self._batch("teams", "get_teams", _by_id)

    @cached_property
    def mediators(self) -> BatchLoader:
        return self._batch("teams", "get_mediators", _by_id)

    @cached_property
    def team_mediators(self) -> BatchLoader:
        return self._batch("teams", "list_mediators", _by_key)

    @cached_property
    def cases(self) -> BatchLoader:
        return self._batch("cases", "get_cases", _by_id)

    @cached_property
    def timelines(self) -> BatchLoader:
        return self._batch("cases", "get_timelines", _by_key)

    @cached_property
    def parties(self) -> BatchLoader:
        """Each read of parties is recorded by cases, in the reader's name (the audit trail)."""
        actor = self.principal.as_actor()
        return BatchLoader(lambda ids: _Each(
            {i: self.backend.start("cases", "get_case_parties", i, actor) for i in ids}))

    @cached_property
    def success_rates(self) -> BatchLoader:
        """(unit code, year, layout) → its success rate: a dashboard asks for 65 at once."""
        return BatchLoader(lambda keys: _rates(self.backend, keys), key=tuple)

    @cached_property
    def current_units(self) -> BatchLoader:
        """A LEGACY commune → the V2025 unit it is part of today (the crosswalk's target)."""
        return BatchLoader(lambda codes: _Each(
            {c: self.backend.start("teams", "map_legacy_unit", c) for c in codes}))

    def layout(self, geo_version: str) -> dict[str, dict]:
        """The whole layout of one geography version, code → unit."""
        layout = self.shared.layouts.get(geo_version)
        if layout is None:
            found = self.backend.call("teams", "list_units", geo_version=geo_version)
            items = found["items"] if isinstance(found, dict) else found
            layout = self.shared.layouts[geo_version] = {u["code"]: u for u in items}
        return layout

    def team_place(self, team_id: str) -> dict | None:
        """Where a team works (`PLACE_FIELDS`)."""
        place = self.shared.team_places.get(team_id)
        if place is None and (team := self.teams.load(team_id)) is not None:
            place = {key: team.get(key) for key in PLACE_FIELDS}
            self.shared.team_places[team_id] = place
        return place

    def unit(self, code: str | None, geo_version: str = "V2025") -> dict | None:
        return None if code is None else self.layout(geo_version).get(code)

    def unit_chain(self, code: str | None, geo_version: str = "V2025") -> list[dict]:
        """[unit, parent, grandparent …] from the cached layout."""
        chain, layout = [], self.layout(geo_version)
        while code is not None and code in layout and len(chain) < 5:
            chain.append(layout[code])
            code = layout[code].get("parent_code")
        return chain
