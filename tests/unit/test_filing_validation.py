"""SPEC §6 over a whole filing: every bad field named, in both languages (that nothing is
saved: tests/engine/test_saving_invalid_filings.py)."""

from __future__ import annotations

import pytest

from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.rules.validation import Mode, validate_filing
from beian_desktop.terms import DocType, SubjectNature

from factories import filing

PROVINCES = {"33", "44"}


def wrong_check_char(number: str) -> str:
    return number[:-1] + ("1" if number[-1] == "0" else "0")


def errors_of(draft, mode=Mode.SUBMIT):
    with pytest.raises(ValidationFailed) as caught:
        validate_filing(draft, mode, PROVINCES)
    return {e.field: e for e in caught.value.errors}


def test_a_valid_filing_comes_back_normalised():
    draft = filing(website_phones=[None])
    draft.websites[0].domains = ["Example.例子.中国.", "www.EXAMPLE.cn"]
    draft.websites[0].principal.mobile = "+86 138-0013-0101"
    draft.subject.principal.doc_number = draft.subject.principal.doc_number.lower()
    clean = validate_filing(draft, Mode.SUBMIT, PROVINCES)
    assert clean.websites[0].domains == ["example.xn--fsqu00a.xn--fiqs8s", "www.example.cn"]
    assert clean.websites[0].principal.mobile == "13800130101"
    assert clean.subject.principal.doc_number == draft.subject.principal.doc_number.upper()


def test_every_problem_is_named_at_once_in_chinese_and_english():
    draft = filing(website_phones=[None, None])
    draft.subject.doc_number = wrong_check_char(draft.subject.doc_number)
    draft.subject.principal.mobile = "1380013"
    draft.websites[1].domains = ["http://bad.cn/path"]
    draft.websites[1].principal.email = "not-an-email"
    errors = errors_of(draft)
    assert set(errors) == {
        "subject.doc_number",
        "subject.principal.mobile",
        "websites[1].domains[0]",
        "websites[1].principal.email",
    }
    credit = errors["subject.doc_number"]
    assert credit.zh and credit.en and credit.zh != credit.en
    assert credit.message("zh_CN") == credit.zh and credit.message("en") == credit.en


def test_submission_needs_every_required_field_but_a_draft_does_not():
    draft = filing()
    draft.subject.holder_name = ""
    draft.websites[0].domains = []
    draft.websites[0].principal.mobile = ""
    assert {"subject.holder_name", "websites[0].domains", "websites[0].principal.mobile"} <= set(
        errors_of(draft)
    )
    validate_filing(draft, Mode.DRAFT, PROVINCES)  # a draft may be incomplete


def test_a_draft_may_not_hold_a_malformed_value():
    draft = filing()
    draft.websites[0].principal.mobile = "12345"
    assert "websites[0].principal.mobile" in errors_of(draft, Mode.DRAFT)


def test_an_unknown_province_and_a_mismatched_document_type_are_named():
    draft = filing(province="99")
    draft.subject.nature = SubjectNature.INDIVIDUAL  # but it carries a credit code
    errors = errors_of(draft)
    assert errors["subject.province_code"].code == "unknown_province"
    assert errors["subject.doc_type"].code == "doc_type_mismatch"


def test_a_principal_must_use_a_personal_document():
    draft = filing()
    draft.websites[0].principal.doc_type = DocType.CREDIT_CODE
    draft.websites[0].principal.doc_number = draft.subject.doc_number
    assert errors_of(draft)["websites[0].principal.doc_type"].code == "not_personal"


def test_one_domain_on_two_websites_is_refused():
    draft = filing(website_phones=[None, None])
    draft.websites[1].domains = [draft.websites[0].domains[0].upper()]
    assert errors_of(draft)["websites[1].domains[0]"].code == "duplicate"


def test_server_addresses_must_be_ip_addresses():
    draft = filing()
    draft.websites[0].access.server_ips = ["10.0.0.1", "300.1.1.1"]
    assert "websites[0].access.server_ips[1]" in errors_of(draft)
