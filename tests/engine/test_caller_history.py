"""The help desk's view of one caller (queries.caller_history): every recent request the
number verifies in, live ones first, with each SMS and why a request came back; and the
verification desk's answer before the first SMS, which agrees with it (SPEC §3-§5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from beian_desktop.models import SmsIntent, Try, VerificationRound, Verifier
from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.terms import CheckResult, ReturnReason, RoundState, VerifierState

from defaults import START
from factories import phone, principal
from journeys import latest_codes, send_first_sms, submit_filing, verifiers
from staff import session_for

CALLER = phone(42)
CALLER_LAST6 = principal(100).doc_number[-6:]  # each filing's subject principal is 负责人100
MASKED = f"{CALLER[:3]}****{CALLER[-4:]}"


def desk(app):
    return session_for(app, "desk")


def check(app, code, number=CALLER, last6=CALLER_LAST6):
    return app.verification.check_code(session=desk(app), code=code, phone=number, id_last6=last6)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def history(app, number=CALLER):
    return app.queries.caller_history(session=desk(app), phone=number)


def test_a_number_with_nothing_has_an_empty_history(app):
    shown = history(app, phone(9999))
    assert shown.requests == () and shown.live == ()
    assert shown.phone_masked == "138****9999"


def test_a_malformed_number_is_a_field_error(app):
    with pytest.raises(ValidationFailed) as raised:
        history(app, "1380013")
    assert [e.field for e in raised.value.errors] == ["phone"]


def test_live_first_then_the_returned_and_the_verified_newest_first(app, clock):
    first = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)  # 10:05: the first request's SMS
    outcome = check(app, latest_codes(app)[CALLER])
    assert outcome.result == CheckResult.VERIFIED_OTHERS_PENDING

    second = submit_filing(app, serial=2, subject_phone=CALLER)
    send_first_sms(app, clock)  # 10:10
    code = latest_codes(app)[CALLER]
    for _ in range(3):
        outcome = check(app, wrong(code))
    assert outcome.returned_request_ids == (second,) and outcome.tries_left == 0

    clock.advance(timedelta(minutes=1))  # 10:11
    third = submit_filing(app, serial=3, subject_phone=CALLER)  # first SMS due 10:16

    shown = history(app)
    assert [r.request_id for r in shown.requests] == [third, second, first]
    assert [r.request_id for r in shown.live] == [third]
    assert shown.phone_masked == MASKED

    waiting, came_back, done = shown.requests
    assert waiting.first_sms_at == START + timedelta(minutes=16)
    assert waiting.deadline is None and waiting.verifier_state == "pending"
    assert (waiting.tries_left, waiting.manual_resends_left) == (3, 2)
    assert [(s.kind, s.status, s.sent_at) for s in waiting.sms] == [("initial", "pending", None)]

    assert came_back.round_state == "failed" and came_back.request_state == "returned"
    assert came_back.verifier_state == "failed" and came_back.tries_left == 0
    assert came_back.return_reason == ReturnReason.TRIES_USED_UP
    assert came_back.returned_verifier_name == came_back.name == "负责人200"
    assert came_back.next_resend_at is None and not came_back.live

    assert done.verifier_state == "verified" and done.request_state == "verifying"
    assert done.ended_at == START + timedelta(minutes=5)
    assert [(s.sender_number, s.sent_at) for s in done.sms] == [
        ("106575000130", START + timedelta(minutes=5))  # China Mobile's access number
    ]


def test_an_older_round_keeps_its_reason_after_the_resubmission(app, clock):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=24, minutes=1))
    app.tick()  # nobody verified: returned, expired
    app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
    send_first_sms(app, clock)

    live, old = history(app).requests
    assert (live.request_id, live.round_number, live.live) == (request_id, 2, True)
    assert live.return_reason is None and live.deadline is not None
    assert (old.request_id, old.round_number, old.live) == (request_id, 1, False)
    assert old.return_reason == ReturnReason.EXPIRED and old.verifier_state == "expired"


def test_delivery_reports_and_resends_show_per_sms(app, clock):
    submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    clock.advance(timedelta(minutes=2))
    sent = app.verification.resend_code(
        session=desk(app), phone=CALLER, id_last6=CALLER_LAST6, on_behalf=True
    )
    assert sent.sent
    with app.ctx.unit_of_work() as db:  # the endpoint's report for the first SMS
        first = db.scalar(select(SmsIntent.id).order_by(SmsIntent.id).limit(1))
        db.execute(
            update(SmsIntent).where(SmsIntent.id == first).values(delivery_status="delivered")
        )
    (live,) = history(app).requests
    first, resend = live.sms
    assert (first.kind, first.delivery_status) == ("initial", "delivered")
    # a manual resend goes at once (issue 12), not at the next tick
    assert resend.kind == "manual_resend" and resend.sent_at == clock.now
    assert live.manual_resends_left == 1
    assert live.next_resend_at == clock.now + timedelta(seconds=60)


# -- the verification desk before the first SMS ----------------------------------------------
def test_before_the_first_sms_the_desk_says_when_it_goes_and_counts_nothing(app, clock):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)  # due at 10:05
    clock.advance(timedelta(minutes=2))
    outcome = check(app, "123456")
    assert outcome.result == CheckResult.NOT_SENT_YET
    assert outcome.message == "核验短信尚未发出，将于2026-11-23 10:05:00左右发送，请稍候。"
    assert outcome.request_id == request_id and outcome.verifier_name == "负责人100"
    assert outcome.tries_left is None and outcome.returned_request_ids == ()
    # The help desk shows the same verifier pending, and the same time.
    (pending,) = app.queries.caller_lookup(session=desk(app), phone=CALLER)
    assert pending.deadline is None
    assert history(app).live[0].first_sms_at == outcome.first_sms_at
    assert [v.wrong_tries for v in verifiers(app, request_id)] == [0, 0]
    with app.ctx.read_only() as db:
        assert list(db.scalars(select(Try.result))) == ["not_sent_yet"]

    send_first_sms(app, clock)  # now the code works, and nothing was used up before
    assert check(app, latest_codes(app)[CALLER]).result == CheckResult.VERIFIED_OTHERS_PENDING


def test_a_wrong_try_says_the_tries_left_and_the_last_one_the_return(app, clock):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    code = latest_codes(app)[CALLER]
    answers = [check(app, wrong(code)) for _ in range(3)]
    assert [a.tries_left for a in answers] == [2, 1, 0]
    assert [a.returned_request_ids for a in answers] == [(), (), (request_id,)]
    assert {a.verifier_name for a in answers} == {"负责人100"}
    after = check(app, code)  # the request is with the ISP: nothing pending any more
    assert after.result == CheckResult.NO_RECORD


def test_a_verifier_a_passed_round_no_longer_needs_is_not_shown_pending(app, clock):
    """Quorum "any one": the round passed on another verifier; this one is not needed."""
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    with app.ctx.unit_of_work() as db:
        db.execute(
            update(VerificationRound)
            .where(VerificationRound.request_id == request_id)
            .values(state=RoundState.PASSED)
        )
        # as the pass stores it (test_rule_defects.py shows a real "any one" pass doing so)
        db.execute(update(Verifier).values(state=VerifierState.NOT_NEEDED))
    (shown,) = history(app).requests
    assert shown.verifier_state == VerifierState.NOT_NEEDED and not shown.live
