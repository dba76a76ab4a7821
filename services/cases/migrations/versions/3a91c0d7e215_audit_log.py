"""cases: audit_log, the audit trail (services/common/audit.py)

Revision ID: 3a91c0d7e215
Revises: dda7f8ca1d9b
"""

from services.common.migrations_audit import create_audit_log, drop_audit_log

revision = '3a91c0d7e215'
down_revision = 'dda7f8ca1d9b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_log()


def downgrade() -> None:
    drop_audit_log()
