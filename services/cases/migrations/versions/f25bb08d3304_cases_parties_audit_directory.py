"""cases, parties, audit, directory

Revision ID: f25bb08d3304
Revises: 2f61142f74f5
Create Date: 2026-11-26 11:09:23.621874
"""

import sqlalchemy as sa
from alembic import op


revision = 'f25bb08d3304'
down_revision = '2f61142f74f5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('team_id', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('geo_version', sa.String(length=8), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('v2025_code', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mediator_ids', sa.JSON(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('start_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('overdue_raised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('agreement_text', sa.Text(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('referred_to', sa.String(length=200), nullable=True),
    sa.Column('referred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('followed_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('carried_out', sa.Boolean(), nullable=True),
    sa.Column('follow_up_note', sa.Text(), nullable=True),
    sa.Column('escalation_kind', sa.String(length=20), nullable=True),
    sa.Column('escalation_reason', sa.Text(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_step_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_district_code'), ['district_code'], unique=False)
        batch_op.create_index('ix_cases_status_deadline', ['status', 'start_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_team_id'), ['team_id'], unique=False)
        batch_op.create_index('ix_cases_team_received', ['team_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_v2025_code'), ['v2025_code'], unique=False)

    op.create_table('directory_mediators',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('team_id', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('directory_mediators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_mediators_team_id'), ['team_id'], unique=False)

    op.create_table('directory_teams',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('commune_code', sa.String(length=16), nullable=False),
    sa.Column('geo_version', sa.String(length=8), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('v2025_code', sa.String(length=16), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('leader_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('case_details',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_table('case_transitions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('actor_role', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_transitions_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_transitions_case_id'))

    op.drop_table('case_transitions')
    op.drop_table('case_details')
    op.drop_table('directory_teams')
    with op.batch_alter_table('directory_mediators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_mediators_team_id'))

    op.drop_table('directory_mediators')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_v2025_code'))
        batch_op.drop_index('ix_cases_team_received')
        batch_op.drop_index(batch_op.f('ix_cases_team_id'))
        batch_op.drop_index('ix_cases_status_deadline')
        batch_op.drop_index(batch_op.f('ix_cases_district_code'))
        batch_op.drop_index(batch_op.f('ix_cases_commune_code'))

    op.drop_table('cases')
