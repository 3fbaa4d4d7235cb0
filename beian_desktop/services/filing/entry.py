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

    def save_new_access(self, *, session: str, website_id: int, access: AccessInput) -> int:
        with self.ctx.acting(session, "filings.save_new_access") as act:
            db, by, now = act.db, act.by, act.now
            website_id = record_id("website_id", website_id)
            clean = validate_access(access, Mode.DRAFT)
            website = active_website(db, website_id)
            record = AccessRecord(
                status="pending",
                isp_name=clean.isp_name,
                method=clean.method,
                server_ips=",".join(clean.server_ips),
            )
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
    ) -> int:
        with self.ctx.acting(session, "filings.save_cancellation") as act:
            db, by, now = act.db, act.by, act.now
            subject_id = optional_record_id("subject_id", subject_id)
            website_id = optional_record_id("website_id", website_id)
            if not isinstance(business_type, str) or business_type not in CANCELLATIONS:
                raise ValidationFailed.one(
                    "business_type",
                    "not_a_cancellation",
                    "应为注销主体、注销网站或取消接入",
                    "must be one of the cancellations",
                )
            kind = BusinessType(business_type)
            if kind is BusinessType.CANCEL_SUBJECT:
                subject = active_subject(db, subject_id or 0)
                websites = [w for w in subject.websites if w.status == "active"]
            else:
                website = active_website(db, website_id or 0)
                subject, websites = website.subject, [website]
            request = new_request(db, kind, subject, by, now)
            for w in websites:
                active = [a for a in w.access_records if a.status == "active"]
                request.website_links.append(
                    RequestWebsite(website_id=w.id, access_id=active[0].id if active else None)
                )
            return request.id

    # -- 变更备案 -----------------------------------------------------------------
    def save_change(self, *, session: str, subject_id: int, change: ChangeInput) -> int:
        with self.ctx.acting(session, "filings.save_change") as act:
            db, by, now = act.db, act.by, act.now
            subject = active_subject(db, record_id("subject_id", subject_id))
            rows = ChangeRows(self.ctx).rows(db, subject, change)
            request = new_request(
                db,
                BusinessType.CHANGE,
                subject,
                by,
                now,
                fields=sorted({f"{r.target}.{r.field}" for r in rows}),
            )
            request.changes.extend(rows)
            for website_id in changed_site_ids(subject, rows):
                request.website_links.append(RequestWebsite(website_id=website_id))
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
    def save_phone_change(self, *, session: str, principal_id: int, new_mobile: str) -> int:
        with self.ctx.acting(session, "filings.save_phone_change") as act:
            db, by, now = act.db, act.by, act.now
            principal_id = record_id("principal_id", principal_id)
            c = Checker(Mode.SUBMIT)
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
            request = new_request(db, BusinessType.CHANGE_PHONE, subject, by, now)
            request.changes.append(
                RequestChange(
                    target="principal", target_id=principal_id, field="mobile", value=mobile
                )
            )
            for site in subject.websites:
                if site.principal_id == principal_id and site.status == "active":
                    request.website_links.append(RequestWebsite(website_id=site.id))
            return request.id
