"""cases: when and why a case's personal data was erased, and the retention job's index

Personal data (parties, the facts, every free text) is erased a retention period after a
case closes, or at the commune officer's request (services/cases/personal_data.py).

Revision ID: c4e8a1f2d3b6
Revises: 3a91c0d7e215
"""
from alembic import op
import sqlalchemy as sa

revision = 'c4e8a1f2d3b6'
down_revision = '3a91c0d7e215'
branch_labels = None
depends_on = None

HELD = sa.text("personal_data_erased_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("personal_data_erased_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("erasure_reason_code", sa.String(20), nullable=True))
        batch.add_column(sa.Column("erasure_reason", sa.String(500), nullable=True))
    op.create_index("ix_cases_personal_data_held", "cases", ["last_step_at"],
                    postgresql_where=HELD, sqlite_where=HELD)


def downgrade() -> None:
    op.drop_index("ix_cases_personal_data_held", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("erasure_reason")
        batch.drop_column("erasure_reason_code")
        batch.drop_column("personal_data_erased_at")
