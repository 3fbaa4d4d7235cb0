"""deleted drafts: out of the requests' total and of the search index

A draft the ISP deletes stays a row of `requests`, in state `deleted` (the state is a
plain string column: no CHECK constraint or enum to widen). The filings list leaves
deleted requests out unless its state filter asks for them, so:

- `request_total`, the list's count with no filter (revision 0008), counts only the
  requests that are not deleted: its insert and delete triggers count those, and a
  new trigger follows a request's state into and out of `deleted` (per row, with a
  WHEN clause, so the other state changes do not even call it).
- `filing_search` (revision 0009) drops a request's row when it is deleted, so no
  fragment finds it; its refresh triggers only UPDATE rows that exist, so a later
  change to a shared subject or website does not bring the row back.

No request is deleted before this revision, so there is nothing to backfill. The
downgrade puts the old triggers back and recounts the total over every request;
the search rows of requests deleted meanwhile are not rebuilt (they were deleted
drafts).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LIVE = "state <> 'deleted'"

# -- PostgreSQL: revision 0008's statement triggers count only what is not deleted -------
PG_COUNTS = {
    "request_total_added": "requests + (SELECT count(*) FROM changed WHERE {live})",
    "request_total_removed": "requests - (SELECT count(*) FROM changed WHERE {live})",
}
PG_FUNCTIONS = {
    "request_total_deleted": """BEGIN
        UPDATE request_total SET requests = requests
            + CASE WHEN NEW.state = 'deleted' THEN -1 ELSE 1 END;
        RETURN NULL;
    END""",
    "filing_search_deleted": """BEGIN
        DELETE FROM filing_search WHERE request_id = NEW.id;
        RETURN NULL;
    END""",
}
PG_TRIGGERS = {
    "request_total_deleted": "AFTER UPDATE OF state ON requests FOR EACH ROW"
    " WHEN ((OLD.state = 'deleted') IS DISTINCT FROM (NEW.state = 'deleted'))"
    " EXECUTE FUNCTION request_total_deleted()",
    "filing_search_deleted": "AFTER UPDATE OF state ON requests FOR EACH ROW"
    " WHEN (NEW.state = 'deleted' AND OLD.state IS DISTINCT FROM 'deleted')"
    " EXECUTE FUNCTION filing_search_deleted()",
}

# -- SQLite: revision 0008's row triggers, with a WHEN ----------------------------------
SQLITE_COUNTS = {
    "request_total_added": "AFTER INSERT ON requests WHEN new.state <> 'deleted' BEGIN"
    " UPDATE request_total SET requests = requests + 1; END",
    "request_total_removed": "AFTER DELETE ON requests WHEN old.state <> 'deleted' BEGIN"
    " UPDATE request_total SET requests = requests - 1; END",
}
SQLITE_OLD_COUNTS = {
    "request_total_added": "AFTER INSERT ON requests BEGIN"
    " UPDATE request_total SET requests = requests + 1; END",
    "request_total_removed": "AFTER DELETE ON requests BEGIN"
    " UPDATE request_total SET requests = requests - 1; END",
}
SQLITE_TRIGGERS = {
    "request_total_deleted": "AFTER UPDATE OF state ON requests"
    " WHEN (old.state = 'deleted') IS NOT (new.state = 'deleted') BEGIN"
    " UPDATE request_total SET requests = requests"
    " + CASE WHEN new.state = 'deleted' THEN -1 ELSE 1 END; END",
    "filing_search_deleted": "AFTER UPDATE OF state ON requests"
    " WHEN new.state = 'deleted' AND old.state IS NOT 'deleted' BEGIN"
    " DELETE FROM filing_search WHERE request_id = new.id; END",
}


def _pg_count_functions(live: str) -> None:
    for name, total in PG_COUNTS.items():
        where = total.format(live=live)
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN UPDATE request_total SET requests = {where}; RETURN NULL; END $$"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_count_functions(LIVE)
        for name, body in PG_FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$")
        for name, event in PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {event}")
    else:
        for name, body in SQLITE_COUNTS.items():
            op.execute(f"DROP TRIGGER {name}")
            op.execute(f"CREATE TRIGGER {name} {body}")
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(f"UPDATE request_total SET requests = (SELECT count(*) FROM requests WHERE {LIVE})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON requests")
        for name in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
        _pg_count_functions("true")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        for name, body in SQLITE_OLD_COUNTS.items():
            op.execute(f"DROP TRIGGER {name}")
            op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("UPDATE request_total SET requests = (SELECT count(*) FROM requests)")
