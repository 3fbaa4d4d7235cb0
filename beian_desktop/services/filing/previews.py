"""Who an entry would have verify, before it is saved (SPEC §2, §2.1): the same plan
submission makes (`submission.plan_of`), over rows only imagined, never written. The
change dialog shows it beside what changed, the cancellation and phone-change dialogs
before the clerk confirms.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from beian_desktop.models import Principal, Request, RequestChange, Subject
from beian_desktop.rules.entry_forms import VerificationPreview, VerifierPreview
from beian_desktop.rules.errors import NotFound, RequestNotEditable, ValidationFailed
from beian_desktop.rules.inputs import ChangeInput
from beian_desktop.rules.phones import mask_phone
from beian_desktop.rules.validation import Checker, Mode, check_mobile, optional_record_id
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.changes import ChangeRows
from beian_desktop.services.filing.records import (
    EDITABLE_STATES,
    active_subject,
    active_website,
    approved_subject_of,
)
from beian_desktop.services.filing.submission import plan_of
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.terms import BusinessType, Role

CANCELLATIONS = (
    BusinessType.CANCEL_SUBJECT,
    BusinessType.CANCEL_WEBSITE,
    BusinessType.CANCEL_ACCESS,
)


def changed_site_ids(subject: Subject, rows: list[RequestChange]) -> list[int]:
    """The websites a change concerns: those changed, and those whose principal is."""
    principals = {r.target_id for r in rows if r.target == "principal"}
    return sorted(
        {r.target_id for r in rows if r.target == "website"}
        | {w.id for w in subject.websites if w.status == "active" and w.principal_id in principals}
    )


def _role_label(slot_role: Role, website_name: str | None) -> str:
    if slot_role is Role.SUBJECT_PRINCIPAL:
        return slot_role.value
    return f"{slot_role.value}:{website_name or ''}"


class VerificationPreviews:
    """`filings.preview_verification`, mixed into FilingService."""

    ctx: ServiceContext

    def preview_verification(
        self,
        *,
        session: str,
        business_type: BusinessType,
        subject_id: int | None = None,
        website_id: int | None = None,
        principal_id: int | None = None,
        change: ChangeInput | None = None,
        new_mobile: str | None = None,
        request_id: int | None = None,
    ) -> VerificationPreview:
        """Who would receive an SMS if this entry were submitted now, at which number
        (masked), and the quorum. For `change` (with `subject_id` and `change`), a
        cancellation (`subject_id` or `website_id`), `new_access` (`website_id`) and
        `change_phone` (`principal_id`, `new_mobile`). With `request_id`, the saved
        change or phone change being edited again: a masked value left as None keeps
        what it holds (ChangeInput). Bad input raises ValidationFailed as saving it would."""
        with self.ctx.acting(session, "filings.preview_verification", read=True) as act:
            db = act.db
            request_id = optional_record_id("request_id", request_id)
            stored = self._stored_changes(db, request_id, business_type)
            changes: list[RequestChange] = []
            if business_type is BusinessType.CHANGE:
                subject = active_subject(db, subject_id)
                changes = ChangeRows(self.ctx).rows(db, subject, change or ChangeInput(), stored)
                site_ids = changed_site_ids(subject, changes)
            elif business_type is BusinessType.CANCEL_SUBJECT:
                subject = active_subject(db, subject_id)
                site_ids = [w.id for w in subject.websites if w.status == "active"]
            elif business_type in (*CANCELLATIONS, BusinessType.NEW_ACCESS):
                website = active_website(db, website_id)
                subject, site_ids = website.subject, [website.id]
            elif business_type is BusinessType.CHANGE_PHONE:
                if new_mobile is None and stored:
                    new_mobile = stored[0].value
                subject, site_ids, changes = self._phone_change(db, principal_id, new_mobile)
            else:
                raise ValueError(f"no preview for {business_type}")
            plan = plan_of(
                self.ctx,
                db,
                business_type,
                subject.id,
                subject.province_code,
                site_ids,
                changes,
                load_policy(db),
            )
            if not plan.needs_verification:
                return VerificationPreview(
                    quorum=None,
                    skipped_because=plan.skipped_because.value if plan.skipped_because else None,
                )
            names = {w.id: w.name for w in subject.websites}
            new_numbers = {
                c.target_id for c in changes if c.target == "principal" and c.field == "mobile"
            }
            return VerificationPreview(
                quorum=plan.quorum.value if plan.quorum else None,
                verifiers=tuple(
                    VerifierPreview(
                        name=v.name,
                        roles=tuple(
                            dict.fromkeys(
                                _role_label(s.role, names.get(s.website_id or 0)) for s in v.slots
                            )
                        ),
                        phone_masked=mask_phone(v.phone),
                        new_number=any(s.principal_id in new_numbers for s in v.slots),
                    )
                    for v in plan.verifiers()
                ),
            )

    def _stored_changes(
        self, db: Session, request_id: int | None, business_type: BusinessType
    ) -> list[RequestChange]:
        """The change rows of the request being edited again (of this type, editable)."""
        if request_id is None:
            return []
        request = db.get(Request, request_id)
        if request is None:
            raise NotFound("request", request_id)
        if request.business_type != business_type:
            raise RequestNotEditable(request_id, request.state, business_type=business_type)
        if request.state not in EDITABLE_STATES:
            raise RequestNotEditable(request_id, request.state)
        return list(request.changes)

    def _phone_change(
        self, db: Session, principal_id: int | None, new_mobile: str | None
    ) -> tuple[Subject, list[int], list[RequestChange]]:
        c = Checker(Mode.SUBMIT)
        mobile = check_mobile(c, "new_mobile", new_mobile or "")
        c.raise_if_any()
        principal = db.get(Principal, principal_id or 0)
        subject = approved_subject_of(db, principal_id or 0)
        if principal is None or subject is None:
            raise ValidationFailed.one(
                "principal_id",
                "not_active",
                "负责人不属于已备案的主体或网站",
                "is not a principal of an approved subject or website",
            )
        sites = [
            w.id
            for w in subject.websites
            if w.status == "active" and w.principal_id == principal.id
        ]
        change = RequestChange(target="principal", target_id=principal.id, field="mobile")
        change.value = mobile
        return subject, sites, [change]
