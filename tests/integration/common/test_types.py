"""Every service's datetime columns read back as aware UTC, on SQLite as on PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import MetaData, insert, select
from sqlalchemy.exc import StatementError

from services.common.db import make_engine
from services.common.outbox import outbox_table

HANOI = timezone(timedelta(hours=7))


@pytest.fixture(params=["sqlite", "postgresql"])
def outbox(request, tmp_path):
    url = (f"sqlite:///{tmp_path}/types.db" if request.param == "sqlite"
           else request.getfixturevalue("new_database")("types"))
    engine, table = make_engine(url), outbox_table(MetaData())
    table.metadata.create_all(engine)
    yield engine, table
    engine.dispose()


def test_an_offset_is_kept_as_the_same_instant_in_utc(outbox):
    engine, table = outbox
    at = datetime(2026, 11, 27, 8, 0, tzinfo=HANOI)
    with engine.begin() as connection:
        connection.execute(insert(table), {"event_id": "e1", "event_type": "t", "body": {},
                                           "created_at": at})
        stored = connection.scalar(select(table.c.created_at))
        an_hour_later = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # SQLite compares text
        earlier = connection.scalar(
            select(table.c.event_id).where(table.c.created_at < an_hour_later))
    assert stored == at and stored.tzinfo == UTC and stored.hour == 1
    assert earlier == "e1"


def test_a_naive_datetime_is_refused(outbox):
    engine, table = outbox
    with engine.begin() as connection, pytest.raises(StatementError, match="naive"):
        connection.execute(insert(table), {"event_id": "e2", "event_type": "t", "body": {},
                                           "created_at": datetime(2026, 11, 27, 8, 0)})
