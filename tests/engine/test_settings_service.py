"""What an administrator changes, through the settings service."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from beian_desktop.models import AuditEvent
from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.rules.policy import Policy
from beian_desktop.services.sending.sms_config import load_toml
from beian_desktop.services.settings.settings_service import write_sms_config

from defaults import http_sms_config
from journeys import request_state, submit_filing
from staff import session_for


def test_a_province_switched_off_sends_new_requests_straight_to_review(app):
    admin = session_for(app, "admin")
    app.settings.set_province_start(session=admin, code="33", verification_from=None)
    request_id = submit_filing(app)
    assert request_state(app, request_id) == "bureau_review"
    provinces = app.settings.provinces(session=admin)
    assert {p.code: p.verification_from for p in provinces}["33"] is None


def test_a_province_start_in_the_future_is_honoured(app, clock):
    admin = session_for(app, "admin")
    later = clock().date().replace(year=clock().year + 1)
    app.settings.set_province_start(session=admin, code="33", verification_from=later)
    assert request_state(app, submit_filing(app)) == "bureau_review"
    app.settings.set_province_start(session=admin, code="33", verification_from=date(2018, 9, 10))
    assert request_state(app, submit_filing(app, serial=2)) == "verifying"


def test_an_unknown_province_is_named(app):
    with pytest.raises(ValidationFailed) as failure:
        app.settings.set_province_start(
            session=session_for(app, "admin"), code="99", verification_from=None
        )
    assert failure.value.fields() == {"province_code"}


def test_policy_changes_are_saved_validated_and_audited(app):
    admin = session_for(app, "admin")
    app.settings.save_policy(session=admin, policy=Policy(max_wrong_tries=5))
    assert app.settings.policy(session=admin).max_wrong_tries == 5
    with pytest.raises(ValidationFailed) as failure:
        app.settings.save_policy(session=admin, policy=Policy(max_wrong_tries=0))
    assert failure.value.fields() == {"policy.max_wrong_tries"}
    with app.ctx.unit_of_work() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("settings_changed") == 1


def test_a_test_sms_goes_through_the_endpoint_being_edited(app, gateway):
    admin = session_for(app, "admin")
    result = app.settings.send_test_sms(
        session=admin, phone="13800138000", sms=http_sms_config(gateway.url)
    )
    assert result.ok and result.detail.startswith("fg-")
    assert gateway.sends()[0]["body"]["phone"] == "13800138000"
    gateway.control(reject_next=1)
    failed = app.settings.send_test_sms(
        session=admin, phone="13800138000", sms=http_sms_config(gateway.url)
    )
    assert not failed.ok and "400" in failed.detail


def test_writing_the_endpoint_keeps_the_rest_of_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[database]\nurl = "sqlite:///x.db"\n', encoding="utf-8")
    write_sms_config(path, {"kind": "http", "http": {"url": "https://sms.example.cn/send"}})
    data = load_toml(path)
    assert data["database"]["url"] == "sqlite:///x.db"
    assert data["sms"]["http"]["url"] == "https://sms.example.cn/send"
    with pytest.raises(ValidationFailed) as failure:
        write_sms_config(path, {"kind": "http", "http": {"url": "ftp://nope"}})
    assert failure.value.fields() == {"sms.http.url"}
    assert load_toml(path)["sms"]["http"]["url"] == "https://sms.example.cn/send"
