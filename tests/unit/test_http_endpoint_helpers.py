"""What the HTTP sender reads off its endpoint and the environment, without a network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from beian_desktop.services.sending.http_sender import (
    normalize_delivery_status,
    proxy_for,
    retry_after_seconds,
)

PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "all_proxy")


@pytest.fixture
def no_proxy_set(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def test_an_offices_proxy_is_taken_from_the_environment_by_scheme(no_proxy_set):
    no_proxy_set.setenv("HTTPS_PROXY", "http://proxy.office.example:3128")
    no_proxy_set.setenv("HTTP_PROXY", "http://plain.office.example:8080")
    assert proxy_for("https://dysmsapi.aliyuncs.com/") == "http://proxy.office.example:3128"
    assert proxy_for("http://gateway.example/sms") == "http://plain.office.example:8080"


def test_no_proxy_sends_directly(no_proxy_set):
    no_proxy_set.setenv("HTTPS_PROXY", "http://proxy.office.example:3128")
    no_proxy_set.setenv("NO_PROXY", "sms.internal.example,.corp.example")
    assert proxy_for("https://sms.internal.example/send") is None
    assert proxy_for("https://gw.corp.example/send") is None
    assert proxy_for("https://dysmsapi.aliyuncs.com/") == "http://proxy.office.example:3128"


def test_without_a_proxy_every_endpoint_is_direct(no_proxy_set):
    assert proxy_for("https://dysmsapi.aliyuncs.com/") is None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), ("0", 0.0), ("-5", 0.0), ("", None), (None, None), ("soon", None),
     ("Wed, 02 Dec 2026 04:01:00 GMT", 60.0), ("Wed, 02 Dec 2026 03:00:00 GMT", 0.0)],
)  # fmt: skip
def test_retry_after_is_seconds_or_an_http_date(value, seconds):
    now = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == seconds


@pytest.mark.parametrize(
    ("said", "kept"),
    [("DELIVRD", "delivered"), (" Success ", "delivered"), ("UNDELIV", "failed"),
     ("rejected", "failed"), ("queued", "unknown"), (0, "unknown"), (None, None)],
)  # fmt: skip
def test_delivery_reports_keep_three_words(said, kept):
    assert normalize_delivery_status(said) == kept
