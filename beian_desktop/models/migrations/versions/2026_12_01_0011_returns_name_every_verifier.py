"""returns name every verifier; verifiers a passed round no longer needs are not_needed

Whom a return names is read from its round's verifiers (rules/returns.py), so the
one verifier a request kept (`requests.returned_verifier_id`) goes. Rounds that passed
with quorum "any one" before this revision left their other verifiers pending; they
are closed as not needed, when their round ended.

The column goes with a plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later, and
PostgreSQL), not a batch copy of the table: copying `requests` on SQLite would drop
the triggers that other revisions keep on it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE verifiers SET state = 'not_needed', ended_at = ("
        "SELECT ended_at FROM verification_rounds WHERE verification_rounds.id = round_id)"
        " WHERE state = 'pending' AND round_id IN ("
        "SELECT id FROM verification_rounds WHERE state = 'passed')"
    )
    op.execute("ALTER TABLE requests DROP COLUMN returned_verifier_id")


def downgrade() -> None:
    op.execute("ALTER TABLE requests ADD COLUMN returned_verifier_id INTEGER")
    # Put down to the first verifier the return names, as before this revision.
    op.execute(
        "UPDATE requests SET returned_verifier_id = ("
        "SELECT min(v.id) FROM verifiers v JOIN verification_rounds r ON r.id = v.round_id"
        " WHERE r.id = (SELECT max(id) FROM verification_rounds WHERE request_id = requests.id)"
        " AND v.state = CASE requests.return_reason WHEN 'tries_used_up' THEN 'failed'"
        " ELSE 'expired' END)"
        " WHERE state = 'returned'"
    )
    op.execute("UPDATE verifiers SET state = 'pending' WHERE state = 'not_needed'")
