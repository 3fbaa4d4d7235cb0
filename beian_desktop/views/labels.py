"""Words on screen for the stored values (business types, states, reasons, roles).

Source strings are English; the zh_CN translation (the default language) gives the
ministry's own words (新增备案, 退回接入商 ...).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def business_type_label(value: str) -> str:
    return {
        "new_filing": _t("New filing"),
        "new_website": _t("New website"),
        "new_access": _t("New access"),
        "change": _t("Change"),
        "cancel_subject": _t("Cancel subject"),
        "cancel_website": _t("Cancel website"),
        "cancel_access": _t("Cancel access"),
        "change_phone": _t("Change phone"),
    }.get(value, value)


def request_state_label(value: str) -> str:
    return {
        "draft": _t("Draft"),
        "submitted": _t("Submitted"),
        "verifying": _t("Verifying"),
        "bureau_review": _t("Bureau review"),
        "approved": _t("Approved"),
        "rejected": _t("Rejected"),
        "returned": _t("Returned"),
    }.get(value, value)


def verifier_state_label(value: str) -> str:
    return {
        "pending": _t("Pending"),
        "verified": _t("Verified"),
        "failed": _t("Failed"),
        "expired": _t("Expired"),
    }.get(value, value)


def return_reason_label(value: str | None) -> str:
    return {
        "expired": _t("Not verified in time"),
        "tries_used_up": _t("Tries used up"),
        "undeliverable": _t("SMS undeliverable"),
    }.get(value or "", value or "")


def role_label(value: str) -> str:
    return {
        "subject_principal": _t("Subject principal"),
        "website_principal": _t("Website principal"),
        "isp_staff": _t("ISP staff"),
        "help_desk": _t("Help desk"),
        "supervisor": _t("Supervisor"),
        "bureau_reviewer": _t("Bureau reviewer"),
        "administrator": _t("Administrator"),
    }.get(value, value)


def sms_status_label(value: str | None) -> str:
    return {
        "pending": _t("Queued"),
        "sending": _t("Sending"),
        "sent": _t("Sent"),
        "failed": _t("Failed"),
        "cancelled": _t("Cancelled"),
        "delivered": _t("Delivered"),
        "unknown": _t("Unknown"),
    }.get(value or "", value or "")


def carrier_label(value: str) -> str:
    return {
        "mobile": _t("China Mobile"),
        "unicom": _t("China Unicom"),
        "telecom": _t("China Telecom"),
        "broadnet": _t("China Broadnet"),
    }.get(value, value)


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
