"""Domains: one stored spelling per domain, and clear refusals (SPEC §6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian_desktop.rules.domains import display_domain, normalize_domain
from beian_desktop.rules.errors import InvalidValue


def refused(text: str) -> InvalidValue:
    with pytest.raises(InvalidValue) as info:
        normalize_domain(text)
    return info.value


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("example.com", "example.com"),
        ("EXAMPLE.Com", "example.com"),
        ("www.example.com.", "www.example.com"),
        ("  www.example.com  ", "www.example.com"),
        ("ＷＷＷ．ＥＸＡＭＰＬＥ．ＣＯＭ", "www.example.com"),  # full-width
        ("例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("例子。中国", "xn--fsqu00a.xn--fiqs8s"),  # ideographic full stop
        ("www.例子.中国.", "www.xn--fsqu00a.xn--fiqs8s"),
        ("Bücher.de", "xn--bcher-kva.de"),
        ("faß.de", "xn--fa-hia.de"),  # IDNA 2008, not transitional "fass.de"
        ("XN--FSQU00A.xn--fiqs8s", "xn--fsqu00a.xn--fiqs8s"),  # already punycode
        ("a-b.example.cn", "a-b.example.cn"),
        ("123.com", "123.com"),  # numeric labels are fine, only the TLD may not be
        ("a.b.c.d.example.com.cn", "a.b.c.d.example.com.cn"),
    ],
)
def test_normalised(typed, stored):
    assert normalize_domain(typed) == stored


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "domain.empty"),
        ("   ", "domain.empty"),
        ("http://example.com", "domain.scheme"),
        ("HTTPS://example.com/", "domain.scheme"),
        ("example.com/index.html", "domain.path"),
        ("example.com?a=1", "domain.path"),
        ("example.com:8080", "domain.port"),
        ("exa mple.com", "domain.space"),
        ("*.example.com", "domain.wildcard"),
        ("1.2.3.4", "domain.ip_address"),
        ("1.2.3.4.", "domain.ip_address"),
        ("::1", "domain.ip_address"),
        ("[2001:db8::1]", "domain.ip_address"),
        ("localhost", "domain.single_label"),
        ("中国", "domain.single_label"),
        ("a..com", "domain.label_empty"),
        (".example.com", "domain.label_empty"),
        ("example.com..", "domain.label_empty"),
        ("-example.com", "domain.hyphen"),
        ("example-.com", "domain.hyphen"),
        ("example.com-", "domain.hyphen"),
        ("ab--cd.com", "domain.hyphen"),
        ("example.123", "domain.numeric_tld"),
        ("256.1.1.1", "domain.numeric_tld"),
        ("a" * 64 + ".com", "domain.label_length"),
        # 22 characters in Unicode, 70 once encoded
        ("北京市朝阳区人民政府网站服务中心信息公开平台.cn", "domain.label_length"),
        (".".join(["a" * 63] * 4) + ".com", "domain.length"),
        ("under_score.com", "domain.characters"),
        ("user@example.com", "domain.characters"),
        ("xn--zz.com", "domain.characters"),  # not valid punycode
        ("a\u200db.com", "domain.characters"),  # zero-width joiner out of context
    ],
)
def test_refused(text, code):
    assert refused(text).code == code


def test_scheme_message():
    error = refused("http://example.com")
    assert "http://" in error.zh
    assert "http://" in error.en


def test_bad_character_is_named():
    error = refused("under_score.com")
    assert "_" in error.zh and "U+005F" in error.en


def test_longest_allowed_lengths_are_accepted():
    label63 = "a" * 63
    assert normalize_domain(label63 + ".com") == label63 + ".com"
    name = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 58, "cn"])  # 253 characters
    assert len(name) == 253
    assert normalize_domain(name) == name
    with pytest.raises(InvalidValue):
        normalize_domain("x" + name)


def test_long_idn_label_within_limit_is_accepted():
    stored = normalize_domain("北京市朝阳区人民政府网站服务.cn")  # 47 characters encoded
    assert display_domain(stored) == "北京市朝阳区人民政府网站服务.cn"


def test_display_domain():
    assert display_domain("xn--fsqu00a.xn--fiqs8s") == "例子.中国"
    assert display_domain("www.example.com") == "www.example.com"
    assert display_domain("xn--bcher-kva.de") == "bücher.de"


def test_display_domain_never_fails():
    assert display_domain("xn--zz.com") == "xn--zz.com"


_label = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789例子中国网络", min_size=1, max_size=12
)


@given(labels=st.lists(_label, min_size=1, max_size=4), tld=st.sampled_from(["com", "cn", "中国"]))
def test_property_normal_form_is_stable(labels, tld):
    typed = ".".join([*labels, tld])
    stored = normalize_domain(typed)
    assert stored.isascii() and stored == stored.lower()
    assert normalize_domain(stored) == stored
    assert normalize_domain(display_domain(stored)) == stored
    assert normalize_domain(typed.upper() + ".") == stored
