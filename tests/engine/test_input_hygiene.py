"""The cases issue 12's probes found, one by one, on SQLite and PostgreSQL: each is a
field error now, the same on both databases, and nothing is written (the fuzzing of
every entry point: tests/engine/test_entry_fuzz.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from beian_desktop.models import AuditEvent, Request, Subject, Try, Verifier
from beian_desktop.rules.errors import PermissionDenied, ValidationFailed
from beian_desktop.rules.field_limits import LIMITS
from beian_desktop.rules.inputs import ChangeInput
from beian_desktop.services.beian import Beian
from beian_desktop.terms import CheckResult, RequestState

from factories import filing, principal
from journeys import (
    approved_subject,
    last6,
    latest_codes,
    request_state,
    send_first_sms,
    submit_filing,
    verifiers,
)
from staff import session_for


def _rows(app: Beian) -> tuple[int, int]:
    with app.ctx.read_only() as db:
        return (
            db.scalar(select(func.count()).select_from(Request)) or 0,
            db.scalar(select(func.count()).select_from(Subject)) or 0,
        )


def _refused(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return {e.field: e.code for e in caught.value.errors}


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        ("province", "", {"subject.province_code": "required"}),
        ("province", " ", {"subject.province_code": "required"}),
        ("province", "99", {"subject.province_code": "unknown_province"}),
        (
            "email",
            "a" * LIMITS["principals.email"] + "@x.cn",
            {"subject.principal.email": "too_long"},
        ),
        ("home_url", "https://" + "a" * 260, {"websites[0].home_url": "too_long"}),
        ("holder_name", "杭州\x00科技", {"subject.holder_name": "control_character"}),
        ("holder_name", "杭州\ud800科技", {"subject.holder_name": "lone_surrogate"}),
        ("holder_name", "杭州\u202e技科", {"subject.holder_name": "bidi_control"}),
        ("doc_type", "driving_licence", {"subject.doc_type": "unknown_choice"}),
    ],
)
def test_what_the_probes_found_is_a_field_error_and_nothing_is_saved(app, where, value, expected):
    draft = filing()
    if where == "province":
        draft.subject.province_code = value
    elif where == "email":
        draft.subject.principal.email = value
    elif where == "home_url":
        draft.websites[0].home_url = value
    else:
        setattr(draft.subject, where, value)
    before = _rows(app)
    isp = session_for(app, "isp")
    assert _refused(lambda: app.filings.save_new_filing(session=isp, filing=draft)) == expected
    assert _rows(app) == before


def test_a_change_naming_a_field_that_does_not_exist_is_a_field_error(app, clock):
    subject_id, _ = approved_subject(app, clock)
    isp = session_for(app, "isp")
    before = _rows(app)
    change = ChangeInput(
        subject={"holder_nmae": "新名称", 3: "x"}, subject_principal={"phone": "1"}
    )
    errors = _refused(
        lambda: app.filings.save_change(session=isp, subject_id=subject_id, change=change)
    )
    assert errors == {
        "subject.holder_nmae": "unknown_field",
        "subject.?": "unknown_field",
        "subject.principal.phone": "unknown_field",
    }
    assert _rows(app) == before


def _tries(app: Beian) -> int:
    with app.ctx.read_only() as db:
        return db.scalar(select(func.count()).select_from(Try)) or 0


def test_a_code_typed_with_a_chinese_ime_is_the_code(app, clock):
    request_id = submit_filing(app)
    send_first_sms(app, clock)
    subject = verifiers(app, request_id)[0]
    code = latest_codes(app)[subject.phone]
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    id_digits = " ".join(last6(principal(100).doc_number))  # spaces between, as read out
    outcome = app.verification.check_code(
        session=session_for(app, "desk"), code=full_width, phone=subject.phone, id_last6=id_digits
    )
    assert outcome.result == CheckResult.VERIFIED_OTHERS_PENDING


def test_codes_that_are_not_six_digits_are_input_errors_never_wrong_tries(app, clock):
    """Three malformed codes in a row return nothing: the request stays in verification
    with every try left, and the right code still verifies (SPEC §5)."""
    request_id = submit_filing(app)
    send_first_sms(app, clock)
    subject = verifiers(app, request_id)[0]
    desk = session_for(app, "desk")
    id_digits = last6(principal(100).doc_number)
    tries = _tries(app)
    for typed in ("12345", "１２３４５", "12345a", "1234567", "١٢٣٤٥٦"):
        errors = _refused(
            lambda typed=typed: app.verification.check_code(
                session=desk, code=typed, phone=subject.phone, id_last6=id_digits
            )
        )
        assert errors == {"code": "bad_code"}
    assert _tries(app) == tries
    assert request_state(app, request_id) == RequestState.VERIFYING
    with app.ctx.read_only() as db:
        assert db.get(Verifier, subject.id).wrong_tries == 0
    outcome = app.verification.check_code(
        session=desk, code=latest_codes(app)[subject.phone], phone=subject.phone, id_last6=id_digits
    )
    assert outcome.result == CheckResult.VERIFIED_OTHERS_PENDING


@pytest.mark.parametrize("request_id", ["7", [1], b"\x00", "\x00", 2**70, 1.5, None])
def test_a_refused_caller_with_an_id_that_is_no_id_is_refused_and_audited(app, request_id):
    """The refusal is recorded before the call's own checks look at its arguments."""
    isp = session_for(app, "isp")  # may not reject: only the bureau may
    with pytest.raises(PermissionDenied):
        app.review.reject(session=isp, request_id=request_id, reason="材料不全")
    with app.ctx.read_only() as db:
        denied = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "permission_denied")
        ).all()
    assert [e.request_id for e in denied] == [None]
    assert denied[0].details["operation"] == "review.reject"
