"""Identity document numbers: normalising, checking, masking (SPEC §5, §6, §7).

Numbers are checked when a request is entered, not when a verifier answers: a filing
with a mistyped ID would otherwise reach the SMS stage and fail there, where the
verifier can do nothing about it. Every problem raises `InvalidValue` with a message
that says what is wrong, in Chinese and English; the request validator adds the field.

What each type accepts (after removing white space, NFKC so full-width characters
typed on a Chinese keyboard count as ASCII, and upper-casing):

- RESIDENT_ID (居民身份证, GB 11643-1999): 17 digits and a check character (digit or
  X); a known province code in positions 1-2; a real birth date YYYYMMDD in positions
  7-14, from 1900 on and not after today; the ISO 7064 MOD 11-2 check character.
- CREDIT_CODE (统一社会信用代码, GB 32100-2015): 18 characters from the code's
  31-character alphabet (no I, O, Z, S, V); positions 3-8 are the 6-digit region code;
  the MOD 31 check character.
- PASSPORT (护照): 5-17 letters and digits. Passports of every country land here, so
  nothing finer can be assumed.
- HK_MACAU_PERMIT (港澳居民来往内地通行证): H (Hong Kong) or M (Macau) followed by 8
  digits (current cards) or 10 digits (older cards).
- TAIWAN_PERMIT (台湾居民来往大陆通行证): 8 digits (current cards), or 10 letters and
  digits (older booklets; their bracketed issue counter such as "(B)" is left out).
- FOREIGN_PERMANENT_ID (外国人永久居留身份证): the 2017 format, 3 letters (nationality)
  and 12 digits; or the 2023 format, 18 characters starting with 9, laid out like a
  resident ID (birth date in positions 7-14, GB 11643 check character).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from beian_desktop.rules.errors import InvalidValue
from beian_desktop.terms import DocType

# GB 32100's alphabet (no I, O, Z, S, V); the check character comes from it too.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CHARS = frozenset(CREDIT_CODE_ALPHABET)

# Province-level codes of GB/T 2260, plus Taiwan (71), Hong Kong (81), Macau (82) and
# the code 83 used on residence permits for Hong Kong, Macau and Taiwan residents.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {str(n) for n in range(31, 38)}
    | {str(n) for n in range(41, 47)}
    | {str(n) for n in range(50, 55)}
    | {str(n) for n in range(61, 66)}
    | {"71", "81", "82", "83"}
)

_EARLIEST_BIRTH_YEAR = 1900
# The shortest number any type accepts (a passport): a verifier proves who they are
# with the last six characters, or with the whole of a number this short.
MIN_DOCUMENT_LENGTH = 5

_DOC_NAMES_ZH = {
    DocType.RESIDENT_ID: "居民身份证号码",
    DocType.CREDIT_CODE: "统一社会信用代码",
    DocType.PASSPORT: "护照号码",
    DocType.HK_MACAU_PERMIT: "港澳居民来往内地通行证号码",
    DocType.TAIWAN_PERMIT: "台湾居民来往大陆通行证号码",
    DocType.FOREIGN_PERMANENT_ID: "外国人永久居留身份证号码",
}
_DOC_NAMES_EN = {
    DocType.RESIDENT_ID: "Resident ID number",
    DocType.CREDIT_CODE: "Unified social credit code",
    DocType.PASSPORT: "Passport number",
    DocType.HK_MACAU_PERMIT: "Hong Kong/Macau permit number",
    DocType.TAIWAN_PERMIT: "Taiwan permit number",
    DocType.FOREIGN_PERMANENT_ID: "Foreign permanent resident ID number",
}

_RESIDENT_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_CREDIT_SHAPE = re.compile(f"[{CREDIT_CODE_ALPHABET}]{{18}}")
_PASSPORT_SHAPE = re.compile(rf"[A-Z0-9]{{{MIN_DOCUMENT_LENGTH},17}}")
_HK_MACAU_SHAPE = re.compile(r"[HM](?:[0-9]{8}|[0-9]{10})")
_TAIWAN_SHAPE = re.compile(r"[0-9]{8}|[A-Z0-9]{10}")
_FOREIGN_OLD_SHAPE = re.compile(r"[A-Z]{3}[0-9]{12}")
_FOREIGN_NEW_SHAPE = re.compile(r"9[0-9]{16}[0-9X]")


def _clean(text: str) -> str:
    """Full-width to ASCII, white space (ASCII or ideographic) removed, upper case.

    Users paste numbers from documents and chat apps; spaces and full-width digits
    there are noise, not a different number.
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character ("0"-"9" or "X") for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("resident_id_check_char needs exactly 17 ASCII digits")
    return stdnum_ric.calc_check_digit(first17 + "0")  # stdnum ignores the last place


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in _CREDIT_CHARS for c in first17):
        raise ValueError("credit_code_check_char needs 17 characters of " + CREDIT_CODE_ALPHABET)
    return stdnum_uscc.calc_check_digit(first17)


def _invalid(doc_type: DocType, code: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(
        f"document.{code}", f"{_DOC_NAMES_ZH[doc_type]}：{zh}", f"{_DOC_NAMES_EN[doc_type]}: {en}"
    )


def _check_length(doc_type: DocType, number: str, allowed: tuple[int, ...]) -> None:
    if len(number) in allowed:
        return
    wanted_zh = "或".join(str(n) for n in allowed)
    wanted_en = " or ".join(str(n) for n in allowed)
    raise _invalid(
        doc_type,
        "length",
        f"长度应为 {wanted_zh} 位，实际为 {len(number)} 位",
        f"should have {wanted_en} characters, it has {len(number)}",
    )


def _check_birth_date(doc_type: DocType, yyyymmdd: str, today: date) -> None:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise _invalid(
            doc_type,
            "birth_date",
            f"出生日期无效（{yyyymmdd} 不是真实的日期）",
            f"birth date is not a valid date ({yyyymmdd})",
        ) from None
    if born.year < _EARLIEST_BIRTH_YEAR:
        raise _invalid(
            doc_type,
            "birth_date_too_early",
            f"出生日期无效（早于 {_EARLIEST_BIRTH_YEAR} 年）",
            f"birth date is before {_EARLIEST_BIRTH_YEAR}",
        )
    if born > today:
        raise _invalid(
            doc_type,
            "birth_date_future",
            "出生日期无效（晚于今天）",
            "birth date is in the future",
        )


def _check_resident_style_check_char(doc_type: DocType, number: str) -> None:
    if resident_id_check_char(number[:17]) != number[17]:
        raise _invalid(
            doc_type,
            "check_char",
            "校验位错误，请核对号码",
            "check character is wrong, please check the number",
        )


def _normalize_resident_id(number: str, today: date) -> str:
    doc_type = DocType.RESIDENT_ID
    _check_length(doc_type, number, (18,))
    if not _RESIDENT_SHAPE.fullmatch(number):
        raise _invalid(
            doc_type,
            "characters",
            "应为 17 位数字加最后一位数字或 X",
            "should be 17 digits followed by a digit or X",
        )
    if number[:2] not in PROVINCE_CODES:
        raise _invalid(
            doc_type,
            "region",
            f"地区码无效（前两位 {number[:2]} 不是省级行政区代码）",
            f"region code is invalid (the first two digits {number[:2]} are no province)",
        )
    _check_birth_date(doc_type, number[6:14], today)
    _check_resident_style_check_char(doc_type, number)
    return number


def _normalize_credit_code(number: str) -> str:
    doc_type = DocType.CREDIT_CODE
    _check_length(doc_type, number, (18,))
    if not _CREDIT_SHAPE.fullmatch(number):
        bad = sorted({c for c in number if c not in _CREDIT_CHARS})
        raise _invalid(
            doc_type,
            "characters",
            f"含有不允许的字符 {' '.join(bad)}（只能是数字和除 I、O、Z、S、V 外的大写字母）",
            f"contains characters that are not allowed: {' '.join(bad)} "
            "(it uses only digits and the letters other than I, O, Z, S, V)",
        )
    if not number[2:8].isdigit():
        raise _invalid(
            doc_type,
            "region",
            "第 3-8 位应为 6 位数字的登记管理机关行政区划码",
            "positions 3-8 should be a 6-digit region code",
        )
    if credit_code_check_char(number[:17]) != number[17]:
        raise _invalid(
            doc_type,
            "check_char",
            "校验位错误，请核对代码",
            "check character is wrong, please check the code",
        )
    return number


def _check_shape(doc_type: DocType, number: str, shape: re.Pattern[str], zh: str, en: str) -> str:
    if not shape.fullmatch(number):
        raise _invalid(doc_type, "format", f"格式不正确（{zh}）", f"wrong format ({en})")
    return number


def _normalize_foreign_permanent_id(number: str, today: date) -> str:
    doc_type = DocType.FOREIGN_PERMANENT_ID
    _check_length(doc_type, number, (15, 18))
    if len(number) == 15:
        return _check_shape(
            doc_type,
            number,
            _FOREIGN_OLD_SHAPE,
            "15 位号码应为 3 个字母加 12 位数字",
            "a 15-character number is 3 letters followed by 12 digits",
        )
    _check_shape(
        doc_type,
        number,
        _FOREIGN_NEW_SHAPE,
        "18 位号码应以 9 开头，由 17 位数字加最后一位数字或 X 组成",
        "an 18-character number starts with 9 and is 17 digits followed by a digit or X",
    )
    _check_birth_date(doc_type, number[6:14], today)
    _check_resident_style_check_char(doc_type, number)
    return number


def normalize_document_number(doc_type: DocType, text: str, *, today: date | None = None) -> str:
    """The canonical form of a document number, or `InvalidValue` saying what is wrong.

    The canonical form is what gets stored and compared (a verifier's "last six"
    are matched against it), so two spellings of one number must give one string.
    `today` exists so tests can pin the "birth date in the future" check.
    """
    doc_type = DocType(doc_type)
    number = _clean(text)
    if not number:
        raise _invalid(doc_type, "empty", "不能为空", "must not be empty")
    today = today or date.today()
    if doc_type is DocType.RESIDENT_ID:
        return _normalize_resident_id(number, today)
    if doc_type is DocType.CREDIT_CODE:
        return _normalize_credit_code(number)
    if doc_type is DocType.FOREIGN_PERMANENT_ID:
        return _normalize_foreign_permanent_id(number, today)
    if doc_type is DocType.PASSPORT:
        if not MIN_DOCUMENT_LENGTH <= len(number) <= 17:
            raise _invalid(
                doc_type,
                "length",
                f"长度应为 {MIN_DOCUMENT_LENGTH} 到 17 位，实际为 {len(number)} 位",
                f"should have {MIN_DOCUMENT_LENGTH} to 17 characters, it has {len(number)}",
            )
        return _check_shape(
            doc_type, number, _PASSPORT_SHAPE, "应只含字母和数字", "only letters and digits"
        )
    if doc_type is DocType.HK_MACAU_PERMIT:
        return _check_shape(
            doc_type,
            number,
            _HK_MACAU_SHAPE,
            "应为 H 或 M 加 8 位或 10 位数字",
            "H or M followed by 8 or 10 digits",
        )
    if doc_type is DocType.TAIWAN_PERMIT:
        return _check_shape(
            doc_type,
            number,
            _TAIWAN_SHAPE,
            "应为 8 位数字，或旧版的 10 位字母和数字",
            "8 digits, or 10 letters and digits on older permits",
        )
    raise ValueError(f"unknown document type {doc_type!r}")  # pragma: no cover


def last_six(number: str) -> str:
    """The last six characters, upper-cased: what a verifier types to prove who they are.

    Applied to both the stored number and what the verifier typed, so "x" and "X"
    (or full-width digits) compare equal. A number shorter than six characters (a
    five-character passport) is returned whole.
    """
    return _clean(number)[-6:]


def mask_document_number(number: str) -> str:
    """The number as screens and logs show it to whoever may not see it in full.

    Numbers of 10 characters or more keep their first 3 and last 1 characters
    ('110**************X'): the first three are only the province and city, and the
    last is, for resident IDs, a check character computed from the rest. That keeps
    five of the six characters a verifier proves themselves with hidden, and never
    shows more than 4 characters. Shorter numbers (passports, permits) keep only the
    first and last character; 4 characters or fewer are masked entirely. The length
    is kept so staff can still spot a truncated number.
    """
    cleaned = _clean(number)
    n = len(cleaned)
    if n >= 10:
        head, tail = 3, 1
    elif n > 4:
        head, tail = 1, 1
    else:
        return "*" * n
    return cleaned[:head] + "*" * (n - head - tail) + cleaned[n - tail :]
