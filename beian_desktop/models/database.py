"""The engine, the session factory, and bringing a database up to the newest schema.

SQLite (the embedded default) gets WAL, foreign keys and a busy timeout on every
connection, and `BEGIN IMMEDIATE` for each transaction: a writer takes the write lock
up front, so two workstations' conditional UPDATEs queue instead of failing with
"database is locked" half-way through a unit of work.

PostgreSQL's pooled connections are pinged only after standing idle (`PING_AFTER_IDLE`),
and its reads run without BEGIN and COMMIT (make_read_session_factory): on a list that
answers in a few milliseconds, each round trip saved is a tenth of it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, CursorResult, Engine, Result, create_engine, event
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

READ_ONLY = "beian_read_only"
# A pooled PostgreSQL connection idle this long is pinged before it is handed out: a
# server restart or a firewall's idle cut leaves it dead. One in steady use is not.
PING_AFTER_IDLE = 30.0  # seconds
_IDLE_SINCE = "beian.idle_since"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(
    url: str, *, echo: bool = False, ping_after_idle: float = PING_AFTER_IDLE
) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(
        url,
        echo=echo,
        # The reads' AUTOCOMMIT (make_read_session_factory) is sound under READ
        # COMMITTED only: the level is the app's, not the server's default.
        isolation_level="READ COMMITTED",
        # psycopg prepares a statement run five times, and PostgreSQL may then keep one
        # plan for any values: a page by a date range took 7 ms instead of 1 once its
        # plan did. Unprepared, each run is planned for its own values.
        connect_args={"prepare_threshold": None},
    )
    _ping_when_idle(engine, ping_after_idle)
    return engine


def _ping_when_idle(engine: Engine, seconds: float) -> None:
    """SQLAlchemy's `pool_pre_ping`, for a connection idle `seconds` or more: a dead
    one is replaced and, as pre-ping does, every connection pooled before it with it
    (the server went away). Idle is counted by both clocks: the monotonic one stops
    while a laptop sleeps, the wall clock may be set back."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = (time.monotonic(), time.time())

    @event.listens_for(engine, "checkout")
    def _on_checkout(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None:
            return  # new: connected a moment ago
        idle = max(time.monotonic() - since[0], time.time() - since[1])
        if idle < seconds:
            return  # in use a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise InvalidatePoolError("the pooled connection is gone") from error
        if not alive:
            raise InvalidatePoolError("the pooled connection is gone")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the driver, open transactions (see BEGIN below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Reads (see make_read_session_factory) take no write lock, so a list being
        # scrolled never holds up a check or a send on another workstation.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for queries that write nothing: same pool; on SQLite a plain (deferred)
    BEGIN, on PostgreSQL no transaction at all: under READ COMMITTED each statement
    reads a snapshot of its own in a transaction or out of one, so BEGIN and COMMIT
    would be two round trips that buy nothing."""
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    return sessionmaker(engine.execution_options(**options), expire_on_commit=False)


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. `Session.execute` is typed to return a
    plain Result whatever the statement; for one of these it is a CursorResult."""
    return cast(CursorResult[Any], result).rowcount


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Run at every start and by every test: the migrations are the schema."""
    command.upgrade(alembic_config(engine), "head")
