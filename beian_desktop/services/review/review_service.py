"""The bureau's decisions: approve (numbers assigned, changes applied) or reject.

`change_phone` is reviewed twice over: the bureau approves the new number, then the
round runs at that number, and passing it makes the number current (SPEC §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from beian_desktop.models import Request, Subject
from beian_desktop.models.database import rowcount
from beian_desktop.rules.errors import InvalidValue, NotFound, NotInReview, ValidationFailed
from beian_desktop.rules.field_limits import LONG_TEXT
from beian_desktop.rules.text_input import clean_text
from beian_desktop.rules.validation import record_id
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.approval import apply_approval, website_numbers
from beian_desktop.services.filing.submission import begin_verification
from beian_desktop.terms import BusinessType, RequestState


@dataclass(frozen=True)
class Decision:
    state: RequestState
    subject_icp_number: str | None = None
    website_icp_numbers: tuple[str, ...] = ()


class ReviewService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _take(self, db: Session, request_id: int) -> Request:
        request = db.get(Request, request_id, with_for_update=True)
        if request is None:
            raise NotFound("request", request_id)
        if request.state != RequestState.BUREAU_REVIEW:
            raise NotInReview(request_id, request.state)
        return request

    def approve(self, *, session: str, request_id: int) -> Decision:
        with self.ctx.acting(session, "review.approve", request_id=request_id) as act:
            db, by, now = act.db, act.by, act.now
            request = self._take(db, record_id("request_id", request_id))
            if (
                request.business_type == BusinessType.CHANGE_PHONE
                and request.phone_change_approved_at is None
            ):
                request.phone_change_approved_at = now
                request.decided_by = by
                audit.record(
                    db, at=now, actor=by, action="phone_change_approved", request_id=request.id
                )
                state = begin_verification(self.ctx, db, request, by)
                if state == RequestState.BUREAU_REVIEW:
                    # No round needed (province not enabled): the number is approved as is.
                    return self._approve(db, request, by, now)
                return Decision(RequestState(state))
            return self._approve(db, request, by, now)

    def _approve(self, db: Session, request: Request, by: str, now: datetime) -> Decision:
        moved = rowcount(
            db.execute(
                update(Request)
                .where(Request.id == request.id, Request.state == RequestState.BUREAU_REVIEW)
                .values(
                    state=RequestState.APPROVED, state_changed_at=now, decided_by=by, decided_at=now
                )
            )
        )
        if moved != 1:
            raise NotInReview(request.id)
        apply_approval(self.ctx, db, request, now)
        db.flush()
        subject = db.get_one(Subject, request.subject_id)
        sites = tuple(website_numbers(db, request))
        audit.record(
            db,
            at=now,
            actor=by,
            action="approved",
            request_id=request.id,
            subject_icp_number=subject.icp_number,
            website_icp_numbers=list(sites),
        )
        return Decision(RequestState.APPROVED, subject.icp_number, sites)

    def reject(self, *, session: str, request_id: int, reason: str) -> Decision:
        with self.ctx.acting(session, "review.reject", request_id=request_id) as act:
            db, by, now = act.db, act.by, act.now
            request_id = record_id("request_id", request_id)
            try:
                reason = clean_text(reason, LONG_TEXT, multiline=True)
            except InvalidValue as problem:
                raise ValidationFailed.one("reason", problem.code, problem.zh, problem.en) from None
            if not reason:
                raise ValidationFailed.one(
                    "reason", "required", "请填写驳回原因", "a rejection needs a reason"
                )
            request = self._take(db, request_id)
            request.state = RequestState.REJECTED
            request.state_changed_at = now
            request.decided_by, request.decided_at = by, now
            request.decision_reason = reason
            audit.record(
                db,
                at=now,
                actor=by,
                action="rejected",
                request_id=request.id,
                reason=reason,
            )
            return Decision(RequestState.REJECTED)
