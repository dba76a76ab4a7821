"""A reporting container on the real broker and PostgreSQL, and a way to feed it."""

import time

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import select

from services.reporting import models
from services.reporting.metrics import EVENTS_CONSUMED
from services.reporting.service import ReportingService


def consumed_total() -> float:
    return sum(sample.value for metric in EVENTS_CONSUMED.collect()
               for sample in metric.samples if sample.name.endswith("_total"))


class Feeder:
    def __init__(self, container):
        self.container = container
        self.dispatch = event_dispatcher(container.config)

    def deliver(self, bodies: list[dict], timeout: float = 60) -> None:
        """Publish each body (source from its type) and wait until all were handled."""
        before = consumed_total()
        for body in bodies:
            event_type = body.get("type", "case.received")
            source = "cases" if event_type.startswith("case.") else "teams"
            self.dispatch(source, event_type, body)
        deadline = time.monotonic() + timeout
        while consumed_total() - before < len(bodies):
            assert time.monotonic() < deadline, "events were not all handled in time"
            time.sleep(0.05)

    @property
    def sessions(self):
        return next(d for d in self.container.dependencies if d.attr_name == "db").sessions

    def rpc(self):
        return ServiceRpcProxy("reporting", self.container.config, timeout=60)


@pytest.fixture
def reporting(container_factory, service_config):
    def start(**overrides) -> Feeder:
        container = container_factory(ReportingService, service_config("reporting", **overrides))
        container.start()
        return Feeder(container)
    return start


@pytest.fixture
def registry(container_factory, service_config):
    """The teams service on the same vhost: report files name their unit through it."""
    from services.teams.service import TeamsService

    container = container_factory(TeamsService, service_config("teams"))
    container.start()
    return container


def snapshot(sessions) -> dict:
    """Every projection's rows (counters without zeros), comparable across runs."""
    out = {}
    with sessions.begin() as session:
        for table in models.PROJECTIONS:
            if table is models.processed_events:
                continue
            rows = session.execute(select(table)).all()
            rows = [tuple(r) for r in rows if "count" not in r._mapping or r.count]
            out[table.name] = sorted(rows, key=repr)
    return out
