"""A verification round's life: start it, issue codes, pass it, or return the request.

Every transition is a conditional UPDATE on the row's current state, and only the
process whose UPDATE changed a row does what follows (audit, return, cancel intents).
That is how two workstations, or the app and a worker, can both try the same expiry
and it still happens exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    bindparam,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from beian_desktop.models import Code, Request, SmsIntent, VerificationRound, Verifier, VerifierRole
from beian_desktop.models.database import rowcount
from beian_desktop.models.portable_sql import JsonArrayOf, in_ids, json_array_of
from beian_desktop.rules.clock import SHANGHAI
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.returns import named_state
from beian_desktop.rules.who_verifies import VerificationPlan
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.approval import apply_approval
from beian_desktop.services.verification.codes import issue_code, queue_sms
from beian_desktop.terms import (
    BusinessType,
    RequestState,
    ReturnReason,
    RoundState,
    SmsKind,
    SmsStatus,
    VerifierState,
)


# -- the round -------------------------------------------------------------------------
def start_round(
    ctx: ServiceContext,
    session: Session,
    request: Request,
    plan: VerificationPlan,
    policy: Policy,
    now: datetime,
    by: str,
) -> VerificationRound:
    number = (
        session.scalar(
            select(func.max(VerificationRound.number)).where(
                VerificationRound.request_id == request.id
            )
        )
        or 0
    ) + 1
    rnd = VerificationRound(
        request_id=request.id,
        number=number,
        state=RoundState.OPEN,
        quorum=plan.quorum,
        created_at=now,
        send_due_at=now + policy.send_delay,
    )
    session.add(rnd)
    session.flush()
    for vp in plan.verifiers():
        mobile = parse_mobile(vp.phone)
        verifier = Verifier(
            round_id=rnd.id,
            phone=mobile.number,
            carrier=mobile.carrier,
            is_virtual=mobile.is_virtual,
            name=vp.name,
            state=VerifierState.PENDING,
            wrong_tries=0,
            manual_resends=0,
        )
        session.add(verifier)
        session.flush()
        for s in vp.slots:
            session.add(
                VerifierRole(
                    verifier_id=verifier.id,
                    principal_id=s.principal_id,
                    role=s.role,
                    website_id=s.website_id,
                    id_last6_hash=ctx.keys.keyed_hash("last6", s.id_last6),
                )
            )
        code, clear = issue_code(ctx, session, verifier, now)
        queue_sms(
            ctx,
            session,
            verifier=verifier,
            code=code,
            clear_code=clear,
            kind=SmsKind.INITIAL,
            due_at=rnd.send_due_at,
            policy=policy,
            now=now,
        )
    audit.record(
        session,
        at=now,
        actor=by,
        action="round_started",
        request_id=request.id,
        round=number,
        quorum=plan.quorum,
        verifiers=len(plan.verifiers()),
        sms_due_at=rnd.send_due_at.isoformat(),
    )
    return rnd


def auto_resend_time(first_sent_at: datetime, policy: Policy) -> datetime:
    """12:00 Asia/Shanghai on the day after the first send (SPEC §4)."""
    local = first_sent_at.astimezone(SHANGHAI)
    next_day = (local + timedelta(days=1)).date()
    return datetime(
        next_day.year, next_day.month, next_day.day, policy.auto_resend_hour, tzinfo=SHANGHAI
    )


def mark_first_sends(
    session: Session, sends: Sequence[tuple[int, datetime]], policy: Policy
) -> None:
    """The first SMS handed over starts the 24 hours of its round: `sends` are
    (verifier id, when its SMS was handed over), in any order; the earliest send of a
    round starts it, whichever booking writes it, and later sends never move it."""
    if not sends:
        return
    rows = []
    for verifier_id, sent_at in sends:
        deadline = sent_at + policy.window
        resend_at = auto_resend_time(sent_at, policy)
        rows.append(
            {
                "verifier_id": verifier_id,
                "sent_at": sent_at,
                "deadline": deadline,
                "auto_resend_at": resend_at if resend_at < deadline else None,
            }
        )
    session.execute(_FIRST_SEND, rows)


def _finish_request(
    session: Session, request_id: int, to: RequestState, now: datetime, **values: object
) -> bool:
    statement = _FINISH_REQUEST.values(**values) if values else _FINISH_REQUEST
    result = session.execute(statement, {"request_id": request_id, "to_state": to, "now": now})
    return rowcount(result) == 1


# Each statement below changes any number of rounds at once: a sweep after a weekend
# returns a hundred thousand requests in a few statements per chunk, not per round.
# Nothing is kept in the session's objects, so no ORM bookkeeping grows with them.
# They are built once, on the tables: a code check passes a round in a millisecond or
# two, and building a statement costs more than running its SQL.
_rounds, _verifiers, _codes, _intents = (
    VerificationRound.__table__,
    Verifier.__table__,
    Code.__table__,
    SmsIntent.__table__,
)
_requests = Request.__table__
# A dispatcher's bookkeeping starts the rounds of its first SMS, a row per verifier in
# one executemany: built once.
_FIRST_SEND = (
    update(_rounds)
    .where(
        _rounds.c.id
        == select(_verifiers.c.round_id)
        .where(_verifiers.c.id == bindparam("verifier_id"))
        .scalar_subquery(),
        _rounds.c.first_sent_at.is_(None)
        | (_rounds.c.first_sent_at > bindparam("sent_at", type_=_rounds.c.first_sent_at.type)),
    )
    .values(
        first_sent_at=bindparam("sent_at", type_=_rounds.c.first_sent_at.type),
        deadline=bindparam("deadline", type_=_rounds.c.deadline.type),
        auto_resend_at=bindparam("auto_resend_at", type_=_rounds.c.auto_resend_at.type),
    )
)
# The rounds a statement is about travel as one parameter, "round_ids" (see in_ids).
_THEIR_VERIFIERS = select(_verifiers.c.id).where(in_ids(_verifiers.c.round_id, "round_ids"))
_CLOSE_ROUNDS = (
    update(_rounds)
    .where(in_ids(_rounds.c.id, "round_ids"), _rounds.c.state == RoundState.OPEN)
    .values(state=bindparam("to_state"), ended_at=bindparam("now"))
    .returning(_rounds.c.id, _rounds.c.request_id, _rounds.c.number)
)
_RETIRE_CODES = (
    update(_codes)
    .where(_codes.c.verifier_id.in_(_THEIR_VERIFIERS), _codes.c.superseded_at.is_(None))
    .values(superseded_at=bindparam("now"))
)
_CANCEL_INTENTS = (
    update(_intents)
    .where(_intents.c.verifier_id.in_(_THEIR_VERIFIERS), _intents.c.status == SmsStatus.PENDING)
    .values(status=SmsStatus.CANCELLED, last_error="the round ended")
)
_FINISH_REQUEST = (
    update(_requests)
    .where(_requests.c.id == bindparam("request_id"), _requests.c.state == RequestState.VERIFYING)
    .values(state=bindparam("to_state"), state_changed_at=bindparam("now"))
)
_NOT_NEEDED = (
    update(_verifiers)
    .where(
        _verifiers.c.round_id == bindparam("passed_round"),
        _verifiers.c.state == VerifierState.PENDING,
    )
    .values(state=VerifierState.NOT_NEEDED, ended_at=bindparam("now"))
)
_BUSINESS_TYPE = select(_requests.c.business_type).where(_requests.c.id == bindparam("request_id"))
_ROUND_STATES = select(_verifiers.c.state).where(_verifiers.c.round_id == bindparam("round_id"))


@dataclass(frozen=True)
class RoundRef:
    """What passing or returning one round needs to know of it, read with the rest of
    a check's first query instead of loading the round."""

    id: int
    request_id: int
    number: int
    quorum: str


def _close_rounds(
    session: Session, round_ids: list[int], to: RoundState, now: datetime
) -> list[Row[tuple[int, int, int]]]:
    """Closes the rounds among `round_ids` still open; says which this call closed
    (id, request, number). A round another process closed first is not among them."""
    closed = list(
        session.execute(_CLOSE_ROUNDS, {"round_ids": round_ids, "to_state": to, "now": now})
    )
    if closed:
        theirs = {"round_ids": [r.id for r in closed], "now": now}
        session.execute(_RETIRE_CODES, theirs)
        session.execute(_CANCEL_INTENTS, theirs)
    return closed


_RETURN_REQUESTS = {
    reason: update(_requests)
    .where(
        _requests.c.id.in_(select(_rounds.c.request_id).where(in_ids(_rounds.c.id, "round_ids"))),
        _requests.c.state == RequestState.VERIFYING,
    )
    .values(state=RequestState.RETURNED, state_changed_at=bindparam("now"), return_reason=reason)
    for reason in ReturnReason
}
_EXPIRE_VERIFIERS = (
    update(_verifiers)
    .where(in_ids(_verifiers.c.round_id, "round_ids"), _verifiers.c.state == VerifierState.PENDING)
    .values(state=VerifierState.EXPIRED, ended_at=bindparam("now"))
)


def _named(reason: ReturnReason, column: ColumnElement[Any]) -> JsonArrayOf:
    """What the returned round's event keeps of each verifier the return names
    (rules/returns.py), in their order; read once the pending ones have expired."""
    return json_array_of(
        select(column)
        .where(_verifiers.c.round_id == _rounds.c.id, _verifiers.c.state == named_state(reason))
        .order_by(_verifiers.c.id)
    )


# One "returned" event per round, written by the database from the rows it just
# changed: a sweep of 100,000 builds no dict, JSON text or timestamp per event.
_RETURNED_EVENTS = {
    reason: audit.written_by_the_database(
        "returned",
        _rounds.c.request_id,
        select()
        .select_from(_rounds)
        .where(in_ids(_rounds.c.id, "round_ids"))
        .order_by(_rounds.c.id),
        reason=literal_column(f"'{reason.value}'"),  # our own word, never input
        round=_rounds.c.number,
        verifier_ids=_named(reason, _verifiers.c.id),
        verifiers=_named(reason, _verifiers.c.name),
    )
    for reason in ReturnReason
}


def return_rounds(
    session: Session,
    round_ids: list[int],
    reason: ReturnReason,
    now: datetime,
    *,
    actor: str = audit.SYSTEM,
) -> int:
    """Returns the WHOLE request of each round (SPEC §3), once, however many processes
    try, naming every verifier that kept it from passing (rules/returns.py). Says how
    many requests this call returned. A few statements, whatever the number."""
    closed = _close_rounds(session, round_ids, RoundState.FAILED, now)
    if not closed:
        return 0
    theirs = {"round_ids": [r.id for r in closed], "now": now}
    session.execute(_RETURN_REQUESTS[reason], theirs)
    session.execute(_EXPIRE_VERIFIERS, theirs)
    session.flush()  # events already added keep their place in the timeline
    session.execute(_RETURNED_EVENTS[reason], {**theirs, "actor": actor})
    return len(closed)


def return_request(
    session: Session,
    rnd: RoundRef,
    reason: ReturnReason,
    now: datetime,
    actor: str = audit.SYSTEM,
) -> bool:
    """One round's request (a verifier's tries ran out)."""
    return return_rounds(session, [rnd.id], reason, now, actor=actor) == 1


def pass_round(ctx: ServiceContext, session: Session, rnd: RoundRef, now: datetime) -> bool:
    """The quorum verified: the request goes on, once. With quorum "any one" the
    verifiers still pending are not needed any more, and say so (SPEC §3)."""
    if not _close_rounds(session, [rnd.id], RoundState.PASSED, now):
        return False
    session.execute(_NOT_NEEDED, {"passed_round": rnd.id, "now": now})
    business_type = session.execute(_BUSINESS_TYPE, {"request_id": rnd.request_id}).scalar_one()
    if business_type == BusinessType.CHANGE_PHONE:
        # The bureau approved the number before the round; passing makes it current.
        _finish_request(session, rnd.request_id, RequestState.APPROVED, now, decided_at=now)
        apply_approval(ctx, session, session.get_one(Request, rnd.request_id), now)
    else:
        _finish_request(session, rnd.request_id, RequestState.BUREAU_REVIEW, now)
    audit.record_all(
        session,
        [
            audit.event(
                at=now,
                actor=audit.SYSTEM,
                action="verification_passed",
                request_id=rnd.request_id,
                round=rnd.number,
            )
        ],
    )
    return True


def _verifier_states(session: Session, rnd: RoundRef) -> list[str]:
    return list(session.execute(_ROUND_STATES, {"round_id": rnd.id}).scalars())


def quorum_reached(session: Session, rnd: RoundRef) -> bool:
    states = _verifier_states(session, rnd)
    verified = sum(1 for s in states if s == VerifierState.VERIFIED)
    return verified == len(states) if rnd.quorum == "all" else verified >= 1


def can_still_pass(session: Session, rnd: RoundRef) -> bool:
    """Quorum 'any': the request returns only when no verifier can still pass."""
    states = set(_verifier_states(session, rnd))
    if rnd.quorum == "all":
        return VerifierState.FAILED not in states and VerifierState.EXPIRED not in states
    return bool(states & {VerifierState.PENDING, VerifierState.VERIFIED})
