"""Fixtures of every folder: a database built by the migrations, a manual clock, keys and
the fake gateway.

Each test gets a database that is exactly what `alembic upgrade head` makes, migrated
once per run (support/databases.py): on SQLite a copy of the migrated template file, on
PostgreSQL (with BEIAN_TEST_PG_URL set, the engine tests run there as well) the run's
database emptied and re-seeded. The app opens it without running Alembic again
(`upgrade=False`); the tests of the upgrade itself are in engine/test_migrations.py and
take `fresh_database_url`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from beian_desktop.rules.clock import ManualClock
from beian_desktop.services.beian import Beian
from beian_desktop.services.secret_keys import SecretKeys

from databases import MigratedPostgres, migrated_sqlite_template, worker_database
from defaults import START
from staff import FAST_HASHER

PG_URL = os.environ.get("BEIAN_TEST_PG_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
if os.environ.get("BEIAN_REQUIRE_PG") and not PG_URL:
    raise RuntimeError(
        "BEIAN_REQUIRE_PG is set but BEIAN_TEST_PG_URL is not: CI must test PostgreSQL"
    )


@pytest.fixture(scope="session")
def keys() -> SecretKeys:
    return SecretKeys(bytes(range(32)))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory.mktemp("template") / "template.sqlite3")


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[MigratedPostgres]:
    assert PG_URL
    postgres = MigratedPostgres(worker_database(PG_URL, os.environ.get("PYTEST_XDIST_WORKER")))
    yield postgres
    postgres.dispose()


def _sqlite_copy(tmp_path: Path, template: Path) -> str:
    path = tmp_path / "beian.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path) -> str:
    """A migrated database of the test's own."""
    if request.param == "postgresql":
        return request.getfixturevalue("migrated_postgres").reset()
    return _sqlite_copy(tmp_path, migrated_sqlite)


@pytest.fixture(params=BACKENDS)
def fresh_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path
) -> str:
    """For the migration tests: PostgreSQL with an empty schema that the test migrates
    from scratch; on SQLite a copy of the template, which the migrations built from an
    empty file at the start of the run (test_migrations also migrates empty files)."""
    if request.param == "postgresql":
        return request.getfixturevalue("migrated_postgres").empty_schema()
    return _sqlite_copy(tmp_path, migrated_sqlite)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(database_url: str, keys: SecretKeys, clock: ManualClock) -> Iterator[Beian]:
    beian = Beian.open(
        database_url=database_url, keys=keys, clock=clock, upgrade=False, hasher=FAST_HASHER
    )
    yield beian
    beian.close()


@pytest.fixture
def gateway():
    from beian_desktop.tools.fake_gateway import FakeGatewayServer

    server = FakeGatewayServer().start()
    yield server
    server.stop()
