"""What a test starts from unless it says otherwise: the manual clock's first moment and
the SMS configuration that sends through the fake gateway."""

from __future__ import annotations

from datetime import datetime

from beian_desktop.rules.clock import SHANGHAI

START = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday morning in Hangzhou


def http_sms_config(gateway_url: str, **overrides):
    from beian_desktop.services.sending.sms_config import parse_sms_config

    http = {"url": f"{gateway_url}/sms", "timeout_seconds": 2, **overrides}
    return parse_sms_config({"sms": {"kind": "http", "http": http}})
