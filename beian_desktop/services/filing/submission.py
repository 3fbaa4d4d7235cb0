"""Submitting (and resubmitting) a request: the basic checks, then SPEC §2's plan.

The checks run on what is stored, exactly as saved, so what the bureau reviews is
what was checked. A request that fails them stays a draft (or stays returned), with
every error named and nothing changed. A resubmission starts a fresh round.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from beian_desktop.models import Principal, Province, Request, RequestChange, Subject, Website
from beian_desktop.rules.clock import SHANGHAI
from beian_desktop.rules.errors import NotFound, RequestNotEditable
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.validation import (
    Checker,
    Mode,
    record_id,
    validate_filing,
    validate_website,
)
from beian_desktop.rules.who_verifies import RuleInput, VerificationPlan, plan_verification
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.records import (
    EDITABLE_STATES,
    check_domains_free,
    province_codes,
)
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.services.verification.rounds import start_round
from beian_desktop.services.verification.slots import changed_parts, slots_of
from beian_desktop.terms import BusinessType, DocType, RequestState, SubjectNature


def _principal_input(ctx: ServiceContext, p: Principal) -> PrincipalInput:
    return PrincipalInput(
        name=p.name,
        doc_type=DocType(p.doc_type),
        doc_number=ctx.keys.decrypt(p.doc_number_enc),
        mobile=p.mobile,
        phone2=p.phone2,
        emergency_phone=p.emergency_phone,
        email=p.email,
    )


def _website_input(ctx: ServiceContext, w: Website, access_id: int | None) -> WebsiteInput:
    access = next((a for a in w.access_records if a.id == access_id), w.access_records[0])
    return WebsiteInput(
        id=w.id,
        name=w.name,
        home_url=w.home_url,
        domains=[d.name for d in w.domains],
        service_content=w.service_content,
        language=w.language,
        preapproval_type=w.preapproval_type,
        preapproval_number=w.preapproval_number,
        remarks=w.remarks,
        principal=_principal_input(ctx, w.principal),
        access=AccessInput(
            isp_name=access.isp_name,
            method=access.method,
            server_ips=[ip for ip in access.server_ips.split(",") if ip],
        ),
    )


def check_stored_request(ctx: ServiceContext, session: Session, request: Request) -> None:
    """SPEC §6 on the stored request; raises ValidationFailed naming every field."""
    subject = session.get_one(Subject, request.subject_id)
    websites = [
        _website_input(ctx, session.get_one(Website, link.website_id), link.access_id)
        for link in request.website_links
    ]
    if request.business_type == BusinessType.NEW_FILING:
        filing = FilingInput(
            subject=SubjectInput(
                province_code=subject.province_code,
                city=subject.city,
                nature=SubjectNature(subject.nature),
                holder_name=subject.holder_name,
                doc_type=DocType(subject.doc_type),
                doc_number=ctx.keys.decrypt(subject.doc_number_enc),
                document_address=subject.document_address,
                mailing_address=subject.mailing_address,
                investor=subject.investor,
                remarks=subject.remarks,
                principal=_principal_input(ctx, subject.principal),
            ),
            websites=websites,
        )
        validate_filing(filing, Mode.SUBMIT, province_codes(session))
    elif request.business_type == BusinessType.NEW_WEBSITE:
        for website in websites:
            validate_website(website, Mode.SUBMIT)
    checker = Checker(Mode.SUBMIT)
    for i, website in enumerate(websites):
        path = (
            "website.domains"
            if request.business_type == BusinessType.NEW_WEBSITE
            else (f"websites[{i}].domains")
        )
        check_domains_free(session, checker, path, website.domains, website.id)
    checker.raise_if_any()


def plan_for(
    ctx: ServiceContext, session: Session, request: Request, policy: Policy
) -> VerificationPlan:
    return plan_of(
        ctx,
        session,
        BusinessType(request.business_type),
        request.subject_id,
        request.province_code,
        [link.website_id for link in request.website_links],
        request.changes,
        policy,
    )


def plan_of(
    ctx: ServiceContext,
    session: Session,
    business_type: BusinessType,
    subject_id: int,
    province_code: str,
    website_ids: Sequence[int],
    changes: list[RequestChange],
    policy: Policy,
) -> VerificationPlan:
    """SPEC §2's plan for a request submitted now: a stored one, or one a preview
    only imagines (the same rows, never written)."""
    now = ctx.now()
    province = session.get_one(Province, province_code)
    subject_slot, website_slots = slots_of(ctx, session, subject_id, website_ids, changes)
    subject_changed, changed_sites, changed_principals = changed_parts(session, subject_id, changes)
    return plan_verification(
        RuleInput(
            business_type=business_type,
            subject_principal=subject_slot,
            website_principals=website_slots,
            submitted_on=now.astimezone(SHANGHAI).date(),
            province_verification_from=province.verification_from,
            subject_changed=subject_changed,
            changed_website_ids=changed_sites,
            changed_principal_ids=changed_principals,
            verify_cancellation=policy.verifies_cancellation(business_type),
        )
    )


def begin_verification(ctx: ServiceContext, session: Session, request: Request, by: str) -> str:
    """Starts a round, or sends the request straight to review; returns the new state."""
    now = ctx.now()
    policy = load_policy(session)
    plan = plan_for(ctx, session, request, policy)
    if plan.needs_verification:
        start_round(ctx, session, request, plan, policy, now, by)
        new_state = RequestState.VERIFYING
    else:
        new_state = RequestState.BUREAU_REVIEW
        audit.record(
            session,
            at=now,
            actor=by,
            action="no_verification_needed",
            request_id=request.id,
            because=plan.skipped_because,
        )
    request.state = new_state
    request.state_changed_at = now
    return new_state


class SubmissionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def submit(self, *, session: str, request_id: int) -> RequestState:
        """Submits a draft, or resubmits a returned request (a fresh round)."""
        with self.ctx.acting(session, "submission.submit", request_id=request_id) as act:
            db, by, now = act.db, act.by, act.now
            request_id = record_id("request_id", request_id)
            request = db.get(Request, request_id, with_for_update=True)
            if request is None:
                raise NotFound("request", request_id)
            if request.state not in EDITABLE_STATES:
                raise RequestNotEditable(request_id, request.state)
            resubmission = request.state == RequestState.RETURNED
            check_stored_request(self.ctx, db, request)
            request.submitted_at = now
            request.return_reason = None
            audit.record(
                db,
                at=now,
                actor=by,
                action="resubmitted" if resubmission else "submitted",
                request_id=request.id,
                business_type=request.business_type,
            )
            if (
                request.business_type == BusinessType.CHANGE_PHONE
                and request.phone_change_approved_at is None
            ):
                # The bureau approves the new number first (SPEC §3).
                request.state = RequestState.BUREAU_REVIEW
                request.state_changed_at = now
                return RequestState.BUREAU_REVIEW
            return RequestState(begin_verification(self.ctx, db, request, by))
