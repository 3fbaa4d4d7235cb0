"""Handing SMS intents to the endpoint: claim, send, record (SPEC §4).

Each intent reaches the endpoint at most once, whatever happens, but for an SMS on the
wire when its dispatcher dies: the endpoint may have taken it, and nothing can know.

- Claim (claims.py): one transaction leases a batch of due intents to this dispatcher
  and fixes each one's message at its first claim, so every try sends the same bytes.
- Send: `concurrency` senders, each taking the next SMS. Just before each send a sender
  checks that the claim is still its own and lasts long enough to outlast the send; a
  lease running short is renewed first. While anything is held, the run renews its
  leases, so a slow endpoint never lets them lapse into another dispatcher's hands.
- Record (records.py): each outcome as soon as it is answered, fenced by lease owner
  and epoch. A sender hands its outcome in and takes its next SMS only once that is
  committed; outcomes waiting at the same moment share one transaction. So at most one
  SMS per sender is ever answered and not yet recorded: that, and no more, is what a
  crash can send twice.
- Book: what the sends mean for their verifiers, rounds and timelines, written by the
  run for `BOOK_EVERY` sent SMS at a time and for the rest at its end, without holding
  the senders; a run first books what a killed dispatcher left marked.
- Stop (`stop()`, the worker's SIGTERM): nothing more is claimed or started; what is on
  the wire has `STOP_GRACE` to be answered and recorded; what is left is given back
  (pending, due at once) and the run ends.

An intent whose round has ended is cancelled instead of sent: nothing goes out for a
returned request.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import socket
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import select, update

from beian_desktop.models import SmsIntent
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.sms_text import DEFAULT_TEMPLATE
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.sending import records
from beian_desktop.services.sending.claims import Claimed, ClaimedBatch, Claims
from beian_desktop.services.sending.fault_points import (
    AFTER_CLAIM,
    AFTER_RECORD,
    AFTER_SEND,
    crash_if_asked,
)
from beian_desktop.services.sending.records import Outcome, Recorded
from beian_desktop.services.sending.senders import (
    SendFailed,
    SmsSender,
    for_a_loop_of_its_own,
    sending,
)
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.terms import SmsStatus

LEASE = timedelta(minutes=2)
BATCH = 200
BOOK_EVERY = 100  # sent SMS booked together; a killed run leaves these for the next
STOP_GRACE = timedelta(seconds=5)  # for what is on the wire at a stop: well inside 10 s
T = TypeVar("T")


def worker_id() -> str:
    """This process, and a token of its own per dispatcher: two dispatchers of one
    process never hold each other's claims."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    retry_later: int = 0
    taken_over: int = 0  # held, then found taken over by another dispatcher: not sent by us
    released: int = 0  # given back unsent at a stop

    def add(self, done: Recorded) -> None:
        self.sent += done.sent
        self.failed += done.failed
        self.retry_later += done.retry_later
        self.taken_over += done.fenced_off


class Dispatcher:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        template: str = DEFAULT_TEMPLATE,
        link: str = "",
        concurrency: int = 8,
        lease: timedelta = LEASE,
        batch: int = BATCH,
        rng: random.Random | None = None,
    ) -> None:
        self.ctx = ctx
        self.concurrency = max(concurrency, 1)
        self.batch = batch
        self.owner = worker_id()
        self.rng = rng or random.Random()
        self.claims = Claims(ctx, owner=self.owner, lease=lease, template=template, link=link)
        self.stopped = False
        self._runs: set[DispatchRun] = set()

    @property
    def lease(self) -> timedelta:
        return self.claims.lease

    async def run_once(self, now: datetime | None = None) -> DispatchReport:
        """Sends everything due now, batch after batch, until nothing is left."""
        async with DispatchRun(self, now or self.ctx.now(), self.ctx.sender) as run:
            await run.work(run.claim_while_due())
        return run.report

    def send_now(self, batch: ClaimedBatch) -> DispatchReport:
        """What a service call claimed in its own transaction (`claims.these`, a manual
        resend), handed to the endpoint at once, from a thread with no event loop (the
        window's database thread): on a loop of its own, with a sender of its own."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._send_these(batch))
        with ThreadPoolExecutor(max_workers=1) as elsewhere:  # a loop runs on this thread
            return elsewhere.submit(asyncio.run, self._send_these(batch)).result()

    async def _send_these(self, batch: ClaimedBatch) -> DispatchReport:
        sender = for_a_loop_of_its_own(self.ctx.sender)
        try:
            async with DispatchRun(self, self.ctx.now(), sender) as run:
                run.took(batch)
                await run.work(run.hand_over(batch.claimed))
        finally:
            aclose = getattr(sender, "aclose", None)
            if sender is not self.ctx.sender and aclose is not None:
                await aclose()
        return run.report

    def stop(self) -> None:
        """For good (the process is leaving): safe from a signal handler or any thread."""
        self.stopped = True
        for run in list(self._runs):
            run.stop()

    # -- the database work of a run, each a transaction of its own ------------------------
    def record(self, outcomes: Sequence[Outcome]) -> Recorded:
        with self.ctx.unit_of_work() as session:
            return records.record(
                session, outcomes, owner=self.owner, now=self.ctx.now(), rng=self.rng
            )

    def book(self, intent_ids: Sequence[int], policy: Policy) -> int:
        with self.ctx.unit_of_work() as session:
            return records.book(session, intent_ids, policy)

    def book_left_behind(self) -> int:
        """Books what killed dispatchers left marked, `BOOK_EVERY` at a time."""
        booked = 0
        while True:
            with self.ctx.unit_of_work() as session:
                marked = records.left_marked(session, BOOK_EVERY)
                booked += records.book(session, marked, load_policy(session))
            if len(marked) < BOOK_EVERY:
                return booked

    def renew(self, claims: Sequence[Claimed], until: datetime) -> set[int]:
        with self.ctx.unit_of_work() as session:
            return records.renew(session, owner=self.owner, claims=claims, until=until)

    def release(self, claims: Sequence[Claimed]) -> int:
        with self.ctx.unit_of_work() as session:
            return records.release(session, owner=self.owner, claims=claims)

    async def poll_delivery(self, now: datetime | None = None, limit: int = 500) -> int:
        """Asks the endpoint's status URL about messages it has not reported on yet."""
        ask = getattr(self.ctx.sender, "delivery_status", None)
        if ask is None:
            return 0
        now = now or self.ctx.now()
        with self.ctx.unit_of_work() as session:
            pending = session.execute(
                select(SmsIntent.id, SmsIntent.endpoint_message_id)
                .where(
                    SmsIntent.status == SmsStatus.SENT,
                    SmsIntent.endpoint_message_id.is_not(None),
                    SmsIntent.delivery_status.is_(None) | (SmsIntent.delivery_status == "unknown"),
                    SmsIntent.sent_at >= now - timedelta(days=2),
                )
                .limit(limit)
            ).all()
        answers = await asyncio.gather(*(ask(message_id) for _, message_id in pending))
        updates = [(i, a) for (i, _), a in zip(pending, answers, strict=True) if a]
        if updates:
            with self.ctx.unit_of_work() as session:
                for intent_id, status in updates:
                    session.execute(
                        update(SmsIntent)
                        .where(SmsIntent.id == intent_id)
                        .values(delivery_status=status)
                    )
        return len(updates)


class DispatchRun:
    """One pass of a dispatcher: what it holds, and what it did.

    Its database work (claims, records, renewals) takes turns on one thread of its own,
    so the event loop never blocks and the senders never wait on each other's SQL
    beyond a commit: SQLite has one writer anyway."""

    def __init__(self, dispatcher: Dispatcher, now: datetime, sender: SmsSender) -> None:
        self.dispatcher = dispatcher
        self.now = now
        self.send_one = sending(sender)
        self.report = DispatchReport()
        self.todo: asyncio.Queue[Claimed | None] = asyncio.Queue(dispatcher.batch)
        self.held: dict[int, Claimed] = {}  # claimed, neither recorded nor given back
        self.lost: set[int] = set()  # held once, taken over by another dispatcher since
        self.renewed_until: datetime | None = None
        self.policy: Policy | None = None
        self.answered: list[Outcome] = []  # waiting for the next group commit
        self.unbooked: list[int] = []  # recorded as sent, their bookkeeping not yet written
        self.booking: asyncio.Task[None] | None = None
        self.committing = asyncio.Lock()
        self.renewing = asyncio.Lock()
        self.stopping = asyncio.Event()
        self.errors: list[Exception] = []
        self.loop = asyncio.get_running_loop()
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dispatch-db")

    async def __aenter__(self) -> DispatchRun:
        self.dispatcher._runs.add(self)
        if self.dispatcher.stopped:
            self.stopping.set()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await self.book_the_rest()
            left = list(self.held.values())
            if left:  # unsent at a stop, or on the wire when the grace ran out
                self.report.released += await self.db(self.dispatcher.release, left)
        finally:
            self.dispatcher._runs.discard(self)
            self._database.shutdown(wait=False)  # idle by now
        if self.errors and exc_info[0] is None:
            raise self.errors[0]

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stopping.set)

    async def db(self, work: Callable[..., T], *args: Any) -> T:
        return await self.loop.run_in_executor(self._database, partial(work, *args))

    # -- the flow ---------------------------------------------------------------------------
    async def work(self, feed: Coroutine[Any, Any, None]) -> None:
        """`feed` fills the queue, the senders empty it, the leases are kept meanwhile.
        After a stop, what is on the wire has STOP_GRACE; then it is given up."""
        senders = (self.send_each() for _ in range(self.dispatcher.concurrency))
        work: asyncio.Future[Any] = asyncio.gather(feed, *senders)
        keeper = asyncio.create_task(self.keep_leases())
        stopped: asyncio.Future[Any] = asyncio.create_task(self.stopping.wait())
        try:
            await asyncio.wait([work, stopped], return_when=asyncio.FIRST_COMPLETED)
            if not work.done():
                await asyncio.wait([work], timeout=STOP_GRACE.total_seconds())
        finally:
            for task in (keeper, stopped, work):
                task.cancel()
            await asyncio.gather(keeper, stopped, work, return_exceptions=True)

    async def claim_while_due(self) -> None:
        """Claims a batch at a time while anything is due and the run goes on."""
        try:
            await self.db(self.dispatcher.book_left_behind)
            while not (self.stopping.is_set() or self.errors):
                batch = await self.db(self.dispatcher.claims.due, self.now, self.dispatcher.batch)
                self.took(batch)
                if not batch.claimed:
                    break
                crash_if_asked(AFTER_CLAIM)
                for claimed in batch.claimed:
                    await self.todo.put(claimed)
        except Exception as problem:
            self.errors.append(problem)
        await self.no_more()

    async def hand_over(self, claimed: list[Claimed]) -> None:
        """Claims made elsewhere (a manual resend's transaction), for the senders."""
        for one in claimed:
            await self.todo.put(one)
        await self.no_more()

    async def send_each(self) -> None:
        """One sender: the next SMS, checked, sent, and its outcome committed before it
        takes another, so it never has more than one answered and not yet recorded."""
        while (claimed := await self.todo.get()) is not None:
            if self.stopping.is_set() or self.errors:
                continue  # left held: given back at the end
            if not await self.still_ours(claimed):
                continue
            outcome = await self.send(claimed)
            crash_if_asked(AFTER_SEND)
            await self.record(outcome)

    # -- the steps --------------------------------------------------------------------------
    def took(self, batch: ClaimedBatch) -> None:
        self.held.update((c.intent_id, c) for c in batch.claimed)
        self.report.cancelled += batch.cancelled
        self.policy = batch.policy

    async def no_more(self) -> None:
        for _ in range(self.dispatcher.concurrency):
            await self.todo.put(None)

    async def send(self, claimed: Claimed) -> Outcome:
        try:
            return Outcome(claimed, receipt=await self.send_one(claimed.message))
        except SendFailed as failure:
            return Outcome(claimed, failure=failure)
        except Exception as problem:  # a bug in a sender must not lose the intent
            return Outcome(claimed, failure=SendFailed(repr(problem), retryable=True))

    async def record(self, outcome: Outcome) -> None:
        """Group commit: the outcome joins those waiting; whoever gets the turn commits
        all that wait then, and the others find theirs done."""
        self.answered.append(outcome)
        async with self.committing:
            if not any(waiting is outcome for waiting in self.answered):
                return  # committed with an earlier group
            group, self.answered = self.answered, []
            try:
                done = await self.db(self.dispatcher.record, group)
            except Exception as problem:
                self.errors.append(problem)
                return
            crash_if_asked(AFTER_RECORD)
            self.report.add(done)
            for committed in group:
                self.held.pop(committed.claimed.intent_id, None)
            self.unbooked += (o.claimed.intent_id for o in group if o.receipt is not None)
            if len(self.unbooked) >= BOOK_EVERY and self.booking is None:
                self.booking = asyncio.create_task(self.book())

    async def book(self) -> None:
        """Books what was recorded as sent so far, while the senders go on."""
        try:
            while self.unbooked:
                intent_ids, self.unbooked = self.unbooked, []
                assert self.policy is not None  # read with the claim
                await self.db(self.dispatcher.book, intent_ids, self.policy)
        except Exception as problem:
            self.errors.append(problem)
        finally:
            self.booking = None

    async def book_the_rest(self) -> None:
        if self.booking is not None:
            await asyncio.shield(self.booking)
        if self.unbooked and not self.errors:
            self.booking = asyncio.create_task(self.book())
            await self.booking

    async def still_ours(self, claimed: Claimed) -> bool:
        """Just before a send: the claim is still this run's, for at least half a lease
        (more than any send takes). A lease running short is renewed first; the renewal
        says which claims another dispatcher took over meanwhile."""
        half = self.dispatcher.lease / 2
        if self.lease_left(claimed) < half:
            await self.renew()
        if claimed.intent_id in self.lost or self.lease_left(claimed) < half:
            self.held.pop(claimed.intent_id, None)
            self.report.taken_over += claimed.intent_id in self.lost
            return False
        return True

    def lease_left(self, claimed: Claimed) -> timedelta:
        until = max(claimed.lease_until, self.renewed_until or claimed.lease_until)
        return until - self.dispatcher.ctx.now()

    async def renew(self) -> None:
        async with self.renewing:
            held = list(self.held.values())
            if not held or min(map(self.lease_left, held)) >= self.dispatcher.lease * 3 / 4:
                return  # nothing held, or renewed while this waited its turn
            until = self.dispatcher.ctx.now() + self.dispatcher.lease
            try:
                ours = await self.db(self.dispatcher.renew, held, until)
            except Exception as problem:
                self.errors.append(problem)
                return
            self.lost |= {c.intent_id for c in held} - ours
            self.renewed_until = until

    async def keep_leases(self) -> None:
        """Renews the leases while the run holds anything, about four times a lease."""
        every = max(self.dispatcher.lease.total_seconds() / 8, 0.05)
        while True:
            await asyncio.sleep(every)
            await self.renew()
