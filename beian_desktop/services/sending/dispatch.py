"""Handing due SMS intents to the endpoint: claim, send, record (SPEC §4).

- Claim: one transaction takes a batch of due intents (pending, or `sending` with a
  lapsed lease, so a crashed dispatcher's work is taken over) and marks them
  `sending` with a lease. PostgreSQL skips rows another dispatcher holds
  (`FOR UPDATE SKIP LOCKED`); SQLite serialises the claim with `BEGIN IMMEDIATE`.
- Send: concurrently, at most `concurrency` at once, outside any transaction: a pool
  of that many senders, each taking the next SMS as soon as its last is answered.
- Record: `sent` with the endpoint's id, or back to `pending` with a backoff (and the
  endpoint's Retry-After), or `failed` for good on a refusal.

Every try of one intent carries its idempotency key and the very same code, so a
dispatcher killed between send and record causes at most a duplicate the endpoint
can recognise, never a second code. An intent whose round has ended is cancelled
instead of sent: nothing goes out for a returned request.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select, union_all, update
from sqlalchemy.orm import Session

from beian_desktop.models import SmsIntent, VerificationRound, Verifier
from beian_desktop.models.portable_sql import in_ids
from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.sms_text import DEADLINE_FORMAT, DEFAULT_TEMPLATE, render_sms_text
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.sending.fault_points import AFTER_CLAIM, AFTER_SEND, crash_if_asked
from beian_desktop.services.sending.senders import SendFailed, SendReceipt, SmsMessage, sending
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.services.verification.rounds import mark_first_send
from beian_desktop.terms import RoundState, SmsStatus

LEASE = timedelta(minutes=2)
BATCH = 200
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=15)
ROUND_ENDED = "the round ended before it went out"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def retry_delay(attempts: int, retry_after: float | None, rng: random.Random) -> timedelta:
    """Exponential backoff with jitter; an endpoint's Retry-After is never undercut."""
    if retry_after is not None:
        return timedelta(seconds=retry_after)
    doublings = min(max(attempts - 1, 0), 20)  # past the cap anyway; keeps the int small
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2**doublings)
    return ceiling * rng.uniform(0.5, 1.0)


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    retry_later: int = 0


@dataclass(frozen=True)
class Claimed:
    intent_id: int
    attempts: int
    message: SmsMessage
    request_id: int | None = None  # for the audit trail, read with the claim


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    receipt: SendReceipt | None = None
    failure: SendFailed | None = None


class _Batch:
    """One claim's SMS on their way: recorded together once all are answered."""

    __slots__ = ("outcomes", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.outcomes: list[Outcome] = []


_intents, _verifiers, _rounds = (
    SmsIntent.__table__,
    Verifier.__table__,
    VerificationRound.__table__,
)
# One "sms_sent" event per SMS recorded, written by the database from the intents'
# rows (a batch makes no dict, JSON text or timestamp per event).
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
    verifier_id=_intents.c.verifier_id,
    kind=_intents.c.kind,
    sender_number=_intents.c.sender_number,
    intent_id=_intents.c.id,
    attempts=_intents.c.attempts,
)


def _due(now: datetime) -> ColumnElement[bool]:
    lapsed = (SmsIntent.status == SmsStatus.SENDING) & (SmsIntent.lease_until <= now)
    return (SmsIntent.due_at <= now) & ((SmsIntent.status == SmsStatus.PENDING) | lapsed)


def _first_due(now: datetime, limit: int) -> Select[int]:
    """The ids of the first `limit` due intents, in due order, as two walks of the
    (status, due_at) index merged: pending ones, and `sending` ones whose lease lapsed.
    SQLite answers `_due` as written by collecting and sorting every due row, so a
    claim would cost as much as the whole backlog; this costs the same for any."""
    walks = [
        select(SmsIntent.id, SmsIntent.due_at)
        .where(SmsIntent.status == status, SmsIntent.due_at <= now, *extra)
        .order_by(SmsIntent.due_at, SmsIntent.id)
        .limit(limit)
        .subquery()
        for status, extra in (
            (SmsStatus.PENDING, ()),
            (SmsStatus.SENDING, (SmsIntent.lease_until <= now,)),
        )
    ]
    merged = union_all(*(select(walk.c.id, walk.c.due_at) for walk in walks)).subquery()
    return select(merged.c.id).order_by(merged.c.due_at, merged.c.id).limit(limit)


class Dispatcher:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        template: str = DEFAULT_TEMPLATE,
        link: str = "",
        concurrency: int = 8,
        lease: timedelta = LEASE,
        batch: int = BATCH,
        rng: random.Random | None = None,
    ) -> None:
        self.ctx = ctx
        self.template = template
        self.link = link
        self.concurrency = concurrency
        self.lease = lease
        self.batch = batch
        self.owner = worker_id()
        self.rng = rng or random.Random()

    # -- claim ---------------------------------------------------------------------------
    def claim(self, now: datetime, report: DispatchReport) -> list[Claimed]:
        """One transaction, a few statements whatever the batch size: the rows are read
        once, then marked `sending` (or `cancelled`) set-based."""
        with self.ctx.unit_of_work() as session:
            while True:  # a batch whose rounds all ended is cancelled; take the next
                rows = self._due_rows(session, now)
                if not rows:
                    return []
                ended = {
                    r.id
                    for r in rows
                    if r.state != RoundState.OPEN or (r.deadline is not None and r.deadline <= now)
                }
                if ended:
                    session.execute(
                        update(SmsIntent)
                        .where(SmsIntent.id.in_(ended))
                        .values(status=SmsStatus.CANCELLED, last_error=ROUND_ENDED)
                        .execution_options(synchronize_session=False)
                    )
                    report.cancelled += len(ended)
                live = [r for r in rows if r.id not in ended]
                if live:
                    break
            # A long run's later batches get a lease from when they are claimed, not
            # from when the run began: else another dispatcher could take them over.
            lease_until = max(now, self.ctx.now()) + self.lease
            session.execute(
                update(SmsIntent)
                .where(SmsIntent.id.in_([r.id for r in live]))
                .values(
                    status=SmsStatus.SENDING,
                    lease_owner=self.owner,
                    lease_until=lease_until,
                    attempts=SmsIntent.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            window = load_policy(session).window
            shown: dict[datetime, str] = {}
            return [self._claimed(r, now + window, shown) for r in live]

    def _due_rows(self, session: Session, now: datetime) -> list[Any]:
        return list(
            session.execute(
                select(
                    SmsIntent.id,
                    SmsIntent.attempts,
                    SmsIntent.phone,
                    SmsIntent.code_enc,
                    SmsIntent.sender_number,
                    SmsIntent.idempotency_key,
                    Verifier.name,
                    VerificationRound.state,
                    VerificationRound.deadline,
                    VerificationRound.request_id,
                )
                .join(Verifier, Verifier.id == SmsIntent.verifier_id)
                .join(VerificationRound, VerificationRound.id == Verifier.round_id)
                .where(*self._which_due(session, now))
                .order_by(SmsIntent.due_at, SmsIntent.id)
                .limit(self.batch)
                .with_for_update(of=SmsIntent, skip_locked=True)
            )
        )

    def _which_due(self, session: Session, now: datetime) -> tuple[Any, ...]:
        """PostgreSQL takes `_due` as it is: its LIMIT counts rows after SKIP LOCKED has
        passed over another dispatcher's, which a subquery's LIMIT would not. SQLite
        has one writer at a time (`BEGIN IMMEDIATE`) and locks no rows, so the ids can
        be chosen first, cheaply."""
        if session.get_bind().dialect.name == "sqlite":
            return (SmsIntent.id.in_(_first_due(now, self.batch)),)
        return (_due(now),)

    def _claimed(self, row: Any, default_until: datetime, shown: dict[datetime, str]) -> Claimed:
        code = self.ctx.keys.decrypt(row.code_enc)
        until = row.deadline or default_until
        deadline = shown.get(until)
        if deadline is None:  # a batch's rounds mostly share a few deadlines
            deadline = shown[until] = in_shanghai(until).strftime(DEADLINE_FORMAT)
        return Claimed(
            row.id,
            row.attempts + 1,
            SmsMessage(
                phone=row.phone,
                text=render_sms_text(
                    code=code,
                    name=row.name,
                    deadline=deadline,
                    link=self.link,
                    template=self.template,
                ),
                sender_number=row.sender_number,
                idempotency_key=row.idempotency_key,
                code=code,
                name=row.name,
                link=self.link,
                deadline=deadline,
            ),
            row.request_id,
        )

    # -- record --------------------------------------------------------------------------
    def record(self, outcomes: list[Outcome], report: DispatchReport) -> None:
        """Every outcome of a batch in one transaction, set-based: only intents still
        `sending` are recorded (a dispatcher that took over a lapsed lease and recorded
        first wins), and only what this call recorded is counted and audited."""
        now = self.ctx.now()
        sent = [o for o in outcomes if o.receipt is not None]
        failed = [o for o in outcomes if o.failure is not None]
        with self.ctx.unit_of_work() as session:
            if sent:
                self._record_sent(session, sent, now, report)
            if failed:
                self._record_failed(session, failed, now, report)

    def _record_sent(
        self, session: Session, sent: list[Outcome], now: datetime, report: DispatchReport
    ) -> None:
        receipts = {o.claimed.intent_id: o.receipt for o in sent}
        recorded = session.execute(
            update(SmsIntent)
            .where(SmsIntent.id.in_(receipts), SmsIntent.status == SmsStatus.SENDING)
            .values(
                status=SmsStatus.SENT,
                sent_at=now,
                lease_owner=None,
                lease_until=None,
                last_error=None,
            )
            .returning(
                SmsIntent.id,
                SmsIntent.verifier_id,
                SmsIntent.kind,
                SmsIntent.sender_number,
                SmsIntent.attempts,
            )
            .execution_options(synchronize_session=False)
        ).all()
        if not recorded:
            return
        answers = [
            {"iid": r.id, "mid": receipt.endpoint_message_id, "ds": receipt.delivery_status}
            for r in recorded
            if (receipt := receipts[r.id]) is not None
            and (receipt.endpoint_message_id is not None or receipt.delivery_status is not None)
        ]
        if answers:
            intents = SmsIntent.__table__
            session.execute(
                update(intents)
                .where(intents.c.id == bindparam("iid"))
                .values(endpoint_message_id=bindparam("mid"), delivery_status=bindparam("ds")),
                answers,
            )
        verifier_ids = [r.verifier_id for r in recorded]
        session.execute(
            update(Verifier)
            .where(Verifier.id.in_(verifier_ids))
            .values(last_send_at=now)
            .execution_options(synchronize_session=False)
        )
        rounds = select(Verifier.round_id).where(Verifier.id.in_(verifier_ids))
        mark_first_send(session, rounds, now, load_policy(session))
        session.flush()  # events already added keep their place in the timeline
        events = {"intent_ids": [r.id for r in recorded], "now": now, "actor": audit.SYSTEM}
        session.execute(_SENT_EVENTS, events)
        report.sent += len(recorded)

    def _record_failed(
        self, session: Session, failed: list[Outcome], now: datetime, report: DispatchReport
    ) -> None:
        for outcome in failed:
            failure = outcome.failure
            assert failure is not None
            intent_id = outcome.claimed.intent_id
            if failure.retryable:
                delay = retry_delay(outcome.claimed.attempts, failure.retry_after, self.rng)
                values = {"status": SmsStatus.PENDING, "due_at": now + delay}
            else:
                values = {"status": SmsStatus.FAILED}
            changed = session.execute(
                update(SmsIntent)
                .where(SmsIntent.id == intent_id, SmsIntent.status == SmsStatus.SENDING)
                .values(
                    last_error=str(failure)[:2000], lease_owner=None, lease_until=None, **values
                )
                .returning(SmsIntent.verifier_id)
                .execution_options(synchronize_session=False)
            ).scalar()
            if changed is None:
                continue
            if failure.retryable:
                report.retry_later += 1
                continue
            report.failed += 1
            audit.record(
                session,
                at=now,
                actor=audit.SYSTEM,
                action="sms_failed",
                request_id=outcome.claimed.request_id,
                verifier_id=changed,
                error=str(failure)[:500],
            )

    # -- the loop ------------------------------------------------------------------------
    async def run_once(self, now: datetime | None = None) -> DispatchReport:
        """Sends everything due now, batch after batch, until nothing is left.

        Three kinds of task share the work, so the network never waits on the database
        or on a batch's slowest SMS. One claims batches into a short queue (at most
        about three batches ahead of the senders, well inside their leases); `concurrency`
        senders each take the next SMS as soon as their last one is answered; one
        records a batch once every SMS of it is answered, several finished batches in
        one transaction when it falls behind. Claims and records are each one
        transaction of their own, taking turns on one database thread so the event loop
        never blocks: SQLite has one writer anyway, and on two threads they waited for
        each other's lock in SQLite's busy sleeps while the senders ran dry. If a claim
        or a record fails, nothing more is claimed, what was claimed is still sent and
        recorded, and the first error is raised at the end."""
        now = now or self.ctx.now()
        report = DispatchReport()
        send = sending(self.ctx.sender)
        loop = asyncio.get_running_loop()
        database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dispatch-db")
        # Two batches of slack: a claim may wait for a record to commit.
        todo: asyncio.Queue[tuple[Claimed, _Batch] | None] = asyncio.Queue(2 * self.batch)
        answered: list[list[Outcome]] = []  # batches every SMS of which is answered
        wake_recorder = asyncio.Event()
        errors: list[Exception] = []
        senders = senders_left = max(self.concurrency, 1)

        async def claim_all() -> None:
            try:
                while not errors:
                    claimed = await loop.run_in_executor(database, self.claim, now, report)
                    if not claimed:
                        break
                    crash_if_asked(AFTER_CLAIM)
                    batch = _Batch(len(claimed))
                    for one in claimed:
                        await todo.put((one, batch))
            except Exception as problem:
                errors.append(problem)
            for _ in range(senders):  # not on cancellation: the senders are cancelled too
                await todo.put(None)

        async def send_all() -> None:
            nonlocal senders_left
            try:
                while (item := await todo.get()) is not None:
                    claimed, batch = item
                    try:
                        outcome = Outcome(claimed, receipt=await send(claimed.message))
                    except SendFailed as failure:
                        outcome = Outcome(claimed, failure=failure)
                    except Exception as problem:  # a bug in a sender must not lose the intent
                        failed = SendFailed(repr(problem), retryable=True)
                        outcome = Outcome(claimed, failure=failed)
                    batch.outcomes.append(outcome)
                    if len(batch.outcomes) == batch.size:
                        answered.append(batch.outcomes)
                        wake_recorder.set()
            finally:
                senders_left -= 1
                if not senders_left:
                    wake_recorder.set()

        async def record_all() -> None:
            while senders_left or answered:
                await wake_recorder.wait()
                wake_recorder.clear()
                while answered:
                    outcomes = [o for batch in answered for o in batch]
                    answered.clear()
                    crash_if_asked(AFTER_SEND)
                    try:
                        await loop.run_in_executor(database, self.record, outcomes, report)
                    except Exception as problem:
                        errors.append(problem)

        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(claim_all())
                tasks.create_task(record_all())
                for _ in range(senders):
                    tasks.create_task(send_all())
        finally:
            database.shutdown(wait=False)  # idle by now, unless cancelled mid-transaction
        if errors:
            raise errors[0]
        return report

    async def poll_delivery(self, now: datetime | None = None, limit: int = 500) -> int:
        """Asks the endpoint's status URL about messages it has not reported on yet."""
        ask = getattr(self.ctx.sender, "delivery_status", None)
        if ask is None:
            return 0
        now = now or self.ctx.now()
        with self.ctx.unit_of_work() as session:
            pending = session.execute(
                select(SmsIntent.id, SmsIntent.endpoint_message_id)
                .where(
                    SmsIntent.status == SmsStatus.SENT,
                    SmsIntent.endpoint_message_id.is_not(None),
                    SmsIntent.delivery_status.is_(None) | (SmsIntent.delivery_status == "unknown"),
                    SmsIntent.sent_at >= now - timedelta(days=2),
                )
                .limit(limit)
            ).all()
        answers = await asyncio.gather(*(ask(message_id) for _, message_id in pending))
        updates = [(i, a) for (i, _), a in zip(pending, answers, strict=True) if a]
        if updates:
            with self.ctx.unit_of_work() as session:
                for intent_id, status in updates:
                    session.execute(
                        update(SmsIntent)
                        .where(SmsIntent.id == intent_id)
                        .values(delivery_status=status)
                    )
        return len(updates)
