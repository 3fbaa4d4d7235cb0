"""Settings, the audit trail and the ICP number sequences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from beian_desktop.models.base import Base, UTCDateTime


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


class AuditEvent(Base):
    """Who did what, when: the timeline of SPEC §7 is read from here."""

    __tablename__ = "audit_events"
    # Returns and passes per day (QueryService.return_stats) read one index range.
    __table_args__ = (Index("ix_audit_events_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class IcpSequence(Base):
    """The last ICP number handed out per province and year (浙ICP备2024012345号)."""

    __tablename__ = "icp_sequences"

    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
