"""Fixtures of every folder: a fresh database built by the migrations, a manual clock,
keys and the fake gateway.

The migrated SQLite file is built once per session and copied per test, so every
test still starts from exactly what `alembic upgrade head` makes. With
BEIAN_TEST_PG_URL set, the engine tests also run on that PostgreSQL server.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from beian_desktop.models.database import make_engine, upgrade_to_head
from beian_desktop.rules.clock import ManualClock
from beian_desktop.services.beian import Beian
from beian_desktop.services.secret_keys import SecretKeys

from defaults import START

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
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _fresh_postgres() -> str:
    assert PG_URL
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path) -> str:
    if request.param == "postgresql":
        return _fresh_postgres()
    path = tmp_path / "beian.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(database_url: str, keys: SecretKeys, clock: ManualClock) -> Iterator[Beian]:
    beian = Beian.open(database_url=database_url, keys=keys, clock=clock)
    yield beian
    beian.close()


@pytest.fixture
def gateway():
    from beian_desktop.tools.fake_gateway import FakeGatewayServer

    server = FakeGatewayServer().start()
    yield server
    server.stop()
