"""Checking and resending codes: the verification capability's face (checks.py and
resends.py hold the rules).
"""

from __future__ import annotations

from sqlalchemy import select

from beian_desktop.models import Verifier
from beian_desktop.rules.desk_input import desk_input
from beian_desktop.rules.phones import mask_phone
from beian_desktop.rules.validation import record_id
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.sessions import Acting
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.services.verification.checks import CheckOutcome, CodeCheck
from beian_desktop.services.verification.resends import ResendOutcome, refuse, resend
from beian_desktop.terms import ResendRefusal


class VerificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- check -------------------------------------------------------------------------
    def check_code(self, *, session: str, code: str, phone: str, id_last6: str) -> CheckOutcome:
        """A code typed at the verification desk for a caller (SPEC §5)."""
        with self.ctx.acting(session, "verification.check_code") as act:
            phone, last6, code = desk_input(phone, id_last6, code)
            return CodeCheck(self.ctx, act.db, phone, act.by, act.now).run(code, last6)

    # -- resend ------------------------------------------------------------------------
    def resend_for_verifier(
        self, *, session: str, verifier_id: int, id_last6: str
    ) -> ResendOutcome:
        """Staff resending for the caller on one row of a list, which shows only a
        masked number: the number is looked up here, never sent to the screen."""
        with self.ctx.acting(session, "verification.resend_for_verifier") as act:
            verifier_id = record_id("verifier_id", verifier_id)
            phone = act.db.scalar(select(Verifier.phone).where(Verifier.id == verifier_id))
            if phone is None:
                return refuse(ResendRefusal.NOTHING_PENDING)
            return self._resend(act, phone, id_last6, on_behalf=True, verifier_id=verifier_id)

    def resend_code(
        self, *, session: str, phone: str, id_last6: str, on_behalf: bool = True
    ) -> ResendOutcome:
        """For a caller who gives a number and the last six of their ID: a new code to
        every pending verifier of that number whose ID digits match. `on_behalf` is
        recorded: staff asking for the caller (the desk), or the person themselves."""
        with self.ctx.acting(session, "verification.resend_code") as act:
            return self._resend(act, phone, id_last6, on_behalf=bool(on_behalf))

    def _resend(
        self,
        act: Acting,
        phone: str,
        id_last6: str,
        *,
        on_behalf: bool,
        verifier_id: int | None = None,
    ) -> ResendOutcome:
        phone, last6, _ = desk_input(phone, id_last6)
        policy = load_policy(act.db)
        outcome = resend(
            self.ctx, act.db, policy, phone, last6, act.by, on_behalf, act.now, verifier_id
        )
        audit.record(
            act.db,
            at=act.now,
            actor=act.by,
            action="resend_requested",
            sent=outcome.sent,
            refusal=outcome.refusal,
            on_behalf=on_behalf,
            phone=mask_phone(phone),
        )
        return outcome
