"""Who a request names for verification, as rules/who_verifies.py reads them: each
principal at the number the request would give them (a changed number is the new
one), and which parts of the filing a change touches (SPEC §2.1).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from beian_desktop.models import Principal, RequestChange, Subject, Website
from beian_desktop.rules.documents import last_six
from beian_desktop.rules.who_verifies import Slot
from beian_desktop.services.context import ServiceContext
from beian_desktop.terms import Role


def _effective(
    ctx: ServiceContext, principal: Principal, changes: list[RequestChange]
) -> tuple[str, str, str]:
    """Name, mobile and ID number as the request would make them (new number if changed)."""
    name, mobile = principal.name, principal.mobile
    doc_number = ctx.keys.decrypt(principal.doc_number_enc)
    for change in changes:
        if change.target == "principal" and change.target_id == principal.id:
            if change.field == "name":
                name = change.value or ""
            elif change.field == "mobile":
                mobile = change.value or ""
            elif change.field == "doc_number" and change.value_enc is not None:
                doc_number = ctx.keys.decrypt(change.value_enc)
    return name, mobile, doc_number


def slots_of(
    ctx: ServiceContext,
    session: Session,
    subject_id: int,
    website_ids: Sequence[int],
    changes: list[RequestChange],
) -> tuple[Slot, tuple[Slot, ...]]:
    """The slots of a request that would name these websites with these changes: a
    stored request's, or one a preview only imagines (nothing is written)."""

    def slot(principal: Principal, role: Role, website_id: int | None) -> Slot:
        name, mobile, doc_number = _effective(ctx, principal, changes)
        return Slot(principal.id, role, website_id, name, mobile, last_six(doc_number))

    subject = session.get_one(Subject, subject_id)
    subject_slot = slot(subject.principal, Role.SUBJECT_PRINCIPAL, None)
    sites = [session.get_one(Website, website_id) for website_id in website_ids]
    return subject_slot, tuple(slot(w.principal, Role.WEBSITE_PRINCIPAL, w.id) for w in sites)


def changed_parts(
    session: Session, subject_id: int, changes: list[RequestChange]
) -> tuple[bool, frozenset[int], frozenset[int]]:
    """SPEC §2.1: subject changed, which websites changed, whose number changed.

    A principal's data belongs to the part it answers for; remarks never count.
    """
    subject = session.get_one(Subject, subject_id)
    real = [c for c in changes if c.field != "remarks"]
    principals = frozenset(c.target_id for c in real if c.target == "principal")
    subject_changed = any(c.target == "subject" for c in real) or subject.principal_id in principals
    websites = {c.target_id for c in real if c.target == "website"}
    websites |= {w.id for w in subject.websites if w.principal_id in principals}
    return subject_changed, frozenset(websites), principals
