"""sms bookkeeping: a sent intent marked until what its send means is written

A dispatcher records each SMS's outcome as soon as it is answered, and writes what a
send means beyond the intent (the verifier's last send, the round's first send, the
`sms_sent` event) a moment later, for many SMS at once. `bookkeeping_due` is TRUE on a
sent intent until then and NULL after; a partial index finds the few marked rows, so
the next dispatcher finishes what a killed one left. Every intent sent before this
revision was booked with its send: nothing to backfill.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

MARKED = sa.text("bookkeeping_due IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("sms_intents") as batch:
        batch.add_column(sa.Column("bookkeeping_due", sa.Boolean(), nullable=True))
    op.create_index(
        "ix_sms_intents_bookkeeping_due",
        "sms_intents",
        ["id"],
        sqlite_where=MARKED,
        postgresql_where=MARKED,
    )


def downgrade() -> None:
    op.drop_index("ix_sms_intents_bookkeeping_due", table_name="sms_intents")
    with op.batch_alter_table("sms_intents") as batch:
        batch.drop_column("bookkeeping_due")
