"""The services behind the console (issue 14): what supervisors did with a return, the
reject-reason presets, the saved SMS endpoint, the province table saved at once, the
navigation's counts. On SQLite and, with BEIAN_TEST_PG_URL, PostgreSQL."""

from __future__ import annotations

import stat
from datetime import date, timedelta

import pytest
from sqlalchemy import update
from test_queries import returned_pair

from beian_desktop.demo.accounts import SIGN_IN_WITH, create_demo_accounts, demo_accounts_text
from beian_desktop.models import User
from beian_desktop.rules.errors import PermissionDenied, ValidationFailed
from beian_desktop.rules.read_models import NavigationCounts
from beian_desktop.rules.reject_reasons import DEFAULT_REJECT_REASONS
from beian_desktop.services.sending.sms_config import load_toml
from beian_desktop.services.settings.settings_service import SmsEndpointView
from beian_desktop.terms import ReturnReview, UserRole

from staff import session_for


def test_a_returned_row_says_what_supervisors_did_since_it_came_back(app, clock):
    expired, tries, _ = returned_pair(app, clock)
    sup = session_for(app, "sup.chen")
    with app.ctx.unit_of_work() as db:
        db.execute(update(User).where(User.username == "sup.chen").values(display_name="陈主管"))
    rows = {r.request_id: r for r in app.queries.returned_filings(session=sup)}
    assert rows[tries].review == ReturnReview.TO_REVIEW and rows[tries].last_note is None

    app.filings.add_note(session=sup, request_id=tries, text="请核对手机号")
    clock.advance(timedelta(minutes=5))
    app.filings.add_note(session=sup, request_id=tries, text="已联系，交回", hand_back=True)
    clock.advance(timedelta(minutes=5))
    app.filings.add_note(session=sup, request_id=expired, text="等待客户回电")
    rows = {r.request_id: r for r in app.queries.returned_filings(session=sup)}
    handed = rows[tries]
    assert handed.review == ReturnReview.HANDED_BACK
    assert (handed.last_note, handed.last_note_by) == ("已联系，交回", "陈主管")
    assert handed.handed_back_at == handed.last_note_at
    assert rows[expired].review == ReturnReview.NOTED
    assert rows[expired].last_note == "等待客户回电"
    # the fields others read are as before
    assert [r.request_id for r in app.queries.returned_filings(session=sup)] == [tries, expired]


def test_notes_of_an_earlier_return_do_not_count_once_it_came_back_again(app, clock):
    expired, _, _ = returned_pair(app, clock)
    sup = session_for(app, "sup")
    app.filings.add_note(session=sup, request_id=expired, text="第一次", hand_back=True)
    clock.advance(timedelta(minutes=1))
    app.submission.submit(request_id=expired, session=session_for(app, "isp"))
    clock.advance(timedelta(days=2))
    app.tick()  # the new round expires: returned again
    rows = app.queries.returned_filings(session=session_for(app, "sup"))
    row = next(r for r in rows if r.request_id == expired)
    assert row.review == ReturnReview.TO_REVIEW and row.last_note is None


# -- the bureau's preset reasons ---------------------------------------------------------
def test_reject_reasons_default_then_an_administrator_replaces_them(app):
    bureau, admin = session_for(app, "bureau"), session_for(app, "admin")
    assert app.settings.reject_reasons(session=bureau) == DEFAULT_REJECT_REASONS
    kept = app.settings.save_reject_reasons(
        session=admin, reasons=["  材料不全 ", "", "材料不全", "域名 未 实名"]
    )
    assert kept == ("材料不全", "域名 未 实名")
    assert app.settings.reject_reasons(session=bureau) == kept
    with pytest.raises(ValidationFailed) as failure:
        app.settings.save_reject_reasons(session=admin, reasons=["好", "长" * 201])
    assert failure.value.fields() == {"reject_reasons[1]"}
    assert "常用驳回原因 2" in failure.value.message("zh_CN")
    assert app.settings.reject_reasons(session=bureau) == kept  # nothing half-saved
    with pytest.raises(PermissionDenied):
        app.settings.save_reject_reasons(session=bureau, reasons=["x"])


# -- the province table --------------------------------------------------------------------
def test_the_province_table_saves_every_changed_row_at_once_or_none(app):
    admin = session_for(app, "admin")
    before = {p.code: p.verification_from for p in app.settings.provinces(session=admin)}
    assert before["12"] is not None and before["11"] is not None
    changed = app.settings.save_province_starts(
        session=admin, starts={"12": date(2027, 1, 1), "13": None, "11": before["11"]}
    )
    assert changed == 1 + (before["13"] is not None)  # an unchanged row is not a change
    after = {p.code: p.verification_from for p in app.settings.provinces(session=admin)}
    assert after["12"] == date(2027, 1, 1) and after["13"] is None and after["11"] == before["11"]
    with pytest.raises(ValidationFailed) as failure:
        app.settings.save_province_starts(session=admin, starts={"14": None, "99": None})
    assert "99" in failure.value.message("zh_CN")
    after = {p.code: p.verification_from for p in app.settings.provinces(session=admin)}
    assert after["14"] == before["14"]  # the good row was not saved either


# -- the SMS endpoint ------------------------------------------------------------------------
def test_the_endpoint_is_saved_privately_and_shown_without_its_secrets(app, tmp_path, gateway):
    admin = session_for(app, "admin")
    path = tmp_path / "conf" / "config.toml"
    shown = app.settings.save_sms_endpoint(
        session=admin,
        path=path,
        kind="http",
        url=f"{gateway.url}/sms",
        token="s3cret-token",
        signature_header="X-Signature",
        signature_secret="sign-key",
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert shown == SmsEndpointView("http", f"{gateway.url}/sms", True, "X-Signature", True)
    assert "s3cret-token" not in repr(shown) and "sign-key" not in repr(shown)
    # Saving again without retyping the secrets keeps them.
    app.settings.save_sms_endpoint(
        session=admin, path=path, kind="http", url=f"{gateway.url}/sms",
        signature_header="X-Signature",
    )  # fmt: skip
    saved = load_toml(path)["sms"]["http"]
    assert saved["headers"]["Authorization"] == "Bearer s3cret-token"
    assert saved["signature_secret"] == "sign-key"
    # The test SMS goes through what is saved.
    result = app.settings.send_test_sms(session=admin, phone="13800138000", path=path)
    assert result.ok
    sent = gateway.sends()[0]
    assert sent["body"]["phone"] == "13800138000"
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    assert headers["authorization"] == "Bearer s3cret-token"
    assert headers["x-signature"]  # signed with the saved secret
    with pytest.raises(ValidationFailed) as failure:
        app.settings.save_sms_endpoint(session=admin, path=path, kind="http", url="ftp://x")
    assert failure.value.fields() == {"sms.http.url"}
    assert load_toml(path)["sms"]["http"]["url"] == f"{gateway.url}/sms"


# -- the navigation's numbers ----------------------------------------------------------------
def test_the_navigation_counts_what_waits_for_someone(app, clock):
    isp = session_for(app, "isp")
    assert app.queries.navigation_counts(session=isp) == NavigationCounts(0, 0, 0, 0)
    expired, tries, passed = returned_pair(app, clock)
    isp = session_for(app, "isp")
    counts = app.queries.navigation_counts(session=isp)
    assert (counts.returned, counts.returned_to_review, counts.bureau_review) == (2, 2, 1)
    assert counts.pending_verifiers == 0  # every round has ended
    app.filings.add_note(session=session_for(app, "sup"), request_id=tries, text="已看")
    assert app.queries.navigation_counts(session=isp).returned_to_review == 1
    app.submission.submit(session=isp, request_id=expired)  # a new round: one pending
    counts = app.queries.navigation_counts(session=isp)
    assert (counts.returned, counts.returned_to_review) == (1, 0)
    assert counts.pending_verifiers >= 1
    assert passed


# -- the demo's accounts ---------------------------------------------------------------------
def test_the_demo_makes_one_account_per_role_and_prints_how_to_sign_in(app):
    signed_in = create_demo_accounts(app)
    roles = {s.user.role for s in signed_in.values()}
    assert roles == {r.value for r in UserRole}
    printed = demo_accounts_text(SIGN_IN_WITH)
    assert [a.role for a in SIGN_IN_WITH] == [
        UserRole.ADMINISTRATOR,
        UserRole.ISP_STAFF,
        UserRole.HELP_DESK,
        UserRole.SUPERVISOR,
        UserRole.BUREAU_REVIEWER,
    ]
    for account in SIGN_IN_WITH:
        assert f"{account.username}" in printed and account.password in printed
        who = app.sign_in.sign_in(username=account.username, password=account.password)
        assert who.user.role == account.role  # what is printed signs in
    assert "主管" in printed and "管局审核员" in printed
