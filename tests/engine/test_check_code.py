"""SPEC §5: every answer of the verification page, word for word, and every try counted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from beian_desktop.rules.errors import ValidationFailed

from factories import phone, principal
from journeys import (
    latest_codes,
    request_row,
    request_state,
    returned_names,
    send_first_sms,
    submit_filing,
    verifiers,
)
from staff import session_for

SUBJECT_PHONE, SITE_PHONE = phone(1), phone(2, "telecom")
SUBJECT_LAST6 = principal(100).doc_number[-6:]
SITE_LAST6 = principal(101).doc_number[-6:]


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


@pytest.fixture
def two_person_request(app, clock):
    request_id = submit_filing(app, subject_phone=SUBJECT_PHONE, website_phones=[SITE_PHONE])
    send_first_sms(app, clock)
    return request_id


def check(app, code, phone_number, last6):
    return app.verification.check_code(
        code=code, phone=phone_number, id_last6=last6, session=session_for(app, "web")
    )


def test_verified_while_others_pending_says_wait_for_the_others(app, two_person_request):
    codes = latest_codes(app)
    outcome = check(app, codes[SUBJECT_PHONE], SUBJECT_PHONE, SUBJECT_LAST6)
    assert outcome.message == "负责人100的短信核验完成。请等待其他待核验人进行短信核验。"
    assert request_state(app, two_person_request) == "verifying"


def test_last_verifier_completes_the_request_and_it_goes_to_the_bureau(app, two_person_request):
    codes = latest_codes(app)
    check(app, codes[SUBJECT_PHONE], SUBJECT_PHONE, SUBJECT_LAST6)
    outcome = check(app, codes[SITE_PHONE], SITE_PHONE, SITE_LAST6)
    assert outcome.message == (
        "负责人101的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。"
    )
    assert request_state(app, two_person_request) == "bureau_review"


def test_checking_again_after_verifying_says_already_done(app, two_person_request):
    code = latest_codes(app)[SUBJECT_PHONE]
    check(app, code, SUBJECT_PHONE, SUBJECT_LAST6)
    outcome = check(app, code, SUBJECT_PHONE, SUBJECT_LAST6)
    assert outcome.message == "负责人100的短信核验已经完成，无需重复提交"
    assert [v.wrong_tries for v in verifiers(app, two_person_request)] == [0, 0]


def test_a_number_with_nothing_pending_is_not_found(app, two_person_request):
    outcome = check(app, "123456", phone(9, "unicom"), "123456")
    assert outcome.message == "该条验证库里找不到记录。"


def test_wrong_code_fails_with_the_name_and_counts_a_try(app, two_person_request):
    code = latest_codes(app)[SUBJECT_PHONE]
    outcome = check(app, wrong_code(code), SUBJECT_PHONE, SUBJECT_LAST6)
    assert outcome.message == "负责人100的短信核验失败，请输入正确的信息。"
    assert outcome.tries_left == 2
    assert verifiers(app, two_person_request)[0].wrong_tries == 1


def test_right_code_with_wrong_id_digits_fails_and_counts_a_try(app, two_person_request):
    code = latest_codes(app)[SUBJECT_PHONE]
    outcome = check(app, code, SUBJECT_PHONE, "000000")
    assert outcome.message == "负责人100的短信核验失败，请输入正确的信息。"
    assert verifiers(app, two_person_request)[0].wrong_tries == 1


def test_a_lowercase_x_in_the_id_digits_is_accepted(app, clock):
    p = principal(7)
    p.doc_number = "11010519491231002X"
    from factories import filing

    draft = filing(subject_phone=phone(7))
    draft.subject.principal = p
    draft.subject.principal.mobile = phone(7)
    draft.websites[0].principal.mobile = phone(7)
    request_id = app.filings.save_new_filing(session=session_for(app, "isp"), filing=draft)
    app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
    send_first_sms(app, clock)
    code = latest_codes(app)[phone(7)]
    # the website principal has other ID digits; the subject principal's last six work
    outcome = check(app, code, phone(7), "31002x")
    assert "核验完成" in outcome.message


def test_the_third_wrong_try_fails_the_verifier_and_returns_the_whole_request(
    app, two_person_request
):
    code = latest_codes(app)[SUBJECT_PHONE]
    for _ in range(3):
        outcome = check(app, wrong_code(code), SUBJECT_PHONE, SUBJECT_LAST6)
    assert outcome.tries_left == 0
    subject_verifier, site_verifier = verifiers(app, two_person_request)
    assert subject_verifier.state == "failed" and subject_verifier.wrong_tries == 3
    assert site_verifier.state == "expired"  # the round is over for everyone
    request = request_row(app, two_person_request)
    assert request.state == "returned"
    assert request.return_reason == "tries_used_up"
    assert returned_names(app, two_person_request) == (subject_verifier.name,)


def test_after_the_tries_are_used_up_even_the_right_code_finds_nothing(app, two_person_request):
    codes = latest_codes(app)
    for _ in range(3):
        check(app, wrong_code(codes[SUBJECT_PHONE]), SUBJECT_PHONE, SUBJECT_LAST6)
    outcome = check(app, codes[SUBJECT_PHONE], SUBJECT_PHONE, SUBJECT_LAST6)
    assert outcome.message == "该条验证库里找不到记录。"
    # the other verifier's code stopped working with the round
    outcome = check(app, codes[SITE_PHONE], SITE_PHONE, SITE_LAST6)
    assert outcome.message == "该条验证库里找不到记录。"


def test_the_tries_limit_is_a_setting(app, two_person_request, clock):
    from beian_desktop.services.settings.policy_store import load_policy, save_policy

    with app.ctx.unit_of_work() as session:
        policy = load_policy(session)
        save_policy(session, type(policy)(max_wrong_tries=5), by="admin", at=clock())
    code = latest_codes(app)[SUBJECT_PHONE]
    for _ in range(4):
        check(app, wrong_code(code), SUBJECT_PHONE, SUBJECT_LAST6)
    assert request_state(app, two_person_request) == "verifying"
    check(app, wrong_code(code), SUBJECT_PHONE, SUBJECT_LAST6)
    assert request_state(app, two_person_request) == "returned"


def test_a_code_stops_working_at_the_deadline_even_before_the_scheduler_runs(
    app, two_person_request, clock
):
    code = latest_codes(app)[SUBJECT_PHONE]
    clock.advance(timedelta(hours=24))
    outcome = check(app, code, SUBJECT_PHONE, SUBJECT_LAST6)
    assert outcome.message == "该条验证库里找不到记录。"
    assert verifiers(app, two_person_request)[0].state == "pending"  # tick() returns it


def test_a_code_works_one_second_before_the_deadline(app, two_person_request, clock):
    code = latest_codes(app)[SUBJECT_PHONE]
    clock.advance(timedelta(hours=24) - timedelta(seconds=1))
    assert "核验完成" in check(app, code, SUBJECT_PHONE, SUBJECT_LAST6).message


def test_one_number_in_two_requests_the_code_says_which(app, clock):
    first = submit_filing(app, subject_phone=SUBJECT_PHONE, website_phones=[SUBJECT_PHONE])
    send_first_sms(app, clock)
    first_code = latest_codes(app)[SUBJECT_PHONE]
    second = submit_filing(
        app, subject_phone=SUBJECT_PHONE, website_phones=[SUBJECT_PHONE], serial=2
    )
    send_first_sms(app, clock)
    second_code = latest_codes(app)[SUBJECT_PHONE]
    assert first_code != second_code
    check(app, second_code, SUBJECT_PHONE, principal(200).doc_number[-6:])
    assert request_state(app, second) == "bureau_review"
    assert request_state(app, first) == "verifying"
    check(app, first_code, SUBJECT_PHONE, SUBJECT_LAST6)
    assert request_state(app, first) == "bureau_review"


def test_a_wrong_code_for_a_number_in_two_requests_counts_against_both(app, clock):
    first = submit_filing(app, subject_phone=SUBJECT_PHONE, website_phones=[SUBJECT_PHONE])
    second = submit_filing(
        app, subject_phone=SUBJECT_PHONE, website_phones=[SUBJECT_PHONE], serial=2
    )
    send_first_sms(app, clock)
    codes = {latest_codes(app)[SUBJECT_PHONE]}
    guess = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in codes)
    check(app, guess, SUBJECT_PHONE, SUBJECT_LAST6)
    assert verifiers(app, first)[0].wrong_tries == 1
    assert verifiers(app, second)[0].wrong_tries == 1


def test_malformed_input_names_the_field_and_counts_nothing(app, two_person_request):
    with pytest.raises(ValidationFailed) as caught:
        app.verification.check_code(
            code="12a4", phone="12345", id_last6="12", session=session_for(app, "web")
        )
    assert caught.value.fields() == {"code", "phone", "id_last6"}
    assert [v.wrong_tries for v in verifiers(app, two_person_request)] == [0, 0]


def test_every_check_is_recorded_with_who_and_result(app, two_person_request):
    from sqlalchemy import select

    from beian_desktop.models import Try

    code = latest_codes(app)[SUBJECT_PHONE]
    check(app, wrong_code(code), SUBJECT_PHONE, SUBJECT_LAST6)
    check(app, code, SUBJECT_PHONE, SUBJECT_LAST6)
    with app.ctx.unit_of_work() as session:
        tries = [(t.result, t.actor) for t in session.scalars(select(Try).order_by(Try.id))]
    assert tries == [("wrong", "web"), ("verified_others_pending", "web")]


def timeline_actions(app, request_id):
    from beian_desktop.services import audit

    with app.ctx.read_only() as session:
        return [e.action for e in audit.timeline(session, request_id)]


def test_the_timeline_tells_a_pass_in_the_order_it_happened(app, two_person_request):
    codes = latest_codes(app)
    check(app, codes[SUBJECT_PHONE], SUBJECT_PHONE, SUBJECT_LAST6)
    check(app, codes[SITE_PHONE], SITE_PHONE, SITE_LAST6)
    actions = timeline_actions(app, two_person_request)
    assert actions[-5:] == [
        "verified",
        "code_checked",
        "verified",
        "verification_passed",
        "code_checked",
    ]


def test_the_timeline_tells_a_return_in_the_order_it_happened(app, two_person_request):
    code = latest_codes(app)[SUBJECT_PHONE]
    for _ in range(3):
        check(app, wrong_code(code), SUBJECT_PHONE, SUBJECT_LAST6)
    actions = timeline_actions(app, two_person_request)
    assert actions[-4:] == [
        "code_checked",
        "wrong_try",
        "returned",
        "code_checked",
    ]
