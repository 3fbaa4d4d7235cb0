"""sorted list index: the filings list sorted by deadline, soonest first

The open rounds' (state, deadline) index gains the request id, so the filings list
sorted by deadline (services/reading/, `_SortedQuery`) reads a page of
requests in (deadline, request id) order from the index alone and pages by keyset on
both. The scheduler's expiry query (state = 'open' AND deadline <= now) reads the same
index as before. Every other sort of the list walks an index 0004 made already:
(submitted_at, id), subjects.holder_name with requests.subject_id, and the id-ordered
ranges per state, business type and province.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_verification_rounds_state_deadline", table_name="verification_rounds")
    op.create_index(
        "ix_verification_rounds_state_deadline",
        "verification_rounds",
        ["state", "deadline", "request_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_verification_rounds_state_deadline", table_name="verification_rounds")
    op.create_index(
        "ix_verification_rounds_state_deadline", "verification_rounds", ["state", "deadline"]
    )
