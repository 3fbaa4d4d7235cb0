"""The product as separate processes: the commands a person or a service manager runs,
killed the way a power cut kills them."""

from __future__ import annotations

import base64
import os

import pytest


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
