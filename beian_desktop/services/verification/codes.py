"""Codes and the SMS that carry them: a new code retires the verifier's last one, its
SMS is an intent written in the same transaction, and a resend is both at once
(SPEC §4). Codes are stored only as keyed hashes of (phone, code); the intent keeps
its code encrypted, since every try of one SMS must carry the same code.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.orm import Session

from beian_desktop.models import Code, Resend, SmsIntent, Verifier
from beian_desktop.rules.policy import Policy
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.terms import SmsKind, SmsStatus

CODE_DIGITS = 6


def code_hash(ctx: ServiceContext, phone: str, code: str) -> str:
    return ctx.keys.keyed_hash("code", f"{phone}:{code}")


def issue_code(
    ctx: ServiceContext, session: Session, verifier: Verifier, now: datetime
) -> tuple[Code, str]:
    """A new code for the verifier; the previous one stops working at once (SPEC §4).

    Codes of one phone's live verifiers never collide, so a code always says which
    request it is for (SPEC §5).
    """
    supersede_codes(session, [verifier.id], now)
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        digest = code_hash(ctx, verifier.phone, code)
        clash = session.scalar(
            select(Code.id).where(Code.code_hash == digest, Code.superseded_at.is_(None))
        )
        if clash is None:
            break
    row = Code(verifier_id=verifier.id, code_hash=digest, issued_at=now)
    session.add(row)
    session.flush()
    return row, code


def supersede_codes(session: Session, verifier_ids: list[int], now: datetime) -> None:
    session.execute(
        update(Code)
        .where(Code.verifier_id.in_(verifier_ids), Code.superseded_at.is_(None))
        .values(superseded_at=now)
    )


def queue_sms(
    ctx: ServiceContext,
    session: Session,
    *,
    verifier: Verifier,
    code: Code,
    clear_code: str,
    kind: SmsKind,
    due_at: datetime,
    policy: Policy,
    now: datetime,
) -> SmsIntent:
    """The intent is written in the caller's transaction: issued and queued, or neither."""
    session.execute(
        update(SmsIntent)
        .where(SmsIntent.verifier_id == verifier.id, SmsIntent.status == SmsStatus.PENDING)
        .values(status=SmsStatus.CANCELLED, last_error="superseded by a newer code")
    )
    intent = SmsIntent(
        verifier_id=verifier.id,
        code_id=code.id,
        kind=kind,
        phone=verifier.phone,
        carrier=verifier.carrier,
        sender_number=policy.sender_number(verifier.carrier),
        idempotency_key=str(uuid.uuid4()),
        code_enc=ctx.keys.encrypt(clear_code),
        status=SmsStatus.PENDING,
        due_at=due_at,
        created_at=now,
    )
    session.add(intent)
    session.flush()
    return intent


def resend_to(
    ctx: ServiceContext,
    session: Session,
    *,
    verifier: Verifier,
    request_id: int,
    kind: SmsKind,
    by: str,
    policy: Policy,
    now: datetime,
    on_behalf: bool = False,
) -> SmsIntent:
    """A new code to one verifier, automatic or manual: the old code stops working, the
    deadline stays (SPEC §4), and the resend is recorded with who asked."""
    code, clear = issue_code(ctx, session, verifier, now)
    intent = queue_sms(
        ctx,
        session,
        verifier=verifier,
        code=code,
        clear_code=clear,
        kind=kind,
        due_at=now,
        policy=policy,
        now=now,
    )
    session.add(
        Resend(
            verifier_id=verifier.id,
            kind=kind,
            requested_by=by,
            on_behalf=on_behalf,
            at=now,
            intent_id=intent.id,
        )
    )
    audit.record(
        session,
        at=now,
        actor=by,
        action="resent",
        request_id=request_id,
        verifier_id=verifier.id,
        kind=kind,
        on_behalf=on_behalf,
    )
    return intent
