"""Many first-filing drafts written at once (the batch import), in the caller's
transaction, through Core statements rather than ORM objects.

The rows are the entry's own: the columns come from the same mapping
`records.write_subject` and `records.write_website` apply (`principal_values`,
`subject_values`, `website_values`, `access_values`), the request and its first
timeline event are what `records.new_request` writes, and the filing search's
triggers see plain INSERTs either way. Only the unit of work is skipped: building,
tracking and flushing ten objects a filing cost several times the INSERTs
themselves. A row whose id a later row needs is inserted on its own (SQLite's
RETURNING cannot be batched in order); domains, website links and events go in
one statement each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from beian_desktop.models import (
    AccessRecord,
    Domain,
    Principal,
    Request,
    RequestWebsite,
    Subject,
    Website,
)
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.records import (
    access_values,
    principal_values,
    subject_values,
    website_values,
)
from beian_desktop.terms import BusinessType, RequestState

_INSERT = {model: insert(model) for model in (Principal, Subject, Request, Website, AccessRecord)}


def _insert(conn: Connection, model: type[Any], values: dict[str, object]) -> int:
    key = conn.execute(_INSERT[model], values).inserted_primary_key
    assert key is not None
    return int(key[0])


def write_new_filings(
    ctx: ServiceContext,
    db: Session,
    filings: Sequence[tuple[FilingInput, dict[str, object]]],
    by: str,
    now: datetime,
) -> list[int]:
    """The drafts' request ids, in order; each filing's details go into its first
    timeline event (`draft_created`), as `new_request`'s do."""
    db.flush()  # whatever the session holds goes first
    conn = db.connection()
    request_ids: list[int] = []
    domains: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    for filing, details in filings:
        s = filing.subject
        subject_id = _insert(
            conn,
            Subject,
            {
                "status": "pending",
                "created_at": now,
                "principal_id": _insert(conn, Principal, principal_values(ctx, s.principal)),
                **subject_values(ctx, s),
            },
        )
        request_id = _insert(
            conn,
            Request,
            {
                "business_type": BusinessType.NEW_FILING,
                "state": RequestState.DRAFT,
                "subject_id": subject_id,
                "province_code": s.province_code,
                "entered_by": by,
                "created_at": now,
                "state_changed_at": now,
            },
        )
        for w in filing.websites:
            website_id = _insert(
                conn,
                Website,
                {
                    "status": "pending",
                    "subject_id": subject_id,
                    "principal_id": _insert(conn, Principal, principal_values(ctx, w.principal)),
                    **website_values(w),
                },
            )
            domains.extend(
                {"website_id": website_id, "name": d, "position": i}
                for i, d in enumerate(w.domains)
            )
            access_id = _insert(
                conn,
                AccessRecord,
                {"website_id": website_id, "status": "pending", **access_values(w.access)},
            )
            links.append(
                {"request_id": request_id, "website_id": website_id, "access_id": access_id}
            )
        events.append(
            audit.event(
                at=now,
                actor=by,
                action="draft_created",
                request_id=request_id,
                business_type=BusinessType.NEW_FILING,
                **details,
            )
        )
        request_ids.append(request_id)
    if domains:
        conn.execute(insert(Domain), domains)
    if links:
        conn.execute(insert(RequestWebsite), links)
    audit.record_all(db, events)
    return request_ids
