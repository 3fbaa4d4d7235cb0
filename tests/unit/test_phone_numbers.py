"""Mainland mobile numbers: spellings, carriers, virtual operators, refusals (SPEC §6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian_desktop.rules.errors import InvalidValue
from beian_desktop.rules.phones import MobileNumber, mask_phone, parse_mobile
from beian_desktop.terms import Carrier


def refused(text: str) -> InvalidValue:
    with pytest.raises(InvalidValue) as info:
        parse_mobile(text)
    return info.value


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "+86-138-0013-8000",
        "008613800138000",
        "0086 138 0013 8000",
        "8613800138000",
        " 13800138000 ",
        "１３８００１３８０００",  # full-width digits from a Chinese input method
    ],
)
def test_spellings_give_the_eleven_digits(typed):
    assert parse_mobile(typed).number == "13800138000"


@pytest.mark.parametrize(
    ("number", "carrier"),
    [
        ("13800138000", Carrier.MOBILE),
        ("13900138000", Carrier.MOBILE),
        ("15000138000", Carrier.MOBILE),
        ("19800138000", Carrier.MOBILE),
        ("18600138000", Carrier.UNICOM),
        ("13000138000", Carrier.UNICOM),
        ("15600138000", Carrier.UNICOM),
        ("13300138000", Carrier.TELECOM),
        ("18900138000", Carrier.TELECOM),
        ("19900138000", Carrier.TELECOM),
        ("19200138000", Carrier.BROADNET),
        ("16100138000", Carrier.BROADNET),
    ],
)
def test_carrier_of_ordinary_numbers(number, carrier):
    parsed = parse_mobile(number)
    assert parsed.carrier is carrier
    assert parsed.is_virtual is False


_VIRTUAL_170 = {
    "0": Carrier.TELECOM,
    "1": Carrier.TELECOM,
    "2": Carrier.TELECOM,
    "3": Carrier.MOBILE,
    "5": Carrier.MOBILE,
    "6": Carrier.MOBILE,
    "4": Carrier.UNICOM,
    "7": Carrier.UNICOM,
    "8": Carrier.UNICOM,
    "9": Carrier.UNICOM,
}


@pytest.mark.parametrize(("fourth", "host"), sorted(_VIRTUAL_170.items()))
def test_170_host_network_depends_on_fourth_digit(fourth, host):
    parsed = parse_mobile(f"170{fourth}1234567")
    assert parsed.carrier is host
    assert parsed.is_virtual is True


@pytest.mark.parametrize(
    ("segment", "host"),
    [
        ("162", Carrier.TELECOM),  # phonenumbers gives no carrier: our table places it
        ("165", Carrier.MOBILE),  # same
        ("167", Carrier.UNICOM),
        ("171", Carrier.UNICOM),
    ],
)
@pytest.mark.parametrize("fourth", "0123456789")
def test_virtual_segments(segment, host, fourth):
    parsed = parse_mobile(f"{segment}{fourth}0138000")
    assert parsed == MobileNumber(number=f"{segment}{fourth}0138000", carrier=host, is_virtual=True)


def test_region_is_the_province_or_city_in_chinese():
    assert parse_mobile("13800138000").region == "北京市"
    assert parse_mobile("13100138000").region == "山西省晋中市"


def test_region_is_empty_when_only_the_country_is_known():
    # phonenumbers answers "中国" for these; that is no region worth showing.
    assert parse_mobile("16212345678").region == ""
    assert parse_mobile("19200138000").region == ""


def test_mobile_number_is_frozen():
    parsed = parse_mobile("13800138000")
    with pytest.raises(AttributeError):
        parsed.number = "13900138000"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "mobile.empty"),
        ("   ", "mobile.empty"),
        ("1380013800", "mobile.length"),  # 10 digits
        ("138001380001", "mobile.length"),  # 12 digits
        ("+86 1380013800", "mobile.length"),
        ("1380013800a", "mobile.characters"),
        ("138.0013.8000", "mobile.characters"),
        ("one3800138000", "mobile.characters"),
        ("+86+13800138000", "mobile.characters"),
        ("01012345678", "mobile.not_mobile"),  # Beijing landline, 11 digits
        ("+86 10 1234 5678", "mobile.length"),
        ("+86 010 1234 5678", "mobile.not_mobile"),
        ("10000138000", "mobile.not_mobile"),
        ("14900138000", "mobile.not_mobile"),  # unassigned segment
        ("16800138000", "mobile.not_mobile"),
        ("+12025550123", "mobile.not_mainland"),
        ("+1 202 555 0123", "mobile.not_mainland"),
        ("0012025550123", "mobile.not_mainland"),
        ("+852 6123 4567", "mobile.not_mainland"),
        ("13491234567", "mobile.carrier_unknown"),  # 1349: satellite, no carrier
    ],
)
def test_refused(text, code):
    assert refused(text).code == code


def test_carrier_unknown_message():
    error = refused("13491234567")
    assert error.zh == "无法确定号码所属运营商"
    assert error.en == "the carrier of this number cannot be determined"


def test_length_message_says_how_many_digits():
    error = refused("1380013800")
    assert "11" in error.zh and "10" in error.zh


@given(
    body=st.text(alphabet="0123456789", min_size=8, max_size=8),
    prefix=st.sampled_from(["138", "186", "189", "192", "162", "1705"]),
    spelling=st.sampled_from(["{}", "+86{}", "+86 {}", "0086{}", "86{}"]),
    separator=st.sampled_from(["", " ", "-"]),
)
def test_property_spelling_does_not_change_the_result(body, prefix, spelling, separator):
    national = (prefix + body)[:11]
    spaced = separator.join([national[:3], national[3:7], national[7:]])
    assert parse_mobile(spelling.format(spaced)) == parse_mobile(national)


def test_mask_phone():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("138 0013 8000") == "138****8000"


@pytest.mark.parametrize(("text", "masked"), [("1380013800", "********00"), ("1234", "****")])
def test_mask_phone_odd_lengths_hide_almost_everything(text, masked):
    assert mask_phone(text) == masked
