"""reporting: audit_log, the audit trail (services/common/audit.py)

Revision ID: 5c73e2f8a419
Revises: 147e21c4a66b
"""

from services.common.migrations_audit import create_audit_log, drop_audit_log

revision = '5c73e2f8a419'
down_revision = '147e21c4a66b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_log()


def downgrade() -> None:
    drop_audit_log()
