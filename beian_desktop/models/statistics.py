"""The planner's statistics: the list queries (services/reading/) are plain keyset
queries and leave the choice of index to the database, which needs to know how the
rows are spread to choose well.

PostgreSQL's autovacuum runs ANALYZE by itself as tables change. SQLite keeps no
statistics until ANALYZE runs, and 3.40's `PRAGMA optimize` only looks at the tables
the closing connection has queried, so `refresh` decides for it: at every start,
ANALYZE runs when the requests table has doubled or halved since the last one (or
has never been measured; a bulk load, such as bench/generate.py, analyses what it
wrote itself). It reads every index whole: with an `analysis_limit` SQLite reads
only the first entries of each, and an index led by a column of six values (state,
province) then looks as if each value had a thousand rows, which sends even a plain
ORDER BY id through a sort of the whole table. So it is rare, and reads every index
of the database. A small database is left without statistics: any plan is fast
there, and without them SQLite assumes big tables and reads indexes in order.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

MIN_ROWS = 1000  # below this many requests, no statistics are gathered
DRIFT = 2.0  # grown or shrunk by this factor since the last ANALYZE: measure again


def analyze(connection: Connection) -> None:
    """Gathers the statistics now, from every row."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA analysis_limit=0")
    connection.exec_driver_sql("ANALYZE")


def _measured_rows(connection: Connection) -> int | None:
    """The requests' row count the last ANALYZE saw (None: never measured)."""
    has_stats = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if has_stats is None:
        return None
    stat = connection.exec_driver_sql(
        "SELECT stat FROM sqlite_stat1 WHERE tbl = 'requests' AND idx = 'ix_requests_state_id'"
    ).scalar()
    return int(stat.split()[0]) if stat else None


def refresh(engine: Engine) -> bool:
    """ANALYZE if SQLite's statistics are missing or stale; True if it ran."""
    if engine.dialect.name != "sqlite":
        return False  # autovacuum's job
    with engine.connect() as connection:
        if (
            connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'requests'"
            ).first()
            is None
        ):
            return False  # not migrated yet
        rows = connection.exec_driver_sql("SELECT count(*) FROM requests").scalar() or 0
        measured = _measured_rows(connection)
        connection.rollback()
    if rows < MIN_ROWS:
        return False
    if measured is not None and measured / DRIFT <= rows <= measured * DRIFT:
        return False
    with engine.begin() as connection:
        analyze(connection)
    return True
