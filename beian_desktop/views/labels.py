"""Words on screen for the stored values (business types, states, reasons, roles).

Source strings are English; the zh_CN translation (the default language) gives the
ministry's own words (新增备案, 退回接入商 ...).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from beian_desktop.views.resources import QT_TRANSLATE_NOOP, translate_in


def label(
    table: dict[str, str], value: str | None, context: str = "Labels", language: str | None = None
) -> str:
    """Looks the source text up, then translates it at call time (the language may
    have been chosen after import); QT_TRANSLATE_NOOP lets lupdate find the texts.
    `language` asks for that language whatever is installed (an export)."""
    text = table.get(value or "")
    if not text:
        return value or ""
    if language is not None:
        return translate_in(language, context, text)
    return QCoreApplication.translate(context, text)


_BUSINESS_TYPE_LABEL = {
    "new_filing": QT_TRANSLATE_NOOP("Labels", "New filing"),
    "new_website": QT_TRANSLATE_NOOP("Labels", "New website"),
    "new_access": QT_TRANSLATE_NOOP("Labels", "New access"),
    "change": QT_TRANSLATE_NOOP("Labels", "Change"),
    "cancel_subject": QT_TRANSLATE_NOOP("Labels", "Cancel subject"),
    "cancel_website": QT_TRANSLATE_NOOP("Labels", "Cancel website"),
    "cancel_access": QT_TRANSLATE_NOOP("Labels", "Cancel access"),
    "change_phone": QT_TRANSLATE_NOOP("Labels", "Change phone"),
}


def business_type_label(value: str, language: str | None = None) -> str:
    return label(_BUSINESS_TYPE_LABEL, value, language=language)


_REQUEST_STATE_LABEL = {
    "draft": QT_TRANSLATE_NOOP("Labels", "Draft"),
    "submitted": QT_TRANSLATE_NOOP("Labels", "Submitted"),
    "verifying": QT_TRANSLATE_NOOP("Labels", "Verifying"),
    "bureau_review": QT_TRANSLATE_NOOP("Labels", "Bureau review"),
    "approved": QT_TRANSLATE_NOOP("Labels", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("Labels", "Rejected"),
    "returned": QT_TRANSLATE_NOOP("Labels", "Returned"),
}


def request_state_label(value: str) -> str:
    return label(_REQUEST_STATE_LABEL, value)


_VERIFIER_STATE_LABEL = {
    "pending": QT_TRANSLATE_NOOP("Labels", "Pending"),
    "verified": QT_TRANSLATE_NOOP("Labels", "Verified"),
    "failed": QT_TRANSLATE_NOOP("Labels", "Failed"),
    "expired": QT_TRANSLATE_NOOP("Labels", "Expired"),
}


def verifier_state_label(value: str) -> str:
    return label(_VERIFIER_STATE_LABEL, value)


_RETURN_REASON_LABEL = {
    "expired": QT_TRANSLATE_NOOP("Labels", "Not verified in time"),
    "tries_used_up": QT_TRANSLATE_NOOP("Labels", "Tries used up"),
    "undeliverable": QT_TRANSLATE_NOOP("Labels", "SMS undeliverable"),
}


def return_reason_label(value: str | None, language: str | None = None) -> str:
    return label(_RETURN_REASON_LABEL, value, language=language)


_RETURN_REVIEW_LABEL = {
    "to_review": QT_TRANSLATE_NOOP("Labels", "To review"),
    "noted": QT_TRANSLATE_NOOP("Labels", "Noted"),
    "handed_back": QT_TRANSLATE_NOOP("Labels", "Handed back to the ISP"),
}


def return_review_label(value: str | None, language: str | None = None) -> str:
    """Where a supervisor stands with a return (terms.ReturnReview)."""
    return label(_RETURN_REVIEW_LABEL, value, language=language)


_ROLE_LABEL = {
    "subject_principal": QT_TRANSLATE_NOOP("Labels", "Subject principal"),
    "website_principal": QT_TRANSLATE_NOOP("Labels", "Website principal"),
    "isp_staff": QT_TRANSLATE_NOOP("Labels", "ISP staff"),
    "help_desk": QT_TRANSLATE_NOOP("Labels", "Help desk"),
    "supervisor": QT_TRANSLATE_NOOP("Labels", "Supervisor"),
    "bureau_reviewer": QT_TRANSLATE_NOOP("Labels", "Bureau reviewer"),
    "administrator": QT_TRANSLATE_NOOP("Labels", "Administrator"),
}


def role_label(value: str) -> str:
    return label(_ROLE_LABEL, value)


_SMS_STATUS_LABEL = {
    "pending": QT_TRANSLATE_NOOP("Labels", "Queued"),
    "sending": QT_TRANSLATE_NOOP("Labels", "Sending"),
    "sent": QT_TRANSLATE_NOOP("Labels", "Sent"),
    "failed": QT_TRANSLATE_NOOP("Labels", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled"),
    "delivered": QT_TRANSLATE_NOOP("Labels", "Delivered"),
    "unknown": QT_TRANSLATE_NOOP("Labels", "Unknown"),
}


def sms_status_label(value: str | None) -> str:
    return label(_SMS_STATUS_LABEL, value)


_CARRIER_LABEL = {
    "mobile": QT_TRANSLATE_NOOP("Labels", "China Mobile"),
    "unicom": QT_TRANSLATE_NOOP("Labels", "China Unicom"),
    "telecom": QT_TRANSLATE_NOOP("Labels", "China Telecom"),
    "broadnet": QT_TRANSLATE_NOOP("Labels", "China Broadnet"),
}


def carrier_label(value: str) -> str:
    return label(_CARRIER_LABEL, value)


_DOC_TYPE_LABEL = {
    "resident_id": QT_TRANSLATE_NOOP("Labels", "Resident ID card"),
    "credit_code": QT_TRANSLATE_NOOP("Labels", "Unified social credit code"),
    "passport": QT_TRANSLATE_NOOP("Labels", "Passport"),
    "hk_macau_permit": QT_TRANSLATE_NOOP("Labels", "Hong Kong/Macau permit"),
    "taiwan_permit": QT_TRANSLATE_NOOP("Labels", "Taiwan permit"),
    "foreign_permanent_id": QT_TRANSLATE_NOOP("Labels", "Foreign permanent residence ID"),
}


def doc_type_label(value: str) -> str:
    return label(_DOC_TYPE_LABEL, value)


_SUBJECT_NATURE_LABEL = {
    "enterprise": QT_TRANSLATE_NOOP("Labels", "Enterprise"),
    "government": QT_TRANSLATE_NOOP("Labels", "Government body"),
    "institution": QT_TRANSLATE_NOOP("Labels", "Public institution"),
    "social_group": QT_TRANSLATE_NOOP("Labels", "Social group"),
    "individual": QT_TRANSLATE_NOOP("Labels", "Individual"),
    "other": QT_TRANSLATE_NOOP("Labels", "Other"),
}


def subject_nature_label(value: str) -> str:
    return label(_SUBJECT_NATURE_LABEL, value)


# What the timeline of a request records (audit events with a request). Their own
# context: "Submitted" as an event is 提交, as a state 已提交.
_EVENT_LABEL = {
    "draft_created": QT_TRANSLATE_NOOP("Events", "Draft created"),
    "draft_saved": QT_TRANSLATE_NOOP("Events", "Draft saved"),
    "submitted": QT_TRANSLATE_NOOP("Events", "Submitted"),
    "resubmitted": QT_TRANSLATE_NOOP("Events", "Resubmitted"),
    "no_verification_needed": QT_TRANSLATE_NOOP("Events", "No SMS verification needed"),
    "round_started": QT_TRANSLATE_NOOP("Events", "Verification round started"),
    "sms_sent": QT_TRANSLATE_NOOP("Events", "SMS sent"),
    "sms_failed": QT_TRANSLATE_NOOP("Events", "SMS failed"),
    "code_checked": QT_TRANSLATE_NOOP("Events", "Code checked"),
    "wrong_try": QT_TRANSLATE_NOOP("Events", "Wrong try"),
    "verified": QT_TRANSLATE_NOOP("Events", "Verified"),
    "resent": QT_TRANSLATE_NOOP("Events", "Code resent"),
    "verification_passed": QT_TRANSLATE_NOOP("Events", "Verification passed"),
    "returned": QT_TRANSLATE_NOOP("Events", "Returned to the ISP"),
    "phone_change_approved": QT_TRANSLATE_NOOP("Events", "New phone number approved"),
    "approved": QT_TRANSLATE_NOOP("Events", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("Events", "Rejected"),
    "note_added": QT_TRANSLATE_NOOP("Events", "Note added"),
    "handed_back": QT_TRANSLATE_NOOP("Events", "Handed back to the ISP"),
    "revealed": QT_TRANSLATE_NOOP("Events", "Shown in full"),
    "reveal_failed": QT_TRANSLATE_NOOP("Events", "Showing in full refused"),
    "permission_denied": QT_TRANSLATE_NOOP("Events", "Refused: not permitted"),
}


def event_label(value: str) -> str:
    """An event of the timeline; one this version does not know shows as stored."""
    return label(_EVENT_LABEL, value, "Events")


# What a reveal showed (services/permissions.RevealField) and why one was refused.
_REVEAL_FIELD_LABEL = {
    "subject.id_number": QT_TRANSLATE_NOOP("Labels", "Subject document number"),
    "principal.id_number": QT_TRANSLATE_NOOP("Labels", "Principal's document number"),
    "principal.phone": QT_TRANSLATE_NOOP("Labels", "Principal's mobile number"),
    "verifier.phone": QT_TRANSLATE_NOOP("Labels", "Verifier's mobile number"),
}


def reveal_field_label(value: str) -> str:
    return label(_REVEAL_FIELD_LABEL, value)


_REVEAL_REFUSAL_LABEL = {
    "permission_denied": QT_TRANSLATE_NOOP("Labels", "the role may not see it"),
    "not_found": QT_TRANSLATE_NOOP("Labels", "not part of this request"),
}


def reveal_refusal_label(value: str | None) -> str:
    return label(_REVEAL_REFUSAL_LABEL, value)


BUSINESS_TYPES = (
    "new_filing",
    "new_website",
    "new_access",
    "change",
    "cancel_subject",
    "cancel_website",
    "cancel_access",
    "change_phone",
)
REQUEST_STATES = ("draft", "verifying", "bureau_review", "approved", "rejected", "returned")
