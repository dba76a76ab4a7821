"""The shared unit of work's row buffer, on an in-memory SQLite database."""

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, create_engine, select
from sqlalchemy.orm import Session

from services.common.events import new_event
from services.common.outbox import outbox_table
from services.common.unit_of_work import UnitOfWork

metadata = MetaData()
parents = Table("parents", metadata, Column("id", Integer, primary_key=True))
children = Table("children", metadata, Column("id", Integer, primary_key=True),
                 Column("parent_id", ForeignKey("parents.id"), nullable=False))
outbox = outbox_table(metadata)


def an_event():
    return new_event("user.created", {"username": "u", "role": "VIEWER", "scope_code": None,
                                      "scope_version": None, "team_id": None})


@pytest.fixture
def uow():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as session:
        yield UnitOfWork(session, outbox)


def rows(uow, table) -> list:
    return uow.session.execute(select(table)).all()


def test_buffered_rows_are_written_at_the_end_parents_first(uow):
    with uow.buffered(metadata):
        uow.insert(children, {"id": 1, "parent_id": 7})  # queued before its parent
        uow.insert(parents, {"id": 7})
        uow.raise_event(an_event())
        assert rows(uow, parents) == rows(uow, outbox) == []
    assert rows(uow, children) == [(1, 7)] and rows(uow, parents) == [(7,)]
    assert len(rows(uow, outbox)) == len(uow.events) == 1


def test_rollback_to_a_mark_drops_one_items_rows_and_events(uow):
    with uow.buffered(metadata):
        uow.insert(parents, {"id": 1})
        mark = uow.mark()
        uow.insert(parents, {"id": 2})
        uow.raise_event(an_event())
        uow.rollback_to(mark)
    assert rows(uow, parents) == [(1,)]
    assert (rows(uow, outbox), uow.events) == ([], [])


def test_a_failure_inside_the_buffer_writes_nothing(uow):
    with pytest.raises(RuntimeError), uow.buffered(metadata):
        uow.insert(parents, {"id": 1})
        raise RuntimeError("an item broke")
    assert rows(uow, parents) == []
