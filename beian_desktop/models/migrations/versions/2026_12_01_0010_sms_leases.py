"""sms leases: an epoch per claim, and the message fixed at its first claim

`lease_epoch` is bumped at every claim of an intent; an outcome is recorded only by
the lease owner of that epoch, so a dispatcher whose claim was taken over cannot
record over the one that took it. `message_enc` keeps the message as first rendered
(encrypted: its text holds the code), so every try sends the same bytes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sms_intents") as batch:
        batch.add_column(sa.Column("lease_epoch", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("message_enc", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sms_intents") as batch:
        batch.drop_column("message_enc")
        batch.drop_column("lease_epoch")
