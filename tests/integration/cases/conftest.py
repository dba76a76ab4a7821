"""A running cases service on this test's vhost and PostgreSQL database, a directory
filled by publishing teams events ourselves, and a `make_case` factory."""

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy

from services.cases.service import CasesService
from services.common.events import new_event

ACTOR = {"username": "officer1", "role": "COMMUNE_OFFICER", "scope_code": "06001",
         "scope_version": "LEGACY", "team_id": None}
COMMUNE = {"commune_code": "06001", "geo_version": "LEGACY", "district_code": "178",
           "v2025_code": "06001"}


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(interval)
    raise AssertionError(f"not true within {timeout}s: {predicate}")


@dataclass
class Directory:
    """Publishes teams events as the teams service would."""

    config: dict
    rpc: object
    teams: int = 0
    mediators: int = 0
    names: dict = field(default_factory=dict)

    def publish(self, event_type: str, payload: dict, aggregate_id: str) -> None:
        event = new_event(event_type, payload, unit_code=payload["commune_code"],
                          geo_version=payload["geo_version"], aggregate_id=aggregate_id)
        event_dispatcher(self.config)("teams", event_type, event.model_dump(mode="json"))

    def team(self, mediator_names=("Hoàng Thị Lan", "Lương Văn Minh", "Vi Thị Hoa"),
             **ref) -> tuple[str, list[str]]:
        """A formed team with mediators; waits until the directory knows them all."""
        team_id = f"team-{uuid.uuid4().hex[:8]}"
        ref = {"team_id": team_id, **COMMUNE, **ref}
        self.publish("team.formed", {**ref, "name": f"Tổ hòa giải {team_id}",
                                     "formed_on": "2018-01-02"}, team_id)
        ids = []
        for name in mediator_names:
            mediator_id = f"med-{uuid.uuid4().hex[:8]}"
            self.publish("mediator.added", {**ref, "mediator_id": mediator_id,
                                            "full_name": name, "gender": "FEMALE"},
                         mediator_id)
            ids.append(mediator_id)
            self.names[mediator_id] = name
        self.teams += 1
        self.mediators += len(ids)
        expected = {"teams": self.teams, "mediators": self.mediators}
        wait_for(lambda: self.rpc.directory_stats() == expected)
        return team_id, ids


@pytest.fixture
def cases_config(service_config):
    return service_config("cases")


@pytest.fixture
def cases(container_factory, cases_config):
    container = container_factory(CasesService, cases_config)
    container.start()
    return container


@pytest.fixture
def team_places(cases):
    """The running container's cache of where teams work (to make it stale)."""
    return next(d for d in cases.dependencies if d.attr_name == "places").places


@pytest.fixture
def rpc(cases):
    with ServiceRpcProxy("cases", cases.config, timeout=30) as proxy:
        yield proxy


@pytest.fixture
def directory(cases, rpc):
    return Directory(cases.config, rpc)


@pytest.fixture
def team(directory):
    return directory.team()


def case_payload(team_id: str, **overrides) -> dict:
    return {
        "idempotency_key": uuid.uuid4().hex,
        "team_id": team_id,
        "category": "CIVIL_FAMILY",
        "subject": "Tranh chấp ranh giới đất vườn",
        "description": "Hai hộ tranh chấp lối đi chung giữa hai thửa đất.",
        "parties": [{"full_name": "Nông Văn Bình", "address": "Thôn Nà Pàn"},
                    {"full_name": "Hoàng Văn Tư", "address": "Thôn Nà Pàn"}],
        "received_at": (datetime.now(UTC) - timedelta(days=10)).isoformat(),
        "channel": "IN_PERSON",
        **overrides,
    }


@pytest.fixture
def make_case(rpc, team):
    def make(**overrides) -> dict:
        return rpc.submit_case(case_payload(team[0], **overrides), ACTOR)
    return make


def ago(**delta) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


__all__ = ["ACTOR", "ago", "case_payload", "date", "wait_for"]
