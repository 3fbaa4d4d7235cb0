"""The databases the tests run on, each built by `alembic upgrade head` once per run.

SQLite: the migrated file is a template that each test gets a copy of (a copy is about a
millisecond). PostgreSQL: the one database of the run is migrated once, and before each
test every table but alembic_version is emptied (TRUNCATE ... RESTART IDENTITY CASCADE)
and the rows the migrations wrote (the province table) are put back, so a test starts
from exactly what the migrations make, as on SQLite, without migrating again (a drop and
a migration cost about 0.4 s, the reset a few tens of milliseconds).

A test that needs an empty schema (the migration tests) asks for one: the next reset
migrates again. So does a reset that finds other tables or another revision than the
migration left, in case a test changed the schema without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from beian_desktop.models.database import make_engine, upgrade_to_head

LOCK_TIMEOUT = "10s"  # a connection a test left in a transaction fails the reset, not hangs it


def migrated_sqlite_template(path: Path) -> Path:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@dataclass(frozen=True)
class _Migrated:
    """What `alembic upgrade head` left in the database."""

    tables: frozenset[str]  # but alembic_version, which keeps its row
    version: str
    seed: tuple[tuple[Table, tuple[dict, ...]], ...]  # the rows written, parents first
    sequences: tuple[tuple[str, int], ...]  # the ones the migrations advanced


def worker_database(url: str, worker: str | None) -> str:
    """The PostgreSQL database of one pytest-xdist worker (`url`'s name + "_gw0", made
    if missing): workers that shared one would empty each other's tables mid-test."""
    if not worker:
        return url
    given = make_url(url)
    name = f"{given.database}_{worker}"
    engine = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


class MigratedPostgres:
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine = make_engine(url)
        self._migrated: _Migrated | None = None

    def reset(self) -> str:
        """The database as the migrations leave it; migrates only when it has to."""
        if self._migrated is not None and self._truncate_and_seed():
            return self.url
        self.empty_schema()
        upgrade_to_head(self._engine)
        self._migrated = self._take_stock()
        return self.url

    def empty_schema(self) -> str:
        """An empty public schema, for a test that runs the migrations itself."""
        self._migrated = None
        with self._engine.begin() as conn:
            self._set_lock_timeout(conn)
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        return self.url

    def dispose(self) -> None:
        self._engine.dispose()

    def _truncate_and_seed(self) -> bool:
        """False when the schema is no longer the migrated one."""
        migrated = self._migrated
        assert migrated is not None
        with self._engine.begin() as conn:
            tables = _tables(conn)
            if "alembic_version" not in tables or tables - {"alembic_version"} != migrated.tables:
                return False
            if _version(conn) != migrated.version:
                return False
            self._set_lock_timeout(conn)
            names = ", ".join(f'"{name}"' for name in sorted(migrated.tables))
            try:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            except OperationalError as error:
                raise RuntimeError(
                    f"the reset between tests could not empty the tables: {error}; "
                    f"other sessions: {_other_sessions(self._engine)}"
                ) from error
            for table, rows in migrated.seed:
                conn.execute(table.insert(), list(rows))
            for sequence, value in migrated.sequences:
                conn.execute(
                    text("SELECT setval(:sequence, :value)"), {"sequence": sequence, "value": value}
                )
        return True

    def _take_stock(self) -> _Migrated:
        with self._engine.connect() as conn:
            tables = _tables(conn) - {"alembic_version"}
            metadata = MetaData()
            metadata.reflect(conn, only=sorted(tables))
            seed = []
            for table in metadata.sorted_tables:  # parents before children
                rows = tuple(dict(row._mapping) for row in conn.execute(select(table)))
                if rows:
                    seed.append((table, rows))
            unowned = conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind = 'S' AND n.nspname = 'public' AND NOT EXISTS ("
                    "  SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))"
                )
            ).scalars()
            assert not list(unowned), "a sequence no table owns: RESTART IDENTITY misses it"
            sequences = conn.execute(
                text(
                    "SELECT sequencename, last_value FROM pg_sequences"
                    " WHERE schemaname = 'public' AND last_value IS NOT NULL"
                )
            ).all()
            return _Migrated(
                tables=tables,
                version=_version(conn),
                seed=tuple(seed),
                sequences=tuple((name, value) for name, value in sequences),
            )

    @staticmethod
    def _set_lock_timeout(conn) -> None:
        conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))


def _tables(conn) -> frozenset[str]:
    names = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
    return frozenset(names.scalars())


def _version(conn) -> str:
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def _other_sessions(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT pid, state, left(query, 120) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
