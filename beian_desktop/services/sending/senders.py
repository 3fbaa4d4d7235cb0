"""The one door SMS go out through, and the embedded default behind it: a local outbox.

A sender's `send` may be a coroutine (the HTTP sender) or a plain function (the
outbox, test doubles); `sending` calls either way, so the dispatcher has one path.

The outbox stands in for a real endpoint on a single workstation: it stores each
message (text encrypted, since it holds a code) so staff and the demo can read what
"the phone" received. Storing is idempotent on the intent's key, like a good endpoint.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from beian_desktop.models import OutboxMessage
from beian_desktop.rules.clock import Clock
from beian_desktop.services.secret_keys import SecretKeys


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str
    sender_number: str
    idempotency_key: str
    # Template parameters, for endpoints that render the text themselves.
    code: str = ""
    name: str = ""
    deadline: str = ""  # Asia/Shanghai, "YYYY-MM-DD HH:MM"
    link: str = ""

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never be stored from an endpoint's answer, should it echo them."""
        return (self.text, self.code, self.phone, self.name)


@dataclass(frozen=True)
class SendReceipt:
    endpoint_message_id: str | None = None
    delivery_status: str | None = None


class SendFailed(Exception):
    """The endpoint did not take the message; `retryable` says whether to try again."""

    def __init__(
        self, reason: str, *, retryable: bool = True, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.retryable = retryable
        self.retry_after = retry_after  # seconds the endpoint asked us to wait (429)


class SmsSender(Protocol):
    def send(self, message: SmsMessage) -> SendReceipt | Awaitable[SendReceipt]: ...


def sending(sender: SmsSender) -> Callable[[SmsMessage], Awaitable[SendReceipt]]:
    """The sender's `send` as a coroutine function, decided once for many messages.
    Blocking senders run in a thread so the event loop (and the window) never waits."""
    if inspect.iscoroutinefunction(sender.send):
        return sender.send

    async def in_a_thread(message: SmsMessage) -> SendReceipt:
        # Not a coroutine function, so `send` returns the receipt itself.
        blocking_send = cast("Callable[[SmsMessage], SendReceipt]", sender.send)
        return await asyncio.to_thread(blocking_send, message)

    return in_a_thread


async def send_async(sender: SmsSender, message: SmsMessage) -> SendReceipt:
    """One message through any sender (see `sending`)."""
    return await sending(sender)(message)


def for_a_loop_of_its_own(sender: SmsSender) -> SmsSender:
    """A sender to use on a new event loop (a service call on the window's database
    thread sending at once). An HTTP sender's connections belong to the loop that
    opened them, so it gives a fresh one of the same endpoint (`fresh()`), to be
    closed after (`aclose()`); any other sender serves as it is."""
    fresh = getattr(sender, "fresh", None)
    return cast("SmsSender", fresh()) if fresh is not None else sender


class OutboxSender:
    def __init__(self, sessions: sessionmaker[Session], keys: SecretKeys, clock: Clock) -> None:
        self._sessions = sessions
        self._keys = keys
        self._clock = clock

    def send(self, message: SmsMessage) -> SendReceipt:
        with self._sessions.begin() as session:
            existing = session.scalar(
                select(OutboxMessage).where(
                    OutboxMessage.idempotency_key == message.idempotency_key
                )
            )
            if existing is None:
                existing = OutboxMessage(
                    idempotency_key=message.idempotency_key,
                    phone=message.phone,
                    sender_number=message.sender_number,
                    text_enc=self._keys.encrypt(message.text),
                    stored_at=self._clock(),
                )
                session.add(existing)
                session.flush()
            return SendReceipt(
                endpoint_message_id=f"outbox-{existing.id}", delivery_status="delivered"
            )


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    phone: str
    sender_number: str
    text: str
    stored_at: datetime


def read_outbox(
    session: Session, keys: SecretKeys, *, phone: str | None = None, limit: int = 200
) -> list[OutboxEntry]:
    """Newest first; decrypts only the rows asked for."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if phone is not None:
        query = query.where(OutboxMessage.phone == phone)
    return [
        OutboxEntry(m.id, m.phone, m.sender_number, keys.decrypt(m.text_enc), m.stored_at)
        for m in session.scalars(query)
    ]
