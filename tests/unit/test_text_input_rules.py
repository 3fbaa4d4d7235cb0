"""What no text field may hold, its length, its type and its choices: field errors
from the rules, before any service or database sees the value (rules/text_input.py,
rules/validation.py, rules/query_input.py, rules/policy.py)."""

from __future__ import annotations

import copy

import pytest

from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.rules.field_limits import LIMITS, LONG_TEXT
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.rules.policy import Policy, validate_policy
from beian_desktop.rules.query_input import check_filter
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.rules.text_input import clean_text
from beian_desktop.rules.validation import Mode, validate_filing

from factories import filing

PROVINCES = {"33", "44"}

# Every text a filing holds: its path, where it is in the input, the column it goes to.
TEXT_FIELDS = [
    ("subject.city", ("subject", "city"), "subjects.city"),
    ("subject.holder_name", ("subject", "holder_name"), "subjects.holder_name"),
    ("subject.document_address", ("subject", "document_address"), "subjects.document_address"),
    ("subject.mailing_address", ("subject", "mailing_address"), "subjects.mailing_address"),
    ("subject.investor", ("subject", "investor"), "subjects.investor"),
    ("subject.remarks", ("subject", "remarks"), None),
    ("subject.doc_number", ("subject", "doc_number"), None),
    ("subject.principal.name", ("subject", "principal", "name"), "principals.name"),
    ("subject.principal.email", ("subject", "principal", "email"), "principals.email"),
    ("subject.principal.phone2", ("subject", "principal", "phone2"), "principals.phone2"),
    ("subject.principal.mobile", ("subject", "principal", "mobile"), None),
    ("subject.principal.doc_number", ("subject", "principal", "doc_number"), None),
    ("websites[0].name", ("websites", 0, "name"), "websites.name"),
    ("websites[0].home_url", ("websites", 0, "home_url"), "websites.home_url"),
    ("websites[0].service_content", ("websites", 0, "service_content"), None),
    ("websites[0].language", ("websites", 0, "language"), "websites.language"),
    ("websites[0].preapproval_number", ("websites", 0, "preapproval_number"), None),
    ("websites[0].remarks", ("websites", 0, "remarks"), None),
    ("websites[0].access.isp_name", ("websites", 0, "access", "isp_name"), None),
    ("websites[0].access.method", ("websites", 0, "access", "method"), None),
]
UNFIT = {
    "\x00": "control_character",
    "\x01": "control_character",
    "\x1b": "control_character",
    "\x7f": "control_character",
    "\u202e": "bidi_control",  # RIGHT-TO-LEFT OVERRIDE
    "\u2067": "bidi_control",  # RIGHT-TO-LEFT ISOLATE
    "\ud800": "lone_surrogate",
}


def _set(draft: FilingInput, where: tuple, value: object) -> FilingInput:
    draft = copy.deepcopy(draft)
    target: object = draft
    for step in where[:-1]:
        target = target[step] if isinstance(step, int) else getattr(target, step)  # type: ignore[index]
    if isinstance(where[-1], int):
        target[where[-1]] = value  # type: ignore[index]
    else:
        setattr(target, where[-1], value)
    return draft


def _errors(draft: object, mode: Mode = Mode.DRAFT) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        validate_filing(draft, mode, PROVINCES)
    return {e.field: e.code for e in caught.value.errors}


@pytest.mark.parametrize("char", sorted(UNFIT))
@pytest.mark.parametrize(("path", "where", "_column"), TEXT_FIELDS)
def test_no_text_field_takes_control_characters_surrogates_or_overrides(path, where, _column, char):
    draft = _set(filing(), where, f"杭州{char}科技")
    assert _errors(draft) == {path: UNFIT[char]}


def test_long_texts_keep_line_breaks_and_tabs_but_one_line_fields_do_not():
    draft = filing()
    draft.subject.remarks = "第一行\r\n第二行\t完"
    assert validate_filing(draft, Mode.DRAFT, PROVINCES).subject.remarks == "第一行\n第二行\t完"
    assert _errors(_set(filing(), ("subject", "holder_name"), "甲\n乙")) == {
        "subject.holder_name": "control_character"
    }


def test_the_implicit_direction_marks_are_ordinary_text():
    draft = _set(filing(), ("subject", "investor"), "\u200fشركة\u200e")
    assert validate_filing(draft, Mode.DRAFT, PROVINCES).subject.investor == "\u200fشركة\u200e"


@pytest.mark.parametrize(("path", "where", "column"), [f for f in TEXT_FIELDS if f[2]])
def test_each_text_is_as_long_as_its_column_and_no_longer(path, where, column):
    n = LIMITS[column]
    if path.endswith(("email", "home_url", "phone2")):
        return  # their formats refuse a run of one letter; test_email_and_url_lengths
    assert validate_filing(_set(filing(), where, "甲" * n), Mode.DRAFT, PROVINCES)
    assert _errors(_set(filing(), where, "甲" * (n + 1))) == {path: "too_long"}


def test_email_and_url_lengths():
    email = "a" * (LIMITS["principals.email"] - len("@example.cn")) + "@example.cn"
    ok = _set(filing(), ("subject", "principal", "email"), email)
    assert validate_filing(ok, Mode.DRAFT, PROVINCES).subject.principal.email == email
    too_long = _set(filing(), ("subject", "principal", "email"), "a" + email)
    assert _errors(too_long) == {"subject.principal.email": "too_long"}
    url = "https://" + "a" * (LIMITS["websites.home_url"] - len("https://"))
    assert _errors(_set(filing(), ("websites", 0, "home_url"), url + "a")) == {
        "websites[0].home_url": "too_long"
    }


def test_long_texts_have_the_rules_own_limit():
    assert _errors(_set(filing(), ("subject", "remarks"), "字" * (LONG_TEXT + 1))) == {
        "subject.remarks": "too_long"
    }


@pytest.mark.parametrize("value", [None, 42, ["杭州"], b"bytes", {"a": 1}])
def test_a_value_that_is_not_text_where_text_goes(value):
    assert _errors(_set(filing(), ("subject", "holder_name"), value)) == {
        "subject.holder_name": "not_text"
    }
    kept = _set(filing(), ("subject", "principal", "mobile"), value)
    if value is None:  # a phone's None, like an ID number's, keeps the stored one (an edit)
        assert validate_filing(kept, Mode.DRAFT, PROVINCES).subject.principal.mobile is None
    else:
        assert _errors(kept) == {"subject.principal.mobile": "not_text"}


def test_wrong_types_and_unknown_choices_are_field_errors():
    assert _errors(_set(filing(), ("subject", "doc_type"), "passport_card")) == {
        "subject.doc_type": "unknown_choice"
    }
    assert _errors(_set(filing(), ("subject", "nature"), 3)) == {"subject.nature": "unknown_choice"}
    assert _errors(_set(filing(), ("subject", "principal", "doc_type"), None)) == {
        "subject.principal.doc_type": "unknown_choice"
    }
    assert _errors(_set(filing(), ("websites", 0, "domains"), "site.cn")) == {
        "websites[0].domains": "not_a_list"
    }
    assert _errors(_set(filing(), ("websites", 0, "domains"), ["site.cn", 7])) == {
        "websites[0].domains[1]": "not_text"
    }
    assert _errors(_set(filing(), ("websites",), "a website")) == {"websites": "not_a_list"}
    assert _errors(_set(filing(), ("websites", 0), "a website")) == {"websites[0]": "wrong_type"}
    assert _errors(_set(filing(), ("subject", "principal"), None)) == {
        "subject.principal": "wrong_type"
    }
    assert _errors(_set(filing(), ("websites", 0, "id"), "1")) == {"websites[0].id": "not_an_id"}
    assert _errors("a filing") == {"filing": "wrong_type"}


@pytest.mark.parametrize("province", ["", " ", None, "99", "３３"])
def test_a_province_must_exist_even_in_a_draft(province):
    code = "required" if province in ("", " ", None) else "unknown_province"
    assert _errors(_set(filing(), ("subject", "province_code"), province)) == {
        "subject.province_code": code
    }


def test_clean_text_counts_code_points_as_postgresql_does():
    assert clean_text("😀" * 4, 4) == "😀" * 4
    with pytest.raises(ValueError, match="4"):
        try:
            clean_text("😀" * 5, 4)
        except Exception as problem:
            raise ValueError(str(problem)) from None


def test_a_filter_of_the_list_is_checked_like_any_input():
    assert check_filter(FilingFilter(search="  杭州 ")).search == "杭州"
    with pytest.raises(ValidationFailed) as caught:
        check_filter(
            FilingFilter(
                search="a\x00b",
                states=frozenset({"verifying", "lost"}),
                business_types="new_filing",  # type: ignore[arg-type]
                province_codes=frozenset({""}),
                submitted_from="2026-01-01",  # type: ignore[arg-type]
            )
        )
    assert {e.field: e.code for e in caught.value.errors} == {
        "search": "control_character",
        "states": "unknown_choice",
        "business_types": "not_a_list",
        "province_codes": "unknown_choice",
        "submitted_from": "not_a_date",
    }


def test_a_policy_of_the_wrong_types_is_named_field_by_field():
    policy = Policy(
        max_wrong_tries=True,  # type: ignore[arg-type]
        verify_cancel_subject="no",  # type: ignore[arg-type]
        sender_numbers={"mobile": "１０６５７５", "nobody": "10655113"},
    )
    with pytest.raises(ValidationFailed) as caught:
        validate_policy(policy)
    assert {e.field: e.code for e in caught.value.errors} == {
        "policy.max_wrong_tries": "out_of_range",
        "policy.verify_cancel_subject": "not_a_flag",
        "policy.sender_numbers.mobile": "bad_sender_number",
        "policy.sender_numbers.nobody": "bad_sender_number",
    }


def test_an_id_is_a_whole_number_an_integer_column_holds():
    from beian_desktop.rules.validation import record_id

    assert record_id("request_id", 2**31 - 1) == 2**31 - 1
    for not_an_id in (2**31, True, 1.0, "1", None):
        with pytest.raises(ValidationFailed):
            record_id("request_id", not_an_id)
