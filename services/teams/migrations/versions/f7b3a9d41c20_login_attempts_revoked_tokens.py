"""teams: login_attempts (the login throttle) and revoked_tokens (logout, revocation)

Revision ID: f7b3a9d41c20
Revises: b16146eed9d2
"""
from alembic import op
import sqlalchemy as sa

from services.common.types import UTCDateTime

revision = 'f7b3a9d41c20'
down_revision = 'b16146eed9d2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )
    for column in ("username", "address", "at"):
        op.create_index(f"ix_login_attempts_{column}", "login_attempts", [column])
    op.create_table(
        "revoked_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("token_id", sa.String(64), nullable=True),
        sa.Column("issued_before", UTCDateTime(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_revoked_tokens_expires_at", "revoked_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_table("revoked_tokens")
    op.drop_table("login_attempts")
