"""Recording what the endpoint answered, and keeping or giving back a claim (SPEC §4).

Every statement here is fenced: it changes an intent only while it is `sending` under
this dispatcher's lease of the epoch it claimed (claims.py). A dispatcher that stalled
past its lease and was taken over finds its rows changed and records nothing; the one
that took over records once.

- `record`: `sent` with the endpoint's id, marked for bookkeeping, or back to `pending`
  with a backoff (never sooner than the endpoint's Retry-After), or `failed` for good
  on a refusal, audited. Only this is awaited before a sender takes its next SMS.
- `book`: what the sends mean beyond the intents (the verifier's last send, the round's
  first send, one `sms_sent` event each), for many sent intents in one transaction,
  each at its own `sent_at`. Taking the mark is the fence: a send is booked once, by
  whoever takes it, and what a killed dispatcher left marked the next one books.
  What an endpoint answered is stored and audited only with the message, the code,
  the phone and the name removed, and cut short (`redact_answer`).
- `renew`: the leases of what this dispatcher holds, extended; says which it still holds.
- `release`: what this dispatcher holds and will not send, back to `pending`, due at once.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from beian_desktop.models import SmsIntent, VerificationRound, Verifier
from beian_desktop.models.portable_sql import in_ids
from beian_desktop.rules.masking import redact_answer
from beian_desktop.rules.policy import Policy
from beian_desktop.services import audit
from beian_desktop.services.sending.claims import Claimed
from beian_desktop.services.sending.senders import SendFailed, SendReceipt
from beian_desktop.services.verification.rounds import mark_first_sends
from beian_desktop.terms import SmsStatus

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=15)
STORED_ANSWER = 500  # characters of an endpoint's answer kept in sms_intents.last_error
AUDITED_ANSWER = 200  # and in the `sms_failed` event


def retry_delay(attempts: int, retry_after: float | None, rng: random.Random) -> timedelta:
    """Exponential backoff with jitter; an endpoint's Retry-After is never undercut."""
    if retry_after is not None:
        return timedelta(seconds=retry_after)
    doublings = min(max(attempts - 1, 0), 20)  # past the cap anyway; keeps the int small
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2**doublings)
    return ceiling * rng.uniform(0.5, 1.0)


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    receipt: SendReceipt | None = None
    failure: SendFailed | None = None


@dataclass
class Recorded:
    """What one `record` call changed; `fenced_off`: outcomes it refused, because the
    claim they were sent under had been taken over."""

    sent: int = 0
    failed: int = 0
    retry_later: int = 0
    fenced_off: int = 0


def stored_answer(failure: SendFailed, claimed: Claimed, limit: int) -> str:
    return redact_answer(str(failure), claimed.message.secrets, limit=limit)


_intents, _verifiers, _rounds = (
    SmsIntent.__table__,
    Verifier.__table__,
    VerificationRound.__table__,
)
# One "sms_sent" event per SMS booked, at its send, written by the database from the
# intents' rows.
_SENT_EVENTS = audit.written_by_the_database(
    "sms_sent",
    _rounds.c.request_id,
    select()
    .select_from(
        _intents.join(_verifiers, _verifiers.c.id == _intents.c.verifier_id).join(
            _rounds, _rounds.c.id == _verifiers.c.round_id
        )
    )
    .where(in_ids(_intents.c.id, "intent_ids"))
    .order_by(_intents.c.id),
    at=_intents.c.sent_at,
    verifier_id=_intents.c.verifier_id,
    kind=_intents.c.kind,
    sender_number=_intents.c.sender_number,
    intent_id=_intents.c.id,
    attempts=_intents.c.attempts,
)
_ENDPOINT_ANSWERS = (
    update(_intents)
    .where(_intents.c.id == bindparam("iid"))
    .values(endpoint_message_id=bindparam("mid"), delivery_status=bindparam("ds"))
)
_LET_GO = {"lease_owner": None, "lease_until": None}


def _held(owner: str, claims: Sequence[Claimed]) -> ColumnElement[bool]:
    """The fence: these intents, still `sending` under this owner's claim of that epoch."""
    return (
        tuple_(SmsIntent.id, SmsIntent.lease_epoch).in_([(c.intent_id, c.epoch) for c in claims])
        & (SmsIntent.lease_owner == owner)
        & (SmsIntent.status == SmsStatus.SENDING)
    )


# What every group commit runs, built once on the tables: a commit of a few SMS must not
# spend more on building its statements than on running them. `held` is the fence's
# (id, epoch) pairs, `owner` its lease owner.
_SENT_NOW = bindparam("now", type_=_intents.c.sent_at.type)
_RECORD_SENT = (
    update(_intents)
    .where(
        tuple_(_intents.c.id, _intents.c.lease_epoch).in_(bindparam("held", expanding=True)),
        _intents.c.lease_owner == bindparam("owner"),
        _intents.c.status == SmsStatus.SENDING,
    )
    .values(
        status=SmsStatus.SENT, sent_at=_SENT_NOW, last_error=None, bookkeeping_due=True, **_LET_GO
    )
    .returning(_intents.c.id)
)
# Bookkeeping: the mark taken (only rows still marked: the fence), then a row per
# verifier in one executemany each.
_TAKE_MARKS = (
    update(_intents)
    .where(in_ids(_intents.c.id, "intent_ids"), _intents.c.bookkeeping_due.is_not(None))
    .values(bookkeeping_due=None)
    .returning(_intents.c.id, _intents.c.verifier_id, _intents.c.sent_at)
)
_SEND_AT = bindparam("sent_at", type_=_verifiers.c.last_send_at.type)
_LAST_SEND = (
    update(_verifiers)
    .where(
        _verifiers.c.id == bindparam("verifier_id"),
        _verifiers.c.last_send_at.is_(None) | (_verifiers.c.last_send_at < _SEND_AT),
    )
    .values(last_send_at=_SEND_AT)
)


def record(
    session: Session,
    outcomes: Sequence[Outcome],
    *,
    owner: str,
    now: datetime,
    rng: random.Random,
) -> Recorded:
    """The outcomes of a few SMS, in the caller's transaction, a few statements."""
    done = Recorded()
    sent = [o for o in outcomes if o.receipt is not None]
    if sent:
        done.sent = _record_sent(session, sent, owner=owner, now=now)
    for outcome in outcomes:
        if outcome.failure is not None:
            _record_failed(session, outcome, outcome.failure, owner, now, rng, done)
    done.fenced_off = len(outcomes) - done.sent - done.failed - done.retry_later
    return done


def _record_sent(session: Session, sent: list[Outcome], *, owner: str, now: datetime) -> int:
    receipts = {o.claimed.intent_id: o.receipt for o in sent}
    held = [(o.claimed.intent_id, o.claimed.epoch) for o in sent]
    recorded = session.execute(_RECORD_SENT, {"held": held, "owner": owner, "now": now}).all()
    answers = [
        {"iid": r.id, "mid": receipt.endpoint_message_id, "ds": receipt.delivery_status}
        for r in recorded
        if (receipt := receipts[r.id]) is not None
        and (receipt.endpoint_message_id is not None or receipt.delivery_status is not None)
    ]
    if answers:
        session.execute(_ENDPOINT_ANSWERS, answers)
    return len(recorded)


def book(session: Session, intent_ids: Sequence[int], policy: Policy) -> int:
    """Books the sends of those of `intent_ids` still marked; how many it booked."""
    if not intent_ids:
        return 0
    rows = session.execute(_TAKE_MARKS, {"intent_ids": list(intent_ids)}).all()
    if not rows:
        return 0
    last: dict[int, datetime] = {}
    first: dict[int, datetime] = {}
    for row in rows:
        last[row.verifier_id] = max(last.get(row.verifier_id, row.sent_at), row.sent_at)
        first[row.verifier_id] = min(first.get(row.verifier_id, row.sent_at), row.sent_at)
    # Verifier by verifier, in one order for everyone: two bookings never deadlock.
    session.execute(_LAST_SEND, [{"verifier_id": v, "sent_at": t} for v, t in sorted(last.items())])
    mark_first_sends(session, sorted(first.items()), policy)
    session.execute(_SENT_EVENTS, {"intent_ids": [r.id for r in rows], "actor": audit.SYSTEM})
    return len(rows)


def left_marked(session: Session, limit: int) -> list[int]:
    """Sent intents whose bookkeeping a killed dispatcher left undone, oldest first."""
    return list(
        session.scalars(
            select(SmsIntent.id)
            .where(SmsIntent.bookkeeping_due.is_not(None))
            .order_by(SmsIntent.id)
            .limit(limit)
        )
    )


def _record_failed(
    session: Session,
    outcome: Outcome,
    failure: SendFailed,
    owner: str,
    now: datetime,
    rng: random.Random,
    done: Recorded,
) -> None:
    claimed = outcome.claimed
    if failure.retryable:
        delay = retry_delay(claimed.attempts, failure.retry_after, rng)
        values: dict[str, object] = {"status": SmsStatus.PENDING, "due_at": now + delay}
    else:
        values = {"status": SmsStatus.FAILED}
    verifier_id = session.execute(
        update(SmsIntent)
        .where(_held(owner, [claimed]))
        .values(last_error=stored_answer(failure, claimed, STORED_ANSWER), **_LET_GO, **values)
        .returning(SmsIntent.verifier_id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if verifier_id is None:
        return
    if failure.retryable:
        done.retry_later += 1
        return
    done.failed += 1
    audit.record(
        session,
        at=now,
        actor=audit.SYSTEM,
        action="sms_failed",
        request_id=claimed.request_id,
        verifier_id=verifier_id,
        error=stored_answer(failure, claimed, AUDITED_ANSWER),
    )


def renew(session: Session, *, owner: str, claims: Sequence[Claimed], until: datetime) -> set[int]:
    """Extends the leases of `claims` to `until`; the ids of those this owner still
    holds (the others were taken over after their lease lapsed)."""
    if not claims:
        return set()
    return set(
        session.execute(
            update(SmsIntent)
            .where(_held(owner, claims))
            .values(lease_until=until)
            .returning(SmsIntent.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )


def release(session: Session, *, owner: str, claims: Sequence[Claimed]) -> int:
    """What this owner holds of `claims`, given back: pending, due at once, for the
    next dispatcher (this one's next pass, or another)."""
    if not claims:
        return 0
    return len(
        session.execute(
            update(SmsIntent)
            .where(_held(owner, claims))
            .values(status=SmsStatus.PENDING, **_LET_GO)
            .returning(SmsIntent.id)
            .execution_options(synchronize_session=False)
        ).all()
    )
