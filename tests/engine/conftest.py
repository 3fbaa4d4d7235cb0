"""The services on SQLite and, with BEIAN_TEST_PG_URL set, on PostgreSQL too: every test
that takes `database_url` (or `app`) runs once per backend."""

from __future__ import annotations

import pytest

from beian_desktop.services.beian import Beian

from defaults import http_sms_config
from staff import FAST_HASHER


@pytest.fixture
def http_app(database_url, keys, clock, gateway):
    """The product sending through the fake gateway over real HTTP on loopback."""
    beian = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=clock,
        sms=http_sms_config(gateway.url),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    yield beian
    beian.close()
