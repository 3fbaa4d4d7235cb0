"""Entering requests: drafts of every business type, saved whole or not at all.

A first filing writes its subject, principals, websites and access as `pending`
records (they become `active` when the bureau approves). Every other type acts on
approved records and keeps what it would change as change rows. Every save runs the
draft checks first, so a malformed value is never written, and runs in one
transaction, so a failure leaves the request exactly as it was.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beian_desktop.models import (
    AccessRecord,
    Domain,
    Principal,
    Province,
    Request,
    RequestChange,
    RequestWebsite,
    Subject,
    Website,
)
from beian_desktop.rules.errors import (
    FieldError,
    ValidationFailed,
)
from beian_desktop.rules.inputs import (
    AccessInput,
    ChangeInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.validation import (
    Checker,
    Mode,
    check_domains,
    check_mobile,
    check_principal,
    check_subject,
    check_website,
    validate_access,
    validate_filing,
    validate_website,
)
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.terms import (
    BusinessType,
    RequestState,
)

EDITABLE_STATES = (RequestState.DRAFT, RequestState.RETURNED)
SECRET_FIELDS = frozenset({"doc_number"})
REMARKS = "remarks"


class RequestNotEditable(Exception):
    """The request has left the ISP's hands (verifying, in review, or decided)."""


class NotFound(LookupError):
    pass


def doc_hash(ctx: ServiceContext, number: str) -> str:
    return ctx.keys.keyed_hash("doc", number)


def write_principal(ctx: ServiceContext, row: Principal | None, p: PrincipalInput) -> Principal:
    if row is None:
        row = Principal(doc_number_enc=ctx.keys.encrypt(""), doc_number_hash=doc_hash(ctx, ""))
    row.name, row.doc_type, row.mobile = p.name, p.doc_type, p.mobile
    row.phone2, row.emergency_phone, row.email = p.phone2, p.emergency_phone, p.email
    if p.doc_number is not None:
        row.doc_number_enc = ctx.keys.encrypt(p.doc_number)
        row.doc_number_hash = doc_hash(ctx, p.doc_number)
    return row


def _write_subject(
    ctx: ServiceContext, session: Session, row: Subject | None, s: SubjectInput, now: datetime
) -> Subject:
    if row is None:
        row = Subject(
            status="pending",
            created_at=now,
            doc_number_enc=ctx.keys.encrypt(""),
            doc_number_hash=doc_hash(ctx, ""),
        )
        row.principal = write_principal(ctx, None, s.principal)
    else:
        write_principal(ctx, row.principal, s.principal)
    row.province_code, row.city, row.nature = s.province_code, s.city, s.nature
    row.holder_name, row.doc_type = s.holder_name, s.doc_type
    row.document_address, row.mailing_address = s.document_address, s.mailing_address
    row.investor, row.remarks = s.investor, s.remarks
    if s.doc_number is not None:
        row.doc_number_enc = ctx.keys.encrypt(s.doc_number)
        row.doc_number_hash = doc_hash(ctx, s.doc_number)
    session.add(row)
    return row


def _write_website(ctx: ServiceContext, row: Website | None, w: WebsiteInput) -> Website:
    if row is None:
        row = Website(status="pending", principal=write_principal(ctx, None, w.principal))
        row.access_records = [AccessRecord(status="pending")]
    else:
        write_principal(ctx, row.principal, w.principal)
    row.name, row.home_url, row.service_content = w.name, w.home_url, w.service_content
    row.language, row.remarks = w.language, w.remarks
    row.preapproval_type, row.preapproval_number = w.preapproval_type, w.preapproval_number
    row.domains = [Domain(name=d, position=i) for i, d in enumerate(w.domains)]
    access = row.access_records[0]
    access.isp_name, access.method = w.access.isp_name, w.access.method
    access.server_ips = ",".join(w.access.server_ips)
    return row


IN_FLIGHT = (RequestState.SUBMITTED, RequestState.VERIFYING, RequestState.BUREAU_REVIEW)


def domains_in_use(session: Session, names: list[str], website_id: int | None) -> set[str]:
    """Domains another website holds: an approved one, or one in a request under way."""
    if not names:
        return set()
    in_flight = (
        select(RequestWebsite.website_id)
        .join(Request, Request.id == RequestWebsite.request_id)
        .where(Request.state.in_(IN_FLIGHT))
    )
    query = (
        select(Domain.name)
        .join(Website, Website.id == Domain.website_id)
        .where(Domain.name.in_(names))
        .where((Website.status == "active") | Website.id.in_(in_flight))
    )
    if website_id is not None:
        query = query.where(Website.id != website_id)
    return set(session.scalars(query))


def check_domains_free(
    session: Session, c: Checker, path: str, names: list[str], website_id: int | None
) -> None:
    taken = domains_in_use(session, names, website_id)
    for i, name in enumerate(names):
        if name in taken:
            c.add(
                f"{path}[{i}]",
                "domain_in_use",
                "该域名已被其他网站备案使用",
                "is already filed for another website",
            )


def province_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Province.code)))


def editable_request(session: Session, request_id: int, business_type: BusinessType) -> Request:
    request = session.get(Request, request_id, with_for_update=True)
    if request is None:
        raise NotFound(f"request {request_id} does not exist")
    if request.business_type != business_type:
        raise RequestNotEditable(f"request {request_id} is a {request.business_type}")
    if request.state not in EDITABLE_STATES:
        raise RequestNotEditable(f"request {request_id} is {request.state}")
    return request


def _new_request(
    session: Session,
    business_type: BusinessType,
    subject: Subject,
    by: str,
    now: datetime,
    **details: object,
) -> Request:
    """Every new request starts here, and its timeline starts with who entered it."""
    request = Request(
        business_type=business_type,
        state=RequestState.DRAFT,
        subject_id=subject.id,
        province_code=subject.province_code,
        entered_by=by,
        created_at=now,
        state_changed_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        at=now,
        actor=by,
        action="draft_created",
        request_id=request.id,
        business_type=business_type,
        **details,
    )
    return request


def _draft_saved(session: Session, request: Request, by: str, now: datetime) -> None:
    audit.record(
        session,
        at=now,
        actor=by,
        action="draft_saved",
        request_id=request.id,
        business_type=request.business_type,
    )


def _active(
    session: Session,
    model: type[Subject] | type[Website],
    row_id: int | None,
    field: str,
    zh: str,
    en: str,
) -> Subject | Website:
    """Only approved records can be changed, extended or cancelled."""
    row = session.get(model, row_id or 0)
    if row is None or row.status != "active":
        raise ValidationFailed([FieldError(field, "not_active", zh, en)])
    return row


def _active_subject(session: Session, subject_id: int | None) -> Subject:
    return _active(
        session,
        Subject,
        subject_id,
        "subject_id",
        "主体不存在或未备案",
        "is not an approved subject",
    )  # type: ignore[return-value]


def _active_website(session: Session, website_id: int | None) -> Website:
    return _active(
        session,
        Website,
        website_id,
        "website_id",
        "网站不存在或未备案",
        "is not an approved website",
    )  # type: ignore[return-value]


class FilingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- 新增备案 ---------------------------------------------------------------
    def save_new_filing(
        self, *, filing: FilingInput, by: str, request_id: int | None = None
    ) -> int:
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            clean = validate_filing(filing, Mode.DRAFT, province_codes(session))
            if request_id is None:
                subject = _write_subject(self.ctx, session, None, clean.subject, now)
                session.flush()
                request = _new_request(session, BusinessType.NEW_FILING, subject, by, now)
            else:
                request = editable_request(session, request_id, BusinessType.NEW_FILING)
                subject = _write_subject(
                    self.ctx, session, session.get(Subject, request.subject_id), clean.subject, now
                )
                request.province_code = subject.province_code
                _draft_saved(session, request, by, now)
            self._write_request_websites(session, request, subject, clean.websites)
            return request.id

    def _write_request_websites(
        self, session: Session, request: Request, subject: Subject, websites: list[WebsiteInput]
    ) -> None:
        existing = {link.website_id: link for link in request.website_links}
        kept: set[int] = set()
        for w in websites:
            row = session.get(Website, w.id) if w.id in existing else None
            row = _write_website(self.ctx, row, w)
            row.subject_id = subject.id
            session.add(row)
            session.flush()
            kept.add(row.id)
            if row.id not in existing:
                request.website_links.append(
                    RequestWebsite(website_id=row.id, access_id=row.access_records[0].id)
                )
        for website_id, link in existing.items():
            if website_id not in kept:  # taken out of the draft: unlinked, kept for history
                request.website_links.remove(link)
                session.get(Website, website_id).status = "withdrawn"

    # -- 新增网站 / 新增接入 -----------------------------------------------------
    def save_new_website(
        self, *, subject_id: int, website: WebsiteInput, by: str, request_id: int | None = None
    ) -> int:
        now = self.ctx.now()
        clean = validate_website(website, Mode.DRAFT)
        with self.ctx.unit_of_work() as session:
            if request_id is None:
                subject = _active_subject(session, subject_id)
                request = _new_request(session, BusinessType.NEW_WEBSITE, subject, by, now)
            else:
                request = editable_request(session, request_id, BusinessType.NEW_WEBSITE)
                subject = session.get(Subject, request.subject_id)
                if request.website_links:
                    clean.id = request.website_links[0].website_id
                _draft_saved(session, request, by, now)
            self._write_request_websites(session, request, subject, [clean])
            return request.id

    def save_new_access(self, *, website_id: int, access: AccessInput, by: str) -> int:
        now = self.ctx.now()
        clean = validate_access(access, Mode.DRAFT)
        with self.ctx.unit_of_work() as session:
            website = _active_website(session, website_id)
            record = AccessRecord(
                status="pending",
                isp_name=clean.isp_name,
                method=clean.method,
                server_ips=",".join(clean.server_ips),
            )
            website.access_records.append(record)
            session.flush()
            request = _new_request(session, BusinessType.NEW_ACCESS, website.subject, by, now)
            request.website_links.append(RequestWebsite(website_id=website.id, access_id=record.id))
            return request.id

    # -- 注销主体 / 注销网站 / 取消接入 -------------------------------------------
    def save_cancellation(
        self,
        *,
        business_type: BusinessType,
        by: str,
        subject_id: int | None = None,
        website_id: int | None = None,
    ) -> int:
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            if business_type is BusinessType.CANCEL_SUBJECT:
                subject = _active_subject(session, subject_id or 0)
                websites = [w for w in subject.websites if w.status == "active"]
            elif business_type in (BusinessType.CANCEL_WEBSITE, BusinessType.CANCEL_ACCESS):
                website = _active_website(session, website_id or 0)
                subject, websites = website.subject, [website]
            else:
                raise ValueError(f"{business_type} is not a cancellation")
            request = _new_request(session, business_type, subject, by, now)
            for w in websites:
                active = [a for a in w.access_records if a.status == "active"]
                request.website_links.append(
                    RequestWebsite(website_id=w.id, access_id=active[0].id if active else None)
                )
            return request.id

    # -- 变更备案 -----------------------------------------------------------------
    def save_change(self, *, subject_id: int, change: ChangeInput, by: str) -> int:
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            subject = _active_subject(session, subject_id)
            rows = self._change_rows(session, subject, change)
            request = _new_request(
                session,
                BusinessType.CHANGE,
                subject,
                by,
                now,
                fields=sorted({f"{r.target}.{r.field}" for r in rows}),
            )
            request.changes.extend(rows)
            changed_sites = sorted(
                {r.target_id for r in rows if r.target == "website"}
                | {
                    w.id
                    for w in subject.websites
                    if w.principal_id in {r.target_id for r in rows if r.target == "principal"}
                }
            )
            for website_id in changed_sites:
                request.website_links.append(RequestWebsite(website_id=website_id))
            return request.id

    def _change_rows(
        self, session: Session, subject: Subject, change: ChangeInput
    ) -> list[RequestChange]:
        """Checks each new value as the entry form would, then keeps only real changes."""
        c = Checker(Mode.SUBMIT)
        rows: list[RequestChange] = []
        sites = {w.id: w for w in subject.websites if w.status == "active"}
        for website_id in set(change.websites) | set(change.website_principals):
            if website_id not in sites:
                c.add(
                    f"websites[{website_id}]",
                    "not_in_subject",
                    "网站不属于该主体",
                    "is not an approved website of this subject",
                )
        if change.subject:
            base = SubjectInput(
                province_code=subject.province_code,
                nature=subject.nature,
                doc_type=subject.doc_type,
                holder_name=subject.holder_name,
                doc_number=None,
                principal=self._principal_input(subject.principal),
            )
            merged = _merge(c, "subject", base, change.subject)
            clean = check_subject(c, merged, province_codes(session))
            rows += self._diff("subject", subject.id, subject, clean, change.subject)
        if change.subject_principal:
            rows += self._principal_change(
                c, "subject.principal", subject.principal, change.subject_principal
            )
        for website_id, fields in change.websites.items():
            site = sites.get(website_id)
            if site is None:
                continue
            base = WebsiteInput(
                name=site.name,
                domains=[d.name for d in site.domains],
                principal=self._principal_input(site.principal),
                access=AccessInput(isp_name="-"),
            )
            merged = _merge(c, f"websites[{website_id}]", base, fields)
            if "domains" in fields:
                merged.domains = check_domains(
                    c, f"websites[{website_id}].domains", list(fields["domains"])
                )  # type: ignore[call-overload]
            clean = check_website(c, f"websites[{website_id}]", merged)
            if "domains" in fields:
                check_domains_free(
                    session, c, f"websites[{website_id}].domains", clean.domains, website_id
                )
            rows += self._diff("website", website_id, site, clean, fields)
        for website_id, fields in change.website_principals.items():
            site = sites.get(website_id)
            if site is not None:
                rows += self._principal_change(
                    c, f"websites[{website_id}].principal", site.principal, fields
                )
        c.raise_if_any()
        if not rows:
            raise ValidationFailed(
                [FieldError("change", "nothing_changed", "没有任何变更", "changes nothing")]
            )
        return rows

    def _principal_input(self, p: Principal) -> PrincipalInput:
        return PrincipalInput(
            name=p.name,
            doc_type=p.doc_type,
            doc_number=None,
            mobile=p.mobile,
            phone2=p.phone2,
            emergency_phone=p.emergency_phone,
            email=p.email,
        )

    def _principal_change(
        self, c: Checker, path: str, principal: Principal, fields: dict[str, str]
    ) -> list[RequestChange]:
        merged = _merge(c, path, self._principal_input(principal), fields)
        if "doc_number" in fields:
            merged.doc_number = fields["doc_number"]
        clean = check_principal(c, path, merged)
        return self._diff("principal", principal.id, principal, clean, fields)

    def _diff(
        self, target: str, target_id: int, row: object, clean: object, fields: dict[str, object]
    ) -> list[RequestChange]:
        rows = []
        for name in fields:
            new = getattr(clean, name)
            if name == "domains":
                old: object = [d.name for d in row.domains]  # type: ignore[attr-defined]
                if new != old:
                    rows.append(
                        RequestChange(
                            target=target, target_id=target_id, field=name, value=json.dumps(new)
                        )
                    )
                continue
            if name in SECRET_FIELDS:
                if new is not None and doc_hash(self.ctx, new) != row.doc_number_hash:  # type: ignore[attr-defined]
                    rows.append(
                        RequestChange(
                            target=target,
                            target_id=target_id,
                            field=name,
                            value_enc=self.ctx.keys.encrypt(new),
                        )
                    )
                continue
            if str(new) != str(getattr(row, name)):
                rows.append(
                    RequestChange(target=target, target_id=target_id, field=name, value=str(new))
                )
        return rows

    # -- notes -----------------------------------------------------------------------
    def add_note(self, *, request_id: int, text: str, by: str, hand_back: bool = False) -> None:
        """A supervisor's annotation on a request, kept in its timeline. `hand_back`
        marks it as handed back to the ISP with that note (the request stays returned
        for the ISP to correct and resubmit)."""
        text = text.strip()
        if not text:
            raise ValidationFailed(
                [FieldError("note", "required", "请填写备注内容", "a note needs some text")]
            )
        if len(text) > 2000:
            raise ValidationFailed(
                [FieldError("note", "too_long", "不能超过 2000 个字符", "at most 2000 characters")]
            )
        with self.ctx.unit_of_work() as session:
            if session.get(Request, request_id) is None:
                raise NotFound(f"request {request_id} does not exist")
            audit.record(
                session,
                at=self.ctx.now(),
                actor=by,
                action="handed_back" if hand_back else "note_added",
                request_id=request_id,
                note=text,
            )

    # -- 变更手机号码 -------------------------------------------------------------
    def save_phone_change(self, *, principal_id: int, new_mobile: str, by: str) -> int:
        now = self.ctx.now()
        c = Checker(Mode.SUBMIT)
        mobile = check_mobile(c, "new_mobile", new_mobile)
        with self.ctx.unit_of_work() as session:
            principal = session.get(Principal, principal_id)
            subject = session.scalar(
                select(Subject)
                .where(Subject.status == "active")
                .where(
                    (Subject.principal_id == principal_id)
                    | Subject.id.in_(
                        select(Website.subject_id).where(
                            Website.principal_id == principal_id, Website.status == "active"
                        )
                    )
                )
            )
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
            request = _new_request(session, BusinessType.CHANGE_PHONE, subject, by, now)
            request.changes.append(
                RequestChange(
                    target="principal", target_id=principal_id, field="mobile", value=mobile
                )
            )
            for site in subject.websites:
                if site.principal_id == principal_id and site.status == "active":
                    request.website_links.append(RequestWebsite(website_id=site.id))
            return request.id


def _merge(c: Checker, path: str, base: object, fields: dict[str, object]) -> object:
    """The record as it would be after the change, for the same checks as the entry form."""
    for name, value in fields.items():
        if not hasattr(base, name) or name in {"principal", "access", "id"}:
            c.add(
                f"{path}.{name}",
                "unknown_field",
                "不可变更的字段",
                "is not a field that can change",
            )
            continue
        if name != "domains":
            setattr(base, name, value)
    return base
