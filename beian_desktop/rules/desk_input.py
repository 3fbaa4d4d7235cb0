"""What a person types at a verification desk or on the verification page: a mobile
number, the last six characters of an ID document number, and a six-digit code.
Every problem is a field error; nothing here knows about requests or rounds.

What people type is normalised before it is checked (SPEC §5): NFKC folds the
full-width digits and letters of a Chinese input method and the ideographic space
into ASCII, and white space inside a code or the ID digits is dropped (phones also
lose hyphens, rules/phones.py). A code that is not six digits after that is an input
error, so it can never count as a wrong try: only a well-formed guess is checked
against the codes. The ID digits are the last six characters of the number, or the
whole number when it is shorter (a passport of five).
"""

from __future__ import annotations

import re

from beian_desktop.rules.documents import MIN_DOCUMENT_LENGTH
from beian_desktop.rules.errors import FieldError, InvalidValue, ValidationFailed
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.rules.text_input import typed_text

_CODE = re.compile(r"[0-9]{6}")  # ASCII only: \d would take Arabic-Indic digits too
_LAST6 = re.compile(rf"[0-9A-Z]{{{MIN_DOCUMENT_LENGTH},6}}")


def _compact(value: object) -> str:
    """What was typed, folded and without white space; "" for what is no text at all
    (the format check that follows names the field)."""
    try:
        return "".join(typed_text(value).split())
    except InvalidValue:
        return ""


def desk_input(phone: object, id_last6: object, code: object = None) -> tuple[str, str, str]:
    """The phone's 11 digits, the ID digits as stored, and the code ("" when not asked)."""
    errors: list[FieldError] = []
    number = ""
    try:
        number = parse_mobile(typed_text(phone)).number
    except InvalidValue as problem:
        errors.append(FieldError("phone", problem.code, problem.zh, problem.en))
    last6 = _compact(id_last6).upper()
    if not _LAST6.fullmatch(last6):
        errors.append(
            FieldError(
                "id_last6",
                "bad_last6",
                "请输入证件号码后六位（不足六位的输入完整号码）",
                "must be the last six characters of the ID number (the whole number if it is "
                "shorter)",
            )
        )
    clean_code = ""
    if code is not None:
        clean_code = _compact(code)
        if not _CODE.fullmatch(clean_code):
            errors.append(FieldError("code", "bad_code", "验证码为6位数字", "the code is 6 digits"))
    if errors:
        raise ValidationFailed(errors)
    return number, last6, clean_code
