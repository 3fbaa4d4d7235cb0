"""The entry dialogs' services: the pickers, an approved filing as a change form's
inputs, what an edit of it changes, and who an entry would have verify before it is
saved (SPEC §2, §2.1), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from beian_desktop.models import Request, RequestChange
from beian_desktop.rules.entry_forms import change_between
from beian_desktop.rules.errors import RequestNotEditable, ValidationFailed
from beian_desktop.rules.inputs import ChangeInput
from beian_desktop.rules.phones import mask_phone
from beian_desktop.terms import BusinessType

from factories import filing, phone
from journeys import approve_filing, verifiers
from staff import session_for


def _written(app) -> tuple[int, int]:
    with app.ctx.unit_of_work() as db:
        return (
            db.scalar(select(func.count()).select_from(Request)),
            db.scalar(select(func.count()).select_from(RequestChange)),
        )


def test_pickers_find_approved_records_by_a_fragment_only(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    app.filings.save_new_filing(session=isp, filing=filing(serial=2))  # a draft: not approved

    found = app.queries.find_approved_subjects(session=isp, text="测试科技")
    assert [s.subject_id for s in found] == [subject_id]
    assert found[0].holder_name == "杭州测试科技有限公司1" and found[0].icp_number.startswith(
        "浙ICP备"
    )
    assert found[0].websites == 1
    # by a domain fragment, by the middle of the ICP number, and nothing for a stranger
    assert [
        s.subject_id for s in app.queries.find_approved_subjects(session=isp, text="site101")
    ] == [subject_id]
    icp_middle = found[0].icp_number[3:9]
    assert app.queries.find_approved_subjects(session=isp, text=icp_middle)
    assert app.queries.find_approved_subjects(session=isp, text="没有这家") == []
    assert (
        app.queries.find_approved_subjects(session=isp, text="%") == []
    )  # LIKE wildcards are text

    sites = app.queries.find_approved_websites(session=isp, text="site101.c")
    assert [w.name for w in sites] == ["测试网站101"]
    assert sites[0].domains == ("site101.cn", "www.site101.com")
    assert sites[0].isp_names == ("浙江某云计算有限公司",)
    assert app.queries.find_approved_websites(session=isp, text="测试网站102") == []  # a draft's


def test_an_approved_filing_comes_back_as_inputs_with_secrets_masked(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    f = filing(serial=1)
    approved = app.queries.approved_filing(session=session_for(app, "isp"), subject_id=subject_id)
    assert approved.filing.subject.holder_name == f.subject.holder_name
    assert approved.filing.subject.doc_number is None
    assert approved.filing.subject.principal.mobile is None
    assert approved.masked["subject.principal.mobile"] == mask_phone(f.subject.principal.mobile)
    site = approved.filing.websites[0]
    assert site.id is not None and site.domains == f.websites[0].domains
    assert site.principal.doc_number is None
    assert "330106" not in repr(approved) and f.subject.principal.mobile not in repr(approved)
    assert [p.roles for p in approved.principals] == [
        ("subject_principal",),
        ("website_principal:测试网站101",),
    ]


def test_a_change_preview_names_what_changed_and_who_gets_the_sms_at_the_new_number(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    approved = app.queries.approved_filing(session=isp, subject_id=subject_id)
    edited = replace(approved.filing)
    site = replace(edited.websites[0], name="新的网站名称")
    site.principal = replace(site.principal, mobile=phone(999))
    edited.websites = [site]
    change, lines = change_between(approved, edited)
    assert [(line.label("zh_CN"), line.old, line.new) for line in lines] == [
        ("网站“测试网站101” › 名称", "测试网站101", "新的网站名称"),
        (
            "网站“测试网站101” › 负责人 › 手机号码",
            approved.masked["websites[0].principal.mobile"],
            mask_phone(phone(999)),
        ),
    ]
    before = _written(app)
    preview = app.filings.preview_verification(
        session=isp, business_type=BusinessType.CHANGE, subject_id=subject_id, change=change
    )
    assert _written(app) == before  # a preview writes nothing
    assert preview.quorum == "all"
    assert [(v.roles, v.phone_masked, v.new_number) for v in preview.verifiers] == [
        (("website_principal:测试网站101",), mask_phone(phone(999)), True)
    ]
    # the change saves as previewed
    request_id = app.filings.save_change(session=isp, subject_id=subject_id, change=change)
    assert request_id > 0


def test_remarks_only_and_an_unchanged_edit(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    approved = app.queries.approved_filing(session=isp, subject_id=subject_id)
    change, lines = change_between(approved, approved.filing)
    assert lines == () and change == ChangeInput()
    with pytest.raises(ValidationFailed) as failed:
        app.filings.preview_verification(
            session=isp, business_type=BusinessType.CHANGE, subject_id=subject_id, change=change
        )
    assert failed.value.errors[0].label("zh_CN") == "变更内容"
    remarks = replace(approved.filing, subject=replace(approved.filing.subject, remarks="新备注"))
    change, _ = change_between(approved, remarks)
    preview = app.filings.preview_verification(
        session=isp, business_type=BusinessType.CHANGE, subject_id=subject_id, change=change
    )
    assert preview.quorum is None and preview.skipped_because == "remarks_only"


def test_cancellations_new_access_and_phone_change_previews(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    approved = app.queries.approved_filing(session=isp, subject_id=subject_id)
    website_id = approved.filing.websites[0].id
    subject_person = approved.principals[0]
    site_person = approved.principals[1]

    def who(**kwargs):
        preview = app.filings.preview_verification(session=isp, **kwargs)
        return preview.quorum, [(v.name, v.phone_masked) for v in preview.verifiers]

    subject_only = [(subject_person.name, subject_person.phone_masked)]
    site_only = [(site_person.name, site_person.phone_masked)]
    assert who(business_type=BusinessType.CANCEL_SUBJECT, subject_id=subject_id) == (
        "all",
        subject_only,
    )
    assert who(business_type=BusinessType.CANCEL_WEBSITE, website_id=website_id) == (
        "any",
        subject_only + site_only,
    )
    assert who(business_type=BusinessType.CANCEL_ACCESS, website_id=website_id) == (
        "all",
        site_only,
    )
    assert who(business_type=BusinessType.NEW_ACCESS, website_id=website_id) == ("all", site_only)
    assert who(
        business_type=BusinessType.CHANGE_PHONE,
        principal_id=site_person.principal_id,
        new_mobile=phone(555),
    ) == ("all", [(site_person.name, mask_phone(phone(555)))])
    with pytest.raises(ValidationFailed) as failed:
        who(
            business_type=BusinessType.CHANGE_PHONE,
            principal_id=site_person.principal_id,
            new_mobile="123",
        )
    assert failed.value.errors[0].field == "new_mobile"


def test_a_draft_comes_back_for_editing_and_saved_untouched_keeps_its_secrets(app, clock):
    isp = session_for(app, "isp")
    f = filing(serial=3)
    request_id = app.filings.save_new_filing(session=isp, filing=f)
    editing = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert editing.state == "draft" and editing.business_type == "new_filing"
    shown = editing.filing
    assert shown.subject.holder_name == f.subject.holder_name
    assert shown.subject.principal.mobile is None and shown.subject.doc_number is None
    assert editing.masked["subject.principal.mobile"] == mask_phone(f.subject.principal.mobile)
    assert f.subject.principal.mobile not in repr(editing)
    assert shown.websites[0].id is not None and shown.websites[0].access.isp_name

    # saved back as the form sends it (secrets None: kept), with the name corrected
    shown.subject.holder_name = "杭州改名科技有限公司"
    assert (
        app.filings.save_new_filing(session=isp, filing=shown, request_id=request_id) == request_id
    )
    again = app.queries.request_for_editing(session=isp, request_id=request_id)
    assert again.filing.subject.holder_name == "杭州改名科技有限公司"
    assert again.masked == editing.masked  # the phones and ID numbers are still there
    assert app.submission.submit(session=isp, request_id=request_id) == "verifying"
    phones = {p.mobile for p in [f.subject.principal, f.websites[0].principal]}
    assert {v.phone for v in verifiers(app, request_id)} == phones


def test_only_drafts_and_returned_requests_open_for_editing(app, clock):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    with app.ctx.unit_of_work() as db:
        approved = db.scalar(select(Request.id).where(Request.subject_id == subject_id))
    with pytest.raises(RequestNotEditable):
        app.queries.request_for_editing(session=isp, request_id=approved)
    cancel = app.filings.save_cancellation(
        session=isp, business_type=BusinessType.CANCEL_SUBJECT, subject_id=subject_id
    )
    # any business type's draft opens (tests/engine/test_editing_every_type.py) ...
    assert app.queries.request_for_editing(session=isp, request_id=cancel).state == "draft"
    app.submission.submit(session=isp, request_id=cancel)
    with pytest.raises(RequestNotEditable):  # ... until it is submitted
        app.queries.request_for_editing(session=isp, request_id=cancel)
