"""A claim taken over is no longer its first owner's (SPEC §4: nothing sent twice).

Two dispatchers on one database, as two workers would be: the one whose lease lapsed
may neither record, renew nor give back what the other has claimed since, and does
not send what it still had queued; every try of one intent sends the same message.
The senders here are coroutines; time is the manual clock.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from beian_desktop.models import AuditEvent, SmsIntent
from beian_desktop.services.sending.dispatch import LEASE, Dispatcher
from beian_desktop.services.sending.records import Outcome
from beian_desktop.services.sending.senders import SendReceipt
from beian_desktop.services.settings.policy_store import load_policy

from factories import phone
from journeys import submit_filing


def due(app, clock, filings):
    for n in range(filings):
        submit_filing(
            app, subject_phone=phone(600 + 2 * n), website_phones=[phone(601 + 2 * n)], serial=n
        )
    clock.advance(timedelta(minutes=5))
    return 2 * filings


def rows(app):
    with app.ctx.unit_of_work() as session:
        return list(session.scalars(select(SmsIntent).order_by(SmsIntent.id)))


def sent_events(app):
    with app.ctx.unit_of_work() as session:
        return session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "sms_sent")
        )


def policy(app):
    with app.ctx.unit_of_work() as session:
        return load_policy(session)


def test_a_record_from_a_dispatcher_whose_claim_was_taken_over_is_refused(app, clock):
    count = due(app, clock, 2)
    first, second = Dispatcher(app.ctx), Dispatcher(app.ctx)
    held = first.claims.due(clock(), 10).claimed
    assert len(held) == count
    clock.advance(LEASE)  # the first stalled: its lease lapsed
    taken = second.claims.due(clock(), 10).claimed
    assert sorted(c.intent_id for c in taken) == sorted(c.intent_id for c in held)
    assert all(t.epoch == h.epoch + 1 for t, h in zip(taken, held, strict=True))

    answered = [Outcome(c, receipt=SendReceipt(endpoint_message_id="late")) for c in held]
    late = first.record(answered)
    assert (late.sent, late.fenced_off) == (0, count)
    assert first.renew(held, clock() + LEASE) == set()
    assert first.release(held) == 0
    assert {r.status for r in rows(app)} == {"sending"} and sent_events(app) == 0

    answered = [Outcome(c, receipt=SendReceipt(endpoint_message_id="ok")) for c in taken]
    assert second.record(answered).sent == count
    assert {(r.status, r.endpoint_message_id) for r in rows(app)} == {("sent", "ok")}
    assert sent_events(app) == 0  # recorded; what the sends mean is booked next

    ids = [c.intent_id for c in taken]
    assert second.book(ids, policy(app)) == count
    assert first.book(ids, policy(app)) == 0  # booked once, whoever asks again
    assert sent_events(app) == count
    assert {r.bookkeeping_due for r in rows(app)} == {None}


class TakenOverAfterTheFirst:
    """Takes the first SMS; before answering it lets the lease lapse and another
    dispatcher claim everything, that one too (to the database it is on the wire)."""

    def __init__(self, app, clock):
        self.app, self.clock = app, clock
        self.sent: list[str] = []
        self.taken: list[int] = []

    async def send(self, message):
        self.sent.append(message.idempotency_key)
        if len(self.sent) == 1:
            self.clock.advance(LEASE + timedelta(seconds=1))
            other = Dispatcher(self.app.ctx)
            claimed = await asyncio.to_thread(other.claims.due, self.clock(), 10)
            self.taken = [c.intent_id for c in claimed.claimed]
        return SendReceipt(endpoint_message_id=f"m-{len(self.sent)}")


def test_a_sender_does_not_send_what_was_taken_over_while_it_waited(app, clock):
    count = due(app, clock, 2)
    sender = app.ctx.sender = TakenOverAfterTheFirst(app, clock)
    app.dispatcher.concurrency = 1
    report = app.dispatch()
    assert len(sender.sent) == 1  # the rest was the other dispatcher's by then
    assert len(sender.taken) == count
    assert (report.sent, report.taken_over) == (0, count)  # its one record refused too
    assert {r.status for r in rows(app)} == {"sending"}  # the other's to send and record


class Remembering:
    def __init__(self):
        self.messages = []

    async def send(self, message):
        self.messages.append(message)
        return SendReceipt()


def test_every_try_of_one_intent_sends_the_message_of_its_first_claim(app, clock):
    due(app, clock, 1)
    first = Dispatcher(app.ctx, link="https://beian.example.cn/a")
    before = {c.intent_id: c.message for c in first.claims.due(clock(), 10).claimed}
    clock.advance(timedelta(hours=3))  # its dispatcher died; the lease lapsed long ago
    again = Dispatcher(app.ctx, link="https://beian.example.cn/b")
    after = {c.intent_id: c.message for c in again.claims.due(clock(), 10).claimed}
    assert after == before  # the same text, deadline, link and code
    assert all("/a" in m.text for m in after.values())


def test_claims_take_due_intents_in_due_order_pending_and_lapsed_alike(app, clock):
    """Claim order is (due time, id) across both kinds of due intent: the pending and
    those whose dispatcher stalled, ties (a noon resend's thousands) by id."""
    due(app, clock, 4)
    ids = [r.id for r in rows(app)]
    stalled = Dispatcher(app.ctx)
    assert [c.intent_id for c in stalled.claims.due(clock(), 3).claimed] == ids[:3]
    clock.advance(LEASE)  # the first three are `sending` under a lapsed lease now
    with app.ctx.unit_of_work() as session:
        session.execute(update(SmsIntent).values(due_at=clock() - timedelta(minutes=1)))
        session.execute(
            update(SmsIntent)
            .where(SmsIntent.id == ids[-1])
            .values(due_at=clock() - timedelta(minutes=2))
        )
    taker, order = Dispatcher(app.ctx), []
    while batch := taker.claims.due(clock(), 3).claimed:
        order += [c.intent_id for c in batch]
    assert order == [ids[-1], *ids[:-1]]
    assert {r.status for r in rows(app)} == {"sending"}
    assert {r.lease_owner for r in rows(app)} == {taker.owner}
