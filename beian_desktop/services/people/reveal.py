"""Showing one secret in full (SPEC §7): a phone or an ID number that every screen
shows masked, for a role whose permission covers it.

One transaction: the caller's session and the field's permission are checked against
the database, the attempt is written to the request's timeline ("revealed", or
"reveal_failed" with the reason), and only then is the value read (an ID number
decrypted). If the audit event cannot be written, nothing is returned. The event
names who, the field, the record and whose it is, never the value.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from beian_desktop.models import (
    Principal,
    Request,
    RequestWebsite,
    Subject,
    VerificationRound,
    Verifier,
    Website,
)
from beian_desktop.rules.errors import NotFound, ValidationFailed
from beian_desktop.rules.permissions import RevealField
from beian_desktop.rules.validation import is_record_id, record_id
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext


class SecretsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def reveal(
        self, *, session: str, field: RevealField | str, holder_id: int, request_id: int
    ) -> str:
        """The clear value of one secret request `request_id` shows masked: `field`
        names the record and the secret, `holder_id` the record (a subject, principal
        or verifier of that request). Refused (PermissionDenied, audited) for a role
        without the field's permission; NotFound, audited too, for a record that is
        not part of that request."""
        if not isinstance(field, str) or field not in RevealField._value2member_map_:
            raise ValidationFailed.one(  # only ID numbers and phones are revealable
                "field", "unknown_choice", "不是可选的值", "is not one of the allowed choices"
            )
        field = RevealField(field)
        failure: Exception | None = None
        shown_id = holder_id if is_record_id(holder_id) else "(not an id)"
        asked: dict[str, object] = {"field": field.value, f"{field.holder}_id": shown_id}
        with self.ctx.acting(
            session,
            "secrets.reveal",
            permission=field.permission,
            request_id=request_id,
            asked=asked,
        ) as act:
            db = act.db
            holder_id = record_id("holder_id", holder_id)
            request_id = record_id("request_id", request_id)
            request = db.get(Request, request_id)
            holder = _revealable_holder(db, field, holder_id, request)
            details: dict[str, object] = {
                "what": field.what,
                "field": field.value,
                f"{field.holder}_id": holder_id,
            }
            if holder is not None:
                details["name"] = _holder_name(holder)  # whose it is, for the timeline
            if request is None:
                details["missing_request_id"] = request_id
            if holder is None:
                failure = NotFound(field.holder, holder_id, in_request=request_id)
                details["reason"] = "not_found"
            audit.record(
                db,
                at=act.now,
                actor=act.by,
                action="revealed" if failure is None else "reveal_failed",
                request_id=request.id if request is not None else None,
                **details,
            )
            if failure is None:
                assert holder is not None
                value = _clear_value(self.ctx, field, holder)
        if failure is not None:
            raise failure
        return value


# -- what a reveal reads -------------------------------------------------------------------
_Holder = Subject | Principal | Verifier


def _revealable_holder(
    session: Session, field: RevealField, holder_id: int, request: Request | None
) -> _Holder | None:
    """The record holding the secret, if it is one that request shows: its subject, the
    principals of its subject and websites, the verifiers of its rounds."""
    if request is None:
        return None
    if field.holder == "subject":
        return session.get(Subject, holder_id) if holder_id == request.subject_id else None
    if field.holder == "principal":
        subject_principal = select(Subject.principal_id).where(Subject.id == request.subject_id)
        website_principals = (
            select(Website.principal_id)
            .join(RequestWebsite, RequestWebsite.website_id == Website.id)
            .where(RequestWebsite.request_id == request.id)
        )
        return session.scalar(
            select(Principal).where(
                Principal.id == holder_id,
                or_(
                    Principal.id.in_(subject_principal),
                    Principal.id.in_(website_principals),
                ),
            )
        )
    return session.scalar(
        select(Verifier)
        .join(VerificationRound, VerificationRound.id == Verifier.round_id)
        .where(Verifier.id == holder_id, VerificationRound.request_id == request.id)
    )


def _holder_name(holder: _Holder) -> str:
    return holder.holder_name if isinstance(holder, Subject) else holder.name


def _clear_value(ctx: ServiceContext, field: RevealField, holder: _Holder) -> str:
    if isinstance(holder, Verifier):
        return holder.phone
    if isinstance(holder, Principal) and field.what == "phone":
        return holder.mobile
    return ctx.keys.decrypt(holder.doc_number_enc)  # stored AES-GCM encrypted
