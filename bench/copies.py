"""Working copies of a data set and bare driver connections, on SQLite and PostgreSQL.

Benchmarks that change data (the code check, the sweep, dispatch, the load test) work
on a copy, so the data set stays as generated and each side of a comparison starts
from the same state. On SQLite a copy is a file; on PostgreSQL a database made from
the data set's with `CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY` (a file copy
too, without writing it all to the WAL), dropped afterwards.

The baselines talk to the bare driver (`sqlite3`, `psycopg`): `bare_connection`
opens one the way the app's engine opens its own (the same pragmas on SQLite), and
`bare_sql` writes a statement in the driver's placeholders.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bench.generate import Prepared, stored_utc

SQLITE_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL")


def _maintenance(url: str) -> str:
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


@contextmanager
def working_copy(made: Prepared, folder: Path, name: str) -> Iterator[str]:
    """The URL of a fresh copy of the data set, removed after."""
    if made.kind == "sqlite":
        path = made.copy_to(folder / f"{name}.sqlite3")
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    source = make_url(made.url).database
    target = f"{source}_{name}"[:63]
    engine = create_engine(_maintenance(made.url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{target}" TEMPLATE "{source}" STRATEGY FILE_COPY')
    try:
        yield make_url(made.url).set(database=target).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        engine.dispose()


def copy_of(url: str, folder: Path, name: str) -> str:
    """A second copy of a working copy (made before either is changed): on
    PostgreSQL no one may be connected to `url` while it is copied."""
    if url.startswith("sqlite"):
        source = Path(make_url(url).database or "")
        target = folder / f"{name}.sqlite3"
        conn = sqlite3.connect(source)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        target.write_bytes(source.read_bytes())
        return f"sqlite:///{target}"
    source_db = make_url(url).database
    target = f"{source_db}_{name}"[:63]
    engine = create_engine(_maintenance(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.exec_driver_sql(
            f'CREATE DATABASE "{target}" TEMPLATE "{source_db}" STRATEGY FILE_COPY'
        )
    engine.dispose()
    return make_url(url).set(database=target).render_as_string(hide_password=False)


def drop_copy(url: str) -> None:
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(_maintenance(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    engine.dispose()


def bare_connection(url: str) -> Any:
    """A DB-API connection on the bare driver. SQLite: autocommit mode with the app's
    pragmas, so a statement list that begins with `BEGIN IMMEDIATE` (as the app's do)
    opens its own transaction; PostgreSQL: psycopg's default, a transaction from the
    first statement to `commit()`, as SQLAlchemy drives it."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        for pragma in SQLITE_PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        return conn
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(plain)


def bare_sql(url: str, sql: str) -> str:
    """`?` and `:name` placeholders (sqlite3's) in psycopg's style on PostgreSQL."""
    if url.startswith("sqlite"):
        return sql
    return re.sub(r":(\w+)", r"%(\1)s", sql.replace("?", "%s"))


def stored_time(url: str, moment: datetime) -> object:
    """A moment as a bare statement compares it with the stored column."""
    return stored_utc(moment) if url.startswith("sqlite") else moment
