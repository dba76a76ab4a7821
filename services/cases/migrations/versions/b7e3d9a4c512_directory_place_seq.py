"""directory_teams: place_seq, the team event the directory's place came from

A team's current commune can now be corrected (`team.placement_corrected`): the place
of the newest team event wins, whatever order the queues deliver them in.

Revision ID: b7e3d9a4c512
Revises: a1c0e5b7d201
"""
from alembic import op
import sqlalchemy as sa

revision = 'b7e3d9a4c512'
down_revision = 'a1c0e5b7d201'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("directory_teams") as batch:
        batch.add_column(sa.Column("place_seq", sa.Integer(), nullable=False,
                                   server_default="-1"))


def downgrade() -> None:
    with op.batch_alter_table("directory_teams") as batch:
        batch.drop_column("place_seq")
