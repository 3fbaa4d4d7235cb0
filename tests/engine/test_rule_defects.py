"""Four rule defects of issue 12, each in the case that showed it (SPEC §3-§5):
a document number shorter than six characters, a manual resend just before the
automatic one at noon, a return that named only the first pending verifier, and a
quorum "any one" round that left the verifier it no longer needed pending."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from beian_desktop.models import AuditEvent
from beian_desktop.rules.clock import SHANGHAI
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.services.beian import Beian
from beian_desktop.terms import BusinessType, CheckResult, DocType, RequestState

from factories import filing, phone, principal, resident_id
from journeys import (
    approved_subject,
    last6,
    latest_codes,
    outbox_count,
    request_state,
    returned_names,
    send_first_sms,
    submit_filing,
    verifiers,
)
from staff import session_for

A, B, C = phone(1), phone(2, "unicom"), phone(3, "telecom")


def at_shanghai(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI)


def _check(app: Beian, code: str, number: str, id_digits: str):
    return app.verification.check_code(
        session=session_for(app, "desk"), code=code, phone=number, id_last6=id_digits
    )


def _passport_filing(number: str) -> FilingInput:
    draft = filing(subject_phone=A, website_phones=[B])
    draft.websites[0].principal.doc_type = DocType.PASSPORT
    draft.websites[0].principal.doc_number = number
    return draft


def test_a_five_character_passport_verifies_with_the_whole_number(app, clock):
    isp = session_for(app, "isp")
    request_id = app.filings.save_new_filing(session=isp, filing=_passport_filing("e1234"))
    app.submission.submit(session=isp, request_id=request_id)
    send_first_sms(app, clock)
    codes = latest_codes(app)
    outcome = _check(app, codes[B], B, "E1234")
    assert outcome.result == CheckResult.VERIFIED_OTHERS_PENDING
    outcome = _check(app, codes[A], A, last6(principal(100).doc_number))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW


def test_the_noon_resend_skips_a_verifier_sent_a_code_within_the_spacing(app, clock):
    """A manual resend at 11:59:30: the automatic resend at 12:00 leaves that person
    alone (the code just received keeps working) and still resends to the others."""
    clock.set(at_shanghai(23, 14, 0))
    request_id = submit_filing(app, subject_phone=A, website_phones=[B])
    send_first_sms(app, clock)  # 14:05; the noon resend is due at 12:00 tomorrow
    b_last6 = last6(principal(101).doc_number)
    clock.set(at_shanghai(24, 11, 59, 30))
    outcome = app.verification.resend_code(
        session=session_for(app, "desk"), phone=B, id_last6=b_last6
    )
    assert outcome.sent, outcome
    app.tick()  # the resend goes out
    just_received = latest_codes(app)[B]
    assert outbox_count(app, B) == 2
    clock.set(at_shanghai(24, 12, 0))
    app.tick()
    app.tick()
    assert outbox_count(app, A) == 2  # A was resent to at noon
    assert outbox_count(app, B) == 2  # B was not
    with app.ctx.read_only() as db:
        skipped = db.scalars(
            select(AuditEvent).where(
                AuditEvent.request_id == request_id, AuditEvent.action == "auto_resend_skipped"
            )
        ).all()
    assert [e.details["verifier"] for e in skipped] == [principal(101).name]
    outcome = _check(app, just_received, B, b_last6)
    assert outcome.result == CheckResult.VERIFIED_OTHERS_PENDING


def test_an_expiry_names_every_verifier_still_pending(app, clock):
    """Three verifiers, one verified: the return names the other two, in the
    request detail, the returned list and the timeline's event."""
    request_id = submit_filing(app, subject_phone=A, website_phones=[B, C])
    send_first_sms(app, clock)
    first, second, third = verifiers(app, request_id)
    outcome = _check(app, latest_codes(app)[B], B, last6(principal(101).doc_number))
    assert outcome.result == CheckResult.VERIFIED_OTHERS_PENDING
    clock.advance(timedelta(hours=24))
    app.tick()
    assert request_state(app, request_id) == RequestState.RETURNED
    assert returned_names(app, request_id) == (first.name, third.name)
    rows = app.queries.returned_filings(session=session_for(app, "sup"))
    assert [r.verifier_names for r in rows if r.request_id == request_id] == [
        (first.name, third.name)
    ]
    detail = app.queries.request_detail(session=session_for(app, "sup"), request_id=request_id)
    (event,) = [t for t in detail.timeline if t.action == "returned"]
    assert event.details["verifiers"] == [first.name, third.name]
    assert event.details["verifier_ids"] == [first.id, third.id]
    assert second.name not in event.details["verifiers"]


def test_a_passed_any_one_round_closes_the_verifier_it_no_longer_needs(app, clock):
    _, website_id = approved_subject(app, clock, subject_phone=A, website_phones=[B])
    isp = session_for(app, "isp")
    request_id = app.filings.save_cancellation(
        session=isp, business_type=BusinessType.CANCEL_WEBSITE, website_id=website_id
    )
    app.submission.submit(session=isp, request_id=request_id)
    send_first_sms(app, clock)
    outcome = _check(app, latest_codes(app)[A], A, last6(principal(100).doc_number))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW

    sup = session_for(app, "sup")
    detail = app.queries.request_detail(session=sup, request_id=request_id)
    states = {v.phone_masked[-4:]: v.state for v in detail.rounds[-1].verifiers}
    assert states == {A[-4:]: "verified", B[-4:]: "not_needed"}
    desk = session_for(app, "desk")
    pending = app.queries.pending_verifiers(session=desk)
    assert [r for r in pending if r.request_id == request_id] == []
    assert app.queries.caller_lookup(session=desk, phone=B) == []
    outcome = _check(app, latest_codes(app)[B], B, last6(resident_id(101)))
    assert outcome.result == CheckResult.NO_RECORD
