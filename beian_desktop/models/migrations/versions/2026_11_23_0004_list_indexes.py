"""list indexes: what the read services (services/reading/) page and search by

- requests: one id-ordered range per state, business type and province, so the
  filings list pages a million requests by keyset (`id < :last ORDER BY id DESC`)
  without sorting; (business_type, id) replaces the single-column business_type
  index it makes redundant. (state, state_changed_at, id) serves the returned list
  (newest first) and the bureau queue (oldest first). The submission-date index
  gains the id, so the ids of a date range come from the index alone.
- subjects.principal_id, websites.principal_id: a search by phone or ID number goes
  principal -> subject / website -> request.
- audit_events(action, at): returns and passed rounds per day for the statistics.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_requests_business_type", table_name="requests")
    op.create_index("ix_requests_business_type_id", "requests", ["business_type", "id"])
    op.create_index("ix_requests_state_id", "requests", ["state", "id"])
    op.drop_index("ix_requests_submitted_at", table_name="requests")
    op.create_index("ix_requests_submitted_at", "requests", ["submitted_at", "id"])
    op.create_index("ix_requests_province_code_id", "requests", ["province_code", "id"])
    op.create_index(
        "ix_requests_state_state_changed_at", "requests", ["state", "state_changed_at", "id"]
    )
    op.create_index("ix_subjects_principal_id", "subjects", ["principal_id"])
    op.create_index("ix_websites_principal_id", "websites", ["principal_id"])
    op.create_index("ix_audit_events_action_at", "audit_events", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_action_at", table_name="audit_events")
    op.drop_index("ix_websites_principal_id", table_name="websites")
    op.drop_index("ix_subjects_principal_id", table_name="subjects")
    op.drop_index("ix_requests_state_state_changed_at", table_name="requests")
    op.drop_index("ix_requests_province_code_id", table_name="requests")
    op.drop_index("ix_requests_submitted_at", table_name="requests")
    op.create_index("ix_requests_submitted_at", "requests", ["submitted_at"])
    op.drop_index("ix_requests_state_id", table_name="requests")
    op.drop_index("ix_requests_business_type_id", table_name="requests")
    op.create_index("ix_requests_business_type", "requests", ["business_type"])
