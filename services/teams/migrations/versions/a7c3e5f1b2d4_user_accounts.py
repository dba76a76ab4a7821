"""teams: officers' accounts (full name, disabled accounts, one-time passwords)

Existing users keep working: active, no password change pending.

Revision ID: a7c3e5f1b2d4
Revises: 4b82d1e6f307
"""
from alembic import op
import sqlalchemy as sa

from services.common.types import UTCDateTime

revision = 'a7c3e5f1b2d4'
down_revision = '4b82d1e6f307'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("full_name", sa.String(200), nullable=False,
                                     server_default=""))
    op.add_column("users", sa.Column("active", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    op.add_column("users", sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("users", sa.Column("password_changed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        for column in ("password_changed_at", "must_change_password", "active", "full_name"):
            batch.drop_column(column)
