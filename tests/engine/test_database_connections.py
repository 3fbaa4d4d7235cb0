"""How the app holds its PostgreSQL connections (models/database.py): a pooled
connection the server dropped while it stood idle is replaced before anyone uses it;
one in steady use costs no ping; and a read leaves no transaction open on the shared
server between its statements (an "idle in transaction" session holds back VACUUM).
SQLite's reads keep their transaction: there it is the snapshot the read sees.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from beian_desktop.models.database import make_engine
from beian_desktop.services.beian import Beian


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's pool and transactions")
    return database_url


@pytest.fixture
def observer(pg_url: str) -> Iterator[Engine]:
    """A connection of its own, outside the pool under test."""
    engine = create_engine(pg_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def state_of(observer: Engine, pid: int) -> str:
    with observer.connect() as conn:
        return str(
            conn.execute(
                text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar_one()
        )


def test_a_connection_the_server_dropped_while_idle_is_replaced(pg_url, observer):
    engine = make_engine(pg_url, ping_after_idle=0.0)  # every checkout is "after idle"
    try:
        dropped = backend_pid(engine)
        with observer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": dropped})
        # No OperationalError: the ping found it gone and the pool connected again.
        assert backend_pid(engine) != dropped
    finally:
        engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(pg_url, monkeypatch):
    engine = make_engine(pg_url)  # the default: pinged after half a minute idle
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    try:
        first = backend_pid(engine)
        assert backend_pid(engine) == first  # the same pooled connection, twice
        assert pings == []
    finally:
        engine.dispose()


def test_a_read_leaves_no_transaction_open_between_its_statements(app: Beian, observer):
    with app.ctx.read_only() as db:
        pid = int(db.execute(text("SELECT pg_backend_pid()")).scalar_one())
        assert state_of(observer, pid) == "idle"
    with app.ctx.unit_of_work() as db:  # a write's statements are one transaction
        pid = int(db.execute(text("SELECT pg_backend_pid()")).scalar_one())
        assert state_of(observer, pid) == "idle in transaction"


def test_a_read_on_sqlite_is_one_snapshot(database_url: str, app: Beian):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's read transaction")
    with app.ctx.read_only() as db:
        db.execute(text("SELECT count(*) FROM requests"))
        assert db.connection().connection.dbapi_connection.in_transaction  # type: ignore[union-attr]


def test_no_statement_is_kept_prepared_for_any_values(app: Beian, pg_url):
    """psycopg prepares a statement run five times and PostgreSQL may then keep one
    plan for any values: a page by a date range took 7 ms instead of 1 once it did.
    The app's connections prepare nothing, so each run is planned for its values."""
    with app.ctx.read_only() as db:
        for _ in range(12):
            db.execute(text("SELECT count(*) FROM requests WHERE id > :n"), {"n": 0})
        kept = db.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
    assert kept == 0
