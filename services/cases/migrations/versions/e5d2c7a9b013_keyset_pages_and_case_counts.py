"""cases: an index per list filter for keyset pages, and the case counters

`list_cases` / `list_overdue` page by keyset (services/cases/paging.py): each filter +
ORDER BY received_at DESC, id DESC is one index range. The single-column indexes those
replace (team, LEGACY commune, district, V2025 commune, status + deadline) go.
`case_counts` (services/cases/counts.py) holds the number of cases per (team, places,
status, category) and per (places, status, category) under team '', filled here from
the cases there are.

Revision ID: e5d2c7a9b013
Revises: c4e8a1f2d3b6
"""
from alembic import op
import sqlalchemy as sa

revision = 'e5d2c7a9b013'
down_revision = 'c4e8a1f2d3b6'
branch_labels = None
depends_on = None

LEGACY = sa.text("geo_version = 'LEGACY'")
ASSIGNED = sa.text("status = 'ASSIGNED'")
PAGES = {
    "ix_cases_received_page": ["received_at", "id"],
    "ix_cases_v2025_page": ["v2025_code", "received_at", "id"],
    "ix_cases_v2025_status_page": ["v2025_code", "status", "received_at", "id"],
    "ix_cases_district_page": ["district_code", "received_at", "id"],
    "ix_cases_team_page": ["team_id", "received_at", "id"],
    "ix_cases_status_page": ["status", "received_at", "id"],
}
REPLACED = {
    "ix_cases_team_id": ["team_id"], "ix_cases_team_received": ["team_id", "received_at"],
    "ix_cases_commune_code": ["commune_code"], "ix_cases_district_code": ["district_code"],
    "ix_cases_v2025_code": ["v2025_code"],
    "ix_cases_status_deadline": ["status", "start_deadline"],
}
KEY = ["team_id", "v2025_code", "legacy_commune", "district_code", "status", "category"]
BACKFILL = """
INSERT INTO case_counts (team_id, v2025_code, legacy_commune, district_code, status,
                         category, n)
SELECT {team}, COALESCE(v2025_code, ''),
       CASE WHEN geo_version = 'LEGACY' THEN commune_code ELSE '' END,
       COALESCE(district_code, ''), status, category, COUNT(*)
FROM cases
GROUP BY {group}COALESCE(v2025_code, ''),
         CASE WHEN geo_version = 'LEGACY' THEN commune_code ELSE '' END,
         COALESCE(district_code, ''), status, category
"""


def upgrade() -> None:
    for name, columns in PAGES.items():
        op.create_index(name, "cases", columns)
    op.create_index("ix_cases_legacy_commune_page", "cases",
                    ["commune_code", "received_at", "id"],
                    postgresql_where=LEGACY, sqlite_where=LEGACY)
    op.create_index("ix_cases_assigned", "cases", ["start_deadline", "id"],
                    postgresql_include=["v2025_code", "geo_version", "commune_code",
                                        "district_code", "team_id"],
                    postgresql_where=ASSIGNED, sqlite_where=ASSIGNED)
    for name in REPLACED:
        op.drop_index(name, table_name="cases")
    op.create_table(
        "case_counts",
        *(sa.Column(name, sa.String(64 if name == "team_id" else 16), nullable=False)
          for name in KEY),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY),
    )
    for column, name in (("legacy_commune", "legacy_commune"), ("district_code", "district"),
                         ("status", "status")):
        op.create_index(f"ix_case_counts_{name}", "case_counts", ["team_id", column])
    op.execute(BACKFILL.format(team="team_id", group="team_id, "))
    op.execute(BACKFILL.format(team="''", group=""))  # every team's rows (services/cases/counts.py)


def downgrade() -> None:
    op.drop_table("case_counts")
    for name, columns in REPLACED.items():
        op.create_index(name, "cases", columns)
    for name in [*PAGES, "ix_cases_legacy_commune_page", "ix_cases_assigned"]:
        op.drop_index(name, table_name="cases")
