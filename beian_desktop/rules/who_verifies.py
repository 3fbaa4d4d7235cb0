"""Who must verify, and how many must pass: SPEC §2 as one pure function.

Read it beside SPEC §2: each `case` is one row of the table, §2.1 is the `CHANGE`
case, §2.2 is `group_by_phone`, §2.3 is `province_enabled`. No database, no clock:
the caller says what the request holds, on which day, under which settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from beian_desktop.terms import BusinessType, Quorum, Role


@dataclass(frozen=True)
class Slot:
    """A principal in one role, at the number the request gives them (new if changed)."""

    principal_id: int
    role: Role
    website_id: int | None
    name: str
    phone: str
    id_last6: str


@dataclass(frozen=True)
class RuleInput:
    business_type: BusinessType
    subject_principal: Slot
    # The principals of the websites the request concerns, in the request's order.
    website_principals: tuple[Slot, ...]
    submitted_on: date
    province_verification_from: date | None
    # CHANGE only (§2.1): what the change set touches. Remarks never count.
    subject_changed: bool = False
    changed_website_ids: frozenset[int] = field(default_factory=frozenset)
    # CHANGE_PHONE only: whose number changes.
    changed_principal_ids: frozenset[int] = field(default_factory=frozenset)
    # CANCEL_*: the "verify cancellations" setting for this type.
    verify_cancellation: bool = True


class NoVerificationReason(StrEnum):
    PROVINCE_NOT_ENABLED = "province_not_enabled"
    REMARKS_ONLY = "remarks_only"
    CANCELLATION_NOT_VERIFIED = "cancellation_not_verified"


@dataclass(frozen=True)
class VerifierPlan:
    """One person = one phone = one SMS = one code, whatever roles they hold (§2.2)."""

    phone: str
    name: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class VerificationPlan:
    quorum: Quorum | None  # None: straight to bureau review
    slots: tuple[Slot, ...] = ()
    skipped_because: NoVerificationReason | None = None

    @property
    def needs_verification(self) -> bool:
        return self.quorum is not None

    def verifiers(self) -> list[VerifierPlan]:
        return group_by_phone(self.slots)


def province_enabled(verification_from: date | None, on: date) -> bool:
    return verification_from is not None and on >= verification_from


def plan_verification(inp: RuleInput) -> VerificationPlan:
    """Raises ValueError for a request that cannot be right (nobody to verify)."""
    plan = _plan(inp)
    if plan.needs_verification and not plan.slots:
        raise ValueError(f"a {inp.business_type} request with nobody to verify")
    unknown = inp.changed_website_ids - {s.website_id for s in inp.website_principals}
    if unknown:
        raise ValueError(f"changed websites {sorted(unknown)} are not in the request")
    return plan


def _plan(inp: RuleInput) -> VerificationPlan:
    if not province_enabled(inp.province_verification_from, inp.submitted_on):
        return VerificationPlan(None, skipped_because=NoVerificationReason.PROVINCE_NOT_ENABLED)

    subject = (inp.subject_principal,)
    websites = inp.website_principals
    match inp.business_type:
        case BusinessType.NEW_FILING:
            return VerificationPlan(Quorum.ALL, subject + websites)
        case BusinessType.NEW_WEBSITE | BusinessType.NEW_ACCESS:
            return VerificationPlan(Quorum.ALL, websites)
        case BusinessType.CHANGE:
            changed = tuple(s for s in websites if s.website_id in inp.changed_website_ids)
            slots = (subject if inp.subject_changed else ()) + changed
            if not slots:
                return VerificationPlan(None, skipped_because=NoVerificationReason.REMARKS_ONLY)
            return VerificationPlan(Quorum.ALL, slots)
        case BusinessType.CANCEL_SUBJECT | BusinessType.CANCEL_WEBSITE | BusinessType.CANCEL_ACCESS:
            if not inp.verify_cancellation:
                return VerificationPlan(
                    None, skipped_because=NoVerificationReason.CANCELLATION_NOT_VERIFIED
                )
            if inp.business_type is BusinessType.CANCEL_SUBJECT:
                return VerificationPlan(Quorum.ALL, subject)
            if inp.business_type is BusinessType.CANCEL_WEBSITE:
                return VerificationPlan(Quorum.ANY, subject + websites)
            return VerificationPlan(Quorum.ALL, websites)
        case BusinessType.CHANGE_PHONE:
            slots = tuple(
                s for s in subject + websites if s.principal_id in inp.changed_principal_ids
            )
            return VerificationPlan(Quorum.ALL, slots)
    raise ValueError(f"unknown business type {inp.business_type!r}")


def group_by_phone(slots: tuple[Slot, ...]) -> list[VerifierPlan]:
    """Slots sharing a mobile number become one verifier, in order of first appearance."""
    by_phone: dict[str, list[Slot]] = {}
    for slot in slots:
        by_phone.setdefault(slot.phone, []).append(slot)
    plans = []
    for phone, group in by_phone.items():
        names = list(dict.fromkeys(s.name for s in group))
        plans.append(VerifierPlan(phone=phone, name="、".join(names), slots=tuple(group)))
    return plans
