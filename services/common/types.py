"""Column types every service shares."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A point in time, stored and read back as timezone-aware UTC on every database.

    PostgreSQL keeps the instant (timestamptz). SQLite stores text and drops the offset
    without converting (08:00+07:00 would be kept as 08:00) and reads back naive values,
    which fail an `AwareDatetime` event field or a comparison with an aware one: store
    UTC, and read it back as UTC. The DDL stays `DateTime(timezone=True)`."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no place in the database: give it a "
                             "timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
