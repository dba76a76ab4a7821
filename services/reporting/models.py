"""Tables of the reporting service. Projections are fed only by events; `budgets` is
the one table officers write, and `dead_letters` / `hotspot_episodes` are bookkeeping.
A rebuild clears and refills `PROJECTIONS` only."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from services.common.audit import audit_table
from services.common.outbox import outbox_table, processed_events_table
from services.common.types import UTCDateTime

metadata = MetaData()
audit_log = audit_table(metadata)
processed_events = processed_events_table(metadata)
outbox = outbox_table(metadata)


def _place(nullable_commune: bool = False) -> list[Column]:
    return [
        Column("commune_code", String(16), nullable=nullable_commune),
        Column("geo_version", String(8), nullable=False),
        Column("district_code", String(16), index=True),
        Column("v2025_code", String(16), index=True),
    ]


case_state = Table(
    "case_state", metadata,
    Column("case_id", String(64), primary_key=True),
    Column("team_id", String(64), nullable=False),
    Column("category", String(16), nullable=False),
    *_place(),
    Column("status", String(16), nullable=False),
    Column("status_seq", Integer, nullable=False),
    Column("ref_seq", Integer, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("received_known", Boolean, nullable=False),
    Column("escalated_on", Date),
    Column("closed_on", Date),
)

# Cases per unit (both layouts, every level) × month of receipt × category × status.
unit_counts = Table(
    "unit_counts", metadata,
    Column("layout", String(8), primary_key=True),
    Column("unit_code", String(16), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("month", Integer, primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("status", String(16), primary_key=True),
    Column("count", Integer, nullable=False),
)

team_counts = Table(
    "team_counts", metadata,
    Column("team_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("month", Integer, primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("status", String(16), primary_key=True),
    Column("count", Integer, nullable=False),
)

# Per commune and day: cases received and cases escalated (hot spots read these).
daily_counts = Table(
    "daily_counts", metadata,
    Column("geo_version", String(8), primary_key=True),
    Column("commune_code", String(16), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("count", Integer, nullable=False),
)

# Where each commune belongs, learned from events (for roll-ups of budgets and hot spots).
places = Table(
    "places", metadata,
    Column("geo_version", String(8), primary_key=True),
    Column("commune_code", String(16), primary_key=True),
    Column("district_code", String(16)),
    Column("v2025_code", String(16)),
)

team_state = Table(
    "team_state", metadata,
    Column("team_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("name", String(200)),
    *_place(),
    Column("formed_on", Date),
    Column("dissolved_on", Date),
)

mediator_state = Table(
    "mediator_state", metadata,
    Column("mediator_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("team_id", String(64), nullable=False),
    *_place(),
    Column("added_on", Date),
    Column("left_on", Date),
)

pilot_teams = Table(
    "pilot_teams", metadata,
    Column("team_id", String(64), primary_key=True),
    Column("programme_year", Integer, primary_key=True),
    *_place(),
    Column("selected_on", Date, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("target_rate", Float, nullable=False),
)

pilot_communes = Table(
    "pilot_communes", metadata,
    Column("programme_year", Integer, primary_key=True),
    Column("commune_code", String(16), primary_key=True),
    Column("district_code", String(16), nullable=False),
    Column("selected_on", Date, nullable=False),
    Column("on_time", Boolean, nullable=False),
)

# Thù lao: one entry per case closed as successful or unsuccessful.
remuneration = Table(
    "remuneration", metadata,
    Column("case_id", String(64), primary_key=True),
    Column("team_id", String(64), nullable=False, index=True),
    *_place(),
    Column("closed_on", Date, nullable=False),
    Column("year", Integer, nullable=False, index=True),
    Column("outcome", String(16), nullable=False),
    Column("amount", BigInteger, nullable=False),
)

budgets = Table(
    "budgets", metadata,
    Column("geo_version", String(8), primary_key=True),
    Column("commune_code", String(16), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("amount", BigInteger, nullable=False),
    Column("set_by", String(100), nullable=False),
    Column("set_at", UTCDateTime(), nullable=False),
)

dead_letters = Table(
    "dead_letters", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("event_id", String(64)),
    Column("event_type", String(64)),
    Column("body", JSON, nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("replayed_at", UTCDateTime(), index=True),
)

hotspot_episodes = Table(
    "hotspot_episodes", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("geo_version", String(8), nullable=False),
    Column("commune_code", String(16), nullable=False),
    Column("district_code", String(16)),
    Column("category", String(16), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("ended_on", Date),
    Column("window_count", Integer, nullable=False),
    Column("reason", String(16), nullable=False),
)

# One row (id 1) once set: LIVE, DEFERRED or REBUILDING (services/reporting/pipeline.py).
projection_state = Table(
    "projection_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("mode", String(16), nullable=False),
    Column("since", UTCDateTime(), nullable=False),
)

PROJECTIONS = [case_state, unit_counts, team_counts, daily_counts, places, team_state,
               mediator_state, pilot_teams, pilot_communes, remuneration, processed_events]
