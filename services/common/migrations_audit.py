"""The audit trail's table as first created, shared by the three services' migrations
that add it (`audit_log`, services/common/audit.py). Frozen: a later change to the model
gets a migration of its own in each service."""

import sqlalchemy as sa
from alembic import op

from services.common.types import UTCDateTime


def create_audit_log() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32)),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("object_type", sa.String(32)),
        sa.Column("object_id", sa.String(64)),
        sa.Column("unit_code", sa.String(16)),
        sa.Column("geo_version", sa.String(8)),
        sa.Column("district_code", sa.String(16)),
        sa.Column("v2025_code", sa.String(16)),
        sa.Column("team_id", sa.String(64)),
        sa.Column("correlation_id", sa.String(64)),
        sa.Column("outcome", sa.String(32), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at", "id"])
    op.create_index("ix_audit_log_v2025", "audit_log", ["v2025_code", "at"])


def drop_audit_log() -> None:
    op.drop_table("audit_log")
