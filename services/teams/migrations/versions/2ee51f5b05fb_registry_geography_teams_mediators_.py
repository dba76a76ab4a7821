"""registry: geography, teams, mediators, pilot, users

Revision ID: 2ee51f5b05fb
Revises: d0823639eb97
Create Date: 2026-11-26 11:08:21.251602
"""

import sqlalchemy as sa
from alembic import op

from services.teams import geography


revision = '2ee51f5b05fb'
down_revision = 'd0823639eb97'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inspections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('geo_version', sa.String(length=8), nullable=False),
    sa.Column('unit_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('body', sa.String(length=200), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspections_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_unit_code'), ['unit_code'], unique=False)

    op.create_table('pilot_programmes',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('target_rate', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )
    op.create_table('teams',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('geo_version', sa.String(length=8), nullable=False),
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('v2025_code', sa.String(length=16), nullable=True),
    sa.Column('village', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('leader_id', sa.String(length=36), nullable=True),
    sa.Column('formed_on', sa.Date(), nullable=False),
    sa.Column('dissolved_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_teams_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_teams_v2025_code'), ['v2025_code'], unique=False)

    op.create_table('unit_crosswalk',
    sa.Column('legacy_code', sa.String(length=16), nullable=False),
    sa.Column('v2025_code', sa.String(length=16), nullable=False),
    sa.Column('split_into', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('legacy_code')
    )
    with op.batch_alter_table('unit_crosswalk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_crosswalk_v2025_code'), ['v2025_code'], unique=False)

    op.create_table('units',
    sa.Column('geo_version', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('geo_version', 'code')
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_parent_code'), ['parent_code'], unique=False)

    op.create_table('mediators',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('person_key', sa.String(length=240), nullable=False),
    sa.Column('citizen_id', sa.String(length=16), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('gender', sa.String(length=8), nullable=False),
    sa.Column('year_of_birth', sa.Integer(), nullable=True),
    sa.Column('ethnicity', sa.String(length=40), nullable=True),
    sa.Column('mass_organisation', sa.String(length=100), nullable=True),
    sa.Column('elected_on', sa.Date(), nullable=True),
    sa.Column('election_share', sa.Float(), nullable=True),
    sa.Column('decision_number', sa.String(length=40), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_issued_by', sa.String(length=200), nullable=True),
    sa.Column('recognition_late', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'person_key')
    )
    with op.batch_alter_table('mediators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediators_person_key'), ['person_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediators_team_id'), ['team_id'], unique=False)

    op.create_table('pilot_communes',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=False),
    sa.Column('selected_on', sa.Date(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['year'], ['pilot_programmes.year'], ),
    sa.PrimaryKeyConstraint('year', 'commune_code')
    )
    op.create_table('pilot_teams',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('selected_on', sa.Date(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.ForeignKeyConstraint(['year'], ['pilot_programmes.year'], ),
    sa.PrimaryKeyConstraint('year', 'team_id')
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('compliant', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_team_id'), ['team_id'], unique=False)

    op.create_table('users',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('scope_code', sa.String(length=16), nullable=True),
    sa.Column('scope_version', sa.String(length=8), nullable=True),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.PrimaryKeyConstraint('username')
    )
    op.create_table('commendations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('mediator_id', sa.String(length=36), nullable=True),
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediators.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('commendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commendations_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_commendations_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_commendations_team_id'), ['team_id'], unique=False)

    op.create_table('contests',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mediator_id', sa.String(length=36), nullable=False),
    sa.Column('contest', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('result', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediators.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contests_mediator_id'), ['mediator_id'], unique=False)

    op.create_table('trainings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mediator_id', sa.String(length=36), nullable=False),
    sa.Column('training', sa.String(length=200), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediators.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainings_mediator_id'), ['mediator_id'], unique=False)


    # Data migration: the geography file and the 2018 pilot programme (Plan 73).
    geography.load(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainings_mediator_id'))

    op.drop_table('trainings')
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contests_mediator_id'))

    op.drop_table('contests')
    with op.batch_alter_table('commendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commendations_team_id'))
        batch_op.drop_index(batch_op.f('ix_commendations_district_code'))
        batch_op.drop_index(batch_op.f('ix_commendations_commune_code'))

    op.drop_table('commendations')
    op.drop_table('users')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_team_id'))

    op.drop_table('reviews')
    op.drop_table('pilot_teams')
    op.drop_table('pilot_communes')
    with op.batch_alter_table('mediators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediators_team_id'))
        batch_op.drop_index(batch_op.f('ix_mediators_person_key'))

    op.drop_table('mediators')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_parent_code'))
        batch_op.drop_index(batch_op.f('ix_units_level'))

    op.drop_table('units')
    with op.batch_alter_table('unit_crosswalk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_crosswalk_v2025_code'))

    op.drop_table('unit_crosswalk')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_v2025_code'))
        batch_op.drop_index(batch_op.f('ix_teams_district_code'))
        batch_op.drop_index(batch_op.f('ix_teams_commune_code'))

    op.drop_table('teams')
    op.drop_table('pilot_programmes')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspections_unit_code'))
        batch_op.drop_index(batch_op.f('ix_inspections_district_code'))

    op.drop_table('inspections')
