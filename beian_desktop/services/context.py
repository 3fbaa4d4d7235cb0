"""What every service needs, handed in: sessions, keys, the clock and the SMS sender.

Tests build one with a temporary database, a ManualClock and the outbox sender; the
app and the worker build one from configuration. No service reaches for a global.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from beian_desktop.rules.clock import Clock
from beian_desktop.services.secret_keys import SecretKeys

if TYPE_CHECKING:
    from beian_desktop.services.sending.senders import SmsSender


@dataclass
class ServiceContext:
    sessions: sessionmaker[Session]
    keys: SecretKeys
    clock: Clock
    sender: SmsSender
    # Sessions for pure reads (the views' lists); defaults to the writing ones.
    read_sessions: sessionmaker[Session] | None = None

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed whole on success, rolled back whole on any error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """One read transaction; on SQLite it does not take the write lock."""
        with (self.read_sessions or self.sessions).begin() as session:
            yield session

    def now(self) -> datetime:
        return self.clock()
