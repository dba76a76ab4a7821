"""The transactional outbox survives a broker outage: the service reaches the broker
through a TCP proxy we cut; cases written meanwhile are published once it is back,
every event exactly once, in order per case."""

import time
from collections import Counter, defaultdict

import pytest
from kombu import Connection, Queue
from nameko.standalone.events import get_event_exchange
from nameko.standalone.rpc import ServiceRpcProxy
from prometheus_client import REGISTRY

from services.cases import handlers, schemas
from services.cases.domain import now_utc
from services.cases.service import CasesService
from services.cases.unit_of_work import CasesUnitOfWork, TeamPlaces
from tests.integration.cases.conftest import ACTOR, Directory, ago, case_payload
from tests.support.tcp_proxy import TcpProxy, proxied_uri


@pytest.fixture
def proxied_cases(container_factory, service_config, rabbit_config):
    """The cases service reaching the broker only through a proxy we can cut."""
    host, port = rabbit_config["AMQP_URI"].split("@", 1)[1].split("/", 1)[0].split(":")
    proxy = TcpProxy(host, int(port))
    config = service_config("cases", AMQP_URI=proxied_uri(rabbit_config["AMQP_URI"], proxy))
    cases = container_factory(CasesService, config)
    cases.start()
    yield cases, proxy
    proxy.restore()  # stop while the proxy stands, or the consumers retry for minutes
    cases.stop()
    proxy.close()


def failures() -> float:
    return REGISTRY.get_sample_value("hoagiai_outbox_publish_failures_total",
                                     {"service": "cases"}) or 0.0


def test_events_written_while_the_broker_is_away_arrive_once_in_order(
        proxied_cases, rabbit_config):
    cases, proxy = proxied_cases
    with (Connection(rabbit_config["AMQP_URI"]) as connection,
          ServiceRpcProxy("cases", rabbit_config, timeout=30) as rpc):
        queue = Queue("outbox-test", exchange=get_event_exchange("cases", rabbit_config),
                      routing_key="case.#", exclusive=True)
        received: list[dict] = []
        consumer = connection.Consumer(queue, accept=["json"],
                                       callbacks=[lambda body, msg: (received.append(body),
                                                                     msg.ack())])
        consumer.consume()
        team_id, mediators = Directory(rabbit_config, rpc).team()

        proxy.cut()
        failed_before = failures()
        sessions = next(d for d in cases.dependencies if d.attr_name == "db").sessions
        ids = []
        for _ in range(10):  # written straight through the handlers: the RPC path is cut too
            with sessions.begin() as session:
                uow = CasesUnitOfWork(session, TeamPlaces())
                cmd = schemas.SubmitCase(**case_payload(team_id, received_at=ago(days=1)))
                case, _ = handlers.submit_case(uow, cmd, schemas.Actor(**ACTOR), now_utc())
                handlers.assign(uow, case, mediator_ids=mediators[:1], at=None,
                                actor=schemas.Actor(**ACTOR), now=now_utc())
                ids.append(case.id)
        deadline = time.monotonic() + 30
        while failures() == failed_before and time.monotonic() < deadline:
            _drain(connection, seconds=0.5)
        assert failures() > failed_before  # the relay tried, failed and said so
        assert received == []  # and nothing got out while the broker was away

        proxy.restore()
        deadline = time.monotonic() + 90
        while len(received) < 20 and time.monotonic() < deadline:
            _drain(connection, seconds=0.5)
        _drain(connection, seconds=1.0)  # a duplicate would show up here

    counts = Counter(event["id"] for event in received)
    assert len(counts) == 20 and set(counts.values()) == {1}
    by_case = defaultdict(list)
    for event in received:
        by_case[event["aggregate_id"]].append((event["sequence"], event["type"]))
    assert set(by_case) == set(ids)
    assert all(seq == [(1, "case.received"), (2, "case.assigned")]
               for seq in by_case.values())


def _drain(connection, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            connection.drain_events(timeout=0.1)
        except TimeoutError:
            pass
        except OSError:  # socket.timeout on some kombu versions
            pass
