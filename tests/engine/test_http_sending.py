"""SPEC §4 over real HTTP: the configured endpoint, retries, refusals, delivery reports.

The fake gateway runs on loopback in this process; the product talks to it through
its real HTTP sender. Time is the manual clock: backoffs are timestamps, never sleeps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from beian_desktop.models import AuditEvent, SmsIntent
from beian_desktop.rules.policy import Policy
from beian_desktop.services.beian import Beian
from beian_desktop.services.settings.policy_store import save_policy

from defaults import http_sms_config
from factories import phone, principal
from journeys import request_row, submit_filing
from staff import FAST_HASHER

A, B = phone(1), phone(2, "telecom")


def intents(app):
    with app.ctx.unit_of_work() as session:
        return list(session.scalars(select(SmsIntent).order_by(SmsIntent.id)))


def submitted_and_due(app, clock):
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    clock.advance(timedelta(minutes=5))
    return request_id


def test_each_sms_is_posted_with_its_key_sender_and_code(http_app, clock, gateway):
    submitted_and_due(http_app, clock)
    report = http_app.tick()
    assert report.dispatch.sent == 2
    sends = {s["body"]["phone"]: s for s in gateway.sends()}
    assert set(sends) == {A, B}
    first = sends[A]
    assert first["headers"]["Idempotency-Key"] == first["body"]["idempotency_key"]
    assert first["body"]["sender"] == "106575000130"
    assert first["body"]["params"]["code"] in first["body"]["text"]
    assert sends[B]["body"]["sender"] == "106598051001"
    rows = {i.phone: i for i in intents(http_app)}
    assert rows[A].status == "sent" and rows[A].endpoint_message_id.startswith("fg-")
    assert rows[A].idempotency_key == first["key"]


def test_server_errors_are_retried_with_backoff_and_the_same_key_and_code(http_app, clock, gateway):
    submitted_and_due(http_app, clock)
    gateway.control(fail_next=4, fail_status=503)
    report = http_app.tick()
    assert report.dispatch.retry_later == 2 and report.dispatch.sent == 0
    waits = [i.due_at - clock() for i in intents(http_app)]
    assert all(timedelta(seconds=2.5) <= w <= timedelta(seconds=5) for w in waits)
    http_app.tick()  # not due yet: nothing is tried
    assert len(gateway.sends()) == 2
    for _ in range(3):
        clock.advance(timedelta(minutes=1))
        http_app.tick()
    assert all(i.status == "sent" for i in intents(http_app))
    for number in (A, B):
        tries = [s for s in gateway.sends() if s["body"]["phone"] == number]
        assert len(tries) == 3  # two 503s, then accepted
        assert len({t["key"] for t in tries}) == 1
        assert len({t["body"]["params"]["code"] for t in tries}) == 1


def test_backoff_grows_with_each_failure(http_app, clock, gateway):
    submitted_and_due(http_app, clock)
    gateway.control(fail_next=100, fail_status=500)
    waits = []
    for _ in range(5):
        http_app.tick()
        intent = intents(http_app)[0]
        waits.append(intent.due_at - clock())
        clock.set(intent.due_at)
    assert waits == sorted(waits) and waits[-1] >= timedelta(seconds=40)
    assert intents(http_app)[0].attempts == 5


def test_a_refusal_is_not_retried_and_keeps_the_endpoints_answer(http_app, clock, gateway):
    request_id = submitted_and_due(http_app, clock)
    gateway.control(reject_next=2)
    report = http_app.tick()
    assert report.dispatch.failed == 2
    clock.advance(timedelta(hours=1))
    http_app.tick()
    assert len(gateway.sends()) == 2
    failed = intents(http_app)[0]
    assert failed.status == "failed" and "400" in failed.last_error
    assert "number blocked" in failed.last_error
    with http_app.ctx.unit_of_work() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.request_id == request_id)
        ).all()
    assert actions.count("sms_failed") == 2


def test_429_waits_exactly_as_long_as_retry_after_says(http_app, clock, gateway):
    submitted_and_due(http_app, clock)
    gateway.control(fail_next=2, fail_status=429, retry_after=30)
    http_app.tick()
    assert {i.due_at - clock() for i in intents(http_app)} == {timedelta(seconds=30)}
    clock.advance(timedelta(seconds=29))
    http_app.tick()
    assert len(gateway.sends()) == 2
    clock.advance(timedelta(seconds=1))
    assert http_app.tick().dispatch.sent == 2


def test_a_dropped_connection_is_retried(http_app, clock, gateway):
    submitted_and_due(http_app, clock)
    gateway.control(drop_next=1)
    report = http_app.tick()
    assert report.dispatch.retry_later == 1 and report.dispatch.sent == 1
    clock.advance(timedelta(minutes=1))
    assert http_app.tick().dispatch.sent == 1


def test_a_slow_endpoint_times_out_and_is_retried(database_url, keys, clock, gateway):
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=clock,
        sms=http_sms_config(gateway.url, timeout_seconds=0.2),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        submitted_and_due(app, clock)
        gateway.control(delay_seconds=0.6)
        assert app.tick().dispatch.retry_later == 2
        assert all("timeout" in i.last_error for i in intents(app))
        gateway.control(delay_seconds=0)
        clock.advance(timedelta(minutes=1))
        assert app.tick().dispatch.sent == 2
    finally:
        app.close()


def test_an_answer_that_is_not_accepted_fails_the_intent(database_url, keys, clock, gateway):
    sms = http_sms_config(gateway.url, accepted_field="code", accepted_value="QUEUED")
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=clock,
        sms=sms,
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        submitted_and_due(app, clock)
        assert app.tick().dispatch.failed == 2
    finally:
        app.close()


def test_the_body_is_signed_when_a_secret_is_configured(database_url, keys, clock, gateway):
    sms = http_sms_config(gateway.url, signature_header="X-Signature", signature_secret="s3")
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=clock,
        sms=sms,
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        submitted_and_due(app, clock)
        app.tick()
    finally:
        app.close()
    for send in gateway.sends():
        body = json.dumps(send["body"], ensure_ascii=False).encode()
        expected = hmac.new(b"s3", body, hashlib.sha256).hexdigest()
        assert send["headers"]["X-Signature"] == expected


def test_delivery_reports_are_polled_from_the_status_url(database_url, keys, clock, gateway):
    sms = http_sms_config(
        gateway.url,
        status_url=f"{gateway.url}/status/{{message_id}}",
        delivery_status_field="status",
    )
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=clock,
        sms=sms,
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        submitted_and_due(app, clock)
        gateway.control(delivery_status="UNDELIV")
        app.tick()
        assert {i.delivery_status for i in intents(app)} == {"unknown"}  # "accepted"
        assert app._run(app.dispatcher.poll_delivery()) == 2
        assert {i.delivery_status for i in intents(app)} == {"failed"}
    finally:
        app.close()


def test_expiry_and_returns_keep_time_while_the_endpoint_is_down_for_30_hours(
    http_app, clock, gateway
):
    sent_before = submit_filing(http_app, subject_phone=A, website_phones=[B])
    clock.advance(timedelta(minutes=5))
    http_app.tick()
    deadline = clock() + timedelta(hours=24)
    gateway.control(fail_next=10**9, fail_status=503)
    never_sent = submit_filing(
        http_app, subject_phone=phone(3), website_phones=[phone(4)], serial=2
    )
    never_due = clock() + timedelta(minutes=5)
    returned_at = {}
    step = timedelta(minutes=15)
    for _ in range(30 * 4):  # every 15 minutes for 30 hours
        clock.advance(step)
        http_app.tick()
        for rid in (sent_before, never_sent):
            if rid not in returned_at and request_row(http_app, rid).state == "returned":
                returned_at[rid] = clock()
    assert request_row(http_app, sent_before).return_reason == "expired"
    assert deadline <= returned_at[sent_before] < deadline + step
    assert request_row(http_app, never_sent).return_reason == "undeliverable"
    limit = never_due + timedelta(hours=24)
    assert limit <= returned_at[never_sent] < limit + step
    tries_during_outage = len(gateway.sends())
    gateway.control(fail_next=0)
    clock.advance(timedelta(hours=1))
    http_app.tick()
    assert len(gateway.sends()) == tries_during_outage  # nothing for returned requests
    statuses = {i.status for i in intents(http_app) if i.phone in (phone(3), phone(4))}
    assert statuses == {"cancelled"}


@pytest.mark.parametrize("kind", ["outbox", "http"])
def test_policy_sender_numbers_are_recorded_per_message(database_url, keys, clock, gateway, kind):
    sms = http_sms_config(gateway.url) if kind == "http" else None
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=clock,
        sms=sms,
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        with app.ctx.unit_of_work() as session:
            numbers = {**Policy().sender_numbers, "mobile": "12381"}
            save_policy(session, Policy(sender_numbers=numbers), by="admin", at=clock())
        submitted_and_due(app, clock)
        app.tick()
        assert {i.phone: i.sender_number for i in intents(app)} == {A: "12381", B: "106598051001"}
    finally:
        app.close()


def test_the_principal_in_the_message_is_the_verifier(http_app, clock, gateway):
    submitted_and_due(http_app, clock)
    http_app.tick()
    names = {s["body"]["phone"]: s["body"]["params"]["name"] for s in gateway.sends()}
    assert names == {A: principal(100).name, B: principal(101).name}


def test_several_threads_dispatching_at_once_send_each_intent_once(
    database_url, keys, clock, gateway
):
    import threading

    setup = Beian.open(
        database_url=database_url, keys=keys, clock=clock, upgrade=False, hasher=FAST_HASHER
    )
    for n in range(10):
        submit_filing(
            setup,
            subject_phone=phone(200 + 2 * n),
            website_phones=[phone(201 + 2 * n)],
            serial=20 + n,
        )
    setup.close()
    clock.advance(timedelta(minutes=5))
    gateway.control(delay_seconds=0.01)
    apps = [
        Beian.open(
            database_url=database_url,
            keys=keys,
            clock=clock,
            upgrade=False,
            sms=http_sms_config(gateway.url),
            hasher=FAST_HASHER,
        )
        for _ in range(4)
    ]
    barrier = threading.Barrier(len(apps))
    errors = []

    def work(app):
        barrier.wait()
        try:
            app.dispatch()
        except Exception as problem:  # pragma: no cover - reported below
            errors.append(problem)

    threads = [threading.Thread(target=work, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        rows = intents(apps[0])
        assert len(rows) == 20 and {i.status for i in rows} == {"sent"}
        assert sorted(s["key"] for s in gateway.sends()) == sorted(i.idempotency_key for i in rows)
    finally:
        for app in apps:
            app.close()


def test_many_batches_each_sms_goes_out_once_and_is_recorded(http_app, clock, gateway):
    """Batches overlap (one is claimed while another is on the wire, and recorded while
    the next is sent); across them every intent is sent and recorded exactly once."""
    for n in range(1, 6):
        submit_filing(http_app, subject_phone=phone(40 + n), website_phones=[phone(50 + n)],
                      serial=n)  # fmt: skip
    clock.advance(timedelta(minutes=5))
    http_app.dispatcher.batch = 3
    report = http_app.tick()
    assert report.dispatch.sent == 10
    keys = [s["key"] for s in gateway.sends()]
    assert len(keys) == len(set(keys)) == 10
    rows = intents(http_app)
    assert {i.status for i in rows} == {"sent"}
    with http_app.ctx.unit_of_work() as session:
        sent_events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sms_sent"))
        recorded = sorted(e.details["intent_id"] for e in sent_events)
    assert recorded == sorted(i.id for i in rows)
    assert http_app.tick().dispatch.sent == 0


def test_the_endpoint_sees_at_most_max_concurrency_connections(gateway):
    """The sender's connections are kept alive and lent to one send at a time; ten
    sends at once with two allowed go over exactly two connections."""
    import asyncio

    from beian_desktop.services.sending.http_sender import HttpSender
    from beian_desktop.services.sending.senders import SmsMessage

    sender = HttpSender(http_sms_config(gateway.url, max_concurrency=2).http)

    async def ten_at_once():
        try:
            messages = [SmsMessage(phone(n), "text", "106", f"key-{n}") for n in range(10)]
            return await asyncio.gather(*(sender.send(m) for m in messages))
        finally:
            await sender.aclose()

    receipts = asyncio.run(ten_at_once())
    assert len({r.endpoint_message_id for r in receipts}) == 10
    assert len({s["peer"] for s in gateway.sends()}) == 2
