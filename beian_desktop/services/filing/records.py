"""The rows a request writes and the look-ups every kind of entry shares: principals,
subjects and websites written from their inputs (ID numbers encrypted, with a keyed
hash beside them), the domains another website holds, the request row itself and its
first timeline event.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from beian_desktop.models import (
    AccessRecord,
    Domain,
    Principal,
    Province,
    Request,
    RequestWebsite,
    Subject,
    Website,
)
from beian_desktop.rules.errors import FieldError, NotFound, RequestNotEditable, ValidationFailed
from beian_desktop.rules.inputs import AccessInput, PrincipalInput, SubjectInput, WebsiteInput
from beian_desktop.rules.validation import Checker
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.terms import BusinessType, RequestState

EDITABLE_STATES = (RequestState.DRAFT, RequestState.RETURNED)
SECRET_FIELDS = frozenset({"doc_number"})
REMARKS = "remarks"


def doc_hash(ctx: ServiceContext, number: str) -> str:
    return ctx.keys.keyed_hash("doc", number)


def principal_values(ctx: ServiceContext, p: PrincipalInput) -> dict[str, object]:
    """A principal's columns from its input (the ID number encrypted, its keyed hash
    beside it); without the ID number when the input keeps the stored one. The one
    mapping from input to row: `write_principal` and the batch import use it."""
    values: dict[str, object] = {"name": p.name, "doc_type": p.doc_type, "email": p.email}
    for phone in ("mobile", "phone2", "emergency_phone"):  # None: keep the stored one
        if getattr(p, phone) is not None:
            values[phone] = getattr(p, phone)
    if p.doc_number is not None:
        values["doc_number_enc"] = ctx.keys.encrypt(p.doc_number)
        values["doc_number_hash"] = doc_hash(ctx, p.doc_number)
    return values


def subject_values(ctx: ServiceContext, s: SubjectInput) -> dict[str, object]:
    """A subject's own columns from its input (not its principal's), as `principal_values`."""
    values: dict[str, object] = {
        "province_code": s.province_code,
        "city": s.city,
        "nature": s.nature,
        "holder_name": s.holder_name,
        "doc_type": s.doc_type,
        "document_address": s.document_address,
        "mailing_address": s.mailing_address,
        "investor": s.investor,
        "remarks": s.remarks,
    }
    if s.doc_number is not None:
        values["doc_number_enc"] = ctx.keys.encrypt(s.doc_number)
        values["doc_number_hash"] = doc_hash(ctx, s.doc_number)
    return values


def website_values(w: WebsiteInput) -> dict[str, object]:
    """A website's own columns (not its principal's, domains' or access's)."""
    return {
        "name": w.name,
        "home_url": w.home_url,
        "service_content": w.service_content,
        "language": w.language,
        "remarks": w.remarks,
        "preapproval_type": w.preapproval_type,
        "preapproval_number": w.preapproval_number,
    }


def access_values(a: AccessInput) -> dict[str, object]:
    return {"isp_name": a.isp_name, "method": a.method, "server_ips": ",".join(a.server_ips)}


def _apply(row: object, values: dict[str, object]) -> None:
    for name, value in values.items():
        setattr(row, name, value)


def write_principal(ctx: ServiceContext, row: Principal | None, p: PrincipalInput) -> Principal:
    """A None ID number or phone keeps the stored one (rules/inputs.py)."""
    if row is None:
        row = Principal(doc_number_enc=ctx.keys.encrypt(""), doc_number_hash=doc_hash(ctx, ""))
        row.mobile = row.phone2 = row.emergency_phone = ""
    _apply(row, principal_values(ctx, p))
    return row


def write_subject(
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
    _apply(row, subject_values(ctx, s))
    session.add(row)
    return row


def write_website(ctx: ServiceContext, row: Website | None, w: WebsiteInput) -> Website:
    if row is None:
        row = Website(status="pending", principal=write_principal(ctx, None, w.principal))
        row.access_records = [AccessRecord(status="pending")]
    else:
        write_principal(ctx, row.principal, w.principal)
    _apply(row, website_values(w))
    row.domains = [Domain(name=d, position=i) for i, d in enumerate(w.domains)]
    _apply(row.access_records[0], access_values(w.access))
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
        raise NotFound("request", request_id)
    if request.business_type != business_type:
        raise RequestNotEditable(request_id, request.state, business_type=request.business_type)
    if request.state not in EDITABLE_STATES:
        raise RequestNotEditable(request_id, request.state)
    return request


def new_request(
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


def draft_saved(
    session: Session, request: Request, by: str, now: datetime, **details: object
) -> None:
    """A draft or a returned request saved again, in its timeline."""
    audit.record(
        session,
        at=now,
        actor=by,
        action="draft_saved",
        request_id=request.id,
        business_type=request.business_type,
        **details,
    )


_Record = TypeVar("_Record", Subject, Website)


def _active(
    session: Session,
    model: type[_Record],
    row_id: int | None,
    field: str,
    zh: str,
    en: str,
) -> _Record:
    """Only approved records can be changed, extended or cancelled."""
    row = session.get(model, row_id or 0)
    if row is None or row.status != "active":
        raise ValidationFailed([FieldError(field, "not_active", zh, en)])
    return row


def active_subject(session: Session, subject_id: int | None) -> Subject:
    return _active(
        session,
        Subject,
        subject_id,
        "subject_id",
        "主体不存在或未备案",
        "is not an approved subject",
    )


def active_website(session: Session, website_id: int | None) -> Website:
    return _active(
        session,
        Website,
        website_id,
        "website_id",
        "网站不存在或未备案",
        "is not an approved website",
    )


def approved_subject_of(session: Session, principal_id: int) -> Subject | None:
    """The approved subject whose principal, or one of whose approved websites'
    principal, this is."""
    return session.scalar(
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
