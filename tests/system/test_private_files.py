"""What lies on disk is readable by its owner only: the data directory 0700; the
database, its -wal and -shm, the key file and the config file 0600 when created, and
tightened at the next start if something loosened them. Checked on the files the real
command leaves, under an ordinary umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from beian_desktop.services.settings.settings_service import write_sms_config

pytestmark = pytest.mark.timeout(120)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def start(data_dir: Path, config: Path) -> None:
    """`beian-desktop tick`: opens (and creates) the database and the key, as the app
    and the worker do at every start, with the umask most desktops have."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEIAN_")}
    env.update(BEIAN_DATA_DIR=str(data_dir), BEIAN_CONFIG=str(config))
    subprocess.run(
        [sys.executable, "-m", "beian_desktop", "tick"],
        env=env,
        check=True,
        capture_output=True,
        timeout=90,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_a_new_installation_keeps_its_files_to_its_owner(tmp_path):
    data = tmp_path / "data"
    config = tmp_path / "config" / "config.toml"
    write_sms_config(
        config,
        {
            "kind": "http",
            "http": {
                "url": "https://sms.example.cn/send",
                "headers": {"Authorization": "Bearer t"},
            },
        },
    )
    start(data, config)
    assert mode(data) == 0o700
    database = data / "beian.sqlite3"
    assert mode(database) == 0o600
    for companion in (data / "beian.sqlite3-wal", data / "beian.sqlite3-shm"):
        if companion.exists():
            assert mode(companion) == 0o600
    assert mode(data / "secret.key") == 0o600
    assert mode(config) == 0o600


def test_loosened_files_are_tightened_at_the_next_start(tmp_path):
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text('[sms]\nkind = "outbox"\n', encoding="utf-8")
    start(data, config)
    os.chmod(data, 0o755)
    for path in (data / "beian.sqlite3", data / "secret.key", config):
        os.chmod(path, 0o644)
    start(data, config)
    assert mode(data) == 0o700
    assert mode(data / "beian.sqlite3") == 0o600
    assert mode(data / "secret.key") == 0o600
    assert mode(config) == 0o600
