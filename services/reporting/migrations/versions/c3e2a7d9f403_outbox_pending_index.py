"""outbox: index only the rows still to relay

The relay asks for the oldest unsent rows (`WHERE sent_at IS NULL ORDER BY seq`); the
primary key scan it used skipped every row ever sent, so it slowed as the history grew
(1.7 s a batch at 600k sent rows). A partial index holds just the pending rows.

Revision ID: c3e2a7d9f403
Revises: 2284bb1385e8
"""
from alembic import op
import sqlalchemy as sa

revision = 'c3e2a7d9f403'
down_revision = '2284bb1385e8'
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
