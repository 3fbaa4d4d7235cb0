"""The rules of an account: usernames, display names, roles and passwords.

Passwords follow GB/T 22239-2019 (等保 2.0) as offices read it: at least eight
characters from at least three of upper case, lower case, digits and symbols; no white
space or control characters; not the username; not a password people commonly pick
(a short list shipped as data). `PASSWORD_RULE` is the sentence a form shows beside
the field before anyone gets it wrong.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from functools import cache
from importlib.resources import files

from beian_desktop.rules.errors import FieldError
from beian_desktop.rules.field_limits import limit
from beian_desktop.terms import UserRole

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
PASSWORD_CLASSES_NEEDED = 3
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
MAX_DISPLAY_NAME = limit("users.display_name")
MAX_USERNAME = limit("users.username")
USERNAME = re.compile(rf"[a-z0-9._-]{{3,{MAX_USERNAME}}}")
# Names no sign-in can take: what the scheduler and the dispatcher act as, and what the
# audit writes for a caller it could not identify.
RESERVED_USERNAMES = frozenset({"system", "unknown", "anonymous", "root"})

PASSWORD_RULE = (
    f"至少{MIN_PASSWORD_LENGTH}位，包含大写字母、小写字母、数字、符号中的至少三种；"
    "不能含空格，不能与用户名相同，不能是常见密码。",
    f"At least {MIN_PASSWORD_LENGTH} characters with at least three of: upper case, lower "
    "case, digits, symbols; no spaces; not the username; not a common password.",
)


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: stored, and looked up, in lower case."""
    return username.strip().lower()


def username_errors(username: object) -> list[FieldError]:
    name = normalise_username(username) if isinstance(username, str) else ""
    if not USERNAME.fullmatch(name):
        return [
            FieldError(
                "username",
                "username_invalid",
                f"用户名须为3至{MAX_USERNAME}个字符，只能包含小写字母、数字、点(.)、下划线(_)"
                "和连字符(-)",
                f"must be 3 to {MAX_USERNAME} characters of a-z, 0-9, '.', '_' and '-'",
            )
        ]
    if name in RESERVED_USERNAMES:
        return [
            FieldError("username", "username_reserved", "该用户名保留给系统使用", "is reserved")
        ]
    return []


def display_name_errors(display_name: object) -> list[FieldError]:
    if not isinstance(display_name, str):
        return [FieldError("display_name", "not_text", "应为文本", "must be text")]
    name = display_name.strip()
    if not name:
        return [FieldError("display_name", "display_name_required", "请填写姓名", "is required")]
    if len(name) > MAX_DISPLAY_NAME:
        return [
            FieldError(
                "display_name",
                "display_name_too_long",
                f"姓名不能超过{MAX_DISPLAY_NAME}个字符",
                f"must be at most {MAX_DISPLAY_NAME} characters",
            )
        ]
    if any(_is_control(c) for c in name):
        return [
            FieldError(
                "display_name",
                "control_characters",
                "不能包含控制字符",
                "must not contain control characters",
            )
        ]
    return []


def role_errors(role: object) -> list[FieldError]:
    if isinstance(role, str) and role in {r.value for r in UserRole}:
        return []
    return [FieldError("role", "role_unknown", "角色无效", "is not a known role")]


@cache
def common_passwords() -> frozenset[str]:
    text = files("beian_desktop.rules").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def password_errors(password: object, username: object = "") -> list[FieldError]:
    """Every rule the password breaks, each with its own message."""

    def error(code: str, zh: str, en: str) -> FieldError:
        return FieldError("password", code, zh, en)

    if not isinstance(password, str):
        return [error("password_required", "请填写密码", "is required")]
    errors = []
    if any(c.isspace() or _is_control(c) for c in password):
        errors.append(
            error(
                "password_whitespace",
                "密码不能包含空格或控制字符",
                "must not contain spaces or control characters",
            )
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.append(
            error(
                "password_too_short",
                f"密码至少需要{MIN_PASSWORD_LENGTH}个字符",
                f"must be at least {MIN_PASSWORD_LENGTH} characters long",
            )
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        errors.append(
            error(
                "password_too_long",
                f"密码不能超过{MAX_PASSWORD_LENGTH}个字符",
                f"must be at most {MAX_PASSWORD_LENGTH} characters long",
            )
        )
    if character_classes(password) < PASSWORD_CLASSES_NEEDED:
        errors.append(
            error(
                "password_too_simple",
                "密码须包含大写字母、小写字母、数字、符号中的至少三种",
                "must use at least three of: upper case, lower case, digits, symbols",
            )
        )
    name = normalise_username(username) if isinstance(username, str) else ""
    if name and name in password.lower():
        errors.append(
            error("password_is_username", "密码不能包含用户名", "must not contain the username")
        )
    if password.lower() in common_passwords():
        errors.append(
            error(
                "password_common",
                "这是一个常见密码，很容易被猜到，请换一个",
                "is a commonly used password, easy to guess: choose another",
            )
        )
    return errors
