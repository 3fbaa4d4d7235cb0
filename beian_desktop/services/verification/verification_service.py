"""Checking and resending codes: the verification capability's face (checks.py and
resends.py hold the rules).
"""

from __future__ import annotations

from sqlalchemy import select

from beian_desktop.models import Verifier
from beian_desktop.rules.desk_input import desk_input
from beian_desktop.rules.phones import mask_phone
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.services.verification.checks import CheckOutcome, CodeCheck
from beian_desktop.services.verification.resends import ResendOutcome, refuse, resend
from beian_desktop.terms import ResendRefusal


class VerificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- check -------------------------------------------------------------------------
    def check_code(self, *, code: str, phone: str, id_last6: str, by: str) -> CheckOutcome:
        phone, last6, code = desk_input(phone, id_last6, code)
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            return CodeCheck(self.ctx, session, phone, by, now).run(code, last6)

    def resend_for_verifier(self, *, verifier_id: int, id_last6: str, by: str) -> ResendOutcome:
        """Staff resending for the caller on one row of a list, which shows only a
        masked number: the number is looked up here, never sent to the screen."""
        with self.ctx.unit_of_work() as session:
            phone = session.scalar(select(Verifier.phone).where(Verifier.id == verifier_id))
        if phone is None:
            return refuse(ResendRefusal.NOTHING_PENDING)
        return self.resend_code(
            phone=phone, id_last6=id_last6, by=by, on_behalf=True, verifier_id=verifier_id
        )

    # -- resend ------------------------------------------------------------------------
    def resend_code(
        self,
        *,
        phone: str,
        id_last6: str,
        by: str,
        on_behalf: bool = False,
        verifier_id: int | None = None,
    ) -> ResendOutcome:
        """By the person (on_behalf=False) or by staff for a caller; `by` is recorded.

        `verifier_id` narrows it to one request's verifier (staff picking a row);
        otherwise every pending verifier of the number whose ID digits match gets one.
        """
        phone, last6, _ = desk_input(phone, id_last6)
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            policy = load_policy(session)
            outcome = resend(
                self.ctx, session, policy, phone, last6, by, on_behalf, now, verifier_id
            )
            audit.record(
                session,
                at=now,
                actor=by,
                action="resend_requested",
                sent=outcome.sent,
                refusal=outcome.refusal,
                on_behalf=on_behalf,
                phone=mask_phone(phone),
            )
            return outcome
