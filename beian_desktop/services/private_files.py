"""Files that hold secrets or personal data are readable by their owner only.

The SQLite database holds names, mobiles and emails; the config file the gateway's
token and signing secret; the key file the master key. Each is created 0600 (the data
directory 0700) and tightened at every start if something made it looser. SQLite
creates its -wal and -shm files with the database file's own mode, so a 0600 database
gets 0600 companions.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def tighten(path: Path, mode: int) -> None:
    """Takes away what `mode` does not allow (never adds a permission)."""
    with contextlib.suppress(FileNotFoundError):
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            path.chmod(current & mode)


def private_dir(path: Path) -> Path:
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    tighten(path, PRIVATE_DIR)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Atomically: a 0600 temporary file beside it, synced, then renamed over it."""
    tmp = path.with_name(f".{path.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def sqlite_file(database_url: str) -> Path | None:
    """The file a SQLite URL names (None: another database, or in memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def secure_sqlite(database_url: str) -> None:
    """Creates the database file 0600 if it is new, and tightens it and its -wal,
    -shm and -journal files if they are looser."""
    path = sqlite_file(database_url)
    if path is None:
        return
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for suffix in ("", "-wal", "-shm", "-journal"):
        tighten(path.with_name(path.name + suffix), PRIVATE_FILE)
