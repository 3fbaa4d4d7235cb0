"""Requests (申请) and their change sets.

A request names the subject and the websites it concerns. What a `change` (or a
`change_phone`) would make of the filing is kept as change rows, applied to the live
records only when the bureau approves; until then the filing shows what was approved.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from beian_desktop.models.base import Base, UTCDateTime


class Request(Base):
    __tablename__ = "requests"
    __table_args__ = (
        Index("ix_requests_state_province", "state", "province_code", "id"),
        # With the id, so the ids submitted in a date range are read from the index.
        Index("ix_requests_submitted_at", "submitted_at", "id"),
        # Keyset paging of the filings list (services/reading/): each filter
        # value is an id-ordered range, so a page never sorts the whole table.
        Index("ix_requests_state_id", "state", "id"),
        Index("ix_requests_business_type_id", "business_type", "id"),
        Index("ix_requests_province_code_id", "province_code", "id"),
        # The returned list (newest first) and the bureau queue (oldest first).
        Index("ix_requests_state_state_changed_at", "state", "state_changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_type: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    # Copied from the subject so the list can filter a million rows on one index.
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    entered_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # change_phone: the bureau approves the new number before the round runs.
    phone_change_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str | None] = mapped_column(String(24))
    returned_verifier_id: Mapped[int | None] = mapped_column(Integer)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remarks: Mapped[str] = mapped_column(Text, default="")

    website_links: Mapped[list[RequestWebsite]] = relationship(
        cascade="all, delete-orphan", order_by="RequestWebsite.website_id"
    )
    changes: Mapped[list[RequestChange]] = relationship(
        cascade="all, delete-orphan", order_by="RequestChange.id"
    )


class RequestWebsite(Base):
    """The websites a request concerns (new ones, or existing ones it acts on)."""

    __tablename__ = "request_websites"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    website_id: Mapped[int] = mapped_column(ForeignKey("websites.id"), primary_key=True, index=True)
    access_id: Mapped[int | None] = mapped_column(ForeignKey("access_records.id"))


class RequestChange(Base):
    """One field's new value. Secret fields go in `value_enc`, never in `value`."""

    __tablename__ = "request_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    target: Mapped[str] = mapped_column(String(16))  # subject / website / principal
    target_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text)
    value_enc: Mapped[bytes | None] = mapped_column(LargeBinary)


class RequestTotal(Base):
    """How many requests there are: one row, kept exact by triggers on requests
    (migration 0008_request_total), so the unfiltered list's count is one read and
    not a scan of every request. Nothing writes it but the database."""

    __tablename__ = "request_total"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requests: Mapped[int] = mapped_column(BigInteger)
