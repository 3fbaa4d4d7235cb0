"""What every service needs, handed in: sessions, keys, the clock and the SMS sender.

Tests build one with a temporary database, a ManualClock and the outbox sender; the
app and the worker build one from configuration. No service reaches for a global.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from beian_desktop.rules.clock import Clock
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.services.sessions import Acting, acting

if TYPE_CHECKING:
    from beian_desktop.rules.permissions import Permission
    from beian_desktop.services.sending.senders import SmsSender


@dataclass
class ServiceContext:
    sessions: sessionmaker[Session]
    keys: SecretKeys
    clock: Clock
    sender: SmsSender
    # Sessions for pure reads (the views' lists); defaults to the writing ones.
    read_sessions: sessionmaker[Session] | None = None
    # argon2 with its recommended cost; tests hand in a cheap one.
    hasher: PasswordHasher = field(default_factory=PasswordHasher)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed whole on success, rolled back whole on any error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A read: on SQLite one transaction (one snapshot) that takes no write lock;
        on PostgreSQL statements without BEGIN (models/database.py says why)."""
        with (self.read_sessions or self.sessions).begin() as session:
            yield session

    def now(self) -> datetime:
        return self.clock()

    def acting(
        self,
        session: object,
        operation: str,
        *,
        read: bool = False,
        permission: Permission | None = None,
        request_id: int | None = None,
        asked: dict[str, object] | None = None,
    ) -> AbstractContextManager[Acting]:
        """The unit of work of one public service method, for the caller `session`
        resolves to (services/sessions.py): refused, audited and raised if it may not."""
        return acting(
            self,
            session,
            operation,
            read=read,
            permission=permission,
            request_id=request_id,
            asked=asked,
        )
