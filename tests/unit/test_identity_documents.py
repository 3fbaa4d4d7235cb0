"""Document numbers: what is accepted, what is refused and why (SPEC §6), masking (§7)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian_desktop.rules.documents import (
    CREDIT_CODE_ALPHABET,
    PROVINCE_CODES,
    credit_code_check_char,
    last_six,
    mask_document_number,
    normalize_document_number,
    resident_id_check_char,
)
from beian_desktop.rules.errors import InvalidValue
from beian_desktop.terms import DocType

TODAY = date(2025, 6, 15)
SAMPLE_ID = "11010519491231002X"  # the GB 11643 example number
SAMPLE_CREDIT = "91350100M000100Y43"


def resident(text: str, today: date = TODAY) -> str:
    return normalize_document_number(DocType.RESIDENT_ID, text, today=today)


def credit(text: str) -> str:
    return normalize_document_number(DocType.CREDIT_CODE, text)


def with_id_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def refused(doc_type: DocType, text: str, today: date = TODAY) -> InvalidValue:
    with pytest.raises(InvalidValue) as info:
        normalize_document_number(doc_type, text, today=today)
    return info.value


# --- check characters -------------------------------------------------------------


def test_check_chars_of_the_published_samples():
    assert resident_id_check_char(SAMPLE_ID[:17]) == "X"
    assert credit_code_check_char(SAMPLE_CREDIT[:17]) == "3"


def test_resident_check_char_by_hand():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167,
    # 167 % 11 = 2, which maps to "X".
    assert resident_id_check_char("11010519491231002") == "X"
    # All zeros: sum 0 maps to "1".
    assert resident_id_check_char("0" * 17) == "1"


def _reference_resident_check(first17: str) -> str:
    """GB 11643 from its definition: weights 2^(18-i) mod 11, check (12 - S mod 11) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _reference_credit_check(first17: str) -> str:
    """GB 32100 from its definition: weights 3^(i-1) mod 31, check 31 - S mod 31."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_property_resident_check_char_matches_the_definition(first17):
    assert resident_id_check_char(first17) == _reference_resident_check(first17)


@given(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17))
def test_property_credit_check_char_matches_the_definition(first17):
    assert credit_code_check_char(first17) == _reference_credit_check(first17)


@pytest.mark.parametrize(
    "code",
    [
        # Codes published in public company registers, with letter check characters.
        "91440300708461136T",
        "9144030071526726XG",
        "91110000802100433B",
        "91330100716105852F",
        "91310000775785552L",
        "91110108551385082Q",
    ],
)
def test_published_credit_codes_are_valid(code):
    assert credit(code) == code


@pytest.mark.parametrize("bad", ["1101051949123100", "110105194912310021", "1101051949123100A"])
def test_resident_check_char_needs_17_digits(bad):
    with pytest.raises(ValueError):
        resident_id_check_char(bad)


@pytest.mark.parametrize("bad", ["9135010", "91350100M000100YI", "91350100m000100y4"])
def test_credit_check_char_needs_17_alphabet_chars(bad):
    with pytest.raises(ValueError):
        credit_code_check_char(bad)


# --- resident ID ---------------------------------------------------------------------


def test_sample_resident_id_is_valid():
    assert resident(SAMPLE_ID) == SAMPLE_ID


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        " 110105 19491231 002x ",
        "110105\u300019491231002X",  # ideographic space
        "１１０１０５１９４９１２３１００２ｘ",  # full-width
    ],
)
def test_resident_id_is_normalised(typed):
    assert resident(typed) == SAMPLE_ID


@pytest.mark.parametrize("last", [c for c in "0123456789" if c != "X"])
def test_wrong_resident_check_char_is_refused(last):
    error = refused(DocType.RESIDENT_ID, SAMPLE_ID[:17] + last)
    assert error.code == "document.check_char"
    assert "校验位错误" in error.zh
    assert "check character is wrong" in error.en


def test_swapped_digits_are_caught():
    swapped = "11010519491231200X"  # 002 -> 200
    assert refused(DocType.RESIDENT_ID, swapped).code == "document.check_char"


@pytest.mark.parametrize(
    ("birth", "code"),
    [
        ("19490230", "document.birth_date"),  # 30 February
        ("20230229", "document.birth_date"),  # 2023 is no leap year
        ("19491301", "document.birth_date"),  # month 13
        ("19490000", "document.birth_date"),
        ("18001231", "document.birth_date_too_early"),
        ("18991231", "document.birth_date_too_early"),
        ("20250616", "document.birth_date_future"),  # the day after TODAY
        ("20300101", "document.birth_date_future"),
    ],
)
def test_invalid_birth_dates_are_refused(birth, code):
    number = with_id_check("110105" + birth + "002")
    error = refused(DocType.RESIDENT_ID, number)
    assert error.code == code
    assert "出生日期无效" in error.zh


def test_birth_date_message_says_it_is_not_a_date():
    error = refused(DocType.RESIDENT_ID, with_id_check("11010519490230002"))
    assert "birth date is not a valid date" in error.en


@pytest.mark.parametrize("birth", ["19000101", "20000229", "20250615"])
def test_edge_birth_dates_are_accepted(birth):
    number = with_id_check("110105" + birth + "002")
    assert resident(number) == number


def test_future_is_relative_to_today():
    number = with_id_check("11010520300101002")
    with pytest.raises(InvalidValue):
        resident(number, today=date(2029, 12, 31))
    assert resident(number, today=date(2030, 1, 1)) == number


@pytest.mark.parametrize(
    "province", ["00", "10", "16", "20", "24", "30", "38", "40", "47", "55", "99"]
)
def test_unknown_province_is_refused(province):
    error = refused(DocType.RESIDENT_ID, with_id_check(province + "010519491231002"))
    assert error.code == "document.region"
    assert province in error.zh


@pytest.mark.parametrize("province", ["11", "37", "46", "54", "65", "71", "81", "82", "83"])
def test_known_provinces_are_accepted(province):
    number = with_id_check(province + "010519491231002")
    assert resident(number) == number


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "document.empty"),
        ("   ", "document.empty"),
        ("1101051949123100", "document.length"),
        ("11010519491231002X1", "document.length"),
        ("1101051949123100XX", "document.characters"),
        ("X10105194912310021", "document.characters"),
        ("11010519491231002Y", "document.characters"),
        ("110105-1949123100X", "document.characters"),
    ],
)
def test_malformed_resident_ids(text, code):
    assert refused(DocType.RESIDENT_ID, text).code == code


def test_length_message_says_how_long():
    error = refused(DocType.RESIDENT_ID, "1101051949123100")
    assert "18" in error.zh and "16" in error.zh
    assert "18" in error.en and "16" in error.en


def test_messages_name_the_document():
    error = refused(DocType.RESIDENT_ID, "11010519491231002")
    assert error.zh.startswith("居民身份证号码")
    assert error.en.startswith("Resident ID number")


_province = st.sampled_from(sorted(PROVINCE_CODES))
_birth = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@st.composite
def resident_first17(draw) -> str:
    county = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return draw(_province) + county + draw(_birth).strftime("%Y%m%d") + sequence


@given(first17=resident_first17())
def test_property_resident_check_char_makes_it_valid(first17):
    number = first17 + resident_id_check_char(first17)
    assert resident(number) == number
    assert resident(number.lower()) == number


@given(first17=resident_first17(), last=st.sampled_from("0123456789X"))
def test_property_any_other_last_char_is_refused(first17, last):
    if last == resident_id_check_char(first17):
        return
    error = refused(DocType.RESIDENT_ID, first17 + last)
    assert error.code == "document.check_char"


# --- unified social credit code ----------------------------------------------------


def test_sample_credit_code_is_valid():
    assert credit(SAMPLE_CREDIT) == SAMPLE_CREDIT
    assert credit(" 91350100m000100y43 ") == SAMPLE_CREDIT


@pytest.mark.parametrize("last", [c for c in CREDIT_CODE_ALPHABET if c != "3"])
def test_wrong_credit_check_char_is_refused(last):
    error = refused(DocType.CREDIT_CODE, SAMPLE_CREDIT[:17] + last)
    assert error.code == "document.check_char"
    assert "校验位错误" in error.zh
    assert "check character is wrong" in error.en


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_alphabet_are_refused(letter):
    error = refused(DocType.CREDIT_CODE, SAMPLE_CREDIT[:8] + letter + SAMPLE_CREDIT[9:])
    assert error.code == "document.characters"
    assert letter in error.zh and letter in error.en


def test_region_code_must_be_digits():
    first17 = "91A50100M000100Y4"
    number = first17 + credit_code_check_char(first17)
    error = refused(DocType.CREDIT_CODE, number)
    assert error.code == "document.region"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "document.empty"),
        ("91350100M000100Y4", "document.length"),
        ("91350100M000100Y4-", "document.characters"),
    ],
)
def test_malformed_credit_codes(text, code):
    assert refused(DocType.CREDIT_CODE, text).code == code


_credit_char = st.sampled_from(CREDIT_CODE_ALPHABET)


@st.composite
def credit_first17(draw) -> str:
    head = draw(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=2, max_size=2))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=9, max_size=9))
    return head + region + body


@given(first17=credit_first17())
def test_property_credit_check_char_makes_it_valid(first17):
    number = first17 + credit_code_check_char(first17)
    assert credit(number) == number


@given(first17=credit_first17(), last=_credit_char)
def test_property_any_other_credit_last_char_is_refused(first17, last):
    if last == credit_code_check_char(first17):
        return
    assert refused(DocType.CREDIT_CODE, first17 + last).code == "document.check_char"


@given(first17=credit_first17(), position=st.integers(0, 16), replacement=_credit_char)
def test_property_a_single_changed_character_is_caught(first17, position, replacement):
    """GB 32100's MOD 31 catches every single-character substitution."""
    if first17[position] == replacement:
        return
    number = first17 + credit_code_check_char(first17)
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(InvalidValue):
        credit(changed)


# --- other document types ----------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "typed", "stored"),
    [
        (DocType.PASSPORT, "e12345678", "E12345678"),
        (DocType.PASSPORT, "AB123", "AB123"),
        (DocType.PASSPORT, "A" * 17, "A" * 17),
        (DocType.HK_MACAU_PERMIT, "h12345678", "H12345678"),
        (DocType.HK_MACAU_PERMIT, "M 1234567890", "M1234567890"),
        (DocType.TAIWAN_PERMIT, "12345678", "12345678"),
        (DocType.TAIWAN_PERMIT, "a123456789", "A123456789"),
        (DocType.FOREIGN_PERMANENT_ID, "usa330000000001", "USA330000000001"),
    ],
)
def test_other_documents_accepted(doc_type, typed, stored):
    assert normalize_document_number(doc_type, typed) == stored


@pytest.mark.parametrize(
    ("doc_type", "text", "code"),
    [
        (DocType.PASSPORT, "E123", "document.length"),
        (DocType.PASSPORT, "A" * 18, "document.length"),
        (DocType.PASSPORT, "E1234-567", "document.format"),
        (DocType.PASSPORT, "", "document.empty"),
        (DocType.HK_MACAU_PERMIT, "C12345678", "document.format"),
        (DocType.HK_MACAU_PERMIT, "H1234567", "document.format"),
        (DocType.HK_MACAU_PERMIT, "H123456789", "document.format"),
        (DocType.HK_MACAU_PERMIT, "12345678", "document.format"),
        (DocType.TAIWAN_PERMIT, "1234567", "document.format"),
        (DocType.TAIWAN_PERMIT, "A1234567", "document.format"),
        (DocType.TAIWAN_PERMIT, "123456789", "document.format"),
        (DocType.FOREIGN_PERMANENT_ID, "US3300000000012", "document.format"),
        (DocType.FOREIGN_PERMANENT_ID, "1234567890", "document.length"),
    ],
)
def test_other_documents_refused(doc_type, text, code):
    assert refused(doc_type, text).code == code


def test_new_foreign_permanent_id_uses_the_resident_check_char():
    first17 = "93315619800101001"  # 9, Zhejiang, nationality 156, born 1980-01-01
    good = with_id_check(first17)
    assert normalize_document_number(DocType.FOREIGN_PERMANENT_ID, good, today=TODAY) == good
    wrong = first17 + ("0" if good[-1] != "0" else "1")
    assert refused(DocType.FOREIGN_PERMANENT_ID, wrong).code == "document.check_char"


def test_new_foreign_permanent_id_checks_birth_date_and_leading_nine():
    assert (
        refused(DocType.FOREIGN_PERMANENT_ID, with_id_check("93315619800230001")).code
        == "document.birth_date"
    )
    assert refused(DocType.FOREIGN_PERMANENT_ID, SAMPLE_ID).code == "document.format"


def test_doc_type_may_be_given_as_its_stored_value():
    assert normalize_document_number("resident_id", SAMPLE_ID, today=TODAY) == SAMPLE_ID


# --- last six and masking --------------------------------------------------------------


def test_last_six():
    assert last_six(SAMPLE_ID) == "31002X"
    assert last_six("11010519491231002x") == "31002X"
    assert last_six("３１００２ｘ") == "31002X"
    assert last_six("AB123") == "AB123"


def test_mask_resident_id():
    assert mask_document_number(SAMPLE_ID) == "110**************X"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        (SAMPLE_CREDIT, "913**************3"),
        ("E12345678", "E*******8"),
        ("AB123", "A***3"),
        ("ABCD", "****"),
        ("", ""),
    ],
)
def test_mask_other_lengths(number, masked):
    assert mask_document_number(number) == masked


@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_property_mask_reveals_at_most_four_of_eighteen(number):
    masked = mask_document_number(number)
    assert len(masked) == 18
    assert sum(c != "*" for c in masked) <= 4
    # Five of the six characters a verifier proves themselves with stay hidden.
    assert masked[-6:-1] == "*****"


@given(st.text(alphabet="ABC0123456789", min_size=0, max_size=30))
def test_property_mask_keeps_length_and_hides_most(number):
    masked = mask_document_number(number)
    assert len(masked) == len(number)
    assert sum(c != "*" for c in masked) <= max(0, len(number) // 2)
