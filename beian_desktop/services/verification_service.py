"""Checking a code and resending one (SPEC §4, §5).

The tries counter is one conditional UPDATE that both counts the try and fails the
verifier on the last allowed one, so two workstations racing on one verifier can
never get more than the allowed tries between them. A wrong code for a number with
several live verifiers counts against each of them: the guess was tested against
every one of their codes, so it is never free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from beian_desktop.models import (
    Code,
    Principal,
    Try,
    VerificationRound,
    Verifier,
    VerifierRole,
)
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.field_errors import FieldError, InvalidValue, ValidationFailed
from beian_desktop.services.messages import RESEND_SENT, check_message, resend_refusal_message
from beian_desktop.services.phone_numbers import mask_phone, parse_mobile
from beian_desktop.services.policy import Policy, load_policy
from beian_desktop.services.rounds import (
    can_still_pass,
    code_hash,
    pass_round,
    quorum_reached,
    resend_to,
    return_request,
)
from beian_desktop.terms import (
    CheckResult,
    ResendRefusal,
    ReturnReason,
    RoundState,
    SmsKind,
    VerifierState,
)

_CODE = re.compile(r"^\d{6}$")
_LAST6 = re.compile(r"^[0-9A-Z]{6}$")


@dataclass(frozen=True)
class CheckOutcome:
    result: CheckResult
    message: str
    request_id: int | None = None
    tries_left: int | None = None


@dataclass(frozen=True)
class ResendOutcome:
    sent: bool
    message: str
    refusal: ResendRefusal | None = None
    retry_at: datetime | None = None
    intent_ids: tuple[int, ...] = ()


def _inputs(phone: str, id_last6: str, code: str | None = None) -> tuple[str, str, str]:
    errors: list[FieldError] = []
    number = phone.strip()
    try:
        number = parse_mobile(phone).number
    except InvalidValue as problem:
        errors.append(FieldError("phone", problem.code, problem.zh, problem.en))
    last6 = id_last6.strip().upper()
    if not _LAST6.match(last6):
        errors.append(
            FieldError(
                "id_last6",
                "bad_last6",
                "请输入证件号码后六位",
                "must be the last six characters of the ID number",
            )
        )
    clean_code = (code or "").strip()
    if code is not None and not _CODE.match(clean_code):
        errors.append(FieldError("code", "bad_code", "验证码为6位数字", "the code is 6 digits"))
    if errors:
        raise ValidationFailed(errors)
    return number, last6, clean_code


def _live(now: datetime):
    """A verifier that can still verify: pending, in an open round, before its deadline."""
    return (
        (Verifier.state == VerifierState.PENDING)
        & (VerificationRound.state == RoundState.OPEN)
        & (VerificationRound.deadline > now)
    )


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


class VerificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- check -------------------------------------------------------------------------
    def check_code(self, *, code: str, phone: str, id_last6: str, by: str) -> CheckOutcome:
        phone, last6, code = _inputs(phone, id_last6, code)
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            outcome = self._check(session, code, phone, last6, by, now)
            audit.record(
                session,
                at=now,
                actor=by,
                action="code_checked",
                request_id=outcome.request_id,
                result=outcome.result,
                phone=mask_phone(phone),
            )
            return outcome

    def _check(
        self,
        session: Session,
        code: str,
        phone: str,
        last6: str,
        by: str,
        now: datetime,
    ) -> CheckOutcome:
        digest = code_hash(self.ctx, phone, code)
        # Whether the ID digits belong to the code's verifier comes in the same query:
        # a right code is the common case, and each statement costs more than its SQL.
        id_digits_match = (
            select(VerifierRole.id)
            .where(
                VerifierRole.verifier_id == Verifier.id,
                VerifierRole.id_last6_hash == self.ctx.keys.keyed_hash("last6", last6),
            )
            .exists()
        )
        matched = session.execute(
            select(Verifier, VerificationRound, id_digits_match)
            .join(Code, Code.verifier_id == Verifier.id)
            .join(VerificationRound, VerificationRound.id == Verifier.round_id)
            .where(Code.code_hash == digest, Verifier.phone == phone)
            # A verified person's old code still answers "already verified", unless that
            # round was returned: then it is just a dead code.
            .where(
                Code.superseded_at.is_(None)
                | (
                    (Verifier.state == VerifierState.VERIFIED)
                    & (VerificationRound.state != RoundState.FAILED)
                )
            )
            .order_by(Code.id.desc())
            .limit(1)
        ).first()
        if matched is not None:
            verifier, rnd, digits_match = matched
            if verifier.state == VerifierState.VERIFIED:
                self._log_try(session, verifier.id, phone, CheckResult.ALREADY_VERIFIED, by, now)
                return CheckOutcome(
                    CheckResult.ALREADY_VERIFIED,
                    check_message(CheckResult.ALREADY_VERIFIED, verifier.name),
                    rnd.request_id,
                )
            live = (
                verifier.state == VerifierState.PENDING
                and rnd.state == RoundState.OPEN
                and rnd.deadline is not None
                and rnd.deadline > now
            )
            if live and digits_match:
                return self._verify(session, verifier, rnd, phone, by, now)
            if live:
                return self._wrong(session, [verifier], phone, by, now)
        targets = list(
            session.scalars(
                select(Verifier)
                .join(VerificationRound, VerificationRound.id == Verifier.round_id)
                .where(Verifier.phone == phone, _live(now))
                .order_by(VerificationRound.deadline, Verifier.id)
            )
        )
        if not targets:
            self._log_try(session, None, phone, CheckResult.NO_RECORD, by, now)
            return CheckOutcome(CheckResult.NO_RECORD, check_message(CheckResult.NO_RECORD, ""))
        return self._wrong(session, targets, phone, by, now)

    def _verify(
        self,
        session: Session,
        verifier: Verifier,
        rnd: VerificationRound,
        phone: str,
        by: str,
        now: datetime,
    ) -> CheckOutcome:
        done = session.execute(
            update(Verifier)
            .where(Verifier.id == verifier.id, Verifier.state == VerifierState.PENDING)
            .values(state=VerifierState.VERIFIED, verified_at=now, ended_at=now)
        ).rowcount
        if done != 1:  # another workstation got there first, or failed it
            session.refresh(verifier)
            result = (
                CheckResult.ALREADY_VERIFIED
                if verifier.state == VerifierState.VERIFIED
                else CheckResult.NO_RECORD
            )
            self._log_try(session, verifier.id, phone, result, by, now)
            return CheckOutcome(result, check_message(result, verifier.name), rnd.request_id)
        principal_ids = select(VerifierRole.principal_id).where(
            VerifierRole.verifier_id == verifier.id
        )
        session.execute(
            update(Principal).where(Principal.id.in_(principal_ids)).values(verified_at=now)
        )
        # Lock the round so two verifiers finishing at once both see each other.
        session.execute(
            select(VerificationRound.id).where(VerificationRound.id == rnd.id).with_for_update()
        )
        complete = quorum_reached(session, rnd) and pass_round(self.ctx, session, rnd, now)
        result = (
            CheckResult.VERIFIED_REQUEST_COMPLETE
            if complete
            else CheckResult.VERIFIED_OTHERS_PENDING
        )
        self._log_try(session, verifier.id, phone, result, by, now)
        audit.record(
            session,
            at=now,
            actor=by,
            action="verified",
            request_id=rnd.request_id,
            verifier_id=verifier.id,
            verifier=verifier.name,
        )
        return CheckOutcome(result, check_message(result, verifier.name), rnd.request_id)

    def _wrong(
        self,
        session: Session,
        targets: list[Verifier],
        phone: str,
        by: str,
        now: datetime,
    ) -> CheckOutcome:
        limit = load_policy(session).max_wrong_tries
        left: list[int] = []
        counted: list[Verifier] = []
        for verifier in targets:
            row = session.execute(
                update(Verifier)
                .where(Verifier.id == verifier.id, Verifier.state == VerifierState.PENDING)
                .values(
                    wrong_tries=Verifier.wrong_tries + 1,
                    state=case(
                        (Verifier.wrong_tries + 1 >= limit, VerifierState.FAILED),
                        else_=Verifier.state,
                    ),
                    ended_at=case(
                        (Verifier.wrong_tries + 1 >= limit, now), else_=Verifier.ended_at
                    ),
                )
                .returning(Verifier.wrong_tries, Verifier.state)
            ).first()
            if row is None:  # a concurrent try already ended it: this one counts nothing
                continue
            self._log_try(session, verifier.id, phone, CheckResult.WRONG, by, now)
            counted.append(verifier)
            left.append(max(limit - row.wrong_tries, 0))
            rnd = session.get(VerificationRound, verifier.round_id)
            audit.record(
                session,
                at=now,
                actor=by,
                action="wrong_try",
                request_id=rnd.request_id,
                verifier_id=verifier.id,
                wrong_tries=row.wrong_tries,
                limit=limit,
            )
            if row.state == VerifierState.FAILED:
                session.execute(
                    select(VerificationRound.id)
                    .where(VerificationRound.id == rnd.id)
                    .with_for_update()
                )
                if not can_still_pass(session, rnd):
                    return_request(session, rnd, ReturnReason.TRIES_USED_UP, verifier.id, now)
        if not counted:  # every target was verified or ended meanwhile: nothing pending
            self._log_try(session, None, phone, CheckResult.NO_RECORD, by, now)
            return CheckOutcome(CheckResult.NO_RECORD, check_message(CheckResult.NO_RECORD, ""))
        first = counted[0]
        request_id = session.scalar(
            select(VerificationRound.request_id).where(VerificationRound.id == first.round_id)
        )
        return CheckOutcome(
            CheckResult.WRONG,
            check_message(CheckResult.WRONG, first.name),
            request_id,
            min(left) if left else 0,
        )

    def _log_try(
        self,
        session: Session,
        verifier_id: int | None,
        phone: str,
        result: CheckResult,
        by: str,
        now: datetime,
    ) -> None:
        session.add(Try(verifier_id=verifier_id, phone=phone, at=now, result=result, actor=by))

    def resend_for_verifier(self, *, verifier_id: int, id_last6: str, by: str) -> ResendOutcome:
        """Staff resending for the caller on one row of a list, which shows only a
        masked number: the number is looked up here, never sent to the screen."""
        with self.ctx.unit_of_work() as session:
            phone = session.scalar(select(Verifier.phone).where(Verifier.id == verifier_id))
        if phone is None:
            return _refuse(ResendRefusal.NOTHING_PENDING)
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
        phone, last6, _ = _inputs(phone, id_last6)
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            policy = load_policy(session)
            outcome = self._resend(session, policy, phone, last6, by, on_behalf, now, verifier_id)
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

    def _resend(
        self,
        session: Session,
        policy: Policy,
        phone: str,
        last6: str,
        by: str,
        on_behalf: bool,
        now: datetime,
        verifier_id: int | None = None,
    ) -> ResendOutcome:
        rows = session.execute(
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
            return _refuse(ResendRefusal.NOTHING_PENDING)
        if verifier_id is not None:
            rows = [(v, r) for v, r in rows if v.id == verifier_id]
            if not rows:
                return _refuse(ResendRefusal.NOTHING_PENDING)
        mine = [(v, r) for v, r in rows if _roles_match(self.ctx, session, v.id, last6)]
        if not mine:
            return _refuse(ResendRefusal.WRONG_ID_DIGITS, now)
        unsent = [r.send_due_at for _, r in mine if r.first_sent_at is None]
        if unsent:
            return _refuse(ResendRefusal.NOT_SENT_YET, max(min(unsent), now))
        last = max((v.last_send_at for v, _ in rows if v.last_send_at), default=None)
        if last is not None and last + policy.manual_resend_spacing > now:
            return _refuse(ResendRefusal.TOO_SOON, last + policy.manual_resend_spacing)
        allowed = [(v, r) for v, r in mine if v.manual_resends < policy.manual_resend_cap]
        if not allowed:
            return _refuse(ResendRefusal.TOO_MANY)
        intents = []
        for verifier, rnd in allowed:
            bumped = session.execute(
                update(Verifier)
                .where(
                    Verifier.id == verifier.id,
                    Verifier.state == VerifierState.PENDING,
                    Verifier.manual_resends < policy.manual_resend_cap,
                )
                .values(manual_resends=Verifier.manual_resends + 1, last_send_at=now)
            ).rowcount
            if bumped != 1:
                continue
            intent = resend_to(
                self.ctx,
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
            return _refuse(ResendRefusal.TOO_MANY)
        return ResendOutcome(True, RESEND_SENT, intent_ids=tuple(intents))


def _refuse(refusal: ResendRefusal, retry_at: datetime | None = None) -> ResendOutcome:
    return ResendOutcome(False, resend_refusal_message(refusal, retry_at), refusal, retry_at)
