"""Every action leaves an audit event (SPEC §7): the timeline is read from here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Insert, Select, String, bindparam, insert, literal, select
from sqlalchemy.orm import Session

from beian_desktop.models import AuditEvent
from beian_desktop.models.base import UTCDateTime
from beian_desktop.models.portable_sql import json_object

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


def written_by_the_database(
    action: str,
    request_id: ColumnElement[Any],
    source: Select[Any],
    /,
    at: ColumnElement[Any] | None = None,
    **details: Any,
) -> Insert:
    """One event per row of `source` (FROM, WHERE, ORDER BY; its columns are
    replaced), written by the database itself: a sweep's returns or a batch's sends
    make no dict, JSON text or timestamp per event. `details` name the rows' columns
    the event keeps; `actor` is bound when it runs, and the time too (`now`) unless
    `at` names the rows' column that says when each happened."""
    columns = (
        bindparam("now", type_=UTCDateTime()) if at is None else at,
        bindparam("actor", type_=String()),
        literal(action, String()),
        request_id,
        json_object(**details),
    )
    return insert(AuditEvent.__table__).from_select(
        ["at", "actor", "action", "request_id", "details"], source.with_only_columns(*columns)
    )


def timeline(session: Session, request_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.request_id == request_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
