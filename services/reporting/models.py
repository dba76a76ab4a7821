"""Tables of the reporting service (projections are fed only by events)."""

from sqlalchemy import MetaData

from services.common.outbox import processed_events_table

metadata = MetaData()
processed_events = processed_events_table(metadata)
