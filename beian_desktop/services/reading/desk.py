"""The help desk's reads: the pending verifiers, a caller's by number, and a caller's
history (every recent request their number verifies in, with its SMS and why it came
back)."""

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

from beian_desktop.models import (
    AuditEvent,
    Request,
    SmsIntent,
    Subject,
    VerificationRound,
    Verifier,
)
from beian_desktop.rules.clock import shanghai_day
from beian_desktop.rules.errors import InvalidValue, ValidationFailed
from beian_desktop.rules.phones import mask_phone, parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.read_models import (
    CallerHistory,
    CallerRequest,
    CallerSms,
    PendingVerifierRow,
)
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


def _named_in(returned: dict[str, Any]) -> str | None:
    """Whom a "returned" event names: every verifier still pending (`verifiers`), or the
    one an older event named (`verifier`)."""
    named = returned.get("verifiers")
    if isinstance(named, list) and named:
        return "、".join(str(n) for n in named)
    found = returned.get("verifier")
    return str(found) if found else None


def _next_resend(
    deadline: datetime | None,
    send_due_at: datetime,
    last_send: datetime | None,
    policy: Policy,
    now: datetime,
) -> datetime | None:
    """The earliest a manual resend passes the spacing rule, None if it would now."""
    spacing = policy.manual_resend_spacing
    if deadline is None:  # refused until it has gone out, then the spacing runs
        return max(send_due_at, now) + spacing
    return last_send + spacing if last_send is not None and last_send + spacing > now else None


def _caller_number(phone: str) -> str:
    try:
        return parse_mobile(phone).number
    except InvalidValue as problem:
        raise ValidationFailed.one("phone", problem.code, problem.zh, problem.en) from None


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
    result = []
    for r in rows:
        next_at = _next_resend(r.deadline, r.send_due_at, last_sends.get(r.phone), policy, now)
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
            number = _caller_number(phone)
            policy = load_policy(db)
            rows = list(
                db.execute(_pending_select().where(Verifier.phone == number, _live_round(now)))
            )
            far = datetime.max.replace(tzinfo=UTC)
            rows.sort(key=lambda r: (r.deadline is None, r.deadline or far, r.send_due_at, r.id))
            return _pending_rows(db, rows, policy, now)

    def caller_history(self, *, session: str, phone: str, limit: int = 30) -> CallerHistory:
        """Every request the number verifies in, as CallerHistory orders them: the
        live ones, then the `limit` most recent others (returned, verified, expired)."""
        with self.ctx.acting(session, "queries.caller_history", read=True) as act:
            db, now = act.db, act.now
            number = _caller_number(phone)
            limit = check_limit(limit)
            policy = load_policy(db)
            live = _live_verifier(now)
            rows = list(db.execute(_history_select(number).where(live)))
            rows += db.execute(
                _history_select(number).where(~live).order_by(Verifier.id.desc()).limit(limit)
            )
            far = datetime.max.replace(tzinfo=UTC)
            rows.sort(
                key=lambda r: (
                    (0, r.deadline is None, r.deadline or far, r.send_due_at, r.verifier_id)
                    if _is_live(r, now)
                    else (1, False, far, far, -r.verifier_id)
                )
            )
            return CallerHistory(
                phone_masked=mask_phone(number),
                requests=_caller_requests(db, rows, policy, now),
            )


def _live_verifier(now: datetime) -> ColumnElement[bool]:
    """A code can still be checked or resent (as check_code and resend_code decide)."""
    return (
        (Verifier.state == VerifierState.PENDING)
        & (VerificationRound.state == RoundState.OPEN)
        & _live_round(now)
    )


def _history_select(number: str) -> Select:
    return (
        select(
            Verifier.id.label("verifier_id"),
            Verifier.name,
            Verifier.state,
            Verifier.wrong_tries,
            Verifier.manual_resends,
            Verifier.last_send_at,
            Verifier.ended_at,
            VerificationRound.number.label("round_number"),
            VerificationRound.state.label("round_state"),
            VerificationRound.send_due_at,
            VerificationRound.first_sent_at,
            VerificationRound.deadline,
            VerificationRound.ended_at.label("round_ended_at"),
            Request.id.label("request_id"),
            Request.business_type,
            Request.state.label("request_state"),
            Subject.holder_name,
            (
                (Verifier.state == VerifierState.PENDING)
                & (VerificationRound.state == RoundState.OPEN)
            ).label("open"),
        )
        .join(VerificationRound, VerificationRound.id == Verifier.round_id)
        .join(Request, Request.id == VerificationRound.request_id)
        .join(Subject, Subject.id == Request.subject_id)
        .where(Verifier.phone == number)  # ix_verifiers_phone_state
    )


def _caller_requests(
    db: Session, rows: Sequence[Any], policy: Policy, now: datetime
) -> tuple[CallerRequest, ...]:
    verifier_ids = [r.verifier_id for r in rows]
    sms: dict[int, list[CallerSms]] = {v: [] for v in verifier_ids}
    if verifier_ids:
        for i in db.scalars(
            select(SmsIntent).where(SmsIntent.verifier_id.in_(verifier_ids)).order_by(SmsIntent.id)
        ):
            sms[i.verifier_id].append(
                CallerSms(i.kind, i.sender_number, i.status, i.delivery_status, i.due_at, i.sent_at)
            )
    # Why a round came back is in its "returned" event: a resubmission clears the
    # request's own return reason, and an older round's is still wanted.
    returns: dict[tuple[int | None, object], dict[str, Any]] = {}
    request_ids = sorted({r.request_id for r in rows})
    if request_ids:
        for request_id, details in db.execute(
            select(AuditEvent.request_id, AuditEvent.details).where(
                AuditEvent.request_id.in_(request_ids), AuditEvent.action == "returned"
            )
        ):
            details = dict(details or {})
            returns[(request_id, details.get("round"))] = details
    last_send = max(
        (r.last_send_at for r in rows if _is_live(r, now) and r.last_send_at is not None),
        default=None,
    )
    result = []
    for r in rows:
        live = _is_live(r, now)
        returned = returns.get((r.request_id, r.round_number), {})
        result.append(
            CallerRequest(
                verifier_id=r.verifier_id,
                request_id=r.request_id,
                business_type=r.business_type,
                subject_name=r.holder_name,
                request_state=r.request_state,
                round_number=r.round_number,
                round_state=r.round_state,
                name=r.name,
                verifier_state=str(r.state),  # a passed round closed the rest
                live=live,
                first_sms_at=(
                    max(r.send_due_at, now) if live and r.first_sent_at is None else None
                ),
                deadline=r.deadline,
                tries_left=max(policy.max_wrong_tries - r.wrong_tries, 0),
                manual_resends_left=max(policy.manual_resend_cap - r.manual_resends, 0),
                next_resend_at=(
                    _next_resend(r.deadline, r.send_due_at, last_send, policy, now)
                    if live
                    else None
                ),
                ended_at=r.ended_at or r.round_ended_at,
                return_reason=returned.get("reason"),
                returned_verifier_name=_named_in(returned),
                sms=tuple(sms[r.verifier_id]),
            )
        )
    return tuple(result)


def _is_live(row: Any, now: datetime) -> bool:
    return bool(row.open) and (row.deadline is None or row.deadline > now)
