"""Deleting a draft: the request is kept, in state `deleted`, with its timeline.

Nothing is removed from the database: the audit trail names the request, its
websites and its subject, so a deletion is a state and one more timeline event
(`draft_deleted`). What the draft had written as `pending` (a first filing's subject,
its websites and their access records; a new website; a new access record) is
withdrawn, as a website taken out of a draft is, so nothing waits to be approved for
it. The migration 0012 keeps the search index and the requests' total without it.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from beian_desktop.models import AccessRecord, Request, Subject, Website
from beian_desktop.models.database import rowcount
from beian_desktop.rules.errors import DraftNotDeletable, NotFound
from beian_desktop.rules.validation import record_id
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.terms import RequestState

WITHDRAWN = "withdrawn"
PENDING = "pending"


class DraftDeletion:
    ctx: ServiceContext

    def delete_draft(self, *, session: str, request_id: int) -> None:
        """Deletes the draft `request_id`; any other state is refused, nothing changed."""
        with self.ctx.acting(session, "filings.delete_draft", request_id=request_id) as act:
            db = act.db
            request_id = record_id("request_id", request_id)
            request = db.get(Request, request_id, with_for_update=True)
            if request is None:
                raise NotFound("request", request_id)
            # One conditional UPDATE: a submission on another workstation that got there
            # first leaves nothing to delete.
            deleted = rowcount(
                db.execute(
                    update(Request)
                    .where(Request.id == request_id, Request.state == RequestState.DRAFT)
                    .values(state=RequestState.DELETED, state_changed_at=act.now)
                    .execution_options(synchronize_session=False)
                )
            )
            if deleted != 1:
                db.refresh(request)
                raise DraftNotDeletable(request_id, request.state)
            _withdraw_pending_records(db, request)
            audit.record(
                db,
                at=act.now,
                actor=act.by,
                action="draft_deleted",
                request_id=request_id,
                business_type=request.business_type,
            )


def _withdraw_pending_records(db: Session, request: Request) -> None:
    """The records only this draft had brought in; approved ones it acted on stay."""
    subject = db.get_one(Subject, request.subject_id)
    if subject.status == PENDING:
        subject.status = WITHDRAWN
    for link in request.website_links:
        website = db.get_one(Website, link.website_id)
        if website.status == PENDING:
            website.status = WITHDRAWN
            for record in website.access_records:
                if record.status == PENDING:
                    record.status = WITHDRAWN
        if link.access_id is not None:
            access = db.get_one(AccessRecord, link.access_id)
            if access.status == PENDING:
                access.status = WITHDRAWN
