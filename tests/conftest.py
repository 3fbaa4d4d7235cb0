"""Each test gets a fresh database built by the migrations, a manual clock and keys.

The migrated SQLite file is built once per session and copied per test, so every
test still starts from exactly what `alembic upgrade head` makes. With
BEIAN_TEST_PG_URL set, the engine tests also run on that PostgreSQL server.
"""

from __future__ import annotations

import base64
import gc
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from beian_desktop.models.database import make_engine, upgrade_to_head
from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.services.beian import Beian
from beian_desktop.services.secret_keys import SecretKeys

from staff import FAST_HASHER

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("BEIAN_TEST_PG_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
if os.environ.get("BEIAN_REQUIRE_PG") and not PG_URL:
    raise RuntimeError(
        "BEIAN_REQUIRE_PG is set but BEIAN_TEST_PG_URL is not: CI must test PostgreSQL"
    )
START = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday morning in Hangzhou


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Widget tests collect reference cycles on this thread (the GUI thread) only, as the
    app does (beian_desktop/views/garbage_collector.py says why). Left to automatic
    collection, a closed qasync loop, dialog or model from one test was destroyed on a
    database thread of a later one ("QObject::~QObject: Timers cannot be stopped from
    another thread") and a timer still registered for it crashed the process (SIGSEGV).
    The collection runs after pytest has dropped the test's fixture values."""
    uses_qt = item.get_closest_marker("gui") or "qapp" in getattr(item, "fixturenames", ())
    if not uses_qt:
        return (yield)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return (yield)
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


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
    beian = Beian.open(database_url=database_url, keys=keys, clock=clock, hasher=FAST_HASHER)
    yield beian
    beian.close()


@pytest.fixture
def gateway():
    from beian_desktop.tools.fake_gateway import FakeGatewayServer

    server = FakeGatewayServer().start()
    yield server
    server.stop()


def http_sms_config(gateway_url: str, **overrides):
    from beian_desktop.services.sending.sms_config import parse_sms_config

    http = {"url": f"{gateway_url}/sms", "timeout_seconds": 2, **overrides}
    return parse_sms_config({"sms": {"kind": "http", "http": http}})


@pytest.fixture
def http_app(database_url, keys, clock, gateway):
    """The product sending through the fake gateway over real HTTP on loopback."""
    beian = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=clock,
        sms=http_sms_config(gateway.url),
        hasher=FAST_HASHER,
    )
    yield beian
    beian.close()


@pytest.fixture
def child_env(tmp_path, database_url, gateway):
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{database_url}"\n\n'
        f'[sms]\nkind = "http"\n\n[sms.http]\nurl = "{gateway.url}/sms"\ntimeout_seconds = 5\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEIAN_")}
    env.update(
        BEIAN_CONFIG=str(config),
        BEIAN_DATA_DIR=str(tmp_path / "data"),
        BEIAN_KEY=base64.urlsafe_b64encode(bytes(range(32))).decode(),  # conftest's keys
    )
    return env
