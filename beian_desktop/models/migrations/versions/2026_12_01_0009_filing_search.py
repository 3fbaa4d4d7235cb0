"""filing search: a fragment of a subject name, website name or domain finds a request

`filing_search` holds, per request, the names the search box looks in: the subject's
holder name, then the name and domains of each website the request concerns, each
followed by a newline. Triggers keep it in step with every write to requests,
subjects.holder_name, websites.name, domains and request_websites, whoever writes
(the services, an approval applying a change, a bulk load); this revision fills it
for the requests already there.

- SQLite: two FTS5 tables. `filing_search_trigram` (the trigram tokenizer, its
  content read from filing_search) finds a phrase of three characters or more.
  Two characters are no trigram (SQLite 3.40's two-character LIKE over such a
  table matches nothing), so `filing_search_pairs` (contentless, no positions)
  holds every pair of characters of each line, lower-cased (ASCII), written as the
  hex of its UTF-8 so that any pair is one token of the default tokenizer. The
  pairs are computed by SQL over `filing_search_positions` (1 to 65,536: the pairs
  of a request's first 65,536 characters of names), so no connection needs a
  function of ours to write. Triggers on filing_search keep both tables in step.
- PostgreSQL: pg_trgm's GIN index (gin_trgm_ops) on filing_search.names for ILIKE
  '%fragment%' (three characters or more; pg_trgm takes no trigram from two), and
  a GIN index on `pairs`, a column generated from names (filing_search_bigrams:
  the lower-cased pairs of characters of each line), for `@>` a pair. Stored, not
  an index on the expression: a page newest first reads the table backwards and
  checks each row's pairs, which must not mean computing them again. pg_trgm is
  created when missing: it is a trusted extension, so a user allowed to CREATE in
  the database may; otherwise an administrator runs `CREATE EXTENSION pg_trgm;` in
  it first (README.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# -- the names of a request, one a line (`{rid}`: the request id's expression) ----------
SQLITE_NAMES = """(
    SELECT s.holder_name || char(10) || coalesce((
        SELECT group_concat(w.name || char(10) || coalesce((
            SELECT group_concat(d.name || char(10), '') FROM domains d WHERE d.website_id = w.id
        ), ''), '')
        FROM request_websites rw JOIN websites w ON w.id = rw.website_id
        WHERE rw.request_id = r.id
    ), '')
    FROM requests r JOIN subjects s ON s.id = r.subject_id
    WHERE r.id = {rid}
)"""

POSITIONS = 65_536
# The pairs of characters of each line of `{names}`, as tokens (see above).
SQLITE_PAIRS = """(
    SELECT coalesce(group_concat(hex(lower(substr({names}, n, 2))), ' '), '')
    FROM filing_search_positions
    WHERE n < length({names}) AND instr(substr({names}, n, 2), char(10)) = 0
)"""


def _sqlite_refresh(where: str) -> str:
    """Recomputes the names of the requests `where` picks (a predicate on request_id)."""
    names = SQLITE_NAMES.format(rid="filing_search.request_id")
    return f"UPDATE filing_search SET names = {names} WHERE {where};"


SQLITE_TRIGGERS = {
    # filing_search -> its FTS5 tables (each told what changed: neither reads the row)
    "filing_search_ai": f"""AFTER INSERT ON filing_search BEGIN
        INSERT INTO filing_search_trigram (rowid, names) VALUES (new.request_id, new.names);
        INSERT INTO filing_search_pairs (rowid, pairs)
            VALUES (new.request_id, {SQLITE_PAIRS.format(names="new.names")});
    END""",
    "filing_search_ad": f"""AFTER DELETE ON filing_search BEGIN
        INSERT INTO filing_search_trigram (filing_search_trigram, rowid, names)
            VALUES ('delete', old.request_id, old.names);
        INSERT INTO filing_search_pairs (filing_search_pairs, rowid, pairs)
            VALUES ('delete', old.request_id, {SQLITE_PAIRS.format(names="old.names")});
    END""",
    "filing_search_au": f"""AFTER UPDATE OF names ON filing_search
    WHEN old.names IS NOT new.names BEGIN
        INSERT INTO filing_search_trigram (filing_search_trigram, rowid, names)
            VALUES ('delete', old.request_id, old.names);
        INSERT INTO filing_search_pairs (filing_search_pairs, rowid, pairs)
            VALUES ('delete', old.request_id, {SQLITE_PAIRS.format(names="old.names")});
        INSERT INTO filing_search_trigram (rowid, names) VALUES (new.request_id, new.names);
        INSERT INTO filing_search_pairs (rowid, pairs)
            VALUES (new.request_id, {SQLITE_PAIRS.format(names="new.names")});
    END""",
    # the tables the names come from -> filing_search
    "filing_search_requests_ai": f"""AFTER INSERT ON requests BEGIN
        INSERT INTO filing_search (request_id, names)
            VALUES (new.id, {SQLITE_NAMES.format(rid="new.id")});
    END""",
    "filing_search_requests_au": f"""AFTER UPDATE OF subject_id ON requests
    WHEN old.subject_id IS NOT new.subject_id BEGIN
        {_sqlite_refresh("request_id = new.id")}
    END""",
    "filing_search_subjects_au": f"""AFTER UPDATE OF holder_name ON subjects
    WHEN old.holder_name IS NOT new.holder_name BEGIN
        {_sqlite_refresh("request_id IN (SELECT id FROM requests WHERE subject_id = new.id)")}
    END""",
    "filing_search_websites_au": f"""AFTER UPDATE OF name ON websites
    WHEN old.name IS NOT new.name BEGIN
        {
        _sqlite_refresh(
            "request_id IN (SELECT request_id FROM request_websites WHERE website_id = new.id)"
        )
    }
    END""",
    "filing_search_domains_ai": f"""AFTER INSERT ON domains BEGIN
        {
        _sqlite_refresh(
            "request_id IN (SELECT request_id FROM request_websites"
            " WHERE website_id = new.website_id)"
        )
    }
    END""",
    "filing_search_domains_ad": f"""AFTER DELETE ON domains BEGIN
        {
        _sqlite_refresh(
            "request_id IN (SELECT request_id FROM request_websites"
            " WHERE website_id = old.website_id)"
        )
    }
    END""",
    "filing_search_domains_au": f"""AFTER UPDATE OF name, website_id ON domains BEGIN
        {
        _sqlite_refresh(
            "request_id IN (SELECT request_id FROM request_websites"
            " WHERE website_id IN (old.website_id, new.website_id))"
        )
    }
    END""",
    "filing_search_links_ai": f"""AFTER INSERT ON request_websites BEGIN
        {_sqlite_refresh("request_id = new.request_id")}
    END""",
    "filing_search_links_ad": f"""AFTER DELETE ON request_websites BEGIN
        {_sqlite_refresh("request_id = old.request_id")}
    END""",
    "filing_search_links_au": f"""AFTER UPDATE ON request_websites BEGIN
        {_sqlite_refresh("request_id IN (old.request_id, new.request_id)")}
    END""",
}

# -- PostgreSQL -----------------------------------------------------------------------
# plpgsql, not sql: PostgreSQL plans a sql function's query at every call it cannot
# inline, and these run once per row written (and per row an index build reads).
PG_FUNCTIONS = [
    """CREATE FUNCTION filing_search_names(request integer) RETURNS text
    LANGUAGE plpgsql STABLE AS $$
    BEGIN
        RETURN (
            SELECT s.holder_name || E'\\n' || coalesce((
                SELECT string_agg(w.name || E'\\n' || coalesce((
                    SELECT string_agg(d.name || E'\\n', '' ORDER BY d.position, d.id)
                    FROM domains d WHERE d.website_id = w.id
                ), ''), '' ORDER BY w.id)
                FROM request_websites rw JOIN websites w ON w.id = rw.website_id
                WHERE rw.request_id = r.id
            ), '')
            FROM requests r JOIN subjects s ON s.id = r.subject_id
            WHERE r.id = request
        );
    END $$""",
    """CREATE FUNCTION filing_search_bigrams(names text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        folded text := lower(names);
        pairs text[] := '{}';
        pair text;
    BEGIN
        FOR n IN 1 .. char_length(folded) - 1 LOOP
            pair := substr(folded, n, 2);
            IF strpos(pair, E'\\n') = 0 THEN
                pairs := pairs || pair;
            END IF;
        END LOOP;
        RETURN pairs;
    END $$""",
    """CREATE FUNCTION filing_search_refresh(requests integer[]) RETURNS void
    LANGUAGE sql AS $$
        UPDATE filing_search SET names = filing_search_names(request_id)
        WHERE request_id = ANY(requests)
    $$""",
    """CREATE FUNCTION filing_search_on_requests() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO filing_search (request_id, names)
            VALUES (NEW.id, filing_search_names(NEW.id));
        ELSE
            PERFORM filing_search_refresh(ARRAY[NEW.id]);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION filing_search_on_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM filing_search_refresh(ARRAY(SELECT id FROM requests WHERE subject_id = NEW.id));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION filing_search_on_websites() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM filing_search_refresh(ARRAY(
            SELECT request_id FROM request_websites WHERE website_id = NEW.id));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION filing_search_on_domains() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM filing_search_refresh(ARRAY(
            SELECT request_id FROM request_websites
            WHERE website_id IN (
                CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.website_id END,
                CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.website_id END)));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION filing_search_on_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM filing_search_refresh(ARRAY[OLD.request_id]);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM filing_search_refresh(ARRAY[NEW.request_id]);
        END IF;
        RETURN NULL;
    END $$""",
]
# The names of every request at once (filing_search_names, set-based).
PG_BACKFILL = """
INSERT INTO filing_search (request_id, names)
WITH sites AS (
    SELECT w.id, w.name || E'\\n'
        || coalesce(string_agg(d.name || E'\\n', '' ORDER BY d.position, d.id), '') AS names
    FROM websites w LEFT JOIN domains d ON d.website_id = w.id
    GROUP BY w.id
), linked AS (
    SELECT rw.request_id, string_agg(sites.names, '' ORDER BY sites.id) AS names
    FROM request_websites rw JOIN sites ON sites.id = rw.website_id
    GROUP BY rw.request_id
)
SELECT r.id, s.holder_name || E'\\n' || coalesce(linked.names, '')
FROM requests r JOIN subjects s ON s.id = r.subject_id
LEFT JOIN linked ON linked.request_id = r.id
"""
PG_TRIGGERS = {
    "filing_search_requests": "AFTER INSERT OR UPDATE OF subject_id ON requests FOR EACH ROW"
    " EXECUTE FUNCTION filing_search_on_requests()",
    "filing_search_subjects": "AFTER UPDATE OF holder_name ON subjects FOR EACH ROW"
    " WHEN (OLD.holder_name IS DISTINCT FROM NEW.holder_name)"
    " EXECUTE FUNCTION filing_search_on_subjects()",
    "filing_search_websites": "AFTER UPDATE OF name ON websites FOR EACH ROW"
    " WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION filing_search_on_websites()",
    "filing_search_domains": "AFTER INSERT OR UPDATE OR DELETE ON domains FOR EACH ROW"
    " EXECUTE FUNCTION filing_search_on_domains()",
    "filing_search_links": "AFTER INSERT OR UPDATE OR DELETE ON request_websites FOR EACH ROW"
    " EXECUTE FUNCTION filing_search_on_links()",
}
PG_FUNCTION_NAMES = [
    "filing_search_on_links()",
    "filing_search_on_domains()",
    "filing_search_on_websites()",
    "filing_search_on_subjects()",
    "filing_search_on_requests()",
    "filing_search_refresh(integer[])",
    "filing_search_bigrams(text)",
    "filing_search_names(integer)",
]
PG_TRIGGER_TABLES = {
    "filing_search_requests": "requests",
    "filing_search_subjects": "subjects",
    "filing_search_websites": "websites",
    "filing_search_domains": "domains",
    "filing_search_links": "request_websites",
}


def _create_pg_trgm() -> None:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        return
    allowed = bind.exec_driver_sql(
        "SELECT has_database_privilege(current_database(), 'CREATE')"
    ).scalar()
    if not allowed:
        raise RuntimeError(
            "The filings search needs PostgreSQL's pg_trgm extension, and this user may not "
            "create it. An administrator runs, in this database: CREATE EXTENSION pg_trgm;"
        )
    op.execute("CREATE EXTENSION pg_trgm")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _create_pg_trgm()
    op.create_table(
        "filing_search",
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey(
                "requests.id", name="fk_filing_search_request_id_requests", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("names", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("request_id", name="pk_filing_search"),
    )
    if dialect == "postgresql":
        for function in PG_FUNCTIONS:
            op.execute(function)
        op.execute(PG_BACKFILL)
        op.execute(
            "ALTER TABLE filing_search ADD COLUMN pairs text[]"
            " GENERATED ALWAYS AS (filing_search_bigrams(names)) STORED"
        )
        op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the GIN builds in fewer passes
        op.execute(
            "CREATE INDEX ix_filing_search_trigram ON filing_search USING gin (names gin_trgm_ops)"
        )
        op.execute("CREATE INDEX ix_filing_search_pairs ON filing_search USING gin (pairs)")
        for name, body in PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("ANALYZE filing_search")
        return
    op.execute(
        "INSERT INTO filing_search (request_id, names)"
        f" SELECT q.id, {SQLITE_NAMES.format(rid='q.id')} FROM requests q"
    )
    op.execute(
        "CREATE VIRTUAL TABLE filing_search_trigram USING fts5(names, content='filing_search',"
        " content_rowid='request_id', tokenize='trigram', columnsize=0)"
    )
    op.execute("INSERT INTO filing_search_trigram (filing_search_trigram) VALUES ('rebuild')")
    op.execute("CREATE TABLE filing_search_positions (n INTEGER PRIMARY KEY)")
    op.execute(
        f"WITH RECURSIVE at(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM at WHERE n < {POSITIONS})"
        " INSERT INTO filing_search_positions (n) SELECT n FROM at"
    )
    op.execute(
        "CREATE VIRTUAL TABLE filing_search_pairs USING fts5(pairs, content='',"
        " detail='none', columnsize=0)"
    )
    op.execute(
        "INSERT INTO filing_search_pairs (rowid, pairs)"
        f" SELECT request_id, {SQLITE_PAIRS.format(names='names')} FROM filing_search"
    )
    for table in ("filing_search_trigram", "filing_search_pairs"):
        op.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("PRAGMA analysis_limit=0")
    op.execute("ANALYZE filing_search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in PG_TRIGGER_TABLES.items():
            op.execute(f"DROP TRIGGER {name} ON {table}")
        op.drop_table("filing_search")
        for function in PG_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION {function}")
        return  # pg_trgm stays: other databases' objects may use it
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    for table in ("filing_search_pairs", "filing_search_positions", "filing_search_trigram"):
        op.execute(f"DROP TABLE {table}")
    op.drop_table("filing_search")
