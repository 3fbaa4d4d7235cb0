"""Mainland mobile numbers: parsing, carrier, masking (SPEC §6, §7).

Codes go out by SMS, so a principal's number must be a mainland mobile number whose
carrier is known (SPEC §6: the carrier decides the SMS route and is shown to staff).
`phonenumbers` knows validity, the host network and the region of almost every
segment, but it never says "virtual operator" and gives no carrier at all for 162
and 165; `_VIRTUAL_SEGMENTS` fills that in and wins over `phonenumbers` for those
segments.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType, carrier

from beian_desktop.rules.errors import InvalidValue
from beian_desktop.terms import Carrier


@dataclass(frozen=True)
class MobileNumber:
    """A checked mainland mobile number.

    `carrier` is the network that carries the number: for a virtual operator's
    number, its host network, since that is where the SMS is delivered.
    """

    number: str  # the 11 national digits
    carrier: Carrier
    is_virtual: bool

    @property
    def region(self) -> str:
        return region_of(self.number)


# English names that phonenumbers 9.0 answers (checked against each segment).
_CARRIER_BY_NAME = {
    "China Mobile": Carrier.MOBILE,
    "China Unicom": Carrier.UNICOM,
    "China Telecom": Carrier.TELECOM,
    "China Broadnet": Carrier.BROADNET,
}

# Virtual-operator (MVNO) segments and their host networks, longest prefix first in
# the lookup. phonenumbers agrees on 167, 170x and 171 but has no carrier for 162/165.
_VIRTUAL_SEGMENTS: dict[str, Carrier] = {
    "162": Carrier.TELECOM,
    "165": Carrier.MOBILE,
    "167": Carrier.UNICOM,
    "171": Carrier.UNICOM,
    "1700": Carrier.TELECOM,
    "1701": Carrier.TELECOM,
    "1702": Carrier.TELECOM,
    "1703": Carrier.MOBILE,
    "1705": Carrier.MOBILE,
    "1706": Carrier.MOBILE,
    "1704": Carrier.UNICOM,
    "1707": Carrier.UNICOM,
    "1708": Carrier.UNICOM,
    "1709": Carrier.UNICOM,
}

_SEPARATORS = frozenset(" -\t")


def _virtual_host(national: str) -> Carrier | None:
    return _VIRTUAL_SEGMENTS.get(national[:4]) or _VIRTUAL_SEGMENTS.get(national[:3])


def _invalid(code: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(f"mobile.{code}", zh, en)


def _national_digits(text: str) -> str:
    """The digits after any +86 / 0086 / 86 prefix, separators removed.

    Numbers arrive pasted from contact cards and spreadsheets in every usual
    spelling; they must all become the same 11 digits before anything compares them.
    """
    if not isinstance(text, str):
        raise _invalid("not_text", "手机号码应为文本", "the mobile number must be text")
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        raise _invalid("empty", "手机号码不能为空", "the mobile number must not be empty")
    compact = "".join(c for c in folded if c not in _SEPARATORS)
    international = compact.startswith("+")
    if international:
        compact = compact[1:]
    if not compact.isascii() or not compact.isdigit():
        raise _invalid(
            "characters",
            "手机号码只能包含数字（可带 +86 前缀、空格或短横线）",
            "the mobile number may only contain digits "
            "(with an optional +86 prefix, spaces or hyphens)",
        )
    if international or compact.startswith("00"):
        rest = compact if international else compact[2:]
        if not rest.startswith("86"):
            raise _invalid(
                "not_mainland",
                "只支持中国大陆手机号码（+86）",
                "only mainland China mobile numbers (+86) are accepted",
            )
        return rest[2:]
    if len(compact) == 13 and compact.startswith("86"):
        return compact[2:]
    return compact


def parse_mobile(text: str) -> MobileNumber:
    """Check a mainland mobile number and say who carries it; `InvalidValue` if not."""
    national = _national_digits(text)
    if len(national) != 11:
        raise _invalid(
            "length",
            f"手机号码应为 11 位数字，实际为 {len(national)} 位",
            f"a mobile number has 11 digits, this one has {len(national)}",
        )
    parsed = phonenumbers.parse(national, "CN")
    if (
        not national.startswith("1")
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) != PhoneNumberType.MOBILE
    ):
        raise _invalid(
            "not_mobile",
            "不是有效的中国大陆手机号码",
            "this is not a valid mainland China mobile number",
        )
    host = _virtual_host(national)
    found = host or _CARRIER_BY_NAME.get(carrier.name_for_number(parsed, "en"))
    if found is None:
        raise _invalid(
            "carrier_unknown",
            "无法确定号码所属运营商",
            "the carrier of this number cannot be determined",
        )
    return MobileNumber(number=national, carrier=found, is_virtual=host is not None)


@functools.lru_cache(maxsize=4096)
def region_of(number: str) -> str:
    """Province/city in Chinese, "" when only the country is known. The geocoder's
    tables take most of a second and tens of MB to load: the first caller pays, not
    every start of the app."""
    from phonenumbers import geocoder

    region = geocoder.description_for_number(phonenumbers.parse(number, "CN"), "zh")
    return "" if region == "中国" else region  # phonenumbers' "no province known"


def mask_phone(number: str) -> str:
    """'138****8000': the first 3 and last 4 digits of an 11-digit number.

    Staff recognise a number by its ends, while the middle four keep it from being
    read off a screen or a log. Anything that is not 11 characters long (it should
    not happen) keeps only its last 2 characters, or nothing if it has 4 or fewer.
    """
    compact = "".join(number.split())
    n = len(compact)
    if n == 11:
        return compact[:3] + "****" + compact[7:]
    if n <= 4:
        return "*" * n
    return "*" * (n - 2) + compact[-2:]
