"""SPEC §4-§5: manual resends, by the person or by staff for a caller."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from beian_desktop.models import AuditEvent, Resend, SmsIntent
from beian_desktop.rules.clock import in_shanghai

from factories import phone, principal
from journeys import (
    latest_codes,
    latest_round,
    outbox_count,
    request_state,
    send_first_sms,
    submit_filing,
    verifiers,
)
from staff import session_for

PHONE = phone(1)
LAST6 = principal(100).doc_number[-6:]


@pytest.fixture
def pending(app, clock):
    request_id = submit_filing(app, subject_phone=PHONE, website_phones=[PHONE])
    send_first_sms(app, clock)
    return request_id


def resend(app, *, last6=LAST6, number=PHONE, by="caller", on_behalf=False):
    outcome = app.verification.resend_code(
        session=session_for(app, by), phone=number, id_last6=last6, on_behalf=on_behalf
    )
    app.dispatch()
    return outcome


def test_a_resend_sends_a_new_code_and_the_old_one_stops_working(app, clock, pending):
    old = latest_codes(app)[PHONE]
    clock.advance(timedelta(seconds=61))
    outcome = resend(app)
    assert outcome.sent and outcome.message == "您的短信已发送成功"
    new = latest_codes(app)[PHONE]
    assert new != old and outcome_count(app) == 2
    check = app.verification.check_code
    desk = session_for(app, "web")
    assert "核验失败" in check(code=old, phone=PHONE, id_last6=LAST6, session=desk).message
    assert "核验完成" in check(code=new, phone=PHONE, id_last6=LAST6, session=desk).message


def outcome_count(app):
    return outbox_count(app, PHONE)


def test_a_resend_does_not_move_the_deadline(app, clock, pending):
    deadline = latest_round(app, pending).deadline
    clock.advance(timedelta(hours=3))
    resend(app)
    assert latest_round(app, pending).deadline == deadline
    clock.set(deadline)
    app.tick()
    assert request_state(app, pending) == "returned"


def test_the_resent_sms_tells_the_original_deadline(app, clock, pending):
    deadline = latest_round(app, pending).deadline
    clock.advance(timedelta(hours=3))
    resend(app)
    with app.ctx.unit_of_work() as session:
        from beian_desktop.services.sending.senders import read_outbox

        newest = read_outbox(session, app.ctx.keys, phone=PHONE, limit=1)[0]
    assert in_shanghai(deadline).strftime("%Y-%m-%d %H:%M") in newest.text


def test_nothing_pending_answers_no_resend_needed(app, pending):
    outcome = resend(app, number=phone(5, "unicom"))
    assert not outcome.sent
    assert outcome.message == "暂无待短信核验的备案申请，无需重发短信"


def test_a_verified_person_has_nothing_pending(app, clock, pending):
    app.verification.check_code(
        code=latest_codes(app)[PHONE], phone=PHONE, id_last6=LAST6, session=session_for(app, "web")
    )
    clock.advance(timedelta(minutes=2))
    assert resend(app).refusal == "nothing_pending"


def test_wrong_id_digits_are_refused_and_say_so(app, pending):
    outcome = resend(app, last6="000000")
    assert not outcome.sent and outcome.refusal == "wrong_id_digits"
    assert "证件号码后六位不正确" in outcome.message
    assert verifiers(app, pending)[0].wrong_tries == 0


def test_too_soon_says_when_it_can_be_asked_again(app, clock, pending):
    first_send = clock()
    clock.advance(timedelta(seconds=30))
    outcome = resend(app)
    assert outcome.refusal == "too_soon"
    assert outcome.retry_at == first_send + timedelta(seconds=60)
    assert in_shanghai(outcome.retry_at).strftime("%H:%M:%S") in outcome.message
    clock.set(outcome.retry_at)
    assert resend(app).sent


def test_at_most_two_manual_resends_per_round(app, clock, pending):
    for _ in range(2):
        clock.advance(timedelta(seconds=60))
        assert resend(app).sent
    clock.advance(timedelta(seconds=60))
    outcome = resend(app)
    assert outcome.refusal == "too_many" and "次数已用完" in outcome.message
    assert verifiers(app, pending)[0].manual_resends == 2


def test_the_resend_cap_is_per_round_and_a_resubmission_starts_afresh(app, clock, pending):
    for _ in range(2):
        clock.advance(timedelta(seconds=60))
        resend(app)
    clock.advance(timedelta(hours=24))
    app.tick()
    assert request_state(app, pending) == "returned"
    app.submission.submit(session=session_for(app, "isp"), request_id=pending)
    send_first_sms(app, clock)
    clock.advance(timedelta(seconds=60))
    assert resend(app).sent


def test_a_resend_before_the_first_sms_went_out_is_refused_with_when(app, clock):
    submit_filing(app, subject_phone=PHONE, website_phones=[PHONE])
    outcome = resend(app)
    assert outcome.refusal == "not_sent_yet"
    assert outcome.retry_at == clock() + timedelta(minutes=5)


def test_staff_resending_for_a_caller_is_recorded_with_the_staff_member(app, clock, pending):
    clock.advance(timedelta(seconds=60))
    resend(app, by="desk.li", on_behalf=True)
    with app.ctx.unit_of_work() as session:
        row = session.scalars(select(Resend)).one()
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "resent")).one()
        intent = session.get(SmsIntent, row.intent_id)
    assert (row.requested_by, row.on_behalf, row.kind) == ("desk.li", True, "manual_resend")
    assert event.actor == "desk.li" and event.request_id == pending
    assert intent.status == "sent" and intent.kind == "manual_resend"


def test_wrong_tries_carry_across_resends(app, clock, pending):
    code = latest_codes(app)[PHONE]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    check = app.verification.check_code
    check(code=wrong, phone=PHONE, id_last6=LAST6, session=session_for(app, "web"))
    check(code=wrong, phone=PHONE, id_last6=LAST6, session=session_for(app, "web"))
    clock.advance(timedelta(seconds=60))
    resend(app)
    new = latest_codes(app)[PHONE]
    wrong = f"{(int(new) + 1) % 1_000_000:06d}"
    check(code=wrong, phone=PHONE, id_last6=LAST6, session=session_for(app, "web"))
    assert request_state(app, pending) == "returned"


def test_staff_resending_for_one_row_reaches_only_that_requests_verifier(app, clock):
    first = submit_filing(app, subject_phone=PHONE, website_phones=[PHONE])
    second = submit_filing(app, subject_phone=PHONE, website_phones=[PHONE], serial=2)
    send_first_sms(app, clock)
    clock.advance(timedelta(seconds=60))
    target = verifiers(app, second)[0]
    outcome = app.verification.resend_for_verifier(
        verifier_id=target.id,
        id_last6=principal(200).doc_number[-6:],
        session=session_for(app, "desk.li"),
    )
    assert outcome.sent and len(outcome.intent_ids) == 1
    assert verifiers(app, second)[0].manual_resends == 1
    assert verifiers(app, first)[0].manual_resends == 0
