"""The bureau's decisions and everything that happens to an approved filing afterwards.

SPEC §1a (ICP numbers), §2 (who verifies for each business type), §2.1 (changes),
§2.3 (provinces), §3 (the life of a request, `change_phone`), §6 (submit checks).
"""

from __future__ import annotations

import _sqlite3
import ctypes
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, text, update

from beian_desktop.models import (
    AccessRecord,
    AuditEvent,
    Principal,
    Province,
    Request,
    RequestWebsite,
    SmsIntent,
    Subject,
    VerificationRound,
    Website,
)
from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.rules.errors import NotInReview, ValidationFailed
from beian_desktop.rules.inputs import AccessInput, ChangeInput, FilingInput
from beian_desktop.services import audit
from beian_desktop.services.beian import Beian
from beian_desktop.services.settings.policy_store import load_policy, save_policy
from beian_desktop.terms import BusinessType, CheckResult, Quorum, RequestState

from factories import filing, phone, principal, resident_id, website
from journeys import (
    last6,
    latest_codes,
    latest_round,
    outbox_count,
    request_row,
    request_state,
    send_first_sms,
    verifiers,
)
from staff import session_for

ICP_NUMBER = re.compile(r"^(?P<abbr>.)ICP备(?P<year>\d{4})(?P<serial>\d{6})号$")


# -- helpers ---------------------------------------------------------------------------
@dataclass
class Approved:
    request_id: int
    subject_id: int
    website_ids: list[int]
    filing: FilingInput
    subject_icp: str
    website_icps: tuple[str, ...]


def _principal_docs(f: FilingInput) -> dict[str, str]:
    """phone -> last six of the ID of the principal at that phone."""
    docs = {f.subject.principal.mobile: last6(f.subject.principal.doc_number or "")}
    for w in f.websites:
        docs.setdefault(w.principal.mobile, last6(w.principal.doc_number or ""))
    return docs


def _check(app: Beian, phone_number: str, id_last6: str):
    code = latest_codes(app)[phone_number]
    return app.verification.check_code(
        code=code, phone=phone_number, id_last6=id_last6, session=session_for(app, "person")
    )


def _website_ids(app: Beian, request_id: int) -> list[int]:
    with app.ctx.unit_of_work() as session:
        return list(
            session.scalars(
                select(RequestWebsite.website_id)
                .where(RequestWebsite.request_id == request_id)
                .order_by(RequestWebsite.website_id)
            )
        )


def _subject(app: Beian, subject_id: int) -> Subject:
    with app.ctx.unit_of_work() as session:
        subject = session.get(Subject, subject_id)
        subject.principal  # noqa: B018 - load before the session closes
        for w in subject.websites:
            w.principal  # noqa: B018
            w.domains  # noqa: B018
            w.access_records  # noqa: B018
        return subject


def _website(app: Beian, website_id: int) -> Website:
    with app.ctx.unit_of_work() as session:
        site = session.get(Website, website_id)
        site.principal  # noqa: B018
        site.domains  # noqa: B018
        site.access_records  # noqa: B018
        return site


def _principal(app: Beian, principal_id: int) -> Principal:
    with app.ctx.unit_of_work() as session:
        return session.get(Principal, principal_id)


def _count(app: Beian, model: type) -> int:
    with app.ctx.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model))


def _actions(app: Beian, request_id: int) -> list[str]:
    with app.ctx.unit_of_work() as session:
        return [e.action for e in audit.timeline(session, request_id)]


def _rounds(app: Beian, request_id: int) -> int:
    with app.ctx.unit_of_work() as session:
        return session.scalar(
            select(func.count())
            .select_from(VerificationRound)
            .where(VerificationRound.request_id == request_id)
        )


def _intents(app: Beian) -> int:
    return _count(app, SmsIntent)


def verify_everyone(app: Beian, clock: ManualClock, f: FilingInput, request_id: int) -> None:
    send_first_sms(app, clock)
    docs = _principal_docs(f)
    for v in verifiers(app, request_id):
        _check(app, v.phone, docs[v.phone])
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW


def approved_filing(
    app: Beian,
    clock: ManualClock,
    *,
    serial: int = 1,
    province: str = "33",
    subject_phone: str | None = None,
    website_phones: list[str | None] | None = None,
) -> Approved:
    f = filing(
        serial=serial,
        province=province,
        subject_phone=subject_phone,
        website_phones=website_phones,
    )
    request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    verify_everyone(app, clock, f, request_id)
    decision = app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert decision.state == RequestState.APPROVED
    subject_id = request_row(app, request_id).subject_id
    return Approved(
        request_id,
        subject_id,
        _website_ids(app, request_id),
        f,
        decision.subject_icp_number or "",
        decision.website_icp_numbers,
    )


def submit_change(app: Beian, subject_id: int, change: ChangeInput) -> tuple[int, RequestState]:
    request_id = app.filings.save_change(
        subject_id=subject_id, change=change, session=session_for(app, "isp")
    )
    return request_id, app.submission.submit(request_id=request_id, session=session_for(app, "isp"))


# -- (a) ICP numbers -------------------------------------------------------------------
def test_approving_a_first_filing_assigns_the_subject_and_website_numbers(app, clock):
    a = approved_filing(app, clock, serial=1, website_phones=[phone(11), phone(12)])
    year = clock().astimezone(SHANGHAI).year
    assert a.subject_icp == f"浙ICP备{year}000001号"

    subject = _subject(app, a.subject_id)
    assert subject.status == "active"
    assert subject.icp_number == a.subject_icp
    by_id = {w.id: w for w in subject.websites}
    assert [by_id[w].icp_number for w in a.website_ids] == [
        f"{a.subject_icp}-1",
        f"{a.subject_icp}-2",
    ]
    assert sorted(a.website_icps) == [f"{a.subject_icp}-1", f"{a.subject_icp}-2"]
    assert all(by_id[w].status == "active" for w in a.website_ids)
    assert all([r.status for r in by_id[w].access_records] == ["active"] for w in a.website_ids)
    assert request_state(app, a.request_id) == RequestState.APPROVED
    assert _actions(app, a.request_id)[-1] == "approved"


def test_serials_increase_per_province_and_year_and_each_province_has_its_abbreviation(app, clock):
    year = clock().astimezone(SHANGHAI).year
    first = approved_filing(app, clock, serial=1)
    second = approved_filing(app, clock, serial=2)
    canton = approved_filing(app, clock, serial=3, province="44")
    fourth = approved_filing(app, clock, serial=4)

    numbers = [ICP_NUMBER.match(x.subject_icp) for x in (first, second, canton, fourth)]
    assert all(numbers), [x.subject_icp for x in (first, second, canton, fourth)]
    assert first.subject_icp == f"浙ICP备{year}000001号"
    assert second.subject_icp == f"浙ICP备{year}000002号"
    assert canton.subject_icp == f"粤ICP备{year}000001号"
    assert fourth.subject_icp == f"浙ICP备{year}000003号"
    # Website numbers restart at -1 under every subject.
    assert second.website_icps == (f"{second.subject_icp}-1",)
    assert canton.website_icps == (f"{canton.subject_icp}-1",)


def test_the_number_year_is_the_beijing_date_of_the_approval(app, clock):
    """00:30 on 1 January in Beijing is still 31 December in UTC: the number says 2027."""
    clock.set(datetime(2026, 12, 31, 22, 0, tzinfo=SHANGHAI))
    f = filing(serial=1)
    request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
    verify_everyone(app, clock, f, request_id)
    clock.set(datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI))  # 2026-12-31 16:30 UTC
    decision = app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert decision.subject_icp_number == "浙ICP备2027000001号"


# -- (b) reject, and decisions on requests not in review ---------------------------------
def _in_review(app: Beian, clock: ManualClock, serial: int = 1) -> int:
    f = filing(serial=serial)
    request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
    verify_everyone(app, clock, f, request_id)
    return request_id


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_rejection_needs_a_reason(app, clock, reason):
    request_id = _in_review(app, clock)
    with pytest.raises(ValidationFailed) as failure:
        app.review.reject(request_id=request_id, session=session_for(app, "bureau"), reason=reason)
    assert failure.value.fields() == {"reason"}
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW
    assert "rejected" not in _actions(app, request_id)


def test_a_rejection_records_its_reason(app, clock):
    request_id = _in_review(app, clock)
    decision = app.review.reject(
        request_id=request_id, session=session_for(app, "bureau"), reason="  网站名称不规范  "
    )
    assert decision.state == RequestState.REJECTED
    row = request_row(app, request_id)
    assert row.state == RequestState.REJECTED
    assert row.decision_reason == "网站名称不规范"
    assert row.decided_by == "bureau"
    assert row.decided_at == clock()
    with app.ctx.unit_of_work() as session:
        event = audit.timeline(session, request_id)[-1]
        assert (event.action, event.actor, event.details["reason"]) == (
            "rejected",
            "bureau",
            "网站名称不规范",
        )
    subject = _subject(app, row.subject_id)
    assert subject.status == "pending"
    assert subject.icp_number is None


def test_only_a_request_in_bureau_review_can_be_decided(app, clock):
    draft = app.filings.save_new_filing(filing=filing(serial=1), session=session_for(app, "isp"))
    verifying = app.filings.save_new_filing(
        filing=filing(serial=2), session=session_for(app, "isp")
    )
    app.submission.submit(request_id=verifying, session=session_for(app, "isp"))
    decided = _in_review(app, clock, serial=3)
    app.review.approve(request_id=decided, session=session_for(app, "bureau"))
    rejected = _in_review(app, clock, serial=4)
    app.review.reject(request_id=rejected, session=session_for(app, "bureau"), reason="材料不全")

    for request_id in (draft, verifying, decided, rejected):
        before = request_state(app, request_id)
        with pytest.raises(NotInReview):
            app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
        with pytest.raises(NotInReview):
            app.review.reject(
                request_id=request_id, session=session_for(app, "bureau"), reason="理由"
            )
        assert request_state(app, request_id) == before
    assert request_row(app, decided).decision_reason == ""


# -- (c) change requests ---------------------------------------------------------------
@pytest.fixture
def live(app, clock) -> Approved:
    """An approved filing with two websites, each principal at their own phone."""
    return approved_filing(
        app, clock, serial=1, subject_phone=phone(10), website_phones=[phone(11), phone(12)]
    )


def test_a_remarks_only_change_goes_straight_to_review_without_sms(app, clock, live):
    sent, intents = outbox_count(app), _intents(app)
    w1 = live.website_ids[0]
    request_id, state = submit_change(
        app,
        live.subject_id,
        ChangeInput(subject={"remarks": "主体备注已更新"}, websites={w1: {"remarks": "网站备注"}}),
    )
    assert state == RequestState.BUREAU_REVIEW
    assert _rounds(app, request_id) == 0
    clock.advance(timedelta(minutes=10))
    app.tick()
    assert (outbox_count(app), _intents(app)) == (sent, intents)
    assert "no_verification_needed" in _actions(app, request_id)

    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert _subject(app, live.subject_id).remarks == "主体备注已更新"
    assert _website(app, w1).remarks == "网站备注"


def test_a_subject_change_verifies_the_subject_principal_and_applies_on_approval(app, clock, live):
    request_id, state = submit_change(
        app, live.subject_id, ChangeInput(subject={"holder_name": "杭州新名称科技有限公司"})
    )
    assert state == RequestState.VERIFYING
    assert [v.phone for v in verifiers(app, request_id)] == [phone(10)]
    # Until the bureau approves, the filing shows what was approved.
    assert _subject(app, live.subject_id).holder_name == live.filing.subject.holder_name

    send_first_sms(app, clock)
    outcome = _check(app, phone(10), last6(resident_id(100)))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW
    decision = app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert decision.state == RequestState.APPROVED
    subject = _subject(app, live.subject_id)
    assert subject.holder_name == "杭州新名称科技有限公司"
    assert subject.icp_number == live.subject_icp  # a change keeps the number


def test_a_website_change_verifies_only_that_websites_principal(app, clock, live):
    w1, w2 = live.website_ids
    request_id, state = submit_change(
        app,
        live.subject_id,
        ChangeInput(
            websites={w2: {"name": "改名后的网站", "domains": ["例子.中国", "Example.COM"]}}
        ),
    )
    assert state == RequestState.VERIFYING
    assert [v.phone for v in verifiers(app, request_id)] == [phone(12)]

    send_first_sms(app, clock)
    assert set(latest_codes(app)) >= {phone(12)}
    assert outbox_count(app, phone(11)) == 1  # only the first filing's SMS
    assert outbox_count(app, phone(10)) == 1
    _check(app, phone(12), last6(resident_id(102)))
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW
    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))

    changed, untouched = _website(app, w2), _website(app, w1)
    assert changed.name == "改名后的网站"
    assert [d.name for d in changed.domains] == ["xn--fsqu00a.xn--fiqs8s", "example.com"]
    assert changed.icp_number == f"{live.subject_icp}-2"
    assert untouched.name == live.filing.websites[0].name
    assert [d.name for d in untouched.domains] == ["site101.cn", "www.site101.com"]


def test_a_new_mobile_is_verified_at_the_new_number_only(app, clock, live):
    old, new = phone(10), phone(20, "telecom")
    old_messages = outbox_count(app, old)
    principal_id = _subject(app, live.subject_id).principal_id
    request_id, state = submit_change(
        app, live.subject_id, ChangeInput(subject_principal={"mobile": new})
    )
    assert state == RequestState.VERIFYING
    assert [v.phone for v in verifiers(app, request_id)] == [new]

    send_first_sms(app, clock)
    assert outbox_count(app, new) == 1
    assert outbox_count(app, old) == old_messages
    # The old number has nothing to verify in this request.
    round_verifiers = [v.id for v in verifiers(app, request_id)]
    with app.ctx.unit_of_work() as session:
        phones = set(
            session.scalars(
                select(SmsIntent.phone).where(SmsIntent.verifier_id.in_(round_verifiers))
            )
        )
    assert phones == {new}
    assert _principal(app, principal_id).mobile == old  # not yet approved

    outcome = _check(app, new, last6(resident_id(100)))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert _principal(app, principal_id).mobile == new


def test_a_website_principal_mobile_change_verifies_that_principal_at_the_new_number(
    app, clock, live
):
    w1 = live.website_ids[0]
    new = phone(21, "unicom")
    request_id, state = submit_change(
        app, live.subject_id, ChangeInput(website_principals={w1: {"mobile": new}})
    )
    assert state == RequestState.VERIFYING
    assert [v.phone for v in verifiers(app, request_id)] == [new]
    send_first_sms(app, clock)
    _check(app, new, last6(resident_id(101)))
    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert _website(app, w1).principal.mobile == new
    assert _subject(app, live.subject_id).principal.mobile == phone(10)


def test_a_subject_and_website_change_verifies_both(app, clock, live):
    w1 = live.website_ids[0]
    request_id, state = submit_change(
        app,
        live.subject_id,
        ChangeInput(
            subject={"mailing_address": "浙江省杭州市滨江区网商路1号"},
            websites={w1: {"name": "新名"}},
        ),
    )
    assert state == RequestState.VERIFYING
    assert sorted(v.phone for v in verifiers(app, request_id)) == [phone(10), phone(11)]
    assert latest_round(app, request_id).quorum == Quorum.ALL


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(ChangeInput(), id="empty"),
        pytest.param(
            ChangeInput(subject={"holder_name": "杭州测试科技有限公司1"}), id="same-holder"
        ),
        pytest.param(ChangeInput(subject_principal={"mobile": phone(10)}), id="same-mobile"),
        pytest.param(ChangeInput(subject_principal={"doc_number": resident_id(100)}), id="same-id"),
    ],
)
def test_a_change_that_changes_nothing_is_refused_and_saves_nothing(app, clock, live, change):
    requests, events = _count(app, Request), _count(app, AuditEvent)
    with pytest.raises(ValidationFailed) as failure:
        app.filings.save_change(
            subject_id=live.subject_id, change=change, session=session_for(app, "isp")
        )
    assert failure.value.fields() == {"change"}
    assert (_count(app, Request), _count(app, AuditEvent)) == (requests, events)


def test_a_change_naming_another_subjects_website_is_refused_and_saves_nothing(app, clock, live):
    other = approved_filing(app, clock, serial=2)
    foreign = other.website_ids[0]
    requests = _count(app, Request)
    for change in (
        ChangeInput(websites={foreign: {"name": "抢来的网站"}}),
        ChangeInput(website_principals={foreign: {"mobile": phone(30)}}),
        ChangeInput(subject={"remarks": "合法的部分"}, websites={foreign: {"name": "x"}}),
    ):
        with pytest.raises(ValidationFailed) as failure:
            app.filings.save_change(
                subject_id=live.subject_id, change=change, session=session_for(app, "isp")
            )
        assert f"websites[#{foreign}]" in failure.value.fields()
        assert _count(app, Request) == requests
    assert _website(app, foreign).name == other.filing.websites[0].name


def test_a_change_with_a_malformed_value_names_the_field(app, clock, live):
    w1 = live.website_ids[0]
    requests = _count(app, Request)
    with pytest.raises(ValidationFailed) as failure:
        app.filings.save_change(
            subject_id=live.subject_id,
            change=ChangeInput(
                subject_principal={"mobile": "12345"},
                websites={w1: {"domains": ["not a domain"]}},
            ),
            session=session_for(app, "isp"),
        )
    assert "subject.principal.mobile" in failure.value.fields()
    assert any(f.startswith(f"websites[#{w1}].domains") for f in failure.value.fields())
    assert _count(app, Request) == requests


# -- (d) change_phone ------------------------------------------------------------------
def _phone_change(app: Beian, live: Approved, new: str) -> tuple[int, int]:
    principal_id = _subject(app, live.subject_id).principal_id
    request_id = app.filings.save_phone_change(
        principal_id=principal_id, new_mobile=new, session=session_for(app, "isp")
    )
    return request_id, principal_id


def test_change_phone_is_approved_first_then_verified_at_the_new_number(app, clock, live):
    old, new = phone(10), phone(40, "telecom")
    request_id, principal_id = _phone_change(app, live, new)
    sent = outbox_count(app)

    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.BUREAU_REVIEW
    )
    assert _rounds(app, request_id) == 0
    clock.advance(timedelta(minutes=10))
    app.tick()
    assert outbox_count(app) == sent

    decision = app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert decision.state == RequestState.VERIFYING
    assert request_state(app, request_id) == RequestState.VERIFYING
    assert request_row(app, request_id).phone_change_approved_at == clock()
    assert [v.phone for v in verifiers(app, request_id)] == [new]
    assert _principal(app, principal_id).mobile == old

    clock.advance(timedelta(minutes=4))
    app.tick()
    assert outbox_count(app, new) == 0
    clock.advance(timedelta(minutes=1))
    app.tick()
    assert outbox_count(app, new) == 1
    assert outbox_count(app) == sent + 1

    outcome = _check(app, new, last6(resident_id(100)))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    assert request_state(app, request_id) == RequestState.APPROVED
    assert _principal(app, principal_id).mobile == new


def test_change_phone_round_that_expires_keeps_the_old_number(app, clock, live):
    old, new = phone(10), phone(41, "unicom")
    request_id, principal_id = _phone_change(app, live, new)
    app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    send_first_sms(app, clock)
    assert outbox_count(app, new) == 1

    clock.advance(timedelta(hours=24, minutes=1))
    app.tick()
    row = request_row(app, request_id)
    assert row.state == RequestState.RETURNED
    assert row.return_reason == "expired"
    assert _principal(app, principal_id).mobile == old
    # The old number, and only it, is what the filing still shows.
    assert _subject(app, live.subject_id).principal.mobile == old


def test_change_phone_to_the_same_number_is_refused(app, clock, live):
    principal_id = _subject(app, live.subject_id).principal_id
    requests = _count(app, Request)
    with pytest.raises(ValidationFailed) as failure:
        app.filings.save_phone_change(
            principal_id=principal_id, new_mobile=phone(10), session=session_for(app, "isp")
        )
    assert failure.value.fields() == {"new_mobile"}
    assert _count(app, Request) == requests


# -- (e) new_website -------------------------------------------------------------------
def test_a_new_website_verifies_only_its_principal_and_gets_the_next_number(app, clock, live):
    new_site = website(150, principal_input=principal(150, mobile=phone(50)))
    request_id = app.filings.save_new_website(
        subject_id=live.subject_id, website=new_site, session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    assert [v.phone for v in verifiers(app, request_id)] == [phone(50)]

    send_first_sms(app, clock)
    before = {p: outbox_count(app, p) for p in (phone(10), phone(11), phone(12))}
    assert before == {phone(10): 1, phone(11): 1, phone(12): 1}
    outcome = _check(app, phone(50), last6(resident_id(150)))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    decision = app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert decision.website_icp_numbers == (f"{live.subject_icp}-3",)
    assert decision.subject_icp_number == live.subject_icp
    (website_id,) = _website_ids(app, request_id)
    site = _website(app, website_id)
    assert (site.status, site.icp_number) == ("active", f"{live.subject_icp}-3")


# -- (f) cancellations -----------------------------------------------------------------
def test_cancel_subject_verifies_the_subject_principal_by_default(app, clock, live):
    request_id = app.filings.save_cancellation(
        business_type=BusinessType.CANCEL_SUBJECT,
        subject_id=live.subject_id,
        session=session_for(app, "isp"),
    )
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    assert [v.phone for v in verifiers(app, request_id)] == [phone(10)]
    send_first_sms(app, clock)
    _check(app, phone(10), last6(resident_id(100)))
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW
    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    subject = _subject(app, live.subject_id)
    assert subject.status == "cancelled"
    assert {w.status for w in subject.websites} == {"cancelled"}


def test_cancel_subject_unverified_when_the_setting_says_so(app, clock, live):
    with app.ctx.unit_of_work() as session:
        policy = load_policy(session)
        save_policy(session, replace(policy, verify_cancel_subject=False), by="admin", at=clock())
    with app.ctx.unit_of_work() as session:
        assert load_policy(session).verify_cancel_subject is False

    sent = outbox_count(app)
    request_id = app.filings.save_cancellation(
        business_type=BusinessType.CANCEL_SUBJECT,
        subject_id=live.subject_id,
        session=session_for(app, "isp"),
    )
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.BUREAU_REVIEW
    )
    assert _rounds(app, request_id) == 0
    clock.advance(timedelta(minutes=10))
    app.tick()
    assert outbox_count(app) == sent

    # The other cancellations keep their own setting (still verified).
    website_request = app.filings.save_cancellation(
        business_type=BusinessType.CANCEL_WEBSITE,
        website_id=live.website_ids[0],
        session=session_for(app, "isp"),
    )
    assert (
        app.submission.submit(request_id=website_request, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )


def test_cancel_website_completes_when_the_subject_principal_alone_verifies(app, clock, live):
    w2 = live.website_ids[1]
    request_id = app.filings.save_cancellation(
        business_type=BusinessType.CANCEL_WEBSITE, website_id=w2, session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    assert latest_round(app, request_id).quorum == Quorum.ANY
    assert sorted(v.phone for v in verifiers(app, request_id)) == [phone(10), phone(12)]

    send_first_sms(app, clock)
    outcome = _check(app, phone(10), last6(resident_id(100)))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW
    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert _website(app, w2).status == "cancelled"
    assert _website(app, live.website_ids[0]).status == "active"
    assert _subject(app, live.subject_id).status == "active"


def test_cancel_website_does_not_return_while_the_other_verifier_can_still_pass(app, clock, live):
    w2 = live.website_ids[1]
    request_id = app.filings.save_cancellation(
        business_type=BusinessType.CANCEL_WEBSITE, website_id=w2, session=session_for(app, "isp")
    )
    app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
    send_first_sms(app, clock)
    wrong = "000000" if latest_codes(app)[phone(12)] != "000000" else "111111"
    for _ in range(3):
        outcome = app.verification.check_code(
            code=wrong,
            phone=phone(12),
            id_last6=last6(resident_id(102)),
            session=session_for(app, "person"),
        )
        assert outcome.result == CheckResult.WRONG
    states = {v.phone: v.state for v in verifiers(app, request_id)}
    assert states == {phone(10): "pending", phone(12): "failed"}
    assert request_state(app, request_id) == RequestState.VERIFYING

    outcome = _check(app, phone(10), last6(resident_id(100)))
    assert outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW


def test_cancel_access_verifies_the_website_principal(app, clock, live):
    w1 = live.website_ids[0]
    access_id = _website(app, w1).access_records[0].id
    request_id = app.filings.save_cancellation(
        business_type=BusinessType.CANCEL_ACCESS, website_id=w1, session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    assert [v.phone for v in verifiers(app, request_id)] == [phone(11)]
    send_first_sms(app, clock)
    _check(app, phone(11), last6(resident_id(101)))
    app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    with app.ctx.unit_of_work() as session:
        assert session.get(AccessRecord, access_id).status == "cancelled"
    assert _website(app, w1).status == "active"


# -- (g) provinces ---------------------------------------------------------------------
@pytest.mark.parametrize("start", [date(2027, 1, 1), None], ids=["later", "off"])
def test_a_province_not_enabled_sends_a_new_filing_straight_to_review(app, clock, start):
    assert start is None or start > clock().astimezone(SHANGHAI).date()
    with app.ctx.unit_of_work() as session:
        session.execute(
            update(Province).where(Province.code == "33").values(verification_from=start)
        )
    sent = outbox_count(app)
    request_id = app.filings.save_new_filing(
        filing=filing(serial=1), session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.BUREAU_REVIEW
    )
    assert _rounds(app, request_id) == 0
    clock.advance(timedelta(minutes=10))
    app.tick()
    assert outbox_count(app) == sent
    with app.ctx.unit_of_work() as session:
        event = next(
            e for e in audit.timeline(session, request_id) if e.action == "no_verification_needed"
        )
        assert event.details["because"] == "province_not_enabled"

    # Another province, enabled, still verifies.
    other = app.filings.save_new_filing(
        filing=filing(serial=2, province="44"), session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=other, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )


def test_change_phone_in_a_province_not_enabled_is_approved_in_one_step(app, clock, live):
    with app.ctx.unit_of_work() as session:
        session.execute(
            update(Province).where(Province.code == "33").values(verification_from=None)
        )
    new = phone(42, "telecom")
    request_id, principal_id = _phone_change(app, live, new)
    sent = outbox_count(app)
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.BUREAU_REVIEW
    )
    decision = app.review.approve(request_id=request_id, session=session_for(app, "bureau"))
    assert decision.state == RequestState.APPROVED
    assert request_state(app, request_id) == RequestState.APPROVED
    assert _rounds(app, request_id) == 0
    assert _principal(app, principal_id).mobile == new
    clock.advance(timedelta(minutes=10))
    app.tick()
    assert outbox_count(app) == sent


def test_a_province_enabled_from_today_verifies(app, clock):
    today = clock().astimezone(SHANGHAI).date()
    with app.ctx.unit_of_work() as session:
        session.execute(
            update(Province).where(Province.code == "33").values(verification_from=today)
        )
    request_id = app.filings.save_new_filing(
        filing=filing(serial=1), session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )


# -- (h) nothing half-saved ------------------------------------------------------------
def test_a_submission_failing_the_checks_stays_a_draft(app, clock):
    f = filing(serial=1)
    f.websites[0].domains = []
    request_id = app.filings.save_new_filing(
        filing=f, session=session_for(app, "isp")
    )  # a draft may lack domains
    with pytest.raises(ValidationFailed) as failure:
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
    assert "websites[0].domains" in failure.value.fields()
    row = request_row(app, request_id)
    assert row.state == RequestState.DRAFT
    assert row.submitted_at is None
    assert _rounds(app, request_id) == 0
    assert _intents(app) == 0
    assert "submitted" not in _actions(app, request_id)

    # Fixing the draft and submitting again works, as a first submission.
    f.websites[0].domains = ["site101.cn"]
    f.websites[0].id = _website_ids(app, request_id)[0]
    app.filings.save_new_filing(filing=f, session=session_for(app, "isp"), request_id=request_id)
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    assert _actions(app, request_id).count("submitted") == 1


def test_a_draft_with_a_malformed_phone_writes_nothing(app, clock):
    isp = session_for(app, "isp")  # signed in first: a sign-in is audited
    tables = (Request, Subject, Principal, Website, AuditEvent)
    before = [_count(app, t) for t in tables]
    f = filing(serial=1, subject_phone="1380013")
    with pytest.raises(ValidationFailed) as failure:
        app.filings.save_new_filing(filing=f, session=isp)
    assert "subject.principal.mobile" in failure.value.fields()
    assert [_count(app, t) for t in tables] == before


def test_editing_a_draft_with_a_malformed_phone_keeps_what_was_saved(app, clock):
    f = filing(serial=1, subject_phone=phone(10))
    request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    subject_id = request_row(app, request_id).subject_id
    tables = (Request, Subject, Principal, Website, AuditEvent)
    before = [_count(app, t) for t in tables]

    f.subject.holder_name = "改过的名称"
    f.websites[0].principal.mobile = "2345678901"
    with pytest.raises(ValidationFailed) as failure:
        app.filings.save_new_filing(
            filing=f, session=session_for(app, "isp"), request_id=request_id
        )
    assert "websites[0].principal.mobile" in failure.value.fields()
    assert [_count(app, t) for t in tables] == before
    subject = _subject(app, subject_id)
    assert subject.holder_name == "杭州测试科技有限公司1"
    assert subject.principal.mobile == phone(10)


# -- two reviewers at once ---------------------------------------------------------------
_BUSY_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int)


class _SqliteBusyHook:
    """Tells when SQLite refuses a connection a lock: sqlite3_busy_handler (which Python's
    sqlite3 module does not offer) through ctypes, on the libsqlite3 the module is linked
    against. While the lock is refused the handler calls `refused` and waits for `retry`,
    then lets SQLite try again, as the busy timeout would have; after 30 s it gives up
    ("database is locked")."""

    def __init__(
        self,
        dbapi_connection: sqlite3.Connection,
        path: str,
        refused: Callable[[], None],
        retry: threading.Event,
    ):
        self._lib = ctypes.CDLL(_sqlite3.__file__)
        self._lib.sqlite3_db_filename.restype = ctypes.c_char_p
        self._lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self._lib.sqlite3_busy_handler.argtypes = [ctypes.c_void_p, _BUSY_HANDLER, ctypes.c_void_p]
        self._lib.sqlite3_busy_timeout.argtypes = [ctypes.c_void_p, ctypes.c_int]
        # A pysqlite Connection is PyObject_HEAD followed by its `sqlite3 *db`.
        self._db = ctypes.c_void_p.from_address(id(dbapi_connection) + object.__basicsize__).value
        filename = self._lib.sqlite3_db_filename(self._db, b"main")
        assert filename is not None and filename.decode() == path, "not this connection's handle"

        def on_busy(_arg: int, _count: int) -> int:
            refused()
            return 1 if retry.wait(30) else 0

        self._callback = _BUSY_HANDLER(on_busy)  # kept alive while SQLite holds it
        self._lib.sqlite3_busy_handler(self._db, self._callback, None)

    def remove(self) -> None:
        self._lib.sqlite3_busy_timeout(self._db, 30_000)  # the product's busy_timeout again


def _blocked_by(app: Beian, waiter: int, holder: int, running: Callable[[], bool]) -> bool:
    """PostgreSQL: whether backend `waiter` comes to wait for a lock that backend `holder`
    holds, while `running` (at most 30 s)."""
    deadline = time.monotonic() + 30
    with app.engine.connect() as conn:
        while running() and time.monotonic() < deadline:  # polls what the server shows
            blockers = conn.execute(text("SELECT pg_blocking_pids(:pid)"), {"pid": waiter})
            if holder in blockers.scalar_one():
                return True
            time.sleep(0.01)
    return False


def test_the_first_two_approvals_of_a_province_year_at_once_both_get_a_number(
    app, clock, database_url
):
    """Both approvals need the province-year counter, which does not exist yet. The first
    creates it and stops before its commit; the second starts and the first commits only
    once the second is seen waiting for it (SQLite: refused the write lock its BEGIN
    IMMEDIATE asks for; PostgreSQL: blocked by the first's uncommitted counter row). So
    the second always runs into the first, never after it."""
    first, second = _in_review(app, clock, serial=1), _in_review(app, clock, serial=2)
    # Two reviewers, signed in before either starts (a sign-in writes).
    sessions = {"first": session_for(app, "bureau"), "second": session_for(app, "bureau.zhao")}
    hold, entered, committed = threading.Event(), threading.Event(), threading.Event()
    second_began, second_refused, second_moved = (
        threading.Event(),
        threading.Event(),
        threading.Event(),
    )
    backends: dict[str, int] = {}
    hooks: list[_SqliteBusyHook] = []
    current = threading.current_thread

    @event.listens_for(app.engine, "engine_connect")  # before the engine's BEGIN IMMEDIATE
    def _note_connection(connection):
        dbapi_connection = connection.connection.dbapi_connection
        if app.engine.dialect.name == "postgresql":
            backends[current().name] = dbapi_connection.info.backend_pid
        elif current().name == "second-reviewer":
            path = app.engine.url.database
            hooks.append(_SqliteBusyHook(dbapi_connection, path, refused, committed))
        if current().name == "second-reviewer":
            second_began.set()

    @event.listens_for(app.ctx.sessions, "before_commit")
    def _pause(session):
        if current().name == "first-reviewer":
            entered.set()
            assert hold.wait(30)

    @event.listens_for(app.ctx.sessions, "after_commit")
    def _committed(session):
        if current().name == "first-reviewer":
            committed.set()

    def refused() -> None:  # SQLite: the second is refused the lock the first holds
        second_refused.set()
        second_moved.set()

    results: dict[str, object] = {}

    def approve(name: str, request_id: int) -> None:
        try:
            results[name] = app.review.approve(request_id=request_id, session=sessions[name])
        except Exception as problem:  # handed to the main thread
            results[name] = problem
        finally:
            if name == "second":
                second_moved.set()

    a = threading.Thread(target=approve, args=("first", first), name="first-reviewer")
    b = threading.Thread(target=approve, args=("second", second), name="second-reviewer")
    a.start()
    try:
        assert entered.wait(30)  # the first approval has its number, not yet committed
        b.start()
        assert second_began.wait(30)
        if app.engine.dialect.name == "postgresql":
            waited = _blocked_by(
                app, backends["second-reviewer"], backends["first-reviewer"], b.is_alive
            )
        else:
            waited = second_moved.wait(30) and second_refused.is_set()
        assert waited, f"the second approval never waited for the first: {results}"
    finally:
        hold.set()
        committed.set()  # in case the first failed: the second must not wait 30 s more
        a.join(30)
        b.join(30)
        for hook in hooks:
            hook.remove()
        event.remove(app.engine, "engine_connect", _note_connection)
        event.remove(app.ctx.sessions, "before_commit", _pause)
        event.remove(app.ctx.sessions, "after_commit", _committed)
    for outcome in results.values():
        if isinstance(outcome, Exception):
            raise outcome
    year = clock().astimezone(SHANGHAI).year
    assert sorted(d.subject_icp_number for d in results.values()) == [  # type: ignore[union-attr]
        f"浙ICP备{year}000001号",
        f"浙ICP备{year}000002号",
    ]


def test_a_domain_of_an_approved_website_cannot_be_filed_again(app, clock):
    first = approved_filing(app, clock, serial=1)
    taken = first.filing.websites[0].domains[0]
    second = filing(serial=2)
    second.websites[0].domains = ["fresh-name.cn", taken.upper()]
    request_id = app.filings.save_new_filing(filing=second, session=session_for(app, "isp"))
    with pytest.raises(ValidationFailed) as failure:
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
    assert failure.value.fields() == {"websites[0].domains[1]"}
    assert request_state(app, request_id) == RequestState.DRAFT


def test_a_change_may_not_take_another_websites_domain(app, clock):
    approved = approved_filing(app, clock, website_phones=[None, None])
    first_site, second_site = approved.website_ids
    taken = approved.filing.websites[0].domains[0]
    change = ChangeInput(websites={second_site: {"domains": [taken]}})
    with pytest.raises(ValidationFailed) as failure:
        app.filings.save_change(
            subject_id=approved.subject_id, change=change, session=session_for(app, "isp")
        )
    assert failure.value.fields() == {f"websites[#{second_site}].domains[0]"}
    assert first_site != second_site


def test_a_supervisor_note_and_hand_back_land_in_the_timeline(app, clock):
    request_id = app.filings.save_new_filing(
        filing=filing(serial=9), session=session_for(app, "isp")
    )
    app.filings.add_note(
        request_id=request_id,
        text="主体证件地址与营业执照不一致",
        session=session_for(app, "sup.chen"),
    )
    app.filings.add_note(
        request_id=request_id,
        text="请更正后重新提交",
        session=session_for(app, "sup.chen"),
        hand_back=True,
    )
    with pytest.raises(ValidationFailed) as failure:
        app.filings.add_note(request_id=request_id, text="  ", session=session_for(app, "sup.chen"))
    assert failure.value.fields() == {"note"}
    actions = _actions(app, request_id)
    assert actions[-2:] == ["note_added", "handed_back"]


def test_every_new_request_opens_its_timeline_with_one_draft_created(app, clock):
    approved = approved_filing(app, clock, website_phones=[None])
    site = approved.website_ids[0]
    created = [
        app.filings.save_new_access(
            website_id=site,
            access=AccessInput(isp_name="另一接入商"),
            session=session_for(app, "isp"),
        ),
        app.filings.save_cancellation(
            business_type=BusinessType.CANCEL_WEBSITE,
            website_id=site,
            session=session_for(app, "isp"),
        ),
        app.filings.save_change(
            subject_id=approved.subject_id,
            change=ChangeInput(subject={"remarks": "新备注"}),
            session=session_for(app, "isp"),
        ),
        app.filings.save_new_website(
            subject_id=approved.subject_id, website=website(901), session=session_for(app, "isp")
        ),
    ]
    for request_id in created:
        actions = _actions(app, request_id)
        assert actions[0] == "draft_created" and actions.count("draft_created") == 1
