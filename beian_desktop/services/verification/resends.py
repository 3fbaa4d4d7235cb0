"""Resending a code (SPEC §4, §5): by the person, or by staff for a caller. A resend
issues a new code and retires the last one; the deadline stays. Refusals say why and
when it can be asked again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from beian_desktop.models import VerificationRound, Verifier, VerifierRole
from beian_desktop.models.database import rowcount
from beian_desktop.rules.errors import in_language
from beian_desktop.rules.messages import (
    RESEND_SENT,
    resend_handed_over_message,
    resend_refusal_message,
    resend_refusal_message_en,
)
from beian_desktop.rules.policy import Policy
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.verification.codes import resend_to
from beian_desktop.terms import ResendRefusal, RoundState, SmsHandOver, SmsKind, VerifierState


@dataclass(frozen=True)
class ResendOutcome:
    """`sent`: the resend was granted, a new code issued and its SMS on its way;
    `handed_over` says whether the endpoint took it (the service hands it over at
    once). `message` is SPEC §5's words, `message_en` the same in English."""

    sent: bool
    message: str
    refusal: ResendRefusal | None = None
    retry_at: datetime | None = None
    intent_ids: tuple[int, ...] = ()
    message_en: str = ""
    handed_over: SmsHandOver | None = None

    def in_language(self, language: str) -> str:
        return in_language(language, self.message, self.message_en or self.message)

    def handed(self, handed_over: SmsHandOver) -> ResendOutcome:
        """This outcome once its SMS were handed to the endpoint, saying what it did."""
        zh, en = resend_handed_over_message(handed_over)
        return replace(self, message=zh, message_en=en, handed_over=handed_over)


def _roles_match(ctx: ServiceContext, session: Session, verifier_id: int, last6: str) -> bool:
    digest = ctx.keys.keyed_hash("last6", last6)
    return (
        session.scalar(
            select(VerifierRole.id)
            .where(VerifierRole.verifier_id == verifier_id, VerifierRole.id_last6_hash == digest)
            .limit(1)
        )
        is not None
    )


def resend(
    ctx: ServiceContext,
    session: Session,
    policy: Policy,
    phone: str,
    last6: str,
    by: str,
    on_behalf: bool,
    now: datetime,
    verifier_id: int | None = None,
) -> ResendOutcome:
    rows: Sequence[tuple[Verifier, VerificationRound]] = session.execute(
        select(Verifier, VerificationRound)
        .join(VerificationRound, VerificationRound.id == Verifier.round_id)
        .where(
            Verifier.phone == phone,
            Verifier.state == VerifierState.PENDING,
            VerificationRound.state == RoundState.OPEN,
        )
        .where(VerificationRound.deadline.is_(None) | (VerificationRound.deadline > now))
        .order_by(Verifier.id)
        .with_for_update(of=Verifier)
    ).all()
    if not rows:
        return refuse(ResendRefusal.NOTHING_PENDING)
    if verifier_id is not None:
        rows = [(v, r) for v, r in rows if v.id == verifier_id]
        if not rows:
            return refuse(ResendRefusal.NOTHING_PENDING)
    mine = [(v, r) for v, r in rows if _roles_match(ctx, session, v.id, last6)]
    if not mine:
        return refuse(ResendRefusal.WRONG_ID_DIGITS, now)
    unsent = [r.send_due_at for _, r in mine if r.first_sent_at is None]
    if unsent:
        return refuse(ResendRefusal.NOT_SENT_YET, max(min(unsent), now))
    last = max((v.last_send_at for v, _ in rows if v.last_send_at), default=None)
    if last is not None and last + policy.manual_resend_spacing > now:
        return refuse(ResendRefusal.TOO_SOON, last + policy.manual_resend_spacing)
    allowed = [(v, r) for v, r in mine if v.manual_resends < policy.manual_resend_cap]
    if not allowed:
        return refuse(ResendRefusal.TOO_MANY)
    intents = []
    for verifier, rnd in allowed:
        bumped = rowcount(
            session.execute(
                update(Verifier)
                .where(
                    Verifier.id == verifier.id,
                    Verifier.state == VerifierState.PENDING,
                    Verifier.manual_resends < policy.manual_resend_cap,
                )
                .values(manual_resends=Verifier.manual_resends + 1, last_send_at=now)
            )
        )
        if bumped != 1:
            continue
        intent = resend_to(
            ctx,
            session,
            verifier=verifier,
            request_id=rnd.request_id,
            kind=SmsKind.MANUAL_RESEND,
            by=by,
            policy=policy,
            now=now,
            on_behalf=on_behalf,
        )
        intents.append(intent.id)
    if not intents:
        return refuse(ResendRefusal.TOO_MANY)
    return ResendOutcome(True, RESEND_SENT, intent_ids=tuple(intents))


def refuse(refusal: ResendRefusal, retry_at: datetime | None = None) -> ResendOutcome:
    return ResendOutcome(
        False,
        resend_refusal_message(refusal, retry_at),
        refusal,
        retry_at,
        message_en=resend_refusal_message_en(refusal, retry_at),
    )
