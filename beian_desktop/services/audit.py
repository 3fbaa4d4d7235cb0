"""Every action leaves an audit event (SPEC §7): the timeline is read from here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beian_desktop.models import AuditEvent

SYSTEM = "system"  # the actor for what the scheduler does on its own


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    request_id: int | None = None,
    **details: object,
) -> None:
    session.add(
        AuditEvent(at=at, actor=actor, action=action, request_id=request_id, details=details)
    )


def timeline(session: Session, request_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.request_id == request_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
