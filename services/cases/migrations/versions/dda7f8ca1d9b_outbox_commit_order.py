"""outbox: commit order

`history` paged by `seq` alone could pass a row whose transaction committed after a
later `seq` was read (services/common/outbox.py). On PostgreSQL each row now records its
transaction's id (a column default), and `history` reads in (tx_id, seq) order up to the
oldest running transaction; rows written before are 0, in `seq` order. SQLite commits one
transaction at a time and leaves it NULL.

Revision ID: dda7f8ca1d9b
Revises: b7e3d9a4c512
"""

import sqlalchemy as sa
from alembic import op

revision = 'dda7f8ca1d9b'
down_revision = 'b7e3d9a4c512'
branch_labels = None
depends_on = None

TX_ID = "pg_current_xact_id()::text::bigint"


def upgrade() -> None:
    op.add_column("outbox", sa.Column("tx_id", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE outbox SET tx_id = 0")
        op.execute(f"ALTER TABLE outbox ALTER COLUMN tx_id SET DEFAULT ({TX_ID})")
    op.create_index("ix_outbox_commit_order", "outbox", ["tx_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_outbox_commit_order", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("tx_id")
