"""Every action leaves an audit event (SPEC §7): the timeline is read from here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from beian_desktop.models import AuditEvent

SYSTEM = "system"  # the actor for what the scheduler does on its own


def event(
    *, at: datetime, actor: str, action: str, request_id: int | None = None, **details: object
) -> dict[str, object]:
    return {"at": at, "actor": actor, "action": action, "request_id": request_id,
            "details": details}  # fmt: skip


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
        AuditEvent(**event(at=at, actor=actor, action=action, request_id=request_id, **details))
    )


def record_all(session: Session, events: list[dict[str, object]]) -> None:
    """Many events in one statement (a sweep's returns), written in the session's
    transaction like `record`'s, but without an object per event."""
    if events:
        session.flush()  # events already added keep their place in the timeline
        session.execute(insert(AuditEvent.__table__), events)


def timeline(session: Session, request_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.request_id == request_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
