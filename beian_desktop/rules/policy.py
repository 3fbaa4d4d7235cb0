"""The settings the rules read: where the two sources disagree, SPEC makes it a setting.

Defaults are the ministry FAQ's behaviour (SPEC §2, §3, §4); services/settings keeps
them in the database, one row per key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from beian_desktop.rules.errors import FieldError, ValidationFailed
from beian_desktop.rules.field_limits import limit
from beian_desktop.terms import BusinessType, Carrier

DEFAULT_SENDER_NUMBERS: dict[str, str] = {
    Carrier.TELECOM: "106598051001",
    Carrier.UNICOM: "10655113",
    Carrier.MOBILE: "106575000130",
    # China Broadnet's 192 numbers ride China Mobile's network (the two co-build it).
    Carrier.BROADNET: "106575000130",
}


@dataclass(frozen=True)
class Policy:
    verify_cancel_subject: bool = True
    verify_cancel_website: bool = True
    verify_cancel_access: bool = True
    max_wrong_tries: int = 3
    window_seconds: int = 24 * 3600
    send_delay_seconds: int = 5 * 60
    manual_resend_cap: int = 2
    manual_resend_spacing_seconds: int = 60
    auto_resend_hour: int = 12  # Asia/Shanghai, on the day after the first send
    session_hours: int = 10  # a sign-in lasts a working day
    idle_lock_minutes: int = 15  # a shared workstation locks after this long untouched
    sender_numbers: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SENDER_NUMBERS))

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_seconds)

    @property
    def send_delay(self) -> timedelta:
        return timedelta(seconds=self.send_delay_seconds)

    @property
    def manual_resend_spacing(self) -> timedelta:
        return timedelta(seconds=self.manual_resend_spacing_seconds)

    def verifies_cancellation(self, business_type: BusinessType) -> bool:
        return {
            BusinessType.CANCEL_SUBJECT: self.verify_cancel_subject,
            BusinessType.CANCEL_WEBSITE: self.verify_cancel_website,
            BusinessType.CANCEL_ACCESS: self.verify_cancel_access,
        }.get(business_type, True)

    def sender_number(self, carrier: str) -> str:
        return self.sender_numbers.get(carrier, DEFAULT_SENDER_NUMBERS[carrier])


_RANGES: dict[str, tuple[int, int]] = {
    "max_wrong_tries": (1, 10),
    "window_seconds": (3600, 7 * 24 * 3600),
    "send_delay_seconds": (0, 3600),
    "manual_resend_cap": (0, 10),
    "manual_resend_spacing_seconds": (0, 3600),
    "auto_resend_hour": (0, 23),
    "session_hours": (1, 24),
    "idle_lock_minutes": (1, 240),
}


_FLAGS = ("verify_cancel_subject", "verify_cancel_website", "verify_cancel_access")
MIN_SENDER_NUMBER = 5
# A sender number is written into every SMS intent and outbox row.
MAX_SENDER_NUMBER = limit("sms_intents.sender_number")


def _sender_number_ok(carrier: object, number: object) -> bool:
    return (
        isinstance(carrier, str)
        and carrier in Carrier._value2member_map_
        and isinstance(number, str)
        and number.isascii()
        and number.isdigit()
        and MIN_SENDER_NUMBER <= len(number) <= MAX_SENDER_NUMBER
    )


def validate_policy(policy: object) -> None:
    """Every out-of-range or mistyped value named at once; nothing is saved when one
    is wrong."""
    if not isinstance(policy, Policy):
        raise ValidationFailed.one("policy", "wrong_type", "内容格式不正确", "is not a policy")
    errors = []
    for name, (low, high) in _RANGES.items():
        value = getattr(policy, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                FieldError(
                    f"policy.{name}",
                    "out_of_range",
                    f"应为 {low} 到 {high} 之间的整数",
                    f"must be a whole number from {low} to {high}",
                )
            )
    for name in _FLAGS:
        if not isinstance(getattr(policy, name), bool):
            errors.append(
                FieldError(f"policy.{name}", "not_a_flag", "应为是或否", "must be true or false")
            )
    numbers = policy.sender_numbers
    if not isinstance(numbers, dict):
        errors.append(
            FieldError("policy.sender_numbers", "wrong_type", "内容格式不正确", "must be a table")
        )
        numbers = {}
    for carrier, number in numbers.items():
        if not _sender_number_ok(carrier, number):
            shown = carrier if isinstance(carrier, str) and carrier.isidentifier() else "?"
            errors.append(
                FieldError(
                    f"policy.sender_numbers.{shown}",
                    "bad_sender_number",
                    f"发送号码应为 {MIN_SENDER_NUMBER} 到 {MAX_SENDER_NUMBER} 位数字",
                    f"a sender number is {MIN_SENDER_NUMBER} to {MAX_SENDER_NUMBER} digits",
                )
            )
    if errors:
        raise ValidationFailed(errors)
