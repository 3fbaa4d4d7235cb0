"""Drafts and returned requests of every business type opened again, corrected, saved
to the same request and (re)submitted (issue 13, deliverable 2), on SQLite and
PostgreSQL: what `request_for_editing` hands the dialog, what a second save stores,
that a failed save leaves the request as it was, and what the next round reaches.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from beian_desktop.models import AccessRecord, Request, RequestChange, RequestWebsite
from beian_desktop.rules.entry_forms import (
    AccessEditing,
    CancellationEditing,
    ChangeEditing,
    PhoneChangeEditing,
    WebsiteEditing,
    change_between,
)
from beian_desktop.rules.errors import RequestNotEditable, ValidationFailed
from beian_desktop.rules.inputs import AccessInput, ChangeInput
from beian_desktop.rules.phones import mask_phone
from beian_desktop.terms import BusinessType, RequestState

from factories import filing, phone, website
from journeys import approve_filing, request_row, send_first_sms, verifiers
from staff import session_for


def returned(app, clock, request_id: int) -> str:
    """Submitted, its SMS out, nobody verifies within the day: back to the ISP, who
    signs in again a day later (the new session returned)."""
    isp = session_for(app, "isp")
    app.submission.submit(session=isp, request_id=request_id)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=25))
    app.tick()
    assert request_row(app, request_id).state == RequestState.RETURNED
    return session_for(app, "isp")


def saves(app, request_id: int) -> int:
    """How many times the request was saved again (its timeline's draft_saved)."""
    detail = app.queries.request_detail(session=session_for(app, "isp"), request_id=request_id)
    return sum(1 for e in detail.timeline if e.action == "draft_saved")


def count(app, model) -> int:
    with app.ctx.unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(model))


def changes_of(app, request_id: int) -> list[tuple[str, str, str | None]]:
    with app.ctx.unit_of_work() as db:
        rows = db.scalars(select(RequestChange).where(RequestChange.request_id == request_id))
        return sorted((r.target, r.field, r.value) for r in rows)


def links_of(app, request_id: int) -> list[int]:
    with app.ctx.unit_of_work() as db:
        rows = db.scalars(select(RequestWebsite).where(RequestWebsite.request_id == request_id))
        return sorted(r.website_id for r in rows)


# -- 新增网站 ------------------------------------------------------------------------------
def test_a_new_website_draft_reopens_masked_saves_again_and_is_resubmitted(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    site = website(301)
    request_id = app.filings.save_new_website(session=isp, subject_id=subject_id, website=site)

    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert isinstance(editing, WebsiteEditing)
    assert editing.subject.subject_id == subject_id and editing.state == "draft"
    assert editing.website.name == "测试网站301" and editing.website.principal.mobile is None
    assert editing.masked["website.principal.mobile"] == mask_phone(site.principal.mobile)
    assert site.principal.mobile not in repr(editing)

    again = replace(editing.website, name="改过的网站")
    assert (
        app.filings.save_new_website(
            session=isp, subject_id=subject_id, website=again, request_id=request_id
        )
        == request_id
    )
    assert saves(app, request_id) == 1
    isp = returned(app, clock, request_id)
    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert editing.website.name == "改过的网站" and editing.return_reason == "expired"
    app.filings.save_new_website(
        session=isp,
        subject_id=subject_id,
        website=replace(editing.website, service_content="企业官网"),
        request_id=request_id,
    )
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.VERIFYING
    # the kept (masked) number is the one the new round reaches
    assert [v.phone for v in verifiers(app, request_id)] == [site.principal.mobile]
    with pytest.raises(RequestNotEditable):
        app.queries.request_for_editing(session=isp, request_id=request_id)


# -- 新增接入 ------------------------------------------------------------------------------
def test_a_new_access_updates_its_pending_record_and_nothing_else(app, clock):
    approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    website_id = app.queries.find_approved_websites(session=isp, text="site101")[0].website_id
    first = AccessInput(isp_name="某新接入商", method="专线", server_ips=["10.0.0.9"])
    request_id = app.filings.save_new_access(session=isp, website_id=website_id, access=first)
    records = count(app, AccessRecord)

    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert isinstance(editing, AccessEditing)
    assert editing.website.website_id == website_id and editing.access == first
    second = AccessInput(isp_name="另一家接入商", method="虚拟主机", server_ips=["10.0.0.10"])
    app.filings.save_new_access(
        session=isp, website_id=website_id, access=second, request_id=request_id
    )
    assert count(app, AccessRecord) == records  # the same pending record, changed
    again = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert again.access == second
    with pytest.raises(ValidationFailed) as failed:  # the website is the request's own
        app.filings.save_new_access(
            session=isp, website_id=website_id + 1000, access=first, request_id=request_id
        )
    assert failed.value.errors[0].field == "website_id"
    with pytest.raises(ValidationFailed):  # a bad IP: nothing saved half-way
        app.filings.save_new_access(
            session=isp,
            website_id=website_id,
            access=AccessInput(isp_name="坏的", server_ips=["999.1.1.1"]),
            request_id=request_id,
        )
    assert app.queries.request_for_editing(session=isp, request_id=request_id).access == second
    isp = returned(app, clock, request_id)
    app.filings.save_new_access(
        session=isp, website_id=website_id, access=first, request_id=request_id
    )
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.VERIFYING
    assert app.queries.request_detail(session=isp, request_id=request_id).state == "verifying"


# -- 变更备案 ------------------------------------------------------------------------------
def test_a_change_reopens_as_approved_plus_change_and_its_rows_are_replaced(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    approved = app.queries.approved_filing(session=isp, subject_id=subject_id)
    website_id = approved.filing.websites[0].id
    new_number = phone(777)
    edited = replace(approved.filing)
    site = replace(edited.websites[0], name="改名网站")
    site.principal = replace(site.principal, mobile=new_number)
    edited.websites = [site]
    change, _ = change_between(approved, edited)
    request_id = app.filings.save_change(session=isp, subject_id=subject_id, change=change)

    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert isinstance(editing, ChangeEditing)
    assert editing.approved.filing.websites[0].name == "测试网站101"
    assert editing.edited.websites[0].name == "改名网站"
    assert editing.edited.websites[0].principal.mobile is None  # kept, shown masked
    assert editing.kept == {"websites[0].principal.mobile": mask_phone(new_number)}
    assert new_number not in repr(editing)

    # The clerk leaves the number as it is and changes the subject's remarks too.
    form = replace(editing.edited)
    form.subject = replace(form.subject, remarks="新备注")
    change2, lines = change_between(editing.approved, form, editing.kept)
    assert [(ln.label("zh_CN"), ln.new) for ln in lines] == [
        ("主体 › 备注", "新备注"),
        ("网站“测试网站101” › 名称", "改名网站"),
        ("网站“测试网站101” › 负责人 › 手机号码", mask_phone(new_number)),
    ]
    preview = app.filings.preview_verification(
        session=isp,
        business_type=BusinessType.CHANGE,
        subject_id=subject_id,
        change=change2,
        request_id=request_id,
    )
    assert [(v.phone_masked, v.new_number) for v in preview.verifiers] == [
        (mask_phone(new_number), True)
    ]
    app.filings.save_change(
        session=isp, subject_id=subject_id, change=change2, request_id=request_id
    )
    assert changes_of(app, request_id) == [
        ("principal", "mobile", new_number),
        ("subject", "remarks", "新备注"),
        ("website", "name", "改名网站"),
    ]
    assert links_of(app, request_id) == [website_id]
    detail = app.queries.request_detail(session=isp, request_id=request_id)
    saved = [e for e in detail.timeline if e.action == "draft_saved"]
    assert [e.details["fields"] for e in saved] == [
        ["principal.mobile", "subject.remarks", "website.name"]
    ]

    # Now only the remarks: the website and its link go, the number change goes.
    only_remarks = ChangeInput(subject={"remarks": "只改备注"})
    app.filings.save_change(
        session=isp, subject_id=subject_id, change=only_remarks, request_id=request_id
    )
    assert changes_of(app, request_id) == [("subject", "remarks", "只改备注")]
    assert links_of(app, request_id) == []
    # a failing save changes nothing
    bad = ChangeInput(websites={website_id: {"domains": ["not a domain"]}})
    with pytest.raises(ValidationFailed):
        app.filings.save_change(
            session=isp, subject_id=subject_id, change=bad, request_id=request_id
        )
    assert changes_of(app, request_id) == [("subject", "remarks", "只改备注")]
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.BUREAU_REVIEW


def test_a_returned_change_is_corrected_to_another_number_and_resubmitted(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    approved = app.queries.approved_filing(session=isp, subject_id=subject_id)
    wrong, right = phone(701), phone(702)
    edited = replace(approved.filing)
    edited.subject = replace(
        edited.subject, principal=replace(edited.subject.principal, mobile=wrong)
    )
    change, _ = change_between(approved, edited)
    request_id = app.filings.save_change(session=isp, subject_id=subject_id, change=change)
    isp = returned(app, clock, request_id)
    assert [v.phone for v in verifiers(app, request_id)] == [wrong]

    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert editing.state == "returned" and editing.return_reason == "expired"
    assert editing.kept == {"subject.principal.mobile": mask_phone(wrong)}
    form = replace(editing.edited)
    form.subject = replace(form.subject, principal=replace(form.subject.principal, mobile=right))
    corrected, lines = change_between(editing.approved, form, editing.kept)
    assert [ln.new for ln in lines] == [mask_phone(right)]
    app.filings.save_change(
        session=isp, subject_id=subject_id, change=corrected, request_id=request_id
    )
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.VERIFYING
    assert [v.phone for v in verifiers(app, request_id)] == [right]  # the new round's
    with app.ctx.unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Request)) == 2  # no new request


# -- 变更手机号码 ----------------------------------------------------------------------------
def test_a_phone_change_keeps_or_replaces_its_number_and_the_bureau_sees_a_new_one(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    approved = app.queries.approved_filing(session=isp, subject_id=subject_id)
    person = approved.principals[1]
    first, second = phone(801), phone(802)
    request_id = app.filings.save_phone_change(
        session=isp, principal_id=person.principal_id, new_mobile=first
    )
    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert isinstance(editing, PhoneChangeEditing)
    assert editing.principal_id == person.principal_id
    assert editing.new_mobile_masked == mask_phone(first) and first not in repr(editing)
    # saved again keeping the number (None): the same number stays
    app.filings.save_phone_change(
        session=isp, principal_id=person.principal_id, new_mobile=None, request_id=request_id
    )
    assert changes_of(app, request_id) == [("principal", "mobile", first)]
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.BUREAU_REVIEW
    app.review.approve(session=session_for(app, "bureau"), request_id=request_id)
    assert request_row(app, request_id).state == RequestState.VERIFYING
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=25))
    app.tick()
    assert request_row(app, request_id).state == RequestState.RETURNED
    isp = session_for(app, "isp")
    app.filings.save_phone_change(
        session=isp, principal_id=person.principal_id, new_mobile=second, request_id=request_id
    )
    assert changes_of(app, request_id) == [("principal", "mobile", second)]
    assert request_row(app, request_id).phone_change_approved_at is None
    # another number goes to the bureau first again
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.BUREAU_REVIEW


# -- 注销主体 / 注销网站 / 取消接入 ---------------------------------------------------------
@pytest.mark.parametrize(
    "business_type",
    [BusinessType.CANCEL_SUBJECT, BusinessType.CANCEL_WEBSITE, BusinessType.CANCEL_ACCESS],
)
def test_a_cancellation_is_corrected_to_another_record_and_resubmitted(app, clock, business_type):
    first = approve_filing(app, clock, serial=1)
    other = approve_filing(app, clock, serial=2)
    isp = session_for(app, "isp")

    def target(subject_id: int) -> dict[str, int]:
        if business_type is BusinessType.CANCEL_SUBJECT:
            return {"subject_id": subject_id}
        sites = app.queries.find_approved_websites(session=isp, subject_id=subject_id)
        return {"website_id": sites[0].website_id}

    request_id = app.filings.save_cancellation(
        session=isp, business_type=business_type, **target(first)
    )
    isp = returned(app, clock, request_id)
    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert isinstance(editing, CancellationEditing) and editing.state == "returned"
    chosen = editing.subject or editing.website
    assert chosen is not None and chosen.subject_id == first
    with pytest.raises(RequestNotEditable):  # a cancellation is saved as its own type
        app.filings.save_cancellation(
            session=isp,
            business_type=BusinessType.CANCEL_SUBJECT
            if business_type is not BusinessType.CANCEL_SUBJECT
            else BusinessType.CANCEL_WEBSITE,
            request_id=request_id,
            **target(other),
        )
    assert (
        app.filings.save_cancellation(
            session=isp, business_type=business_type, request_id=request_id, **target(other)
        )
        == request_id
    )
    row = request_row(app, request_id)
    assert row.subject_id == other
    assert links_of(app, request_id) == [
        w.website_id for w in app.queries.find_approved_websites(session=isp, subject_id=other)
    ]
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.VERIFYING
    f = filing(serial=2)
    wanted = {
        BusinessType.CANCEL_SUBJECT: {f.subject.principal.mobile},
        BusinessType.CANCEL_WEBSITE: {f.subject.principal.mobile, f.websites[0].principal.mobile},
        BusinessType.CANCEL_ACCESS: {f.websites[0].principal.mobile},
    }[business_type]
    assert {v.phone for v in verifiers(app, request_id)} == wanted
