"""The dispatcher's senders (SPEC §4): how many SMS are on the wire at once, and that
one slow SMS holds up neither the others nor the batches after it.

The senders here are coroutines that count what is in flight and wait on what the
test controls, never on time.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from beian_desktop.models import SmsIntent
from beian_desktop.services.sending.senders import SendReceipt

from factories import phone
from journeys import submit_filing


def due(app, clock, filings):
    """`filings` requests of two phones each, their SMS due now."""
    for n in range(filings):
        submit_filing(
            app, subject_phone=phone(300 + 2 * n), website_phones=[phone(301 + 2 * n)], serial=n
        )
    clock.advance(timedelta(minutes=5))
    return 2 * filings


def statuses(app):
    with app.ctx.unit_of_work() as session:
        return list(session.scalars(select(SmsIntent.status)))


class CountingSender:
    def __init__(self):
        self.in_flight = 0
        self.most_in_flight = 0
        self.sent: list[str] = []

    async def send(self, message):
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self.answer(message)
            self.sent.append(message.phone)
            return SendReceipt(endpoint_message_id=f"m-{len(self.sent)}")
        finally:
            self.in_flight -= 1

    async def answer(self, message):
        for _ in range(3):  # the others get their turn meanwhile
            await asyncio.sleep(0)


def test_never_more_than_concurrency_sms_are_on_the_wire(app, clock):
    count = due(app, clock, 7)
    sender = app.ctx.sender = CountingSender()
    app.dispatcher.concurrency = 3
    app.dispatcher.batch = 4
    report = app.dispatch()
    assert report.sent == count == len(set(sender.sent))
    assert sender.most_in_flight == 3
    assert set(statuses(app)) == {"sent"}


class OneSlowSender(CountingSender):
    """The first SMS is answered only once every other one has been."""

    def __init__(self, others):
        super().__init__()
        self.others = others
        self.slow: str | None = None
        self.the_rest_answered = asyncio.Event()

    async def answer(self, message):
        if self.slow is None:
            self.slow = message.phone
            # Bounded only so that a dispatcher that waits for it fails instead of hanging.
            await asyncio.wait_for(self.the_rest_answered.wait(), timeout=60)
            return
        await asyncio.sleep(0)
        if len(self.sent) + 1 == self.others:
            self.the_rest_answered.set()


def test_one_slow_sms_holds_up_neither_the_others_nor_the_next_batches(app, clock):
    count = due(app, clock, 5)
    sender = app.ctx.sender = OneSlowSender(others=count - 1)
    app.dispatcher.concurrency = 2
    app.dispatcher.batch = 3  # the slow SMS's batch is answered last of all
    report = app.dispatch()
    assert report.sent == count
    assert sender.sent[-1] == sender.slow
    assert set(statuses(app)) == {"sent"}


def test_a_claim_takes_pending_and_lapsed_intents_in_due_order(app, clock):
    """SQLite picks the ids off the (status, due_at) index first, PostgreSQL filters and
    orders in one statement with SKIP LOCKED; both take the same rows in the same order."""
    from sqlalchemy import update

    for n in range(4):  # due 5 minutes apart
        submit_filing(app, subject_phone=phone(400 + 2 * n), website_phones=[phone(401 + 2 * n)],
                      serial=n)  # fmt: skip
        clock.advance(timedelta(minutes=5))
    now = clock()
    with app.ctx.unit_of_work() as session:
        ids = list(session.scalars(select(SmsIntent.id).order_by(SmsIntent.due_at, SmsIntent.id)))
        lapsed, held, sent = ids[1], ids[2], ids[4]
        for intent_id, status, lease in (
            (lapsed, "sending", now - timedelta(seconds=1)),
            (held, "sending", now + timedelta(minutes=1)),
            (sent, "sent", None),
        ):
            session.execute(
                update(SmsIntent)
                .where(SmsIntent.id == intent_id)
                .values(status=status, lease_until=lease)
            )
    expected = [i for i in ids if i not in (held, sent)]
    claims = app.dispatcher.claims
    first = [c.intent_id for c in claims.due(now, 3).claimed]
    rest = [c.intent_id for c in claims.due(now, 3).claimed]
    assert first + rest == expected
    assert claims.due(now, 3).claimed == []


def test_a_batch_whose_rounds_all_ended_does_not_stop_the_run(app, clock):
    """The first batch's rounds were returned meanwhile: its SMS are cancelled and the
    same run goes on to the next batch."""
    from sqlalchemy import update

    from beian_desktop.models import VerificationRound

    ended = [
        submit_filing(
            app,
            subject_phone=phone(500 + 2 * n),
            website_phones=[phone(501 + 2 * n)],
            serial=10 + n,
        )
        for n in range(2)
    ]
    clock.advance(timedelta(minutes=1))
    due(app, clock, 2)
    with app.ctx.unit_of_work() as session:
        session.execute(
            update(VerificationRound)
            .where(VerificationRound.request_id.in_(ended))
            .values(state="failed")
        )
    sender = app.ctx.sender = CountingSender()
    app.dispatcher.batch = 4  # exactly the ended requests' SMS, due first
    report = app.dispatch()
    assert (report.cancelled, report.sent) == (4, 4)
    assert sorted(statuses(app)) == ["cancelled"] * 4 + ["sent"] * 4
    assert len(sender.sent) == 4


class ClockAdvancingSender(CountingSender):
    """Each SMS takes a minute of the (manual) clock; it notes the lease its intent
    held while it was on the wire."""

    def __init__(self, app, clock):
        super().__init__()
        self.app, self.clock = app, clock
        self.lease_left: list[timedelta] = []

    async def answer(self, message):
        with self.app.ctx.read_only() as session:
            lease_until = session.scalar(
                select(SmsIntent.lease_until).where(
                    SmsIntent.idempotency_key == message.idempotency_key
                )
            )
        self.lease_left.append(lease_until - self.clock())
        self.clock.advance(timedelta(minutes=1))


def test_a_long_runs_later_batches_are_leased_from_when_they_are_claimed(app, clock):
    """Ten SMS a minute each, leases of two minutes: had every lease run from the start
    of the run, the later ones would have lapsed on the wire, free for another
    dispatcher to take over and send again."""
    count = due(app, clock, 5)
    sender = app.ctx.sender = ClockAdvancingSender(app, clock)
    app.dispatcher.concurrency = 1
    app.dispatcher.batch = 1
    report = app.dispatch()
    assert report.sent == count == len(sender.lease_left)
    assert all(left > timedelta(0) for left in sender.lease_left)
