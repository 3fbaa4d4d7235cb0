"""What any text a person types may hold, before any other check looks at it.

Every text field of every entry point goes through `clean_text` (or `text_problem`)
first: a value that is not a string, a control character (NUL included), a lone
surrogate or a mark that overrides the direction of the text is refused with a field
error, never stored. Each of these has done harm elsewhere: NUL and lone surrogates
make PostgreSQL and the database drivers raise half-way through a unit of work (and
SQLite stores them silently), control characters make the supervisors' Excel export
fail, and a right-to-left override in a name turns the SMS a person reads around
(the "Trojan Source" trick, CVE-2021-42574).

Long texts (remarks, notes, a rejection's reason) may hold line breaks and tabs; a
name, an address or a number may not. Lengths are counted in code points, as
PostgreSQL counts a `varchar(n)`; the limits themselves are in field_limits.py.
"""

from __future__ import annotations

import unicodedata

from beian_desktop.rules.errors import InvalidValue

# Embedding and override (U+202A-U+202E) and isolate (U+2066-U+2069) controls. The
# implicit marks (U+200E, U+200F, U+061C) cannot reorder text on their own: allowed.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# What a text of several lines may hold that a one-line field may not.
LINE_CONTROLS = frozenset("\n\t")


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def not_text() -> InvalidValue:
    return InvalidValue("not_text", "应为文本", "must be text")


def too_long(max_len: int) -> InvalidValue:
    return InvalidValue(
        "too_long", f"不能超过 {max_len} 个字符", f"must be at most {max_len} characters"
    )


def text_problem(value: str, *, multiline: bool = False) -> InvalidValue | None:
    """The first character no text field may hold, as the error to show; None if none."""
    for char in value:
        if char in BIDI_CONTROLS:
            return InvalidValue(
                "bidi_control",
                f"不能包含改变文字方向的控制符（{_code_point(char)}）",
                f"must not contain marks that override the direction of text ({_code_point(char)})",
            )
        category = unicodedata.category(char)
        if category == "Cs":
            return InvalidValue(
                "lone_surrogate",
                f"含有无效的字符（{_code_point(char)}）",
                f"contains an invalid character ({_code_point(char)}, a lone surrogate)",
            )
        if category == "Cc" and not (multiline and char in LINE_CONTROLS):
            return InvalidValue(
                "control_character",
                f"不能包含控制字符（{_code_point(char)}）",
                f"must not contain control characters ({_code_point(char)})",
            )
    return None


def clean_text(value: object, max_len: int, *, multiline: bool = False) -> str:
    """The value as it is stored (white space at either end removed; a text of several
    lines keeps its line breaks, as "\\n"), or `InvalidValue` saying what is wrong."""
    if not isinstance(value, str):
        raise not_text()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise problem
    value = value.strip()
    if len(value) > max_len:
        raise too_long(max_len)
    return value


def typed_text(value: object) -> str:
    """What a person typed into a one-line box, before its own format is checked: a
    string without control characters, surrogates or direction overrides.

    NFKC folds what a Chinese input method types (full-width digits and letters, the
    ideographic space) into the ASCII a format check expects.
    """
    if not isinstance(value, str):
        raise not_text()
    problem = text_problem(value)
    if problem is not None:
        raise problem
    return unicodedata.normalize("NFKC", value)
