"""Every error a person can see: one type, `BeianError`, with a stable code and the same
message in Chinese and English (SPEC §6: "in the user's language").

A check of one value raises `InvalidValue` without knowing where the value sits; the
validator of a whole request catches it, adds the field's path, and raises one
`ValidationFailed` with every problem at once, so the user fixes them in one pass.
The path stays machine-readable (`websites[1].principal.doc_number`); what a person
reads is its label (网站 2 › 负责人 › 证件号码, rules/field_labels.py).

The other subclasses are the domain's refusals: a request that does not exist or has
left the ISP's hands, a decision someone else made first, a role that may not act.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from beian_desktop.rules.field_labels import field_label


def in_language(language: str, zh: str, en: str) -> str:
    """The one place that decides which text a language gets: Chinese for every zh
    locale (zh, zh_CN, zh-Hans...), English otherwise."""
    return zh if language.lower().startswith("zh") else en


class BeianError(Exception):
    """A refusal a person reads. `code` is stable (tests, logs, the audit trail);
    `zh` and `en` say the same thing. `str()` is the English text, for logs."""

    code: str = "error"  # each class's own; an instance may be more precise

    def __init__(self, zh: str, en: str, *, code: str | None = None) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        if code is not None:
            self.code = code

    def message(self, language: str = "zh_CN") -> str:
        return in_language(language, self.zh, self.en)


class InvalidValue(BeianError):
    """One value is wrong, wherever it sits; `code` names what is wrong with it."""

    code = "invalid_value"

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(zh, en, code=code)


@dataclass(frozen=True)
class FieldError:
    """One field's problem: its path, a stable code, the message in both languages."""

    field: str  # a path such as "websites[0].domains[1]" or "subject.principal.mobile"
    code: str
    zh: str
    en: str

    def message(self, language: str = "zh_CN") -> str:
        return in_language(language, self.zh, self.en)

    def label(self, language: str = "zh_CN") -> str:
        """The field as a person reads it: 网站 2 › 负责人 › 证件号码."""
        return field_label(self.field, language)

    def describe(self, language: str = "zh_CN") -> str:
        return f"{self.label(language)}{in_language(language, '：', ': ')}{self.message(language)}"


class ValidationFailed(BeianError):
    """Raised before anything is written: the record stays exactly as it was."""

    code = "validation_failed"

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__(
            "\n".join(e.describe("zh_CN") for e in self.errors),
            "\n".join(e.describe("en") for e in self.errors),
        )

    def fields(self) -> set[str]:
        return {e.field for e in self.errors}

    @classmethod
    def one(cls, field: str, code: str, zh: str, en: str) -> ValidationFailed:
        return cls([FieldError(field, code, zh, en)])


_KIND = {
    "request": ("申请", "request"),
    "subject": ("主体", "subject"),
    "website": ("网站", "website"),
    "principal": ("负责人", "principal"),
    "verifier": ("核验对象", "verifier"),
    "user": ("用户", "user"),
}


class NotFound(BeianError):
    """The record asked for does not exist (or is not part of the request named)."""

    code = "not_found"

    def __init__(self, kind: str, record_id: int, *, in_request: int | None = None) -> None:
        zh_kind, en_kind = _KIND.get(kind, (kind, kind))
        self.kind, self.record_id = kind, record_id
        if in_request is None:
            super().__init__(
                f"{zh_kind} {record_id} 不存在。",
                f"{en_kind.capitalize()} {record_id} does not exist.",
            )
        else:
            super().__init__(
                f"申请 {in_request} 中没有{zh_kind} {record_id}。",
                f"Request {in_request} has no {en_kind} {record_id}.",
            )


class UserNotFound(NotFound):
    code = "user_not_found"

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        super().__init__("user", user_id)


_STATE = {
    "draft": ("草稿", "a draft"),
    "submitted": ("已提交", "submitted"),
    "verifying": ("核验中", "being verified"),
    "bureau_review": ("管局审核中", "in bureau review"),
    "approved": ("已通过", "approved"),
    "rejected": ("已驳回", "rejected"),
    "returned": ("已退回", "returned"),
    "deleted": ("已删除", "deleted"),
}


def _state(state: str) -> tuple[str, str]:
    return _STATE.get(state, (state, state))


class RequestNotEditable(BeianError):
    """The request has left the ISP's hands (being verified, in review, decided), or
    is of another business type than the edit."""

    code = "request_not_editable"

    def __init__(self, request_id: int, state: str, *, business_type: str | None = None) -> None:
        self.request_id, self.state = request_id, state
        if business_type is not None:
            super().__init__(
                f"申请 {request_id} 是另一种业务类型，不能这样修改。",
                f"Request {request_id} is of another business type and cannot be edited this way.",
            )
            return
        zh, en = _state(state)
        super().__init__(
            f"申请 {request_id} {zh}，只有草稿和退回的申请可以修改或提交。",
            f"Request {request_id} is {en}: only drafts and returned requests can be edited or "
            "submitted.",
        )


class DraftNotDeletable(BeianError):
    """Only a draft can be deleted: a request that was ever submitted (returned ones
    too) has rounds, SMS and perhaps a bureau's eyes on it, and stays in the record."""

    code = "draft_not_deletable"

    def __init__(self, request_id: int, state: str) -> None:
        self.request_id, self.state = request_id, state
        zh, en = _state(state)
        super().__init__(
            f"申请 {request_id} {zh}，只有草稿可以删除。",
            f"Request {request_id} is {en}: only drafts can be deleted.",
        )


class NotInReview(BeianError):
    """The request is not (or no longer) waiting for the bureau."""

    code = "not_in_review"

    def __init__(self, request_id: int, state: str | None = None) -> None:
        self.request_id = request_id
        if state is None:  # it was in review when read: another reviewer decided first
            super().__init__(
                f"申请 {request_id} 已由其他审核员处理。",
                f"Request {request_id} was decided by another reviewer.",
            )
            return
        zh, en = _state(state)
        super().__init__(
            f"申请 {request_id} {zh}，不在管局审核中。",
            f"Request {request_id} is {en}, not waiting for the bureau.",
        )


class PermissionDenied(BeianError):
    """The caller may not do this: no valid sign-in, or a role without the permission.
    `reason` says which (services/sessions.py); `ends_sign_in` when the caller's sign-in
    itself is gone, so a window goes back to the sign-in instead of carrying on."""

    code = "permission_denied"
    SIGN_IN_GONE = frozenset(
        {"no_session", "unknown_session", "expired", "revoked", "inactive", "locked_out"}
    )

    def __init__(
        self, permission: str | None = None, *, zh: str = "", en: str = "", reason: str = "role"
    ) -> None:
        self.permission = permission
        self.reason = reason
        super().__init__(
            zh or "您的角色无权执行此操作。",
            en or "Your role is not allowed to do this.",
        )

    @property
    def ends_sign_in(self) -> bool:
        return self.reason in self.SIGN_IN_GONE


class LoginFailed(BeianError):
    """One message for every failed sign-in: it never tells whether the user exists."""

    code = "login_failed"

    def __init__(self) -> None:
        super().__init__(
            "用户名或密码错误，或账户已停用、已锁定。连续输错5次密码，账户将锁定15分钟。",
            "Wrong username or password, or the account is disabled or locked. "
            "Five wrong passwords in a row lock the account for 15 minutes.",
        )


class FirstAdminExists(BeianError):
    """`create_first_admin` once any user exists: the administrator adds users now."""

    code = "first_admin_exists"

    def __init__(self) -> None:
        super().__init__(
            "已有用户，不能再创建首个管理员；请由管理员在设置中添加用户。",
            "Users exist already: an administrator adds users in Settings.",
        )


class ImportRefused(BeianError):
    """A workbook the batch import will not read: not an .xlsx, another template, no
    rows; or, asked to import only if every row is good, a workbook with a bad row.
    `code` says which (not_a_workbook, other_template, other_version, missing_columns,
    too_many_rows, empty, has_errors, nothing_good)."""

    code = "import_refused"

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(zh, en, code=code)
