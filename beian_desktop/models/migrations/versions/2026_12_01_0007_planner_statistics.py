"""planner statistics: the list queries leave the choice of index to the database

The filings list's queries are plain keyset queries (services/reading/), so the
database's planner needs statistics of how the rows are spread. ANALYZE gathers
them now, from every row (a sample, SQLite's analysis_limit, misleads it: see
models/statistics.py); afterwards the app (at start on SQLite, when the requests
have doubled or halved) and PostgreSQL's autovacuum keep them current. An empty
database gets no statistics at all.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit=0")
    op.execute("ANALYZE")


def downgrade() -> None:
    pass  # statistics are no schema: nothing to take back
