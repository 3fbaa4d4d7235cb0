"""Many first-filing drafts written at once (the batch import), in the caller's
transaction, a few statements a hundred filings.

The rows are the entry's own: the columns come from the same mapping
`records.write_subject` and `records.write_website` apply (`principal_values`,
`subject_values`, `website_values`, `access_values`), the request and its first
timeline event are what `records.new_request` writes, and the filing search's
triggers see plain INSERTs either way. Only the unit of work is skipped: building,
tracking and flushing ten ORM objects a filing, one INSERT each (SQLite cannot
return a batched INSERT's ids in order), cost many times the rows themselves. Here
the ids are handed out first (`portable_sql.next_ids`) and each table's rows go in
one executemany, parents first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert
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
from beian_desktop.models.portable_sql import next_ids
from beian_desktop.rules.inputs import FilingInput, PrincipalInput, SubjectInput, WebsiteInput
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.records import (
    access_values,
    principal_values,
    subject_values,
    website_values,
)
from beian_desktop.terms import BusinessType, RequestState


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
    sites = [w for filing, _ in filings for w in filing.websites]
    principal_ids = iter(next_ids(conn, Principal.__table__, len(filings) + len(sites)))
    subject_ids = next_ids(conn, Subject.__table__, len(filings))
    request_ids = next_ids(conn, Request.__table__, len(filings))
    sites_ids = zip(  # each website with its access record's id and its principal's
        next_ids(conn, Website.__table__, len(sites)),
        next_ids(conn, AccessRecord.__table__, len(sites)),
        principal_ids,
        strict=False,
    )
    rows: dict[type[Any], list[dict[str, object]]] = {
        model: [] for model in (Principal, Subject, Request, Website, Domain, AccessRecord)
    }
    links: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    for (filing, details), subject_id, request_id in zip(
        filings, subject_ids, request_ids, strict=True
    ):
        s = filing.subject
        principal_id = next(principal_ids)
        rows[Principal].append({"id": principal_id, **_principal(ctx, s.principal)})
        rows[Subject].append(
            {
                "id": subject_id,
                "status": "pending",
                "created_at": now,
                "principal_id": principal_id,
                **_subject(ctx, s),
            }
        )
        rows[Request].append(
            {
                "id": request_id,
                "business_type": BusinessType.NEW_FILING,
                "state": RequestState.DRAFT,
                "subject_id": subject_id,
                "province_code": s.province_code,
                "entered_by": by,
                "created_at": now,
                "state_changed_at": now,
            }
        )
        for w in filing.websites:
            website_id, access_id, principal_id = next(sites_ids)
            rows[Principal].append({"id": principal_id, **_principal(ctx, w.principal)})
            rows[Website].append(
                {
                    "id": website_id,
                    "status": "pending",
                    "subject_id": subject_id,
                    "principal_id": principal_id,
                    **_website(w),
                }
            )
            rows[Domain].extend(
                {"website_id": website_id, "name": d, "position": i}
                for i, d in enumerate(w.domains)
            )
            rows[AccessRecord].append(
                {
                    "id": access_id,
                    "website_id": website_id,
                    "status": "pending",
                    **access_values(w.access),
                }
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
    for model, values in rows.items():  # parents before the rows that refer to them
        if values:
            conn.execute(insert(model), values)
    if links:
        conn.execute(insert(RequestWebsite), links)
    audit.record_all(db, events)
    return list(request_ids)


# One set of keys for every row of a table: an executemany needs the same columns in
# each, and a value left out (the stored ID number kept on an edit) never occurs here.
def _principal(ctx: ServiceContext, p: PrincipalInput) -> dict[str, object]:
    return principal_values(ctx, replace(p, doc_number=p.doc_number or ""))


def _subject(ctx: ServiceContext, s: SubjectInput) -> dict[str, object]:
    return subject_values(ctx, replace(s, doc_number=s.doc_number or ""))


def _website(w: WebsiteInput) -> dict[str, object]:
    return website_values(w)
