"""Numbers and codes masked in free text: what an endpoint answered, a timeline's
details. Phones show as 138****8000, ID numbers keep their first three and last
character, and with `codes` every run of six digits becomes ******.
`redact_answer` makes an endpoint's answer fit to store: the message it answered
about removed first, whatever form the endpoint echoed it in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

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


REDACTED = "[…]"


def _echoed_forms(secret: str) -> set[str]:
    """How an endpoint may echo a value back: as sent, JSON-escaped (either way) or
    URL-encoded."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        quote(secret),
        quote_plus(secret),
    }


def redact_answer(answer: str, secrets: Iterable[str], *, limit: int) -> str:
    """An endpoint's answer as it may be stored or audited: each of `secrets` (the
    message's text, code, phone, the person's name) removed in every form it may be
    echoed in, longest first, then numbers and codes masked as `scrub` does, then cut
    to `limit` characters. Removing comes before cutting, so no secret is cut in
    half out of recognition and then kept."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in sorted(_echoed_forms(secret), key=len, reverse=True):
            answer = answer.replace(form, REDACTED)
    answer = scrub(answer, codes=True)
    return answer if len(answer) <= limit else answer[: max(limit - 1, 0)] + "…"
