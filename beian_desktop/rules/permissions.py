"""What each role may do (SPEC §1), as one table the views and the services both read.

- ISP staff (ISP录入员) enter filings and submit them; resubmitting a returned
  request is a submit too.
- Help desk (客服) look up callers, resend codes on a caller's behalf and check codes
  at the verification desk.
- Supervisors (主管) see the returned filings and why, and the reports; they may see
  phone numbers in full.
- Bureau reviewers (管局审核员) approve or reject; they may see ID numbers and phone
  numbers in full (SPEC §7: shown masked unless the role may see them).
- Administrators (管理员) change settings, users and the province table, and may do
  everything the others do.

`can()` answers from the role a `UserInfo` carries, to show or hide a page; the
services check again against the database before they act.

What a screen may show in full is named by `RevealField`: the record that holds the
secret and which secret it is. A view passes that and the record's id, never the value;
`UserService.reveal` checks the permission, audits and only then reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from beian_desktop.terms import UserRole


class Permission(StrEnum):
    ENTER_FILINGS = "enter_filings"  # 录入备案
    SUBMIT = "submit"  # 提交、重新提交
    CALLER_LOOKUP = "caller_lookup"  # 查询来电人
    RESEND_FOR_CALLER = "resend_for_caller"  # 代来电人重发短信
    VERIFICATION_DESK = "verification_desk"  # 核验台
    REVIEW_RETURNED = "review_returned"  # 查看退回的备案
    REPORTS = "reports"  # 报表
    BUREAU_REVIEW = "bureau_review"  # 管局审核（通过、驳回）
    ADMINISTER = "administer"  # 设置、用户、省份表
    REVEAL_ID_NUMBERS = "reveal_id_numbers"  # 查看完整证件号码
    REVEAL_PHONES = "reveal_phones"  # 查看完整手机号码


ROLE_PERMISSIONS: Mapping[UserRole, frozenset[Permission]] = MappingProxyType(
    {
        UserRole.ISP_STAFF: frozenset({Permission.ENTER_FILINGS, Permission.SUBMIT}),
        UserRole.HELP_DESK: frozenset(
            {Permission.CALLER_LOOKUP, Permission.RESEND_FOR_CALLER, Permission.VERIFICATION_DESK}
        ),
        # Supervisors review what came back and may resubmit it themselves.
        UserRole.SUPERVISOR: frozenset(
            {
                Permission.REVIEW_RETURNED,
                Permission.REPORTS,
                Permission.REVEAL_PHONES,
                Permission.SUBMIT,
            }
        ),
        # SPEC §1: bureau staff also trigger resends for people who call in.
        UserRole.BUREAU_REVIEWER: frozenset(
            {
                Permission.BUREAU_REVIEW,
                Permission.REVEAL_ID_NUMBERS,
                Permission.REVEAL_PHONES,
                Permission.CALLER_LOOKUP,
                Permission.RESEND_FOR_CALLER,
            }
        ),
        UserRole.ADMINISTRATOR: frozenset(Permission),
    }
)


# What may be shown in full, and the permission it takes (SPEC §7).
REVEALABLE: Mapping[str, Permission] = MappingProxyType(
    {"id_number": Permission.REVEAL_ID_NUMBERS, "phone": Permission.REVEAL_PHONES}
)


class RevealField(StrEnum):
    """A secret the screens show masked: "<record>.<secret>". Stored in the audit trail."""

    SUBJECT_ID_NUMBER = "subject.id_number"  # 主体证件号码
    PRINCIPAL_ID_NUMBER = "principal.id_number"  # 负责人证件号码
    PRINCIPAL_PHONE = "principal.phone"  # 负责人手机号码
    VERIFIER_PHONE = "verifier.phone"  # 核验对象的手机号码（变更手机号码时为新号码）

    @property
    def holder(self) -> str:
        """The record that holds it: subject, principal or verifier."""
        return self.value.partition(".")[0]

    @property
    def what(self) -> str:
        """id_number or phone, a key of REVEALABLE."""
        return self.value.partition(".")[2]

    @property
    def permission(self) -> Permission:
        return REVEALABLE[self.what]


class HasRole(Protocol):
    @property
    def role(self) -> str: ...


def permissions_of(role: str) -> frozenset[Permission]:
    """An unknown role (a value from a newer version, say) may do nothing."""
    try:
        return ROLE_PERMISSIONS[UserRole(role)]
    except ValueError:
        return frozenset()


def can(user: HasRole, permission: Permission | str) -> bool:
    """Raises ValueError for a permission that does not exist: a typo must not hide
    a page silently. A user whose `active` is False may do nothing."""
    wanted = Permission(permission)
    if getattr(user, "active", True) is False:
        return False
    return wanted in permissions_of(user.role)
