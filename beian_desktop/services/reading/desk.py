"""The help desk's reads: the pending verifiers, and a caller's by number."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    func,
    select,
)
from sqlalchemy.orm import Session

from beian_desktop.models import Request, SmsIntent, Subject, VerificationRound, Verifier
from beian_desktop.rules.clock import shanghai_day
from beian_desktop.rules.errors import InvalidValue, ValidationFailed
from beian_desktop.rules.phones import mask_phone, parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.read_models import PendingVerifierRow
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.sql_helpers import Unindexed, check_limit, column_for
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.terms import RoundState, VerifierState


# -- pending verifiers -----------------------------------------------------------------
def _pending_select() -> Select:
    return (
        select(
            Verifier.id,
            Verifier.name,
            Verifier.phone,
            Verifier.state,
            Verifier.wrong_tries,
            Verifier.manual_resends,
            VerificationRound.request_id,
            VerificationRound.deadline,
            VerificationRound.send_due_at,
            Subject.holder_name,
        )
        .join(VerificationRound, VerificationRound.id == Verifier.round_id)
        .join(Request, Request.id == VerificationRound.request_id)
        .join(Subject, Subject.id == Request.subject_id)
        .where(Verifier.state == VerifierState.PENDING, VerificationRound.state == RoundState.OPEN)
    )


def _live_round(now: datetime, *, indexed: bool = True) -> ColumnElement[bool]:
    """Still resendable: not sent yet, or before its deadline (as resend_code decides)."""
    deadline = column_for(VerificationRound.deadline, indexed)
    return deadline.is_(None) | (deadline > now)


def _pending_rows(
    session: Session, rows: Sequence[Any], policy: Policy, now: datetime
) -> list[PendingVerifierRow]:
    """The 60 s spacing is per number: the latest send to any of its live verifiers."""
    phones = sorted({r.phone for r in rows})
    last_sends: dict[str, datetime | None] = {}
    if phones:
        last_sends = dict(
            session.execute(
                select(Verifier.phone, func.max(Verifier.last_send_at))
                .join(VerificationRound, VerificationRound.id == Verifier.round_id)
                .where(
                    Verifier.phone.in_(phones),  # ix_verifiers_phone_state, not the rounds
                    Verifier.state == VerifierState.PENDING,
                    Unindexed(VerificationRound.state) == RoundState.OPEN,
                    _live_round(now, indexed=False),
                )
                .group_by(Verifier.phone)
            ).all()
        )
    went: dict[int, datetime | None] = {}
    if rows:
        went = {
            verifier_id: sent_at
            for verifier_id, sent_at in session.execute(
                select(SmsIntent.verifier_id, func.max(SmsIntent.sent_at))
                .where(SmsIntent.verifier_id.in_(sorted({r.id for r in rows})))
                .group_by(SmsIntent.verifier_id)
            )
        }
    spacing = policy.manual_resend_spacing
    result = []
    for r in rows:
        if r.deadline is None:  # refused until it has gone out, then the spacing runs
            next_at: datetime | None = max(r.send_due_at, now) + spacing
        else:
            last = last_sends.get(r.phone)
            next_at = last + spacing if last is not None and last + spacing > now else None
        result.append(
            PendingVerifierRow(
                verifier_id=r.id,
                request_id=r.request_id,
                name=r.name,
                phone_masked=mask_phone(r.phone),
                state=r.state,
                deadline=r.deadline,
                tries_left=max(policy.max_wrong_tries - r.wrong_tries, 0),
                manual_resends_left=max(policy.manual_resend_cap - r.manual_resends, 0),
                next_resend_at=next_at,
                subject_name=r.holder_name,
                last_sent_at=went.get(r.id),
            )
        )
    return result


class DeskQueries:
    """The help desk's reads."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> date:
        return shanghai_day(self.ctx.now())

    # -- the help desk ---------------------------------------------------------------------
    def pending_verifiers(self, *, session: str, limit: int = 500) -> list[PendingVerifierRow]:
        """Soonest deadline first; then those whose round's first SMS has not gone out,
        soonest due first."""
        with self.ctx.acting(session, "queries.pending_verifiers", read=True) as act:
            db, now = act.db, act.now
            limit = check_limit(limit)
            policy = load_policy(db)
            rows = list(
                db.execute(
                    _pending_select()
                    .where(VerificationRound.deadline > now)
                    .order_by(VerificationRound.deadline, Verifier.id)
                    .limit(limit)
                )
            )
            if len(rows) < limit:
                rows += db.execute(
                    _pending_select()
                    .where(VerificationRound.deadline.is_(None))
                    .order_by(VerificationRound.send_due_at, Verifier.id)
                    .limit(limit - len(rows))
                )
            return _pending_rows(db, rows, policy, now)

    def caller_lookup(self, *, session: str, phone: str) -> list[PendingVerifierRow]:
        """The pending verifiers of one number, soonest deadline first."""
        with self.ctx.acting(session, "queries.caller_lookup", read=True) as act:
            db, now = act.db, act.now
            try:
                number = parse_mobile(phone).number
            except InvalidValue as problem:
                raise ValidationFailed.one("phone", problem.code, problem.zh, problem.en) from None
            policy = load_policy(db)
            rows = list(
                db.execute(_pending_select().where(Verifier.phone == number, _live_round(now)))
            )
            far = datetime.max.replace(tzinfo=UTC)
            rows.sort(key=lambda r: (r.deadline is None, r.deadline or far, r.send_due_at, r.id))
            return _pending_rows(db, rows, policy, now)
