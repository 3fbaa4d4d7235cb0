"""Checking and resending codes: the verification capability's face (checks.py and
resends.py hold the rules).

A granted manual resend is handed to the endpoint at once, not at the next tick: its
SMS is claimed in the resend's own transaction (so no scheduler takes it first), sent
when that has committed, and recorded; the answer says whether the endpoint took it
(SPEC §5: 您的短信已发送成功 only then) or the SMS is queued until it recovers.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from beian_desktop.models import Verifier
from beian_desktop.rules.desk_input import desk_input
from beian_desktop.rules.phones import mask_phone
from beian_desktop.rules.validation import record_id
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.sending.claims import ClaimedBatch
from beian_desktop.services.sending.dispatch import Dispatcher
from beian_desktop.services.sessions import Acting
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.services.verification.checks import CheckOutcome, CodeCheck
from beian_desktop.services.verification.resends import ResendOutcome, refuse, resend
from beian_desktop.terms import ResendRefusal, SmsHandOver

log = logging.getLogger(__name__)


class VerificationService:
    def __init__(self, ctx: ServiceContext, dispatcher: Dispatcher) -> None:
        self.ctx = ctx
        self.dispatcher = dispatcher

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
            outcome, claimed = self._resend(
                act, phone, id_last6, on_behalf=True, verifier_id=verifier_id
            )
        return self._hand_over(outcome, claimed)

    def resend_code(
        self, *, session: str, phone: str, id_last6: str, on_behalf: bool = True
    ) -> ResendOutcome:
        """For a caller who gives a number and the last six of their ID: a new code to
        every pending verifier of that number whose ID digits match. `on_behalf` is
        recorded: staff asking for the caller (the desk), or the person themselves."""
        with self.ctx.acting(session, "verification.resend_code") as act:
            outcome, claimed = self._resend(act, phone, id_last6, on_behalf=bool(on_behalf))
        return self._hand_over(outcome, claimed)

    def _resend(
        self,
        act: Acting,
        phone: str,
        id_last6: str,
        *,
        on_behalf: bool,
        verifier_id: int | None = None,
    ) -> tuple[ResendOutcome, ClaimedBatch | None]:
        """The resend's rules and records, and its SMS claimed in the same transaction."""
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
        if not outcome.sent:
            return outcome, None
        return outcome, self.dispatcher.claims.these(act.db, outcome.intent_ids, act.now)

    def _hand_over(self, outcome: ResendOutcome, claimed: ClaimedBatch | None) -> ResendOutcome:
        """After the resend committed: its SMS to the endpoint now, and the answer says
        what the endpoint did with them."""
        if claimed is None or not claimed.claimed:
            return outcome
        try:
            report = self.dispatcher.send_now(claimed)
        except Exception:  # recorded or not, the intents are held and will be retried
            log.exception("a resend's SMS could not be handed over at once")
            return outcome.handed(SmsHandOver.QUEUED)
        if report.sent == len(claimed.claimed):
            return outcome.handed(SmsHandOver.ACCEPTED)
        if report.failed:
            return outcome.handed(SmsHandOver.REFUSED)
        return outcome.handed(SmsHandOver.QUEUED)
