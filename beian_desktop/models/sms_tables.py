"""SMS intents (the transactional outbox) and the local outbox's delivered messages.

An intent is written in the same transaction as the state change that causes it, so
a crash can never leave a code issued and not sent, or sent and not recorded. The
code travels encrypted (`code_enc`) because every try of one intent must send the
same code; the verification itself only ever sees the keyed hash in `codes`. The
message as first rendered (text, deadline, name, code) is kept encrypted too
(`message_enc`), so every later try sends the same bytes.

A dispatcher holds what it claimed by `lease_owner` until `lease_until` (renewed while
the SMS are in flight); `lease_epoch` is bumped at every claim, and an outcome is
recorded only by the owner of the claim of that epoch: a process whose claim was taken
over cannot record over its successor.

What a send means beyond the intent (the verifier's last send, the round's first send,
the `sms_sent` event) is written a moment after the intent is recorded, many SMS at a
time; `bookkeeping_due` marks a sent intent until then (TRUE, or NULL once done), so
a dispatcher killed in between leaves it for the next to finish.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from beian_desktop.models.base import Base, UTCDateTime


class SmsIntent(Base):
    __tablename__ = "sms_intents"
    __table_args__ = (
        Index("ix_sms_intents_status_due_at_id", "status", "due_at", "id"),  # claim order
        Index(
            "ix_sms_intents_bookkeeping_due",
            "id",
            sqlite_where=text("bookkeeping_due IS NOT NULL"),
            postgresql_where=text("bookkeeping_due IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    verifier_id: Mapped[int] = mapped_column(ForeignKey("verifiers.id"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"))
    kind: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(11))
    carrier: Mapped[str] = mapped_column(String(16))
    sender_number: Mapped[str] = mapped_column(String(20))
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    code_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    message_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    endpoint_message_id: Mapped[str | None] = mapped_column(String(128))
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)
    bookkeeping_due: Mapped[bool | None] = mapped_column(Boolean)


class OutboxMessage(Base):
    """What the embedded default's 'endpoint' received; the text is encrypted at rest."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    phone: Mapped[str] = mapped_column(String(11), index=True)
    sender_number: Mapped[str] = mapped_column(String(20))
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime)
