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

from sqlalchemy import Row, bindparam, case, insert, select, update
from sqlalchemy.orm import Session

from beian_desktop.models import (
    Code,
    Principal,
    Try,
    VerificationRound,
    Verifier,
    VerifierRole,
)
from beian_desktop.rules.errors import (
    FieldError,
    InvalidValue,
    ValidationFailed,
)
from beian_desktop.rules.messages import (
    RESEND_SENT,
    check_message,
    resend_refusal_message,
)
from beian_desktop.rules.phones import (
    mask_phone,
    parse_mobile,
)
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.settings.policy_store import (
    Policy,
    load_policy,
)
from beian_desktop.services.verification.rounds import (
    RoundRef,
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


# A check's statements are built once, on the tables: building a statement costs more
# than running its SQL, and a desk checks codes all day (issue #5: ≤ 2 ms a check).
_v, _r, _codes, _roles = (
    Verifier.__table__,
    VerificationRound.__table__,
    Code.__table__,
    VerifierRole.__table__,
)
_NOW = bindparam("now", type_=_r.c.deadline.type)
_ROUND_COLUMNS = (
    _v.c.round_id,
    _r.c.request_id,
    _r.c.number,
    _r.c.quorum,
)
# The code's verifier and round, and whether the ID digits are theirs: a right code is
# the common case, so it is answered by this one query.
_CODE_MATCH = (
    select(
        _v.c.id,
        _v.c.name,
        _v.c.state,
        *_ROUND_COLUMNS,
        _r.c.state.label("round_state"),
        _r.c.deadline,
        select(_roles.c.id)
        .where(_roles.c.verifier_id == _v.c.id, _roles.c.id_last6_hash == bindparam("last6"))
        .exists()
        .label("digits_match"),
    )
    .select_from(
        _codes.join(_v, _v.c.id == _codes.c.verifier_id).join(_r, _r.c.id == _v.c.round_id)
    )
    .where(_codes.c.code_hash == bindparam("digest"), _v.c.phone == bindparam("phone"))
    # A verified person's old code still answers "already verified", unless that round
    # was returned: then it is just a dead code.
    .where(
        _codes.c.superseded_at.is_(None)
        | ((_v.c.state == VerifierState.VERIFIED) & (_r.c.state != RoundState.FAILED))
    )
    .order_by(_codes.c.id.desc())
    .limit(1)
)
# Every live verifier of a number: a wrong code counts against each of them.
_LIVE_OF_PHONE = (
    select(_v.c.id, _v.c.name, *_ROUND_COLUMNS)
    .select_from(_v.join(_r, _r.c.id == _v.c.round_id))
    .where(
        _v.c.phone == bindparam("phone"),
        _v.c.state == VerifierState.PENDING,
        _r.c.state == RoundState.OPEN,
        _r.c.deadline > _NOW,
    )
    .order_by(_r.c.deadline, _v.c.id)
)
_VERIFY = (
    update(_v)
    .where(_v.c.id == bindparam("verifier_id"), _v.c.state == VerifierState.PENDING)
    .values(state=VerifierState.VERIFIED, verified_at=_NOW, ended_at=_NOW)
)
_VERIFIER_STATE = select(_v.c.state).where(_v.c.id == bindparam("verifier_id"))
_PRINCIPALS_VERIFIED = (
    update(Principal.__table__)
    .where(
        Principal.__table__.c.id.in_(
            select(_roles.c.principal_id).where(_roles.c.verifier_id == bindparam("verifier_id"))
        )
    )
    .values(verified_at=_NOW)
)
# Locks the round so two verifiers finishing at once both see each other (PostgreSQL;
# SQLite's BEGIN IMMEDIATE already lets one writer in at a time).
_LOCK_ROUND = select(_r.c.id).where(_r.c.id == bindparam("round_id")).with_for_update()
_tries_after = _v.c.wrong_tries + 1
_used_up = _tries_after >= bindparam("limit")
_COUNT_WRONG = (
    update(_v)
    .where(_v.c.id == bindparam("verifier_id"), _v.c.state == VerifierState.PENDING)
    .values(
        wrong_tries=_tries_after,
        state=case((_used_up, VerifierState.FAILED), else_=_v.c.state),
        ended_at=case((_used_up, _NOW), else_=_v.c.ended_at),
    )
    .returning(_v.c.wrong_tries, _v.c.state)
)
_LOG_TRY = insert(Try.__table__)


def _round_of(row: Row) -> RoundRef:
    return RoundRef(row.round_id, row.request_id, row.number, row.quorum)


class VerificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- check -------------------------------------------------------------------------
    def check_code(self, *, code: str, phone: str, id_last6: str, by: str) -> CheckOutcome:
        phone, last6, code = _inputs(phone, id_last6, code)
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            return _Check(self.ctx, session, phone, by, now).run(code, last6)

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


class _Check:
    """One code check in one transaction. Its audit events are written together, in
    the order they happened, except where a return writes its own in between."""

    def __init__(
        self, ctx: ServiceContext, session: Session, phone: str, by: str, now: datetime
    ) -> None:
        self.ctx, self.session, self.phone, self.by, self.now = ctx, session, phone, by, now
        self._events: list[dict[str, object]] = []

    def _write_events(self) -> None:
        audit.record_all(self.session, self._events)
        self._events.clear()

    def _event(self, action: str, request_id: int | None, **details: object) -> None:
        self._events.append(
            audit.event(at=self.now, actor=self.by, action=action, request_id=request_id, **details)
        )

    def _log_try(self, verifier_id: int | None, result: CheckResult) -> None:
        self.session.execute(
            _LOG_TRY,
            {"verifier_id": verifier_id, "phone": self.phone, "at": self.now, "result": result,
             "actor": self.by},
        )  # fmt: skip

    def run(self, code: str, last6: str) -> CheckOutcome:
        outcome = self._answer_code(code, last6)
        self._event("code_checked", outcome.request_id, result=outcome.result,
                    phone=mask_phone(self.phone))  # fmt: skip
        self._write_events()
        return outcome

    def _answer_code(self, code: str, last6: str) -> CheckOutcome:
        matched = self.session.execute(
            _CODE_MATCH,
            {
                "digest": code_hash(self.ctx, self.phone, code),
                "phone": self.phone,
                "last6": self.ctx.keys.keyed_hash("last6", last6),
            },
        ).first()
        if matched is not None:
            if matched.state == VerifierState.VERIFIED:
                return self._answer(matched, CheckResult.ALREADY_VERIFIED)
            live = (
                matched.state == VerifierState.PENDING
                and matched.round_state == RoundState.OPEN
                and matched.deadline is not None
                and matched.deadline > self.now
            )
            if live and matched.digits_match:
                return self._verify(matched)
            if live:
                return self._wrong([matched])
        targets = self.session.execute(_LIVE_OF_PHONE, {"phone": self.phone, "now": self.now})
        return self._wrong(targets.all())

    def _answer(self, verifier: Row, result: CheckResult) -> CheckOutcome:
        self._log_try(verifier.id, result)
        return CheckOutcome(result, check_message(result, verifier.name), verifier.request_id)

    def _no_record(self) -> CheckOutcome:
        self._log_try(None, CheckResult.NO_RECORD)
        return CheckOutcome(CheckResult.NO_RECORD, check_message(CheckResult.NO_RECORD, ""))

    def _verify(self, verifier: Row) -> CheckOutcome:
        session, now = self.session, self.now
        ids = {"verifier_id": verifier.id, "now": now}
        if session.execute(_VERIFY, ids).rowcount != 1:
            # Another workstation got there first, or failed it.
            state = session.execute(_VERIFIER_STATE, ids).scalar_one()
            if state == VerifierState.VERIFIED:
                return self._answer(verifier, CheckResult.ALREADY_VERIFIED)
            return self._answer(verifier, CheckResult.NO_RECORD)
        session.execute(_PRINCIPALS_VERIFIED, ids)
        rnd = _round_of(verifier)
        self._event("verified", rnd.request_id, verifier_id=verifier.id, verifier=verifier.name)
        session.execute(_LOCK_ROUND, {"round_id": rnd.id})
        complete = False
        if quorum_reached(session, rnd):
            self._write_events()  # the pass's own event comes after this verification's
            complete = pass_round(self.ctx, session, rnd, now)
        result = (
            CheckResult.VERIFIED_REQUEST_COMPLETE
            if complete
            else CheckResult.VERIFIED_OTHERS_PENDING
        )
        return self._answer(verifier, result)

    def _wrong(self, targets: list[Row]) -> CheckOutcome:
        if not targets:
            return self._no_record()
        session = self.session
        limit = load_policy(session).max_wrong_tries
        left: list[int] = []
        counted: list[Row] = []
        for verifier in targets:
            row = session.execute(
                _COUNT_WRONG, {"verifier_id": verifier.id, "limit": limit, "now": self.now}
            ).first()
            if row is None:  # a concurrent try already ended it: this one counts nothing
                continue
            self._log_try(verifier.id, CheckResult.WRONG)
            counted.append(verifier)
            left.append(max(limit - row.wrong_tries, 0))
            rnd = _round_of(verifier)
            self._event("wrong_try", rnd.request_id, verifier_id=verifier.id,
                        wrong_tries=row.wrong_tries, limit=limit)  # fmt: skip
            if row.state == VerifierState.FAILED:
                session.execute(_LOCK_ROUND, {"round_id": rnd.id})
                if not can_still_pass(session, rnd):
                    self._write_events()  # the return's own event comes after this try's
                    return_request(session, rnd, ReturnReason.TRIES_USED_UP, verifier.id, self.now)
        if not counted:  # every target was verified or ended meanwhile: nothing pending
            return self._no_record()
        first = counted[0]
        return CheckOutcome(
            CheckResult.WRONG,
            check_message(CheckResult.WRONG, first.name),
            first.request_id,
            min(left),
        )


def _refuse(refusal: ResendRefusal, retry_at: datetime | None = None) -> ResendOutcome:
    return ResendOutcome(False, resend_refusal_message(refusal, retry_at), refusal, retry_at)
