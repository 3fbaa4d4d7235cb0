"""What a person types at a verification desk or on the verification page: a mobile
number, the last six characters of an ID document number, and a six-digit code.
Every problem is a field error; nothing here knows about requests or rounds.
"""

from __future__ import annotations

import re

from beian_desktop.rules.errors import FieldError, InvalidValue, ValidationFailed
from beian_desktop.rules.phones import parse_mobile

_CODE = re.compile(r"^\d{6}$")
_LAST6 = re.compile(r"^[0-9A-Z]{6}$")


def desk_input(phone: str, id_last6: str, code: str | None = None) -> tuple[str, str, str]:
    errors: list[FieldError] = []
    number = phone.strip()
    try:
        number = parse_mobile(phone).number
    except InvalidValue as problem:
        errors.append(FieldError("phone", problem.code, problem.zh, problem.en))
    last6 = id_last6.strip().upper()
    if not _LAST6.match(last6):
        errors.append(
            FieldError(
                "id_last6",
                "bad_last6",
                "请输入证件号码后六位",
                "must be the last six characters of the ID number",
            )
        )
    clean_code = (code or "").strip()
    if code is not None and not _CODE.match(clean_code):
        errors.append(FieldError("code", "bad_code", "验证码为6位数字", "the code is 6 digits"))
    if errors:
        raise ValidationFailed(errors)
    return number, last6, clean_code
