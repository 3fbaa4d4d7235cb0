"""claim order index: due intents walked in claim order, ties included

A claim takes the first due intents by (due_at, id). The index on (status, due_at)
gave them by due_at only, so every intent sharing a due time (the noon resend makes
thousands at 12:00:00) was read and sorted by id before the first could be taken; with
id in the index a claim reads only the rows it takes, on SQLite and PostgreSQL alike.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sms_intents_status_due_at_id", "sms_intents", ["status", "due_at", "id"])
    op.drop_index("ix_sms_intents_status_due_at", table_name="sms_intents")


def downgrade() -> None:
    op.create_index("ix_sms_intents_status_due_at", "sms_intents", ["status", "due_at"])
    op.drop_index("ix_sms_intents_status_due_at_id", table_name="sms_intents")
