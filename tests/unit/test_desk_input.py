"""What people type at a desk or on the verification page is normalised before it is
checked (SPEC §5): a Chinese IME's full-width digits, spaces, hyphens in a phone; a
code that is not six digits after that is an input error (rules/desk_input.py)."""

from __future__ import annotations

import pytest

from beian_desktop.rules.desk_input import desk_input
from beian_desktop.rules.errors import ValidationFailed


def _fields(phone: object, last6: object, code: object = None) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        desk_input(phone, last6, code)
    return {e.field: e.code for e in caught.value.errors}


@pytest.mark.parametrize(
    ("phone", "last6", "code"),
    [
        ("13800138000", "12345X", "123456"),
        ("１３８００１３８０００", "１２３４５ｘ", "１２３４５６"),  # full-width, from an IME
        ("138-0013-8000", " 123 45x ", " 123 456 "),
        ("+86 138 0013 8000", "12345x", "123\u3000456"),  # the ideographic space
        ("\u00a0138 0013 8000\u00a0", "12345X", "12 34 56"),
    ],
)
def test_what_people_type_is_folded_into_what_is_checked(phone, last6, code):
    assert desk_input(phone, last6, code) == ("13800138000", "12345X", "123456")


def test_a_number_shorter_than_six_is_given_whole():
    assert desk_input("13800138000", "e1234")[1] == "E1234"
    assert _fields("13800138000", "1234") == {"id_last6": "bad_last6"}


@pytest.mark.parametrize(
    "code",
    ["12345", "1234567", "12345a", "", "   ", "١٢٣٤٥٦", "12\x0034", "123456\u202e", 123456],
)
def test_a_code_that_is_not_six_digits_after_folding_is_an_input_error(code):
    assert _fields("13800138000", "12345X", code) == {"code": "bad_code"}


@pytest.mark.parametrize("unfit", ["1380013800\x00", "\ud8001380013800", None, 13800138000])
def test_a_phone_that_is_no_text_or_holds_what_no_text_may_is_a_field_error(unfit):
    assert set(_fields(unfit, "12345X", "123456")) == {"phone"}


def test_every_field_is_named_at_once():
    assert set(_fields("1380013", "12", "1")) == {"phone", "id_last6", "code"}
