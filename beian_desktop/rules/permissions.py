"""What each role may do (SPEC §1), and what each service operation needs: two tables
the services enforce and the views read.

- ISP staff (ISP录入员) enter filings and submit them; resubmitting a returned
  request is a submit too.
- Help desk (客服) look up callers, resend codes on a caller's behalf and check codes
  at the verification desk.
- Supervisors (主管) see the returned filings and why, and the reports; they may see
  phone numbers in full.
- Bureau reviewers (管局审核员) approve or reject; they may see ID numbers and phone
  numbers in full (SPEC §7: shown masked unless the role may see them); they resend
  codes for callers but do not check codes.
- Administrators (管理员) change settings, users and the province table, and may do
  everything the others do.

`OPERATIONS` maps every public service method ("<service>.<method>", as the Beian
facade names its services) to the permission it needs. The services check it against
the database before they act (services/sessions.py): the caller's session is resolved,
the user must exist, be active and not locked, and the user's role, as stored, must
hold the permission. `can()` only tells a view what to show.

What a screen may show in full is named by `RevealField`: the record that holds the
secret and which secret it is. A view passes that and the record's id, never the value;
`secrets.reveal` checks the field's own permission, audits and only then reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from beian_desktop.terms import UserRole


class Permission(StrEnum):
    VIEW_FILINGS = "view_filings"  # 查看备案申请
    ENTER_FILINGS = "enter_filings"  # 录入备案
    SUBMIT = "submit"  # 提交、重新提交
    CALLER_LOOKUP = "caller_lookup"  # 查询来电人
    RESEND_FOR_CALLER = "resend_for_caller"  # 代来电人重发短信
    VERIFICATION_DESK = "verification_desk"  # 核验台
    VIEW_OUTBOX = "view_outbox"  # 查看本地短信发件箱
    REVIEW_RETURNED = "review_returned"  # 查看退回的备案、备注、交回
    REPORTS = "reports"  # 报表
    BUREAU_REVIEW = "bureau_review"  # 管局审核（通过、驳回）
    ADMINISTER = "administer"  # 设置、用户、省份表
    REVEAL_ID_NUMBERS = "reveal_id_numbers"  # 查看完整证件号码
    REVEAL_PHONES = "reveal_phones"  # 查看完整手机号码


PERMISSION_NAMES: Mapping[Permission, tuple[str, str]] = MappingProxyType(
    {
        Permission.VIEW_FILINGS: ("查看备案申请", "view filings"),
        Permission.ENTER_FILINGS: ("录入备案", "enter filings"),
        Permission.SUBMIT: ("提交、重新提交", "submit and resubmit"),
        Permission.CALLER_LOOKUP: ("查询来电人", "look up callers"),
        Permission.RESEND_FOR_CALLER: ("代来电人重发短信", "resend codes for callers"),
        Permission.VERIFICATION_DESK: ("核验台输入验证码", "check codes at the verification desk"),
        Permission.VIEW_OUTBOX: ("查看本地短信发件箱", "view the local SMS outbox"),
        Permission.REVIEW_RETURNED: ("处理退回的备案", "review returned filings"),
        Permission.REPORTS: ("查看报表", "see reports"),
        Permission.BUREAU_REVIEW: ("管局审核", "bureau review"),
        Permission.ADMINISTER: ("系统设置与用户管理", "settings and users"),
        Permission.REVEAL_ID_NUMBERS: ("查看完整证件号码", "see full ID numbers"),
        Permission.REVEAL_PHONES: ("查看完整手机号码", "see full mobile numbers"),
    }
)


ROLE_PERMISSIONS: Mapping[UserRole, frozenset[Permission]] = MappingProxyType(
    {
        UserRole.ISP_STAFF: frozenset(
            {Permission.VIEW_FILINGS, Permission.ENTER_FILINGS, Permission.SUBMIT}
        ),
        UserRole.HELP_DESK: frozenset(
            {
                Permission.VIEW_FILINGS,
                Permission.CALLER_LOOKUP,
                Permission.RESEND_FOR_CALLER,
                Permission.VERIFICATION_DESK,
                Permission.VIEW_OUTBOX,
            }
        ),
        # Supervisors review what came back and may resubmit it themselves.
        UserRole.SUPERVISOR: frozenset(
            {
                Permission.VIEW_FILINGS,
                Permission.REVIEW_RETURNED,
                Permission.REPORTS,
                Permission.REVEAL_PHONES,
                Permission.SUBMIT,
            }
        ),
        # SPEC §1: bureau staff also trigger resends for people who call in.
        UserRole.BUREAU_REVIEWER: frozenset(
            {
                Permission.VIEW_FILINGS,
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


class Needs(StrEnum):
    """What an operation needs that is not one permission."""

    SIGNED_IN = "signed_in"  # any valid session: one's own password, the province list
    THE_FIELDS_PERMISSION = "the_fields_permission"  # a reveal: the field's REVEALABLE entry


# Every public method of the services (see Beian), and what it needs.
OPERATIONS: Mapping[str, Permission | Needs] = MappingProxyType(
    {
        # entering filings
        "filings.save_new_filing": Permission.ENTER_FILINGS,
        "filings.save_new_website": Permission.ENTER_FILINGS,
        "filings.save_new_access": Permission.ENTER_FILINGS,
        "filings.save_change": Permission.ENTER_FILINGS,
        "filings.save_cancellation": Permission.ENTER_FILINGS,
        "filings.save_phone_change": Permission.ENTER_FILINGS,
        "filings.delete_draft": Permission.ENTER_FILINGS,
        "filings.add_note": Permission.REVIEW_RETURNED,
        "imports.write_template": Permission.ENTER_FILINGS,
        "imports.preview": Permission.ENTER_FILINGS,
        "imports.import_drafts": Permission.ENTER_FILINGS,
        "filings.preview_verification": Permission.ENTER_FILINGS,
        "submission.submit": Permission.SUBMIT,
        # verification
        "verification.check_code": Permission.VERIFICATION_DESK,
        "verification.resend_code": Permission.RESEND_FOR_CALLER,
        "verification.resend_for_verifier": Permission.RESEND_FOR_CALLER,
        # the bureau
        "review.approve": Permission.BUREAU_REVIEW,
        "review.reject": Permission.BUREAU_REVIEW,
        # reading
        "queries.list_filings": Permission.VIEW_FILINGS,
        "queries.count_filings": Permission.VIEW_FILINGS,
        "queries.request_detail": Permission.VIEW_FILINGS,
        "queries.pending_verifiers": Permission.VIEW_FILINGS,
        "queries.bureau_queue": Permission.BUREAU_REVIEW,
        "queries.caller_lookup": Permission.CALLER_LOOKUP,
        "queries.caller_history": Permission.CALLER_LOOKUP,
        "queries.returned_filings": Permission.REVIEW_RETURNED,
        "queries.return_stats": Permission.REPORTS,
        "queries.outbox": Permission.VIEW_OUTBOX,
        "queries.provinces": Needs.SIGNED_IN,
        "queries.find_approved_subjects": Permission.ENTER_FILINGS,
        "queries.find_approved_websites": Permission.ENTER_FILINGS,
        "queries.approved_filing": Permission.ENTER_FILINGS,
        "queries.request_for_editing": Permission.ENTER_FILINGS,
        "queries.navigation_counts": Permission.VIEW_FILINGS,
        # secrets shown in full
        "secrets.reveal": Needs.THE_FIELDS_PERMISSION,
        # settings
        "settings.policy": Needs.SIGNED_IN,
        "settings.provinces": Needs.SIGNED_IN,
        "settings.save_policy": Permission.ADMINISTER,
        "settings.set_province_start": Permission.ADMINISTER,
        "settings.save_province_starts": Permission.ADMINISTER,
        "settings.reject_reasons": Permission.BUREAU_REVIEW,
        "settings.save_reject_reasons": Permission.ADMINISTER,
        "settings.sms_endpoint": Permission.ADMINISTER,
        "settings.save_sms_endpoint": Permission.ADMINISTER,
        "settings.send_test_sms": Permission.ADMINISTER,
        "settings.save_sms_config": Permission.ADMINISTER,
        # users
        "users.list_users": Permission.ADMINISTER,
        "users.create_user": Permission.ADMINISTER,
        "users.update_user": Permission.ADMINISTER,
        "users.set_active": Permission.ADMINISTER,
        "users.reset_password": Permission.ADMINISTER,
        # one's own sign-in
        "sign_in.sign_out": Needs.SIGNED_IN,
        "sign_in.whoami": Needs.SIGNED_IN,
        "sign_in.lock": Needs.SIGNED_IN,
        "sign_in.unlock": Needs.SIGNED_IN,
        "sign_in.change_own_password": Needs.SIGNED_IN,
    }
)

# The only public methods that take no session: they are how one is obtained.
WITHOUT_SESSION = frozenset(
    {"sign_in.sign_in", "users.needs_first_admin", "users.create_first_admin"}
)

# What a session that must change its password first may still do.
BEFORE_PASSWORD_CHANGE = frozenset(
    {"sign_in.change_own_password", "sign_in.sign_out", "sign_in.whoami"}
)
# What a locked session (the idle lock of a shared workstation) may still do.
WHILE_LOCKED = frozenset({"sign_in.unlock", "sign_in.sign_out", "sign_in.whoami"})


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


def may(role: str, operation: str, *, permission: Permission | None = None) -> bool:
    """Whether `role` may call `operation`; `permission` is a reveal's field's. Raises
    KeyError for an operation missing from OPERATIONS: a method the table forgot is
    refused to everyone, never allowed by default."""
    needs = OPERATIONS[operation]
    if needs is Needs.SIGNED_IN:
        return True
    if needs is Needs.THE_FIELDS_PERMISSION:
        if permission is None or permission not in REVEALABLE.values():
            return False
        needs = permission
    return needs in permissions_of(role)


def can(user: HasRole, permission: Permission | str) -> bool:
    """For a view deciding what to show. Raises ValueError for a permission that does
    not exist: a typo must not hide a page silently. A user whose `active` is False may
    do nothing."""
    wanted = Permission(permission)
    if getattr(user, "active", True) is False:
        return False
    return wanted in permissions_of(user.role)
