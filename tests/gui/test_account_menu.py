"""A shared workstation (pytest-qt, offscreen): signing out, switching user, and the
idle lock that hides the screen without losing it. Each drives the real window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from beian_desktop.rules.errors import PermissionDenied
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.people.sign_in import SignedIn
from beian_desktop.terms import UserRole
from beian_desktop.views.filing_entry_dialog import FilingEntryDialog
from beian_desktop.views.login_dialog import LoginDialog
from beian_desktop.views.main_window import Ending, MainWindow
from beian_desktop.views.operations import OperationRunner
from beian_desktop.views.view_context import ViewContext

import qt_support
from qt_support import idle, settle, until
from staff import PASSWORD, ensure_user, session_for

qt_loop = qt_support.qt_loop
pytestmark = pytest.mark.gui


def signed_in_context(app, username: str, language: str = "zh_CN") -> ViewContext:
    token = session_for(app, username)
    user = app.sign_in.whoami(session=token)
    signed_in = SignedIn(token, user, app.now() + timedelta(hours=10))
    return ViewContext(app, OperationRunner(language, interactive=False), signed_in, language)


def open_window(app, qtbot, username: str = "isp") -> MainWindow:
    window = MainWindow(
        signed_in_context(app, username), run_scheduler=False, idle_lock=timedelta(minutes=15)
    )
    qtbot.addWidget(window)
    window.show()
    return window


def refused(app, token: str) -> bool:
    try:
        app.queries.count_filings(session=token, filter=FilingFilter())
    except PermissionDenied:
        return True
    return False


def test_the_account_menu_has_its_shortcuts(app, qt_loop, qtbot):
    window = open_window(app, qtbot)
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    assert window.switchUser_action.shortcut() == QKeySequence("Ctrl+Shift+U")
    assert window.signOut_action.shortcut() == QKeySequence("Ctrl+Shift+Q")
    window.ctx.ops.shutdown()


def test_signing_out_ends_the_session_and_the_window(app, qt_loop, qtbot):
    window = open_window(app, qtbot)
    token = window.ctx.session

    async def body():
        await window.start()
        window.signOut_action.trigger()
        await idle()

    qt_loop.run_until_complete(body())
    assert not window.isVisible() and window.ended_with == Ending.SIGNED_OUT
    assert refused(app, token)
    window.ctx.ops.shutdown()


def test_switching_user_signs_the_next_person_in_and_only_then_ends_this_session(
    app, qt_loop, qtbot
):
    ensure_user(app, "desk")
    window = open_window(app, qtbot)
    token = window.ctx.session

    async def body():
        await window.start()
        qtbot.keyClick(
            window,
            Qt.Key.Key_U,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        await until(lambda: getattr(window, "login_dialog", None) is not None, "the sign-in")
        dialog = window.login_dialog
        assert dialog.isVisible()
        assert not refused(app, token)  # nothing ends before someone has signed in
        qtbot.keyClicks(dialog.username, "desk")
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        await idle()

    qt_loop.run_until_complete(body())
    assert window.ended_with == Ending.SWITCHED
    assert window.next_sign_in is not None and window.next_sign_in.user.username == "desk"
    assert window.next_sign_in.user.role == UserRole.HELP_DESK
    assert refused(app, token)
    assert not refused(app, window.next_sign_in.token)
    window.ctx.ops.shutdown()


def test_an_idle_window_locks_hides_everything_and_gives_it_back_on_the_password(
    app, clock, qt_loop, qtbot
):
    window = open_window(app, qtbot)
    token = window.ctx.session

    async def body():
        await window.start()
        entry = FilingEntryDialog(window.ctx, parent=None)
        qtbot.addWidget(entry)
        entry.show()
        await entry.load()
        holder = entry.findChild(QWidget, "subject.holder_name")
        assert isinstance(holder, QLineEdit)
        holder.insert("杭州青禾网络科技有限公司")  # as an input method commits it

        clock.advance(timedelta(minutes=14, seconds=59))
        assert window.idle.check() is False  # not yet
        clock.advance(timedelta(seconds=1))
        assert window.idle.check() is True
        await until(lambda: window.lock_dialog is not None, "the lock screen")
        lock = window.lock_dialog
        assert lock is not None and lock.isVisible()
        assert not window.centralWidget().isVisible() and not entry.isVisible()
        assert refused(app, token)  # locked on the server too: no other workstation either

        qtbot.keyClicks(lock.password, "Not-My-Password-1")
        qtbot.mouseClick(lock.findChild(QWidget, "unlockButton"), Qt.MouseButton.LeftButton)
        await until(lambda: lock.error.text(), "the wrong password's answer")
        assert lock.isVisible()

        qtbot.keyClicks(lock.password, PASSWORD)
        qtbot.mouseClick(lock.findChild(QWidget, "unlockButton"), Qt.MouseButton.LeftButton)
        await until(lambda: window.lock_dialog is None, "the unlock")
        assert window.centralWidget().isVisible() and entry.isVisible()
        assert holder.text() == "杭州青禾网络科技有限公司"  # nothing on screen was lost
        assert not refused(app, token)
        entry.close()
        await idle()  # the refreshes the unlock started

    qt_loop.run_until_complete(body())
    window.ctx.ops.shutdown()


def test_the_lock_screen_can_sign_out_instead(app, qt_loop, qtbot):
    window = open_window(app, qtbot)
    token = window.ctx.session

    async def body():
        await window.start()
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: window.lock_dialog is not None, "the lock screen")
        lock = window.lock_dialog
        assert lock is not None and lock.isVisible()
        qtbot.keyClick(lock, Qt.Key.Key_Escape)  # Esc does not unlock
        await settle()
        assert lock.isVisible()
        qtbot.mouseClick(lock.findChild(QWidget, "signOutButton"), Qt.MouseButton.LeftButton)
        await idle()

    qt_loop.run_until_complete(body())
    assert window.ended_with == Ending.SIGNED_OUT and refused(app, token)
    window.ctx.ops.shutdown()


@pytest.mark.parametrize("how", ["expired", "deactivated"])
def test_a_sign_in_that_ends_elsewhere_takes_the_window_back_to_the_sign_in(
    app, clock, qt_loop, qtbot, how
):
    """A working day later, or once an administrator disabled the account, the next
    refresh is refused: the window ends and the sign-in dialog says why."""
    window = open_window(app, qtbot)
    user_id = window.ctx.user.id

    async def body():
        await window.start()
        await idle()
        assert window.isVisible()
        if how == "expired":
            clock.advance(timedelta(hours=10, minutes=1))
        else:
            app.users.set_active(session=session_for(app, "admin"), user_id=user_id, active=False)
        window.ctx.ops.data_changed.emit()  # what any change on any workstation does
        await until(lambda: not window.isVisible(), "the window to end")

    qt_loop.run_until_complete(body())
    assert window.ended_with == Ending.SIGNED_OUT
    notice = window.sign_in_notice or ""
    assert ("过期" in notice) if how == "expired" else ("撤销" in notice or "停用" in notice)
    login = LoginDialog(app, window.ctx.ops, notice=notice)
    qtbot.addWidget(login)
    assert login.error.text() == notice
    window.ctx.ops.shutdown()
