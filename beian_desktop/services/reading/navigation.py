"""The numbers beside the navigation's pages (退回 8, 待审 9): what waits for someone now.
Cheap on purpose (counts over indexed states), since the window asks again on every
data change and on a timer."""

from __future__ import annotations

from sqlalchemy import exists, func, select

from beian_desktop.models import AuditEvent, Request, VerificationRound, Verifier
from beian_desktop.rules.read_models import NavigationCounts
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.returns import NOTE_ACTIONS
from beian_desktop.terms import RequestState, RoundState, VerifierState


class NavigationQueries:
    ctx: ServiceContext

    def navigation_counts(self, *, session: str) -> NavigationCounts:
        """Requests returned now (and of those, not yet noted or handed back since they
        came back), requests waiting for the bureau, verifiers pending in an open round
        that is still live."""
        with self.ctx.acting(session, "queries.navigation_counts", read=True) as act:
            db, now = act.db, act.now
            by_state = dict(
                db.execute(
                    select(Request.state, func.count())
                    .where(Request.state.in_([RequestState.RETURNED, RequestState.BUREAU_REVIEW]))
                    .group_by(Request.state)
                ).all()
            )
            reviewed = exists().where(
                AuditEvent.request_id == Request.id,
                AuditEvent.action.in_(NOTE_ACTIONS),
                AuditEvent.at >= Request.state_changed_at,
            )
            to_review = db.scalar(
                select(func.count())
                .select_from(Request)
                .where(Request.state == RequestState.RETURNED, ~reviewed)
            )
            pending = db.scalar(
                select(func.count())
                .select_from(Verifier)
                .join(VerificationRound, VerificationRound.id == Verifier.round_id)
                .where(
                    Verifier.state == VerifierState.PENDING,
                    VerificationRound.state == RoundState.OPEN,
                    VerificationRound.deadline.is_(None) | (VerificationRound.deadline > now),
                )
            )
            return NavigationCounts(
                returned=by_state.get(RequestState.RETURNED.value, 0),
                returned_to_review=to_review or 0,
                bureau_review=by_state.get(RequestState.BUREAU_REVIEW.value, 0),
                pending_verifiers=pending or 0,
            )
