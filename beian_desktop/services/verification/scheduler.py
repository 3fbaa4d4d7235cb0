"""`tick(now)`: everything that is due, done once, from database timestamps only.

Order matters: rounds past their deadline end first, so nothing is sent for a
request that is already returned; then the 12:00 resends; then the sends. Every
step is a conditional UPDATE, so any number of ticks, in any number of processes,
at any time, do each thing exactly once. A tick after the app was closed for a day
catches up the same way.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, select, update

from beian_desktop.models import VerificationRound, Verifier
from beian_desktop.models.database import rowcount
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.sending.dispatch import Dispatcher, DispatchReport
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.services.verification.codes import resend_to
from beian_desktop.services.verification.rounds import return_rounds
from beian_desktop.terms import ReturnReason, RoundState, SmsKind, VerifierState


@dataclass
class TickReport:
    expired: int = 0
    undeliverable: int = 0
    auto_resends: int = 0
    dispatch: DispatchReport = field(default_factory=DispatchReport)


# Rounds per transaction: each commit pays a WAL checkpoint and neighbouring rounds
# share index pages, so large chunks are faster (bench/RESULTS.md, the sweep); on
# SQLite other workstations' writes wait for a chunk, well inside the busy timeout.
SWEEP_CHUNK = 100_000


def _sweep(ctx: ServiceContext, due: Select[int], reason: ReturnReason, now: datetime) -> int:
    """Returns the requests of the rounds `due` selects, a chunk per transaction,
    until none is left; each round once, whoever else sweeps at the same time."""
    count = 0
    while True:
        with ctx.unit_of_work() as session:
            ids = list(session.scalars(due.limit(SWEEP_CHUNK)))
            if not ids:
                return count
            count += return_rounds(session, ids, reason, now)


def expire_rounds(ctx: ServiceContext, now: datetime) -> int:
    due = select(VerificationRound.id).where(
        VerificationRound.state == RoundState.OPEN, VerificationRound.deadline <= now
    )
    return _sweep(ctx, due, ReturnReason.EXPIRED, now)


def end_undeliverable_rounds(ctx: ServiceContext, now: datetime) -> int:
    """No SMS of the round handed over within the window of being due (SPEC §3)."""
    with ctx.read_only() as session:
        window = load_policy(session).window
    due = select(VerificationRound.id).where(
        VerificationRound.state == RoundState.OPEN,
        VerificationRound.first_sent_at.is_(None),
        VerificationRound.send_due_at <= now - window,
    )
    return _sweep(ctx, due, ReturnReason.UNDELIVERABLE, now)


def send_auto_resends(ctx: ServiceContext, now: datetime) -> int:
    """Once, at 12:00 the day after the first send, to every verifier still pending
    but one who was sent a code within the resend spacing of noon."""
    with ctx.unit_of_work() as session:
        policy = load_policy(session)
        due = list(
            session.scalars(
                select(VerificationRound).where(
                    VerificationRound.state == RoundState.OPEN,
                    VerificationRound.auto_resend_at <= now,
                    VerificationRound.auto_resend_done_at.is_(None),
                    VerificationRound.deadline > now,
                )
            )
        )
        count = 0
        for rnd in due:
            taken = rowcount(
                session.execute(
                    update(VerificationRound)
                    .where(
                        VerificationRound.id == rnd.id,
                        VerificationRound.auto_resend_done_at.is_(None),
                    )
                    .values(auto_resend_done_at=now)
                )
            )
            if taken != 1:
                continue
            pending = session.scalars(
                select(Verifier).where(
                    Verifier.round_id == rnd.id, Verifier.state == VerifierState.PENDING
                )
            )
            noon = rnd.auto_resend_at
            assert noon is not None  # the query above asked for one
            for verifier in pending:
                # A code went out within the resend spacing of noon (a manual resend at
                # 11:59:30, or one after noon when this tick comes late): the code just
                # received keeps working (SPEC §4).
                last = verifier.last_send_at
                if last is not None and last + policy.manual_resend_spacing > noon:
                    audit.record(
                        session,
                        at=now,
                        actor=audit.SYSTEM,
                        action="auto_resend_skipped",
                        request_id=rnd.request_id,
                        verifier_id=verifier.id,
                        verifier=verifier.name,
                        last_sent_at=last.isoformat(),
                    )
                    continue
                resend_to(
                    ctx,
                    session,
                    verifier=verifier,
                    request_id=rnd.request_id,
                    kind=SmsKind.AUTO_RESEND,
                    by=audit.SYSTEM,
                    policy=policy,
                    now=now,
                )
                count += 1
        return count


def run_due_rounds(ctx: ServiceContext, now: datetime) -> TickReport:
    """The database half of a tick: ends, returns and resends. No network."""
    report = TickReport()
    report.expired = expire_rounds(ctx, now)
    report.undeliverable = end_undeliverable_rounds(ctx, now)
    report.auto_resends = send_auto_resends(ctx, now)
    return report


async def tick(
    ctx: ServiceContext, dispatcher: Dispatcher, now: datetime | None = None
) -> TickReport:
    now = now or ctx.now()
    report = await asyncio.to_thread(run_due_rounds, ctx, now)
    report.dispatch = await dispatcher.run_once(now)
    return report
