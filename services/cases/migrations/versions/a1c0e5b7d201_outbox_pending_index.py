"""outbox: index only the rows still to relay

The relay asks for the oldest unsent rows (`WHERE sent_at IS NULL ORDER BY seq`); the
primary key scan it used skipped every row ever sent, so it slowed as the history grew
(1.7 s a batch at 600k sent rows). A partial index holds just the pending rows.

Revision ID: a1c0e5b7d201
Revises: f25bb08d3304
"""
from alembic import op
import sqlalchemy as sa

revision = 'a1c0e5b7d201'
down_revision = 'f25bb08d3304'
branch_labels = None
depends_on = None

PENDING = sa.text("sent_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_outbox_pending", "outbox", ["seq"], postgresql_where=PENDING,
                    sqlite_where=PENDING)
    op.drop_index("ix_outbox_sent_at", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    op.drop_index("ix_outbox_pending", table_name="outbox")
