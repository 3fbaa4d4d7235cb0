"""Where things live on this workstation, and how a shared deployment overrides it.

The embedded default needs no configuration: a SQLite file and a key file in the
user's data directory. Several workstations sharing PostgreSQL set
BEIAN_DATABASE_URL and hand every one the same key (BEIAN_KEY or BEIAN_KEY_FILE),
since a number encrypted on one must be readable on the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from beian_desktop.services.secret_keys import SecretKeys

APP_NAME = "beian-desktop"


@dataclass(frozen=True)
class AppConfig:
    data_dir: Path
    database_url: str
    key_file: Path | None
    key_text: str | None = None

    def load_keys(self) -> SecretKeys:
        if self.key_text:
            return SecretKeys.from_text(self.key_text)
        assert self.key_file is not None
        return SecretKeys.load_or_create(self.key_file)


def load_config(environ: dict[str, str] | None = None) -> AppConfig:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("BEIAN_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    url = env.get("BEIAN_DATABASE_URL") or f"sqlite:///{data_dir / 'beian.sqlite3'}"
    key_file = Path(env["BEIAN_KEY_FILE"]) if env.get("BEIAN_KEY_FILE") else data_dir / "secret.key"
    return AppConfig(
        data_dir=data_dir,
        database_url=url,
        key_file=key_file,
        key_text=env.get("BEIAN_KEY") or None,
    )
