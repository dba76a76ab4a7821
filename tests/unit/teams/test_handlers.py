"""The teams handlers on a unit of work over an in-memory SQLite session (no service,
broker or server): the events each command raises, and none for a refused one."""

from datetime import date

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, ValidationError
from services.common.unit_of_work import UnitOfWork
from services.teams import handlers, models, schemas
from services.teams.models import Crosswalk, Unit

FORMED = {"name": "Tổ hòa giải thôn Nà Cạn", "commune_code": "05971",
          "formed_on": "2018-01-02"}


def mediator(name: str, gender: str = "FEMALE") -> schemas.NewMediator:
    return schemas.NewMediator(full_name=name, gender=gender)


@pytest.fixture
def uow():
    engine = create_engine("sqlite://")
    models.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([
            Unit(geo_version="LEGACY", code="20", name="Lạng Sơn", level="PROVINCE"),
            Unit(geo_version="LEGACY", code="178", name="TP Lạng Sơn", level="DISTRICT",
                 parent_code="20"),
            Unit(geo_version="LEGACY", code="05971", name="Hoàng Văn Thụ", level="COMMUNE",
                 parent_code="178"),
            Crosswalk(legacy_code="05971", v2025_code="06001", split_into=[])])
        session.flush()
        yield UnitOfWork(session, models.outbox)


def types(uow: UnitOfWork) -> list[str]:
    return [e.type for e in uow.events]


def outbox_rows(uow: UnitOfWork) -> int:
    return uow.session.scalar(select(func.count()).select_from(models.outbox))


def test_forming_a_team_and_its_members_raise_their_events(uow):
    team = handlers.form_team(uow, schemas.FormTeam(**FORMED))
    assert (team["commune_code"], team["v2025_code"]) == ("05971", "06001")
    added = handlers.add_mediator(uow, team["id"], mediator("Hoàng Thị Hoa"))
    handlers.recognise_mediator(uow, added["id"], schemas.Recognition(
        decision_number="12/QĐ-UBND", decision_date="2018-01-10"))
    handlers.elect_leader(uow, schemas.ElectLeader(
        team_id=team["id"], mediator_id=added["id"], elected_on="2018-01-12"))
    assert types(uow) == ["team.formed", "mediator.added", "mediator.recognised",
                          "team.leader_elected"]
    assert outbox_rows(uow) == 4  # each event is in the outbox, in the same transaction


def test_a_refused_command_raises_no_event(uow):
    team = handlers.form_team(uow, schemas.FormTeam(**FORMED))
    handlers.add_mediator(uow, team["id"], mediator("Hoàng Thị Hoa"))
    before = list(uow.events)
    with pytest.raises(Conflict):  # the same person twice in one team
        handlers.add_mediator(uow, team["id"], mediator("Hoàng Thị Hoa"))
    with pytest.raises(ValidationError):  # a district is not a commune
        handlers.form_team(uow, schemas.FormTeam(**{**FORMED, "commune_code": "178"}))
    assert uow.events == before


def test_an_import_buffers_its_events_into_one_write(uow):
    items = [{**FORMED, "mediators": [mediator(f"Hoàng Thị Hoa {n}").model_dump(),
                                      mediator(f"Lý Văn Sơn {n}", "MALE").model_dump()],
              "leader_index": 0} for n in (1, 2)]
    ids = handlers.import_teams(uow, schemas.ImportBatch(teams=items))
    assert len(ids) == 2
    assert types(uow).count("team.formed") == 2
    assert outbox_rows(uow) == len(uow.events) == 8


def test_an_import_with_a_bad_item_names_it(uow):
    bad = {**FORMED, "mediators": [mediator("Hoàng Thị Hoa").model_dump()], "leader_index": 3}
    with pytest.raises(ValidationError) as refused:
        handlers.import_teams(uow, schemas.ImportBatch(teams=[FORMED, bad]))
    assert refused.value.field == "teams.1.leader_index"


def test_dissolving_a_team_twice_is_refused(uow):
    team = handlers.form_team(uow, schemas.FormTeam(**FORMED))
    handlers.dissolve_team(uow, team["id"], date(2024, 5, 1))
    with pytest.raises(Conflict):
        handlers.dissolve_team(uow, team["id"], date(2024, 5, 2))
    assert types(uow) == ["team.formed", "team.dissolved"]
