"""Words on screen for the stored values (business types, states, reasons, roles).

Source strings are English; the zh_CN translation (the default language) gives the
ministry's own words (新增备案, 退回接入商 ...).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from beian_desktop.views.resources import QT_TRANSLATE_NOOP, translate_in


def list_separator(language: str) -> str:
    """Between the names of a list in running text: 张三、李四, or Zhang, Li."""
    return "、" if language.lower().startswith("zh") else ", "


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
    "deleted": QT_TRANSLATE_NOOP("Labels", "Deleted"),
}


def request_state_label(value: str) -> str:
    return label(_REQUEST_STATE_LABEL, value)


_VERIFIER_STATE_LABEL = {
    "pending": QT_TRANSLATE_NOOP("Labels", "Pending"),
    "verified": QT_TRANSLATE_NOOP("Labels", "Verified"),
    "failed": QT_TRANSLATE_NOOP("Labels", "Failed"),
    "expired": QT_TRANSLATE_NOOP("Labels", "Expired"),
    "not_needed": QT_TRANSLATE_NOOP("Labels", "Not needed"),
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


_SMS_KIND_LABEL = {
    "initial": QT_TRANSLATE_NOOP("Labels", "First SMS"),
    "auto_resend": QT_TRANSLATE_NOOP("Labels", "Noon resend"),
    "manual_resend": QT_TRANSLATE_NOOP("Labels", "Manual resend"),
}


def sms_kind_label(value: str) -> str:
    return label(_SMS_KIND_LABEL, value)


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
# The state filter's choices; "deleted" last: only that choice shows deleted drafts.
REQUEST_STATES = (
    "draft",
    "verifying",
    "bureau_review",
    "approved",
    "rejected",
    "returned",
    "deleted",
)


def roles_label(roles: tuple[str, ...]) -> str:
    """("subject_principal", "website_principal:青禾官网") → 主体负责人、网站负责人（青禾官网）."""
    shown = []
    for role in roles:
        kind, _, site = role.partition(":")
        shown.append(f"{role_label(kind)}（{site}）" if site else role_label(kind))
    return "、".join(shown)


_NO_VERIFICATION_LABEL = {
    "province_not_enabled": QT_TRANSLATE_NOOP(
        "Labels", "no SMS verification in this province yet: straight to bureau review"
    ),
    "remarks_only": QT_TRANSLATE_NOOP(
        "Labels", "only remarks change: no SMS, straight to bureau review"
    ),
    "cancellation_not_verified": QT_TRANSLATE_NOOP(
        "Labels", "this cancellation is not verified (a setting): straight to bureau review"
    ),
}


def no_verification_label(value: str | None) -> str:
    return label(_NO_VERIFICATION_LABEL, value or "")
