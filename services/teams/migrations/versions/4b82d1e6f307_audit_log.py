"""teams: audit_log, the audit trail (services/common/audit.py)

Revision ID: 4b82d1e6f307
Revises: f7b3a9d41c20
"""

from services.common.migrations_audit import create_audit_log, drop_audit_log

revision = '4b82d1e6f307'
down_revision = 'f7b3a9d41c20'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_log()


def downgrade() -> None:
    drop_audit_log()
