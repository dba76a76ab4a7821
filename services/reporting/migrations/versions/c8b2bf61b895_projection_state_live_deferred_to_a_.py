"""projection state: live, deferred to a rebuild, or rebuilding

A first load defers the projections and builds them in bulk from the history at the
end (services/reporting/pipeline.py); the mode must survive a restart in between, or
the live consumers would resume on projections that miss the deferred events.

Revision ID: c8b2bf61b895
Revises: c3e2a7d9f403
"""

import sqlalchemy as sa
from alembic import op

revision = 'c8b2bf61b895'
down_revision = 'c3e2a7d9f403'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projection_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("projection_state")
