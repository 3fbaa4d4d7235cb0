"""Handing due SMS intents to the sender: claim, send, record.

The claim is a conditional UPDATE (pending → sending, with a lease), so two
dispatchers never both take one intent. The send happens outside any transaction;
the outcome is recorded after. An intent whose round has ended is cancelled instead
of sent: nothing goes out for a returned request.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from beian_desktop.models import SmsIntent, VerificationRound, Verifier
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.policy import load_policy
from beian_desktop.services.rounds import mark_first_send
from beian_desktop.services.sms_sender import SendFailed, SmsMessage
from beian_desktop.services.sms_text import render_sms_text
from beian_desktop.terms import RoundState, SmsStatus

LEASE = timedelta(minutes=2)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    retry_later: int = 0


def _claim(ctx: ServiceContext, intent_id: int, now: datetime) -> bool:
    with ctx.unit_of_work() as session:
        claimed = session.execute(
            update(SmsIntent)
            .where(SmsIntent.id == intent_id)
            .where(
                (SmsIntent.status == SmsStatus.PENDING)
                | ((SmsIntent.status == SmsStatus.SENDING) & (SmsIntent.lease_until <= now))
            )
            .values(
                status=SmsStatus.SENDING,
                lease_owner=WORKER_ID,
                lease_until=now + LEASE,
                attempts=SmsIntent.attempts + 1,
            )
        ).rowcount
        return claimed == 1


def due_intent_ids(ctx: ServiceContext, now: datetime, limit: int = 500) -> list[int]:
    with ctx.unit_of_work() as session:
        return list(
            session.scalars(
                select(SmsIntent.id)
                .where(SmsIntent.due_at <= now)
                .where(
                    (SmsIntent.status == SmsStatus.PENDING)
                    | ((SmsIntent.status == SmsStatus.SENDING) & (SmsIntent.lease_until <= now))
                )
                .order_by(SmsIntent.due_at, SmsIntent.id)
                .limit(limit)
            )
        )


def dispatch_due(ctx: ServiceContext, now: datetime | None = None) -> DispatchReport:
    now = now or ctx.now()
    report = DispatchReport()
    for intent_id in due_intent_ids(ctx, now):
        if _claim(ctx, intent_id, now):
            _send_one(ctx, intent_id, now, report)
    return report


def _send_one(ctx: ServiceContext, intent_id: int, now: datetime, report: DispatchReport) -> None:
    with ctx.unit_of_work() as session:
        intent = session.get(SmsIntent, intent_id)
        verifier = session.get(Verifier, intent.verifier_id)
        rnd = session.get(VerificationRound, verifier.round_id)
        if rnd.state != RoundState.OPEN or (rnd.deadline is not None and rnd.deadline <= now):
            intent.status = SmsStatus.CANCELLED
            intent.last_error = "the round ended before it went out"
            report.cancelled += 1
            return
        policy = load_policy(session)
        deadline = rnd.deadline or now + policy.window
        message = SmsMessage(
            phone=intent.phone,
            text=render_sms_text(
                code=ctx.keys.decrypt(intent.code_enc), name=verifier.name, deadline=deadline
            ),
            sender_number=intent.sender_number,
            idempotency_key=intent.idempotency_key,
        )
    try:
        receipt = ctx.sender.send(message)
    except SendFailed as failure:
        with ctx.unit_of_work() as session:
            session.execute(
                update(SmsIntent)
                .where(SmsIntent.id == intent_id, SmsIntent.status == SmsStatus.SENDING)
                .values(
                    status=SmsStatus.PENDING if failure.retryable else SmsStatus.FAILED,
                    last_error=str(failure),
                    lease_owner=None,
                    lease_until=None,
                )
            )
        if failure.retryable:
            report.retry_later += 1
        else:
            report.failed += 1
        return
    with ctx.unit_of_work() as session:
        recorded = session.execute(
            update(SmsIntent)
            .where(SmsIntent.id == intent_id, SmsIntent.status == SmsStatus.SENDING)
            .values(
                status=SmsStatus.SENT,
                sent_at=now,
                lease_owner=None,
                lease_until=None,
                endpoint_message_id=receipt.endpoint_message_id,
                delivery_status=receipt.delivery_status,
            )
        ).rowcount
        if recorded != 1:
            return
        intent = session.get(SmsIntent, intent_id)
        verifier = session.get(Verifier, intent.verifier_id)
        mark_first_send(session, verifier.round_id, now, load_policy(session))
        session.execute(update(Verifier).where(Verifier.id == verifier.id).values(last_send_at=now))
        request_id = session.scalar(
            select(VerificationRound.request_id).where(VerificationRound.id == verifier.round_id)
        )
        audit.record(
            session,
            at=now,
            actor=audit.SYSTEM,
            action="sms_sent",
            request_id=request_id,
            verifier_id=verifier.id,
            kind=intent.kind,
            sender_number=intent.sender_number,
            intent_id=intent_id,
        )
        report.sent += 1
