"""Entering requests: drafts of every business type, saved whole or not at all.

A first filing writes its subject, principals, websites and access as `pending`
records (they become `active` when the bureau approves). Every other type acts on
approved records and keeps what it would change as change rows. Every save runs the
draft checks first, so a malformed value is never written, and runs in one
transaction, so a failure leaves the request exactly as it was.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from beian_desktop.models import (
    AccessRecord,
    Principal,
    Request,
    RequestChange,
    RequestWebsite,
    Subject,
    Website,
)
from beian_desktop.rules.errors import InvalidValue, NotFound, ValidationFailed
from beian_desktop.rules.field_limits import LONG_TEXT
from beian_desktop.rules.inputs import AccessInput, ChangeInput, FilingInput, WebsiteInput
from beian_desktop.rules.text_input import clean_text
from beian_desktop.rules.validation import (
    Checker,
    Mode,
    check_mobile,
    flag,
    optional_record_id,
    record_id,
    validate_access,
    validate_filing,
    validate_website,
)
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.changes import ChangeRows
from beian_desktop.services.filing.drafts import DraftDeletion
from beian_desktop.services.filing.previews import VerificationPreviews, changed_site_ids
from beian_desktop.services.filing.records import (
    access_values,
    active_subject,
    active_website,
    approved_subject_of,
    draft_saved,
    editable_request,
    new_request,
    province_codes,
    write_subject,
    write_website,
)
from beian_desktop.terms import CANCELLATIONS, BusinessType


class FilingService(VerificationPreviews, DraftDeletion):
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- 新增备案 ---------------------------------------------------------------
    def save_new_filing(
        self, *, session: str, filing: FilingInput, request_id: int | None = None
    ) -> int:
        """A new draft, or the draft (or returned request) `request_id` saved again."""
        with self.ctx.acting(session, "filings.save_new_filing") as act:
            db, by, now = act.db, act.by, act.now
            request_id = optional_record_id("request_id", request_id)
            clean = validate_filing(filing, Mode.DRAFT, province_codes(db))
            if request_id is None:
                subject = write_subject(self.ctx, db, None, clean.subject, now)
                db.flush()
                request = new_request(db, BusinessType.NEW_FILING, subject, by, now)
            else:
                request = editable_request(db, request_id, BusinessType.NEW_FILING)
                subject = write_subject(
                    self.ctx, db, db.get(Subject, request.subject_id), clean.subject, now
                )
                request.province_code = subject.province_code
                draft_saved(db, request, by, now)
            self._write_request_websites(db, request, subject, clean.websites)
            return request.id

    def _write_request_websites(
        self, db: Session, request: Request, subject: Subject, websites: list[WebsiteInput]
    ) -> None:
        existing = {link.website_id: link for link in request.website_links}
        kept: set[int] = set()
        for w in websites:
            row = db.get(Website, w.id) if w.id in existing else None
            row = write_website(self.ctx, row, w)
            row.subject_id = subject.id
            db.add(row)
            db.flush()
            kept.add(row.id)
            if row.id not in existing:
                request.website_links.append(
                    RequestWebsite(website_id=row.id, access_id=row.access_records[0].id)
                )
        for website_id, link in existing.items():
            if website_id not in kept:  # taken out of the draft: unlinked, kept for history
                request.website_links.remove(link)
                db.get_one(Website, website_id).status = "withdrawn"

    # -- 新增网站 / 新增接入 -----------------------------------------------------
    def save_new_website(
        self, *, session: str, subject_id: int, website: WebsiteInput, request_id: int | None = None
    ) -> int:
        with self.ctx.acting(session, "filings.save_new_website") as act:
            db, by, now = act.db, act.by, act.now
            subject_id = record_id("subject_id", subject_id)
            request_id = optional_record_id("request_id", request_id)
            clean = validate_website(website, Mode.DRAFT)
            if request_id is None:
                subject = active_subject(db, subject_id)
                request = new_request(db, BusinessType.NEW_WEBSITE, subject, by, now)
            else:
                request = editable_request(db, request_id, BusinessType.NEW_WEBSITE)
                subject = db.get_one(Subject, request.subject_id)
                if request.website_links:
                    clean.id = request.website_links[0].website_id
                draft_saved(db, request, by, now)
            self._write_request_websites(db, request, subject, [clean])
            return request.id

    def save_new_access(
        self,
        *,
        session: str,
        website_id: int,
        access: AccessInput,
        request_id: int | None = None,
    ) -> int:
        """A new draft, or the draft (or returned request) `request_id` saved again:
        its pending access record takes the new values; the website stays its own."""
        with self.ctx.acting(session, "filings.save_new_access") as act:
            db, by, now = act.db, act.by, act.now
            website_id = record_id("website_id", website_id)
            request_id = optional_record_id("request_id", request_id)
            clean = validate_access(access, Mode.DRAFT)
            if request_id is not None:
                request = editable_request(db, request_id, BusinessType.NEW_ACCESS)
                link = request.website_links[0]
                if link.website_id != website_id:
                    raise ValidationFailed.one(
                        "website_id",
                        "not_this_request",
                        "不是该申请的网站",
                        "is not the website of this request",
                    )
                record = db.get_one(AccessRecord, link.access_id)
                for name, value in access_values(clean).items():
                    setattr(record, name, value)
                draft_saved(db, request, by, now)
                return request.id
            website = active_website(db, website_id)
            record = AccessRecord(status="pending", **access_values(clean))
            website.access_records.append(record)
            db.flush()
            request = new_request(db, BusinessType.NEW_ACCESS, website.subject, by, now)
            request.website_links.append(RequestWebsite(website_id=website.id, access_id=record.id))
            return request.id

    # -- 注销主体 / 注销网站 / 取消接入 -------------------------------------------
    def save_cancellation(
        self,
        *,
        session: str,
        business_type: BusinessType,
        subject_id: int | None = None,
        website_id: int | None = None,
        request_id: int | None = None,
    ) -> int:
        """A new draft, or the draft (or returned request) `request_id` saved again on
        the record chosen now: a cancellation's only correction is which record."""
        with self.ctx.acting(session, "filings.save_cancellation") as act:
            db, by, now = act.db, act.by, act.now
            subject_id = optional_record_id("subject_id", subject_id)
            website_id = optional_record_id("website_id", website_id)
            request_id = optional_record_id("request_id", request_id)
            if not isinstance(business_type, str) or business_type not in CANCELLATIONS:
                raise ValidationFailed.one(
                    "business_type",
                    "not_a_cancellation",
                    "应为注销主体、注销网站或取消接入",
                    "must be one of the cancellations",
                )
            kind = BusinessType(business_type)
            editing = None if request_id is None else editable_request(db, request_id, kind)
            if kind is BusinessType.CANCEL_SUBJECT:
                subject = active_subject(db, subject_id or 0)
                websites = [w for w in subject.websites if w.status == "active"]
            else:
                website = active_website(db, website_id or 0)
                subject, websites = website.subject, [website]
            if editing is None:
                request = new_request(db, kind, subject, by, now)
            else:
                request = editing
                request.subject_id, request.province_code = subject.id, subject.province_code
                draft_saved(db, request, by, now)
            links: dict[int, int | None] = {}
            for w in websites:
                active = [a for a in w.access_records if a.status == "active"]
                links[w.id] = active[0].id if active else None
            relink(request, links)
            return request.id

    # -- 变更备案 -----------------------------------------------------------------
    def save_change(
        self,
        *,
        session: str,
        subject_id: int,
        change: ChangeInput,
        request_id: int | None = None,
    ) -> int:
        """A new draft, or the draft (or returned request) `request_id` saved again:
        its change rows, the websites it concerns and its fields are replaced by those
        of `change`, which states the whole change against the approved filing."""
        with self.ctx.acting(session, "filings.save_change") as act:
            db, by, now = act.db, act.by, act.now
            subject_id = record_id("subject_id", subject_id)
            request_id = optional_record_id("request_id", request_id)
            editing = (
                None
                if request_id is None
                else editable_request(db, request_id, BusinessType.CHANGE)
            )
            if editing is not None and editing.subject_id != subject_id:
                raise ValidationFailed.one(
                    "subject_id",
                    "not_this_request",
                    "不是该申请的主体",
                    "is not the subject of this request",
                )
            subject = active_subject(db, subject_id)
            stored = list(editing.changes) if editing is not None else []
            rows = ChangeRows(self.ctx).rows(db, subject, change, stored)
            fields = sorted({f"{r.target}.{r.field}" for r in rows})
            if editing is None:
                request = new_request(db, BusinessType.CHANGE, subject, by, now, fields=fields)
            else:
                request = editing
                request.changes.clear()
                db.flush()
                draft_saved(db, request, by, now, fields=fields)
            request.changes.extend(rows)
            relink(request, dict.fromkeys(changed_site_ids(subject, rows)))
            return request.id

    # -- notes -----------------------------------------------------------------------
    def add_note(
        self, *, session: str, request_id: int, text: str, hand_back: bool = False
    ) -> None:
        """A supervisor's annotation on a request, kept in its timeline. `hand_back`
        marks it as handed back to the ISP with that note (the request stays returned
        for the ISP to correct and resubmit)."""
        with self.ctx.acting(session, "filings.add_note", request_id=request_id) as act:
            db = act.db
            request_id = record_id("request_id", request_id)
            hand_back = flag("hand_back", hand_back)
            try:
                text = clean_text(text, LONG_TEXT, multiline=True)
            except InvalidValue as problem:
                raise ValidationFailed.one("note", problem.code, problem.zh, problem.en) from None
            if not text:
                raise ValidationFailed.one(
                    "note", "required", "请填写备注内容", "a note needs some text"
                )
            if db.get(Request, request_id) is None:
                raise NotFound("request", request_id)
            audit.record(
                db,
                at=act.now,
                actor=act.by,
                action="handed_back" if hand_back else "note_added",
                request_id=request_id,
                note=text,
            )

    # -- 变更手机号码 -------------------------------------------------------------
    def save_phone_change(
        self,
        *,
        session: str,
        principal_id: int,
        new_mobile: str | None,
        request_id: int | None = None,
    ) -> int:
        """A new draft, or the draft (or returned request) `request_id` saved again
        with this principal and number. Editing, `new_mobile` None keeps the number
        the request holds (shown masked). A new number waits for the bureau again."""
        with self.ctx.acting(session, "filings.save_phone_change") as act:
            db, by, now = act.db, act.by, act.now
            principal_id = record_id("principal_id", principal_id)
            request_id = optional_record_id("request_id", request_id)
            editing = (
                None
                if request_id is None
                else editable_request(db, request_id, BusinessType.CHANGE_PHONE)
            )
            stored = editing.changes[0] if editing is not None and editing.changes else None
            c = Checker(Mode.SUBMIT)
            if new_mobile is None and stored is not None and stored.value:
                mobile = stored.value
            else:
                mobile = check_mobile(c, "new_mobile", new_mobile)
            principal = db.get(Principal, principal_id)
            subject = approved_subject_of(db, principal_id)
            if principal is None or subject is None:
                c.add(
                    "principal_id",
                    "not_active",
                    "负责人不属于已备案的主体或网站",
                    "is not a principal of an approved subject or website",
                )
            elif mobile == principal.mobile:
                c.add("new_mobile", "unchanged", "新号码与原号码相同", "is the current number")
            c.raise_if_any()
            assert subject is not None  # or raise_if_any raised
            if editing is None:
                request = new_request(db, BusinessType.CHANGE_PHONE, subject, by, now)
            else:
                request = editing
                if stored is None or (stored.target_id, stored.value) != (principal_id, mobile):
                    request.phone_change_approved_at = None  # the bureau sees the new one
                request.subject_id, request.province_code = subject.id, subject.province_code
                request.changes.clear()
                db.flush()
                draft_saved(db, request, by, now)
            request.changes.append(
                RequestChange(
                    target="principal", target_id=principal_id, field="mobile", value=mobile
                )
            )
            relink(
                request,
                {
                    site.id: None
                    for site in subject.websites
                    if site.principal_id == principal_id and site.status == "active"
                },
            )
            return request.id


def relink(request: Request, websites: dict[int, int | None]) -> None:
    """The request's website links become exactly `websites` (website id → access
    record id), keeping the links that stay (their key is the website's id)."""
    for link in list(request.website_links):
        if link.website_id in websites:
            link.access_id = websites.pop(link.website_id)
        else:
            request.website_links.remove(link)
    for website_id, access_id in websites.items():
        request.website_links.append(RequestWebsite(website_id=website_id, access_id=access_id))
