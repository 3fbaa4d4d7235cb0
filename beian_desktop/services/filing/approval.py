"""What an approval does to the filing: records become active, numbers are assigned,
changes are applied, cancellations take effect.

ICP numbers come from a per-province, per-year counter bumped by one conditional
UPDATE, so two reviewers approving at once never hand out the same number.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from beian_desktop.models import (
    AccessRecord,
    Domain,
    IcpSequence,
    Principal,
    Province,
    Request,
    Subject,
    Website,
)
from beian_desktop.rules.clock import in_shanghai
from beian_desktop.services.context import ServiceContext
from beian_desktop.terms import BusinessType


def _next_icp_serial(session: Session, province_code: str, year: int) -> int:
    # The first number of a province's year: two approvals may both find no row, so
    # the row is created with ON CONFLICT DO NOTHING and the counter bumped after.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(IcpSequence)
        .values(province_code=province_code, year=year, last_value=0)
        .on_conflict_do_nothing()
    )
    return session.execute(
        update(IcpSequence)
        .where(IcpSequence.province_code == province_code, IcpSequence.year == year)
        .values(last_value=IcpSequence.last_value + 1)
        .returning(IcpSequence.last_value)
    ).scalar_one()


def _next_website_number(session: Session, subject: Subject) -> str:
    n = session.execute(
        update(Subject)
        .where(Subject.id == subject.id)
        .values(website_seq=Subject.website_seq + 1)
        .returning(Subject.website_seq)
    ).scalar_one()
    return f"{subject.icp_number}-{n}"


def assign_subject_number(session: Session, subject: Subject, now: datetime) -> None:
    abbr = session.get_one(Province, subject.province_code).abbr
    year = in_shanghai(now).year  # the year on the bureau's calendar, not UTC's
    serial = _next_icp_serial(session, subject.province_code, year)
    subject.icp_number = f"{abbr}ICP备{year}{serial:06d}号"


def _activate_website(session: Session, website: Website, access_id: int | None) -> None:
    website.status = "active"
    if website.icp_number is None:
        website.icp_number = _next_website_number(session, website.subject)
    for access in website.access_records:
        if access.id == access_id or (access_id is None and access.status == "pending"):
            access.status = "active"


_CHANGE_TARGETS: dict[str, type[Subject | Website | Principal]] = {
    "subject": Subject,
    "website": Website,
    "principal": Principal,
}


def _apply_changes(ctx: ServiceContext, session: Session, request: Request) -> None:
    for change in request.changes:
        model = _CHANGE_TARGETS[change.target]
        row = session.get_one(model, change.target_id)
        if change.field == "domains":
            assert isinstance(row, Website)  # only a website has domains
            names = json.loads(change.value or "[]")
            row.domains = [Domain(name=n, position=i) for i, n in enumerate(names)]
        elif change.field == "doc_number" and change.value_enc is not None:
            number = ctx.keys.decrypt(change.value_enc)
            assert isinstance(row, Subject | Principal)  # a website has no document
            row.doc_number_enc = change.value_enc
            row.doc_number_hash = ctx.keys.keyed_hash("doc", number)
        else:
            setattr(row, change.field, change.value)
        if change.target == "subject" and change.field == "province_code":
            request.province_code = change.value or request.province_code


def apply_approval(ctx: ServiceContext, session: Session, request: Request, now: datetime) -> None:
    subject = session.get_one(Subject, request.subject_id)
    links = request.website_links
    match request.business_type:
        case BusinessType.NEW_FILING:
            subject.status = "active"
            session.flush()
            assign_subject_number(session, subject, now)
            session.flush()
            for link in links:
                _activate_website(
                    session, session.get_one(Website, link.website_id), link.access_id
                )
        case BusinessType.NEW_WEBSITE:
            for link in links:
                _activate_website(
                    session, session.get_one(Website, link.website_id), link.access_id
                )
        case BusinessType.NEW_ACCESS:
            for link in links:
                session.get_one(AccessRecord, link.access_id).status = "active"
        case BusinessType.CHANGE | BusinessType.CHANGE_PHONE:
            _apply_changes(ctx, session, request)
        case BusinessType.CANCEL_SUBJECT:
            subject.status = "cancelled"
            for website in subject.websites:
                website.status = "cancelled"
        case BusinessType.CANCEL_WEBSITE:
            for link in links:
                session.get_one(Website, link.website_id).status = "cancelled"
        case BusinessType.CANCEL_ACCESS:
            for link in links:
                if link.access_id is not None:
                    session.get_one(AccessRecord, link.access_id).status = "cancelled"


def website_numbers(session: Session, request: Request) -> list[str]:
    ids = [link.website_id for link in request.website_links]
    return [n for n in session.scalars(select(Website.icp_number).where(Website.id.in_(ids))) if n]
