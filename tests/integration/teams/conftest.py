"""A real teams container on this test's vhost and a fresh PostgreSQL database."""

import itertools

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from services.teams.service import TeamsService

ACTOR = {"username": "test", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "LEGACY", "team_id": None}
_names = itertools.count()


@pytest.fixture
def teams_container(container_factory, service_config):
    container = container_factory(TeamsService, service_config("teams"))
    container.start()
    return container


@pytest.fixture
def teams(teams_container):
    with ServiceRpcProxy("teams", teams_container.config, timeout=30) as proxy:
        yield proxy


@pytest.fixture
def db(teams_container):
    return next(d for d in teams_container.dependencies if d.attr_name == "db").sessions


def person(gender="FEMALE", **overrides) -> dict:
    n = next(_names)
    return {"full_name": f"Hoàng Thị Mai {n}", "gender": gender, "year_of_birth": 1970 + n % 30,
            "ethnicity": "Tày", "elected_on": "2018-01-08", "election_share": 0.7, **overrides}


@pytest.fixture
def make_team(teams):
    """Factory: a team in Hoàng Văn Thụ ward (05971, LEGACY) with mediators of these genders."""

    def make(genders=("FEMALE", "MALE", "MALE"), commune_code="05971", **overrides) -> dict:
        team = teams.form_team({"name": "Tổ hòa giải khối 1", "commune_code": commune_code,
                                "formed_on": "2018-01-02", **overrides}, ACTOR)
        for gender in genders:
            teams.add_mediator(team["id"], person(gender), ACTOR)
        return teams.get_team(team["id"])

    return make


@pytest.fixture
def snapshot(db):
    """Row counts of every table: a failed write must leave them all unchanged (but the
    audit trail, which records the refused attempt)."""
    from services.teams.models import metadata

    def take() -> dict:
        with db.begin() as session:
            return {t.name: session.scalar(select(func.count()).select_from(t))
                    for t in metadata.sorted_tables if t.name != "audit_log"}

    return take
