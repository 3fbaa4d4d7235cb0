"""Claiming SMS intents for one dispatcher: the first step of sending (SPEC §4).

A claim is one transaction. It takes due intents (pending, or `sending` under a lease
that lapsed: a crashed dispatcher's work is taken over), cancels those whose round has
ended, and marks the rest `sending`, leased to this dispatcher (`lease_owner`) until
`lease_until`, with `lease_epoch` bumped: only the owner of that epoch may record the
outcome (records.py). PostgreSQL skips rows another dispatcher holds (`FOR UPDATE SKIP
LOCKED`); SQLite serialises the claim with `BEGIN IMMEDIATE`.

The first claim of an intent also fixes its message: the text, the deadline it names
and the template's values are rendered once and kept encrypted (`message_enc`, the text
holds the code); every later try decrypts the same message, so an endpoint sees the
same bytes, and the same signature, under the same idempotency key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import Session

from beian_desktop.models import SmsIntent, VerificationRound, Verifier
from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.sms_text import DEADLINE_FORMAT, render_sms_text
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.sending.senders import SmsMessage
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.terms import RoundState, SmsStatus

ROUND_ENDED = "the round ended before it went out"


@dataclass(frozen=True)
class Claimed:
    """One intent held by one dispatcher: `epoch` fences its record, `lease_until` is
    how long the claim lasts unless renewed."""

    intent_id: int
    epoch: int
    attempts: int
    lease_until: datetime
    message: SmsMessage
    request_id: int | None = None  # for the audit trail, read with the claim


@dataclass
class ClaimedBatch:
    claimed: list[Claimed]
    cancelled: int
    policy: Policy  # as the claim read it: the round's window, for the record


def _walks(now: datetime, limit: int) -> list[Select[int, datetime]]:
    """The first `limit` due intents of each kind, as walks of the (status, due_at,
    id) index in claim order: pending ones, and `sending` ones whose lease lapsed.
    Written as one condition with OR, a database collects and sorts every due row (a
    whole morning's backlog, 2 s a claim on PostgreSQL at a million requests); each
    walk reads only the rows it takes."""
    return [
        select(SmsIntent.id, SmsIntent.due_at)
        .where(SmsIntent.status == status, SmsIntent.due_at <= now, *extra)
        .order_by(SmsIntent.due_at, SmsIntent.id)
        .limit(limit)
        for status, extra in (
            (SmsStatus.PENDING, ()),
            (SmsStatus.SENDING, (SmsIntent.lease_until <= now,)),
        )
    ]


_ROWS = (
    select(
        SmsIntent.id,
        SmsIntent.attempts,
        SmsIntent.lease_epoch,
        SmsIntent.phone,
        SmsIntent.code_enc,
        SmsIntent.message_enc,
        SmsIntent.sender_number,
        SmsIntent.idempotency_key,
        Verifier.name,
        VerificationRound.state,
        VerificationRound.deadline,
        VerificationRound.request_id,
    )
    .join(Verifier, Verifier.id == SmsIntent.verifier_id)
    .join(VerificationRound, VerificationRound.id == Verifier.round_id)
    .order_by(SmsIntent.due_at, SmsIntent.id)
)  # the claimed intents' rows: already locked by the claim, or `these` locks them
_intents = SmsIntent.__table__
_FIX_MESSAGE = (
    update(_intents)
    .where(_intents.c.id == bindparam("iid"), _intents.c.message_enc.is_(None))
    .values(message_enc=bindparam("message"))
)


class Claims:
    """The claims of one dispatcher (`owner`), rendering with its template and link."""

    def __init__(
        self, ctx: ServiceContext, *, owner: str, lease: timedelta, template: str, link: str
    ) -> None:
        self.ctx = ctx
        self.owner = owner
        self.lease = lease
        self.template = template
        self.link = link

    def due(self, now: datetime, limit: int) -> ClaimedBatch:
        """Up to `limit` due intents in one transaction of a few statements, whatever
        the number. A batch whose rounds all ended is cancelled and the next is taken."""
        with self.ctx.unit_of_work() as session:
            cancelled = 0
            while True:
                ids = self._first_ids(session, now, limit)
                rows = list(session.execute(_ROWS.where(SmsIntent.id.in_(ids)))) if ids else []
                batch = self._take(session, rows, now)
                cancelled += batch.cancelled
                if batch.claimed or not rows:
                    batch.cancelled = cancelled
                    return batch

    def these(self, session: Session, intent_ids: Sequence[int], now: datetime) -> ClaimedBatch:
        """The pending intents named, claimed in the caller's transaction: a manual
        resend holds its SMS from the moment it is written, so no scheduler's tick
        takes it first, and hands it to the endpoint itself."""
        if not intent_ids:
            return ClaimedBatch([], 0, load_policy(session))
        rows = list(
            session.execute(
                _ROWS.where(
                    SmsIntent.id.in_(list(intent_ids)), SmsIntent.status == SmsStatus.PENDING
                ).with_for_update(of=SmsIntent)
            )
        )
        return self._take(session, rows, now)

    def _first_ids(self, session: Session, now: datetime, limit: int) -> list[int]:
        """The ids of the first `limit` due intents, held by this transaction: both
        walks, merged. On PostgreSQL each walk locks its rows (`FOR UPDATE SKIP
        LOCKED`, its LIMIT counting rows after those another dispatcher holds); the few
        of the second left over stay locked until the commit and are claimed next time.
        SQLite has one writer at a time (`BEGIN IMMEDIATE`) and no row locks."""
        found = [
            row
            for walk in _walks(now, limit)
            for row in session.execute(walk.with_for_update(skip_locked=True))
        ]
        found.sort(key=lambda row: (row.due_at, row.id))
        return [row.id for row in found[:limit]]

    def _take(self, session: Session, rows: list[Any], now: datetime) -> ClaimedBatch:
        """Cancels what is for an ended round, leases the rest to this dispatcher, and
        fixes the message of those claimed for the first time."""
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
        live = [r for r in rows if r.id not in ended]
        policy = load_policy(session)
        if not live:
            return ClaimedBatch([], len(ended), policy)
        # A long run's later batches are leased from when they are claimed, not from
        # when the run began (`now` may be a pinned time).
        claimed_at = max(now, self.ctx.now())
        lease_until = claimed_at + self.lease
        session.execute(
            update(SmsIntent)
            .where(SmsIntent.id.in_([r.id for r in live]))
            .values(
                status=SmsStatus.SENDING,
                lease_owner=self.owner,
                lease_until=lease_until,
                lease_epoch=SmsIntent.lease_epoch + 1,
                attempts=SmsIntent.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        shown: dict[datetime, str] = {}  # a batch's rounds mostly share a few deadlines
        claimed, first_time = [], []
        for r in live:
            message, fixed = self._message(r, claimed_at + policy.window, shown)
            if fixed is not None:
                first_time.append({"iid": r.id, "message": fixed})
            claimed.append(
                Claimed(r.id, r.lease_epoch + 1, r.attempts + 1, lease_until, message, r.request_id)
            )
        if first_time:
            session.execute(_FIX_MESSAGE, first_time)
        return ClaimedBatch(claimed, len(ended), policy)

    def _message(
        self, row: Any, default_until: datetime, shown: dict[datetime, str]
    ) -> tuple[SmsMessage, bytes | None]:
        """The intent's message, and its encrypted form when this claim rendered it."""
        fixed: bytes | None = None
        if row.message_enc is not None:
            values = json.loads(self.ctx.keys.decrypt(row.message_enc))
        else:
            code = self.ctx.keys.decrypt(row.code_enc)
            until = row.deadline or default_until
            deadline = shown.get(until)
            if deadline is None:
                deadline = shown[until] = in_shanghai(until).strftime(DEADLINE_FORMAT)
            text = render_sms_text(
                code=code, name=row.name, deadline=deadline, link=self.link, template=self.template
            )
            values = {"text": text, "code": code, "name": row.name, "deadline": deadline,
                      "link": self.link}  # fmt: skip
            fixed = self.ctx.keys.encrypt(json.dumps(values, ensure_ascii=False))
        message = SmsMessage(
            phone=row.phone,
            sender_number=row.sender_number,
            idempotency_key=row.idempotency_key,
            **values,
        )
        return message, fixed
