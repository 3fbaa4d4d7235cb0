"""request total: how many requests there are, kept by triggers

The filings list's status bar counts the requests the filter matches, and with no
filter that is every request: a count of the whole table, which SQLite reads off
its b-tree pages but PostgreSQL counts entry by entry, one index entry per request
(more than the whole first screen may take). `request_total` holds that count,
one row kept exact by triggers on requests: per row on SQLite, per statement on
PostgreSQL (a COPY of thousands of rows adds its transition table's count once).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PG_FUNCTIONS = {
    "request_total_added": "UPDATE request_total SET requests = requests"
    " + (SELECT count(*) FROM changed)",
    "request_total_removed": "UPDATE request_total SET requests = requests"
    " - (SELECT count(*) FROM changed)",
    "request_total_emptied": "UPDATE request_total SET requests = 0",
}
PG_TRIGGERS = {
    "request_total_added": "AFTER INSERT ON requests REFERENCING NEW TABLE AS changed",
    "request_total_removed": "AFTER DELETE ON requests REFERENCING OLD TABLE AS changed",
    "request_total_emptied": "AFTER TRUNCATE ON requests",
}
SQLITE_TRIGGERS = {
    "request_total_added": "AFTER INSERT ON requests BEGIN"
    " UPDATE request_total SET requests = requests + 1; END",
    "request_total_removed": "AFTER DELETE ON requests BEGIN"
    " UPDATE request_total SET requests = requests - 1; END",
}


def upgrade() -> None:
    op.create_table(
        "request_total",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_request_total_one_row"),
        sa.PrimaryKeyConstraint("id", name="pk_request_total"),
    )
    op.execute("INSERT INTO request_total (id, requests) SELECT 1, count(*) FROM requests")
    if op.get_bind().dialect.name == "postgresql":
        for name, body in PG_FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN {body}; RETURN NULL; END $$"
            )
        for name, event in PG_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} {event} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        return
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON requests")
        for name in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("request_total")
