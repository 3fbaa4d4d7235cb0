"""Placeholders in what an administrator writes (SMS template, endpoint body, status
URL): only known names are filled, literal braces survive, nothing reaches an
attribute, and a config naming an unknown placeholder is refused before any send."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.rules.placeholders import fill, unknown_placeholders
from beian_desktop.rules.sms_text import render_sms_text
from beian_desktop.services.sending.sms_config import parse_sms_config


def test_known_names_are_filled_and_every_other_brace_stays():
    text = fill(
        '{"to": "{phone}", "raw": "{x}", "obj": {}, "code": "{code}"}',
        {"phone": "138", "code": "1"},
    )
    assert text == '{"to": "138", "raw": "{x}", "obj": {}, "code": "1"}'


def test_an_attribute_lookup_is_never_evaluated():
    assert fill("{code.__class__}", {"code": "123456"}) == "{code.__class__}"
    assert fill("{code[0]}", {"code": "123456"}) == "{code[0]}"


@given(st.text())
def test_a_text_without_known_names_comes_back_unchanged(text):
    assert fill(text, {}) == text


def test_the_sms_text_keeps_a_literal_brace():
    text = render_sms_text(
        code="123456",
        name="张三",
        deadline="2026-11-24 10:00",
        template="【备案】{name}：{code} {备注}",
    )
    assert text == "【备案】张三：123456 {备注}"


def test_unknown_placeholders_are_named():
    assert unknown_placeholders("{code} {tel} {code.__class__}", {"code"}) == [
        "tel",
        "code.__class__",
    ]


@pytest.mark.parametrize(
    ("sms", "key"),
    [
        ({"template": "核验码{code}，{code.__class__}"}, "sms.template"),
        ({"template": "核验码{code}{tel}"}, "sms.template"),
        (
            {"kind": "http", "http": {"url": "http://x/sms", "body": {"to": "{mobile}"}}},
            "sms.http.body.to",
        ),
        (
            {"kind": "http", "http": {"url": "http://x/sms", "body": {"p": ["{code}", "{x.y}"]}}},
            "sms.http.body.p[1]",
        ),
        (
            {"kind": "http", "http": {"url": "http://x/sms", "status_url": "http://x/{id}"}},
            "sms.http.status_url",
        ),
    ],
)
def test_a_config_with_an_unknown_placeholder_is_refused_naming_the_key(sms, key):
    with pytest.raises(ValidationFailed) as refused:
        parse_sms_config({"sms": sms})
    assert refused.value.fields() == {key}
    assert refused.value.zh and refused.value.en


def test_literal_braces_in_a_body_are_accepted():
    config = parse_sms_config(
        {
            "sms": {
                "kind": "http",
                "http": {"url": "http://x/sms", "body": {"t": "{text}", "j": "{}"}},
            }
        }
    )
    assert config.http is not None and config.http.body == {"t": "{text}", "j": "{}"}
