"""Administrators (issue 14 item 6): the SMS endpoint saved from the settings page
(validated, secrets masked on screen, the file readable by its owner only), the test SMS
through what is saved, one Save for the province table, the bureau's preset reasons,
and a user's name and role edited, a user deactivated."""

from __future__ import annotations

import stat
from dataclasses import replace

import test_views_review as review
from console_support import zh_ui
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QLineEdit, QPushButton, QTabWidget

from beian_desktop.services.sending.sms_config import load_toml
from beian_desktop.terms import UserRole
from beian_desktop.views.settings_view import SettingsView

import qt_support
from qt_support import idle, settle, until
from staff import ensure_user, session_for

qt_loop = qt_support.qt_loop
zh_ui = zh_ui  # a fixture, found by name
pytestmark = review.pytestmark


def _admin_view(app, tmp_path):
    ctx = qt_support.view_context(app, role=UserRole.ADMINISTRATOR)
    ctx = replace(ctx, config_file=tmp_path / "conf" / "config.toml")
    return ctx, SettingsView(ctx)


def test_the_endpoint_is_saved_masked_and_private_and_the_test_sms_uses_it(
    app, qt_loop, zh_ui, gateway, tmp_path, qtbot
):
    ctx, view = _admin_view(app, tmp_path)
    qtbot.addWidget(view)
    path = ctx.config_file

    async def body():
        await view.refresh()
        view.kind.setCurrentIndex(view.kind.findData("http"))
        view.url.setText("ftp://wrong")
        assert not await view.save_endpoint()
        assert "http:// 或 https://" in view.endpoint_result.text()
        assert not path.exists()  # nothing written

        view.url.setText(f"{gateway.url}/sms")
        view.token.setText("tok-123")
        view.signature_header.setText("X-Signature")
        view.signature_secret.setText("secret-456")
        assert await view.save_endpoint()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert view.token.text() == "" and view.signature_secret.text() == ""
        assert view.token.placeholderText().startswith("••••")
        assert view.signature_secret.placeholderText().startswith("••••")
        view.findChild(QTabWidget).setCurrentIndex(1)
        view.resize(1000, 560)
        view.show()
        await settle(0.2)
        review._shoot(view, "settings_endpoint_saved")

        view.url.setText("https://typed.but.not.saved/sms")  # the test uses what is saved
        view.test_phone.setText("13800138000")
        await view.send_test_sms()
        await idle()
        assert view.test_result.text().startswith("接口已受理")
        assert len(gateway.sends()) == 1
        sent = {k.lower(): v for k, v in gateway.sends()[0]["headers"].items()}
        assert sent["authorization"] == "Bearer tok-123"

        # A second page (another day) shows the saved endpoint, secrets masked.
        again = SettingsView(ctx)
        qtbot.addWidget(again)
        await again.refresh()
        assert again.kind.currentData() == "http"
        assert again.url.text() == f"{gateway.url}/sms"
        assert again.token.text() == "" and again.token.placeholderText().startswith("••••")

    qt_loop.run_until_complete(body())
    saved = load_toml(path)["sms"]["http"]
    assert saved["headers"]["Authorization"] == "Bearer tok-123"
    assert saved["signature_secret"] == "secret-456"
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_the_province_table_has_one_save_for_every_change(app, qt_loop, zh_ui, tmp_path, qtbot):
    ctx, view = _admin_view(app, tmp_path)
    qtbot.addWidget(view)
    admin = session_for(app, "admin")

    async def body():
        await view.refresh()
        assert view.province_table.columnCount() == 2  # no Save button per row
        assert not view.save_provinces_button.isEnabled()
        first, second = view._province_edits["11"], view._province_edits["12"]
        first.setDate(first.date().addDays(1))
        second.setDate(second.minimumDate())  # off
        assert view.save_provinces_button.isEnabled()
        assert view.province_result.text() == "2 处修改尚未保存"
        await view.save_provinces()
        await idle()
        assert view.province_result.text() == "已保存 2 个省份。"
        assert not view.save_provinces_button.isEnabled()

    qt_loop.run_until_complete(body())
    starts = {p.code: p.verification_from for p in app.settings.provinces(session=admin)}
    assert starts["12"] is None and starts["11"] is not None
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_the_preset_reasons_are_edited_one_per_line(app, qt_loop, zh_ui, tmp_path, qtbot):
    ctx, view = _admin_view(app, tmp_path)
    qtbot.addWidget(view)

    async def body():
        await view.refresh()
        assert view.reject_reasons.toPlainText().splitlines()[0] == "主体名称与证件信息不一致"
        view.reject_reasons.setPlainText("材料不全\n\n  域名未实名  \n材料不全")
        await view.save_reasons()
        await idle()
        assert view.reject_reasons.toPlainText() == "材料不全\n域名未实名"
        assert view.reasons_result.text() == "已保存 2 条驳回原因。"

    qt_loop.run_until_complete(body())
    reasons = app.settings.reject_reasons(session=session_for(app, "bureau"))
    assert reasons == ("材料不全", "域名未实名")
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_a_users_name_and_role_are_edited_and_a_user_is_deactivated(
    app, qt_loop, zh_ui, tmp_path, qtbot
):
    target = ensure_user(app, "isp.wang")
    ctx, view = _admin_view(app, tmp_path)
    qtbot.addWidget(view)
    panel = view.users_panel

    async def body():
        await view.refresh()
        row = next(n for n, u in enumerate(panel.model.rows) if u.id == target)
        panel.table.selectRow(row)
        task = panel._on_edit()
        await until(lambda: panel.edit_dialog is not None, "the edit dialog")
        dialog = panel.edit_dialog
        dialog.display_name.setText("王晓")
        dialog.role.setCurrentIndex(dialog.role.findData(UserRole.SUPERVISOR.value))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        await task
        await idle()
        assert panel.result.text() == "isp.wang 现为 王晓（主管）。"
        user = next(u for u in panel.model.rows if u.id == target)
        assert (user.display_name, user.role) == ("王晓", UserRole.SUPERVISOR)
        assert panel.table.selectionModel().selectedRows()  # still selected
        assert panel.toggle_button.text() == "停用"
        await panel._on_toggle()
        await idle()
        assert panel.result.text() == "isp.wang 已停用，不能再登录。"
        assert panel.toggle_button.text() == "启用"

    qt_loop.run_until_complete(body())
    users = {u.id: u for u in app.users.list_users(session=session_for(app, "admin"))}
    assert not users[target].active
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_a_reset_password_must_be_changed_at_the_next_sign_in(app, qt_loop, zh_ui, tmp_path, qtbot):
    target = ensure_user(app, "kefu.zhou")
    ctx, view = _admin_view(app, tmp_path)
    qtbot.addWidget(view)
    panel = view.users_panel

    async def body():
        await view.refresh()
        panel.table.selectRow(next(n for n, u in enumerate(panel.model.rows) if u.id == target))
        task = panel._on_reset()
        await until(lambda: panel.findChild(QInputDialog) is not None, "the password dialog")
        ask = panel.findChild(QInputDialog)
        assert ask.textEchoMode() == QLineEdit.EchoMode.Password
        ask.setTextValue("Temp-Pass-2026")
        ask.accept()
        await task
        await idle()
        assert panel.result.text() == "已重置 kefu.zhou 的密码"

    qt_loop.run_until_complete(body())
    again = app.sign_in.sign_in(username="kefu.zhou", password="Temp-Pass-2026")
    assert again.must_change_password  # they choose their own now
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_the_sign_in_day_and_the_idle_lock_are_set_on_the_settings_page(
    app, qt_loop, zh_ui, tmp_path, qtbot
):
    _ctx, view = _admin_view(app, tmp_path)
    qtbot.addWidget(view)

    async def body():
        await view.refresh()
        assert (view.session_hours.value(), view.idle_lock.value()) == (10, 15)  # the defaults
        view.session_hours.setValue(8)
        view.idle_lock.setValue(5)
        view.findChild(QPushButton, "savePolicy").click()
        admin = session_for(app, "admin")
        await until(lambda: app.settings.policy(session=admin).idle_lock_minutes == 5, "saved")

    qt_loop.run_until_complete(body())
    policy = app.settings.policy(session=session_for(app, "admin"))
    assert (policy.session_hours, policy.idle_lock_minutes) == (8, 5)
