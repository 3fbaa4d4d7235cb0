"""Numbers and codes masked in free text: what an endpoint answered, a timeline's
details. Phones show as 138****8000, ID numbers keep their first three and last
character, and with `codes` every run of six digits becomes ******.
"""

from __future__ import annotations

import re

from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.phones import mask_phone

_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1\d{10}(?!\d)")
_CODE_IN_TEXT = re.compile(r"(?<!\d)\d{6}(?!\d)")
_DOC_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Z]*\d)[0-9A-Z]{15,18}(?![0-9A-Za-z])")
CODE_MASK = "******"


def scrub(text: str, *, codes: bool = False) -> str:
    """Mobile and ID numbers in free text masked; with `codes`, 6-digit runs too."""
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
    text = _DOC_IN_TEXT.sub(lambda m: mask_document_number(m.group()), text)
    return _CODE_IN_TEXT.sub(CODE_MASK, text) if codes else text


def scrub_value(value: object) -> object:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(v) for v in value]
    return value
