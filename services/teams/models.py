"""Tables of the teams service."""

from sqlalchemy import MetaData

from services.common.outbox import outbox_table, processed_events_table

metadata = MetaData()
outbox = outbox_table(metadata)
processed_events = processed_events_table(metadata)
