"""teams: placement_assumed (a split LEGACY commune's default V2025 target was assumed)

Existing teams of the split communes took the crosswalk's default target without saying
so: they are marked assumed, so their commune officer sees the warning and can correct it.

Revision ID: e4a8c1d2b903
Revises: b2d1f6c8e302
"""
from alembic import op
import sqlalchemy as sa

revision = 'e4a8c1d2b903'
down_revision = 'b2d1f6c8e302'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("placement_assumed", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    bind = op.get_bind()
    crosswalk = sa.table("unit_crosswalk", sa.column("legacy_code"),
                         sa.column("split_into", sa.JSON))
    split = [code for code, targets in bind.execute(sa.select(crosswalk)) if targets]
    if split:
        teams = sa.table("teams", sa.column("geo_version"), sa.column("commune_code"),
                         sa.column("placement_assumed", sa.Boolean))
        bind.execute(sa.update(teams).where(teams.c.geo_version == "LEGACY",
                                            teams.c.commune_code.in_(split))
                     .values(placement_assumed=True))


def downgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("placement_assumed")
