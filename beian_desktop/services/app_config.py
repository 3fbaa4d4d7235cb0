"""Where things live on this workstation, and how a shared deployment overrides it.

The embedded default needs no configuration: a SQLite file and a key file in the
user's data directory, and the local SMS outbox. A config file (TOML, in the user's
config directory, or `--config PATH`, or BEIAN_CONFIG) names the SMS endpoint and may
name the database; environment variables win over the file, so a deployment can set
BEIAN_DATABASE_URL for PostgreSQL and hand every workstation the same key (BEIAN_KEY
or BEIAN_KEY_FILE), since a number encrypted on one must be readable on the others.

    [database]
    url = "postgresql+psycopg://beian@db.example.cn/beian"
    [keys]
    file = "/etc/beian/secret.key"
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from beian_desktop.services.private_files import PRIVATE_FILE, private_dir, tighten
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.services.sending.sms_config import SmsConfig, load_toml, parse_sms_config

APP_NAME = "beian-desktop"


@dataclass(frozen=True)
class AppConfig:
    data_dir: Path
    database_url: str
    key_file: Path | None
    key_text: str | None = None
    config_file: Path | None = None
    sms: SmsConfig = field(default_factory=SmsConfig)

    def load_keys(self) -> SecretKeys:
        if self.key_text:
            return SecretKeys.from_text(self.key_text)
        assert self.key_file is not None
        return SecretKeys.load_or_create(self.key_file)


def default_config_file() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_config(
    environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> AppConfig:
    env = os.environ if environ is None else environ
    path = config_file or (Path(env["BEIAN_CONFIG"]) if env.get("BEIAN_CONFIG") else None)
    if path is not None and not path.exists():
        raise FileNotFoundError(f"config file {path} does not exist")
    path = path or default_config_file()
    tighten(path, PRIVATE_FILE)  # it may hold the endpoint's token and signing secret
    data = load_toml(path)
    data_dir = Path(env.get("BEIAN_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False))
    private_dir(data_dir)  # the database and the key live here
    url = (
        env.get("BEIAN_DATABASE_URL")
        or data.get("database", {}).get("url")
        or f"sqlite:///{data_dir / 'beian.sqlite3'}"
    )
    key_file_text = env.get("BEIAN_KEY_FILE") or data.get("keys", {}).get("file")
    return AppConfig(
        data_dir=data_dir,
        database_url=url,
        key_file=Path(key_file_text) if key_file_text else data_dir / "secret.key",
        key_text=env.get("BEIAN_KEY") or None,
        config_file=path if path.exists() else None,
        sms=parse_sms_config(data),
    )
