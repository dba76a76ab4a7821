"""The rebuild replays the history of cases and teams (test doubles of their `history`
RPC on the real broker) and ends with exactly the live projections."""

import os
import random
import sys

from nameko.rpc import rpc

from services.reporting import rebuild as rebuilding
from tests.integration.reporting import dataset
from tests.integration.reporting.conftest import snapshot
from tests.support.command import run_command


def page(events: list[dict], after: int, limit: int) -> dict:
    items = events[after:after + limit]
    return {"items": items, "next_after": after + len(items),
            "has_more": after + len(items) < len(events)}


class CasesHistory:
    name = "cases"
    events: list[dict] = []

    @rpc
    def history(self, after=0, limit=1000):
        return page(self.events, after, limit)


class TeamsHistory:
    name = "teams"
    events: list[dict] = []

    @rpc
    def history(self, after=0, limit=1000):
        return page(self.events, after, limit)


def start_sources(container_factory, config):
    CasesHistory.events = dataset.cases()
    TeamsHistory.events = dataset.team_events()
    for cls in (CasesHistory, TeamsHistory):
        container_factory(cls, config).start()


def test_rebuild_ends_with_the_live_numbers(reporting, container_factory, monkeypatch):
    feeder = reporting()
    start_sources(container_factory, feeder.container.config)
    live = CasesHistory.events * 2 + TeamsHistory.events
    random.Random(3).shuffle(live)
    feeder.deliver(live)
    before = snapshot(feeder.sessions)
    monkeypatch.setattr(rebuilding, "PAGE", 7)  # several pages per source
    with feeder.rpc() as proxy:
        result = proxy.rebuild()
        rates = {key: proxy.success_rate(key[1], 2019, key[0]) for key in dataset.EXPECTED_2019}
    assert snapshot(feeder.sessions) == before
    assert result["events"] == len(CasesHistory.events) + len(TeamsHistory.events)
    assert result["skipped"] == 0 and result["tail_events"] == 0
    for key, expected in dataset.EXPECTED_2019.items():
        assert {k: rates[key][k] for k in expected} == expected


def test_rebuild_command_line(reporting, container_factory):
    feeder = reporting()
    start_sources(container_factory, feeder.container.config)
    feeder.deliver(CasesHistory.events + TeamsHistory.events)
    before = snapshot(feeder.sessions)
    env = {**os.environ, "AMQP_URI": feeder.container.config["AMQP_URI"],
           "REPORTING_DATABASE_URL": feeder.container.config["DATABASE_URL"]}
    done = run_command([sys.executable, "-m", "services.reporting.rebuild"], env)
    assert done.returncode == 0, done.stderr
    assert f"'events': {len(CasesHistory.events) + len(TeamsHistory.events)}," in done.stdout
    assert snapshot(feeder.sessions) == before
