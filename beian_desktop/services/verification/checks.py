"""Checking a code (SPEC §5): one check in one transaction, answered in the words of
§5.

The tries counter is one conditional UPDATE that both counts the try and fails the
verifier on the last allowed one, so two workstations racing on one verifier can
never get more than the allowed tries between them. A wrong code for a number with
several live verifiers counts against each of them: the guess was tested against
every one of their codes, so it is never free.

Before a round's first SMS has gone out no code of it can be right (its deadline is not
set yet), so a check for a number whose only pending verifiers wait for that SMS counts
nothing and answers when it will go, as a resend asked then does: the desk and the help
desk, which shows those verifiers as pending, say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, bindparam, case, insert, select, update
from sqlalchemy.orm import Session

from beian_desktop.models import Code, Principal, Try, VerificationRound, Verifier, VerifierRole
from beian_desktop.models.database import rowcount
from beian_desktop.rules.messages import check_message
from beian_desktop.rules.phones import mask_phone
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.services.verification.codes import code_hash
from beian_desktop.services.verification.rounds import (
    RoundRef,
    can_still_pass,
    pass_round,
    quorum_reached,
    return_request,
)
from beian_desktop.terms import CheckResult, ReturnReason, RoundState, VerifierState


@dataclass(frozen=True)
class CheckOutcome:
    """`message` is SPEC §5's answer, word for word. `tries_left`: after a wrong try,
    the fewest the number has left in any request it counted against (0: used up).
    `returned_request_ids`: the requests this try returned to the ISP. `first_sms_at`:
    for NOT_SENT_YET, when the round's first SMS goes."""

    result: CheckResult
    message: str
    request_id: int | None = None
    tries_left: int | None = None
    verifier_name: str = ""
    returned_request_ids: tuple[int, ...] = ()
    first_sms_at: datetime | None = None


# A check's statements are built once, on the tables: building a statement costs more
# than running its SQL, and a desk checks codes all day.
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
# A number's pending verifiers whose round's first SMS has not gone out, soonest first.
_UNSENT_OF_PHONE = (
    select(_v.c.id, _v.c.name, _r.c.request_id, _r.c.send_due_at)
    .select_from(_v.join(_r, _r.c.id == _v.c.round_id))
    .where(
        _v.c.phone == bindparam("phone"),
        _v.c.state == VerifierState.PENDING,
        _r.c.state == RoundState.OPEN,
        _r.c.deadline.is_(None),
    )
    .order_by(_r.c.send_due_at, _v.c.id)
    .limit(1)
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


class CodeCheck:
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
        return CheckOutcome(
            result,
            check_message(result, verifier.name),
            verifier.request_id,
            verifier_name=verifier.name,
        )

    def _no_record(self) -> CheckOutcome:
        """Nothing live for the number: its first SMS may still be to come."""
        unsent = self.session.execute(_UNSENT_OF_PHONE, {"phone": self.phone}).first()
        if unsent is not None:
            self._log_try(unsent.id, CheckResult.NOT_SENT_YET)
            when = max(unsent.send_due_at, self.now)
            return CheckOutcome(
                CheckResult.NOT_SENT_YET,
                check_message(CheckResult.NOT_SENT_YET, unsent.name, when),
                unsent.request_id,
                verifier_name=unsent.name,
                first_sms_at=when,
            )
        self._log_try(None, CheckResult.NO_RECORD)
        return CheckOutcome(CheckResult.NO_RECORD, check_message(CheckResult.NO_RECORD, ""))

    def _verify(self, verifier: Row) -> CheckOutcome:
        session, now = self.session, self.now
        ids = {"verifier_id": verifier.id, "now": now}
        if rowcount(session.execute(_VERIFY, ids)) != 1:
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

    def _wrong(self, targets: Sequence[Row]) -> CheckOutcome:
        if not targets:
            return self._no_record()
        session = self.session
        limit = load_policy(session).max_wrong_tries
        left: list[int] = []
        counted: list[Row] = []
        returned: list[int] = []
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
                    if return_request(session, rnd, ReturnReason.TRIES_USED_UP, self.now):
                        returned.append(rnd.request_id)
        if not counted:  # every target was verified or ended meanwhile: nothing pending
            return self._no_record()
        first = counted[0]
        return CheckOutcome(
            CheckResult.WRONG,
            check_message(CheckResult.WRONG, first.name),
            first.request_id,
            min(left),
            verifier_name=first.name,
            returned_request_ids=tuple(returned),
        )
