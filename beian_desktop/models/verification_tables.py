"""Rounds, verifiers, codes, tries and resends (SPEC §3-§5).

Counters that two workstations may race on (`wrong_tries`, `manual_resends`) and
every state column are only ever changed by conditional UPDATEs in the services, so
the rows here carry the whole truth and no process keeps a copy in memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beian_desktop.models.base import Base, UTCDateTime


class VerificationRound(Base):
    __tablename__ = "verification_rounds"
    __table_args__ = (
        UniqueConstraint("request_id", "number"),
        # The expiry scan, and the filings list sorted by deadline (keyset on both).
        Index("ix_verification_rounds_state_deadline", "state", "deadline", "request_id"),
        Index("ix_verification_rounds_state_send_due_at", "state", "send_due_at"),
        Index("ix_verification_rounds_state_auto_resend_at", "state", "auto_resend_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first submission, then +1
    state: Mapped[str] = mapped_column(String(16), default="open")
    quorum: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    send_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set by the first SMS handed to the endpoint; every code stops working then.
    first_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_resend_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_resend_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    verifiers: Mapped[list[Verifier]] = relationship(order_by="Verifier.id")


class Verifier(Base):
    """One distinct phone in one round, covering every principal role at that phone."""

    __tablename__ = "verifiers"
    __table_args__ = (
        UniqueConstraint("round_id", "phone"),
        Index("ix_verifiers_phone_state", "phone", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("verification_rounds.id"), index=True)
    phone: Mapped[str] = mapped_column(String(11))
    carrier: Mapped[str] = mapped_column(String(16))
    is_virtual: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(64))  # XXX in the SPEC §5 messages
    state: Mapped[str] = mapped_column(String(16), default="pending")
    wrong_tries: Mapped[int] = mapped_column(Integer, default=0)
    manual_resends: Mapped[int] = mapped_column(Integer, default=0)
    last_send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[VerificationRound] = relationship(back_populates="verifiers")
    roles: Mapped[list[VerifierRole]] = relationship(order_by="VerifierRole.id")


class VerifierRole(Base):
    """A principal role the verifier answers for; its ID's last six as a keyed hash."""

    __tablename__ = "verifier_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    verifier_id: Mapped[int] = mapped_column(ForeignKey("verifiers.id"), index=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    website_id: Mapped[int | None] = mapped_column(ForeignKey("websites.id"))
    id_last6_hash: Mapped[str] = mapped_column(String(64))


class Code(Base):
    """A code is only ever a keyed hash of (phone, code); `superseded_at` retires it."""

    __tablename__ = "codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    verifier_id: Mapped[int] = mapped_column(ForeignKey("verifiers.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Try(Base):
    """Every check of a code, right or wrong, for the timeline and the audit."""

    __tablename__ = "tries"

    id: Mapped[int] = mapped_column(primary_key=True)
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("verifiers.id"), index=True)
    phone: Mapped[str] = mapped_column(String(11), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    result: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))


class Resend(Base):
    """A resend, automatic or manual; `on_behalf` marks staff acting for a caller."""

    __tablename__ = "resends"

    id: Mapped[int] = mapped_column(primary_key=True)
    verifier_id: Mapped[int] = mapped_column(ForeignKey("verifiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str] = mapped_column(String(64))
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    intent_id: Mapped[int | None] = mapped_column(ForeignKey("sms_intents.id"))
