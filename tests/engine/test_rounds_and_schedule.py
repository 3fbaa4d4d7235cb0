"""SPEC §3-§4: the 5-minute send, the 24-hour round, the 12:00 resend, expiry and return."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from beian_desktop.models import AuditEvent, Code, SmsIntent
from beian_desktop.rules.clock import SHANGHAI
from beian_desktop.services.sending.senders import SendFailed

from factories import phone, principal
from journeys import (
    latest_codes,
    latest_round,
    outbox_count,
    request_row,
    request_state,
    returned_names,
    send_first_sms,
    submit_filing,
    verifiers,
)
from staff import session_for

A, B = phone(1), phone(2, "unicom")
A_LAST6, B_LAST6 = principal(100).doc_number[-6:], principal(101).doc_number[-6:]


def returned_events(app, request_id):
    with app.ctx.unit_of_work() as session:
        return session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.request_id == request_id, AuditEvent.action == "returned")
        )


def test_the_sms_goes_out_five_minutes_after_submission_not_before(app, clock):
    submit_filing(app, subject_phone=A, website_phones=[B])
    clock.advance(timedelta(minutes=4, seconds=59))
    app.tick()
    assert outbox_count(app) == 0
    clock.advance(timedelta(seconds=1))
    app.tick()
    assert outbox_count(app) == 2


def test_the_send_delay_is_a_setting(app, clock):
    from beian_desktop.rules.policy import Policy
    from beian_desktop.services.settings.policy_store import save_policy

    with app.ctx.unit_of_work() as session:
        save_policy(session, Policy(send_delay_seconds=0), by="admin", at=clock())
    submit_filing(app, subject_phone=A, website_phones=[B])
    app.tick()
    assert outbox_count(app) == 2


def test_each_sms_carries_its_operators_sender_number(app, clock):
    submit_filing(app, subject_phone=A, website_phones=[B, phone(3, "telecom")])
    send_first_sms(app, clock)
    with app.ctx.unit_of_work() as session:
        senders = {i.phone: i.sender_number for i in session.scalars(select(SmsIntent))}
    assert senders == {A: "106575000130", B: "10655113", phone(3, "telecom"): "106598051001"}


def test_the_deadline_is_24_hours_after_the_first_sms(app, clock):
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)
    rnd = latest_round(app, request_id)
    assert rnd.first_sent_at == clock()
    assert rnd.deadline == clock() + timedelta(hours=24)


def test_at_the_deadline_the_whole_request_returns_even_if_one_verified(app, clock):
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)
    app.verification.check_code(
        code=latest_codes(app)[A], phone=A, id_last6=A_LAST6, session=session_for(app, "web")
    )
    clock.advance(timedelta(hours=24) - timedelta(seconds=1))
    app.tick()
    assert request_state(app, request_id) == "verifying"
    clock.advance(timedelta(seconds=1))
    app.tick()
    request = request_row(app, request_id)
    assert request.state == "returned" and request.return_reason == "expired"
    a, b = verifiers(app, request_id)
    assert (a.state, b.state) == ("verified", "expired")
    assert returned_names(app, request_id) == (b.name,)


def test_a_return_happens_once_however_often_the_scheduler_runs(app, clock):
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)
    clock.advance(timedelta(days=2))
    for _ in range(3):
        app.tick()
    assert returned_events(app, request_id) == 1


def at_shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_the_automatic_resend_comes_at_noon_the_next_day(app, clock):
    clock.set(at_shanghai(23, 14, 0))
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)  # 14:05, deadline 14:05 tomorrow
    old = latest_codes(app)
    app.verification.check_code(
        code=old[A], phone=A, id_last6=A_LAST6, session=session_for(app, "web")
    )
    clock.set(at_shanghai(24, 11, 59))
    app.tick()
    assert outbox_count(app) == 2
    clock.set(at_shanghai(24, 12, 0))
    app.tick()
    app.tick()
    assert outbox_count(app, B) == 2 and outbox_count(app, A) == 1  # only the pending one
    new = latest_codes(app)[B]
    assert new != old[B]
    assert latest_round(app, request_id).deadline == at_shanghai(24, 14, 5)
    check = app.verification.check_code
    desk = session_for(app, "web")
    assert "核验失败" in check(code=old[B], phone=B, id_last6=B_LAST6, session=desk).message
    assert "全部核验" in check(code=new, phone=B, id_last6=B_LAST6, session=desk).message


def test_no_automatic_resend_when_noon_tomorrow_is_past_the_deadline(app, clock):
    clock.set(at_shanghai(23, 10, 0))
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)  # 10:05; 12:00 tomorrow is after the deadline
    assert latest_round(app, request_id).auto_resend_at is None
    clock.set(at_shanghai(24, 12, 0))
    app.tick()
    assert outbox_count(app) == 2
    assert request_state(app, request_id) == "returned"


def test_a_resubmission_starts_a_fresh_round_with_new_codes(app, clock):
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)
    old = latest_codes(app)
    clock.advance(timedelta(hours=24))
    app.tick()
    assert request_state(app, request_id) == "returned"
    app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
    assert request_state(app, request_id) == "verifying"
    send_first_sms(app, clock)
    new = latest_codes(app)
    rnd = latest_round(app, request_id)
    assert rnd.number == 2 and rnd.deadline == clock() + timedelta(hours=24)
    assert all(v.wrong_tries == 0 and v.state == "pending" for v in verifiers(app, request_id))
    check = app.verification.check_code
    desk = session_for(app, "web")
    assert (
        "核验失败" in check(code=old[A], phone=A, id_last6=A_LAST6, session=desk).message
        or old[A] == new[A]
    )
    check(code=new[A], phone=A, id_last6=A_LAST6, session=desk)
    check(code=new[B], phone=B, id_last6=B_LAST6, session=desk)
    assert request_state(app, request_id) == "bureau_review"


def test_a_request_in_verification_cannot_be_resubmitted(app, clock):
    from beian_desktop.rules.errors import RequestNotEditable

    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    with pytest.raises(RequestNotEditable):
        app.submission.submit(session=session_for(app, "isp"), request_id=request_id)


class DownSender:
    """An endpoint that never takes a message."""

    def __init__(self):
        self.calls = 0

    def send(self, message):
        self.calls += 1
        raise SendFailed("connection refused", retryable=True)


def test_no_sms_handed_over_within_24_hours_of_being_due_ends_the_round(app, clock):
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    working_sender, app.ctx.sender = app.ctx.sender, DownSender()
    for _ in range(30):
        clock.advance(timedelta(hours=1))
        app.tick()
    request = request_row(app, request_id)
    assert request.state == "returned" and request.return_reason == "undeliverable"
    app.ctx.sender = working_sender
    app.tick()
    assert outbox_count(app) == 0  # nothing is sent for a returned request
    with app.ctx.unit_of_work() as session:
        statuses = set(session.scalars(select(SmsIntent.status)))
    assert statuses == {"cancelled"}


def test_the_scheduler_catches_up_after_the_app_was_closed(app, clock):
    sent = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)
    waiting = submit_filing(app, subject_phone=phone(3), website_phones=[phone(4)], serial=2)
    clock.advance(timedelta(hours=1))
    app.tick()  # the second request's SMS go out an hour late, on the first tick
    assert outbox_count(app, phone(3)) == 1
    clock.advance(timedelta(days=3))
    app.tick()
    assert request_state(app, sent) == "returned"
    assert request_state(app, waiting) == "returned"
    assert returned_events(app, sent) == returned_events(app, waiting) == 1


def test_a_sweep_larger_than_a_chunk_returns_every_request_once(app, clock, monkeypatch):
    """The sweep works a chunk of rounds per transaction; across the chunk boundaries
    every overdue request is returned once, naming its own pending verifiers, with its
    codes retired and one audit event."""
    from beian_desktop.services.verification import scheduler

    monkeypatch.setattr(scheduler, "SWEEP_CHUNK", 2)
    requests = [
        submit_filing(app, subject_phone=phone(10 + n), website_phones=[phone(20 + n)], serial=n)
        for n in range(1, 6)
    ]
    send_first_sms(app, clock)
    first = latest_codes(app)[phone(11)]
    app.verification.check_code(
        code=first, phone=phone(11), id_last6=A_LAST6, session=session_for(app, "web")
    )
    clock.advance(timedelta(hours=24))
    assert scheduler.expire_rounds(app.ctx, clock()) == 5
    assert scheduler.expire_rounds(app.ctx, clock()) == 0
    for request_id in requests:
        request = request_row(app, request_id)
        subject_verifier, site_verifier = verifiers(app, request_id)
        assert (request.state, request.return_reason) == ("returned", "expired")
        assert returned_events(app, request_id) == 1
        assert site_verifier.state == "expired"
        pending = [v for v in (subject_verifier, site_verifier) if v.state == "expired"]
        assert returned_names(app, request_id) == tuple(v.name for v in pending)
    with app.ctx.unit_of_work() as session:  # no code of a returned request still works
        assert session.scalar(select(func.count()).where(Code.superseded_at.is_(None))) == 0


def test_a_second_round_returns_naming_its_own_pending_verifiers(app, clock):
    """The return names the returned round's pending verifiers, with the reason and the
    round, in the event as on the request; the first round's verifiers play no part."""
    from beian_desktop.services import audit

    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=24))
    app.tick()  # round 1 returned, naming A and B (both pending)
    app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
    send_first_sms(app, clock)
    check = app.verification.check_code
    check(code=latest_codes(app)[A], phone=A, id_last6=A_LAST6, session=session_for(app, "web"))
    clock.advance(timedelta(hours=24))
    app.tick()
    first_a, first_b = verifiers(app, request_id, round_number=1)
    second_a, second_b = verifiers(app, request_id)
    assert second_a.state == "verified" and second_b.state == "expired"
    assert returned_names(app, request_id) == (second_b.name,)
    with app.ctx.read_only() as session:
        returns = [e.details for e in audit.timeline(session, request_id) if e.action == "returned"]
    assert returns == [
        {
            "reason": "expired",
            "round": 1,
            "verifier_ids": [first_a.id, first_b.id],
            "verifiers": [first_a.name, first_b.name],
        },
        {
            "reason": "expired",
            "round": 2,
            "verifier_ids": [second_b.id],
            "verifiers": [second_b.name],
        },
    ]
