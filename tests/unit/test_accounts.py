"""The password and username rules (rules/accounts.py), case by case and as
properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian_desktop.rules.accounts import (
    MIN_PASSWORD_LENGTH,
    PASSWORD_RULE,
    character_classes,
    common_passwords,
    password_errors,
    username_errors,
)


def codes(password: str, username: str = "") -> set[str]:
    return {e.code for e in password_errors(password, username)}


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        (" " * 10, {"password_whitespace", "password_too_simple"}),
        ("aaaaaaaaaa", {"password_too_simple"}),
        ("password12", {"password_too_simple", "password_common"}),
        ("Password1", {"password_common"}),
        ("Ab1!", {"password_too_short"}),
        ("Ab1!efg", {"password_too_short"}),
        ("Abcdefg1", set()),  # eight, three classes
        ("abcdefg1!", set()),  # lower, digit, symbol
        ("ABCDEFG1!", set()),
        ("Abc def1!", {"password_whitespace"}),
        ("Abc\tdef1!", {"password_whitespace"}),
        ("Abcdef1!\x00", {"password_whitespace"}),
        ("Abcdef1!\u202e", {"password_whitespace"}),  # a bidi override is a control char
        ("密码Abcdef1", set()),  # Chinese characters are letters of no case: still three
    ],
)
def test_each_rule_case_by_case(password, expected):
    assert codes(password) == expected


def test_the_username_cannot_be_the_password_in_any_case():
    assert "password_is_username" in codes("Wang.Fang-2026", "wang.fang")
    assert "password_is_username" not in codes("Wang.Fang-2026", "li.na")


def test_the_common_list_is_shipped_and_case_blind():
    assert "qwerty123" in common_passwords() and len(common_passwords()) > 100
    assert "password_common" in codes("P@ssw0rd")


def test_woaini1314_is_refused_whatever_its_case():
    assert "password_common" in codes("WoAiNi1314")


@given(st.text(min_size=MIN_PASSWORD_LENGTH, max_size=40))
def test_an_accepted_password_meets_every_rule(password):
    if not password_errors(password):
        assert len(password) >= MIN_PASSWORD_LENGTH
        assert character_classes(password) >= 3
        assert not any(c.isspace() for c in password)
        assert password.lower() not in common_passwords()


@given(st.text(max_size=MIN_PASSWORD_LENGTH - 1))
def test_a_short_password_is_always_refused(password):
    assert "password_too_short" in codes(password)


def test_every_refusal_and_the_rule_itself_are_in_both_languages():
    for error in password_errors(" ", "x"):
        assert error.zh and error.en and error.zh != error.en
    zh, en = PASSWORD_RULE
    assert str(MIN_PASSWORD_LENGTH) in zh and str(MIN_PASSWORD_LENGTH) in en


@pytest.mark.parametrize("name", ["ab", "with space", "UPPER!", "x" * 33, "system", "unknown"])
def test_bad_or_reserved_usernames_are_refused(name):
    assert username_errors(name)


@pytest.mark.parametrize("name", ["isp.wang", "kefu_li", "bureau-01", "Admin"])
def test_good_usernames_pass(name):
    assert not username_errors(name)
