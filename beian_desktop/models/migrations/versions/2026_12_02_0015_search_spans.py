"""search spans: a rare fragment's newest matches read without reading all of them

The first page of a fragment that few requests hold read every match's row from
filing_search (a GIN index gives no order and no ids, only the rows to look at: 2,761
of them for a four-character name in a million requests) to keep the newest hundred.
The GIN indexes now also hold each row's span of 10,000 request ids (btree_gin's
operator class for the integer), so a page asks first for the matches in the newest
spans and reads only those rows (services/reading/fragments.py, `SPAN`); the rest are
read only if the newest spans hold too few. A condition on names or pairs alone is
served by these indexes as before, so they replace the two of 0009.

btree_gin, like pg_trgm, is a trusted extension: created when missing by a user
allowed to CREATE in the database; otherwise an administrator runs `CREATE EXTENSION
btree_gin;` in it first (README.md). SQLite's FTS5 tables already give a fragment's
matches newest first: nothing changes there.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

SPAN = 10_000  # services/reading/fragments.py's SPAN: the queries name this expression


def _create_btree_gin() -> None:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'").first():
        return
    allowed = bind.exec_driver_sql(
        "SELECT has_database_privilege(current_database(), 'CREATE')"
    ).scalar()
    if not allowed:
        raise RuntimeError(
            "The filings search needs PostgreSQL's btree_gin extension, and this user may "
            "not create it. An administrator runs, in this database: CREATE EXTENSION btree_gin;"
        )
    op.execute("CREATE EXTENSION btree_gin")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _create_btree_gin()
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the GIN builds in fewer passes
    op.execute(
        "CREATE INDEX ix_filing_search_trigram_span ON filing_search"
        f" USING gin (names gin_trgm_ops, (request_id / {SPAN}))"
    )
    op.execute(
        "CREATE INDEX ix_filing_search_pairs_span ON filing_search"
        f" USING gin (pairs, (request_id / {SPAN}))"
    )
    op.execute("DROP INDEX ix_filing_search_trigram")
    op.execute("DROP INDEX ix_filing_search_pairs")
    op.execute("ANALYZE filing_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    op.execute(
        "CREATE INDEX ix_filing_search_trigram ON filing_search USING gin (names gin_trgm_ops)"
    )
    op.execute("CREATE INDEX ix_filing_search_pairs ON filing_search USING gin (pairs)")
    op.execute("DROP INDEX ix_filing_search_trigram_span")
    op.execute("DROP INDEX ix_filing_search_pairs_span")
    # btree_gin stays: other objects in this database may use it
