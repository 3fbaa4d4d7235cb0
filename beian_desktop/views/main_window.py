"""The main window: one page per daily task, shown only to the roles that do it, and
the account menu of a shared workstation (change password, lock, switch user, sign
out). The window works for one sign-in; switching user or signing out ends it, and
app_main opens the next one (`finished` says which way it ended)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.permissions import Permission
from beian_desktop.services.people.sign_in import SignedIn
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.idle_lock import IdleWatcher
from beian_desktop.views.labels import role_label
from beian_desktop.views.login_dialog import ChangePasswordDialog, LockDialog, LoginDialog
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.resources import QT_TRANSLATE_NOOP
from beian_desktop.views.view_context import ViewContext, local_time

SCHEDULER_INTERVAL_MS = 5_000


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    permission: str | None
    build: Callable[[ViewContext], QWidget]


def _pages() -> list[Page]:
    # Imported here so a view module's import cost is paid only when the window opens.
    from beian_desktop.views.bureau_view import BureauView
    from beian_desktop.views.filings_view import FilingsView
    from beian_desktop.views.help_desk_view import HelpDeskView
    from beian_desktop.views.outbox_view import OutboxView
    from beian_desktop.views.pending_view import PendingView
    from beian_desktop.views.returned_view import ReturnedView
    from beian_desktop.views.settings_view import SettingsView

    # Spelled out: lupdate reads only literal QT_TRANSLATE_NOOP("MainWindow", ...) calls;
    # through an alias it files the texts under an empty context nothing looks up.
    return [
        Page(
            "filings",
            QT_TRANSLATE_NOOP("MainWindow", "Filings"),
            Permission.VIEW_FILINGS,
            FilingsView,
        ),
        Page(
            "pending",
            QT_TRANSLATE_NOOP("MainWindow", "Pending verifiers"),
            Permission.VIEW_FILINGS,
            PendingView,
        ),
        Page(
            "help_desk",
            QT_TRANSLATE_NOOP("MainWindow", "Help desk"),
            Permission.CALLER_LOOKUP,
            HelpDeskView,
        ),
        Page(
            "returned",
            QT_TRANSLATE_NOOP("MainWindow", "Returned filings"),
            Permission.REVIEW_RETURNED,
            ReturnedView,
        ),
        Page(
            "bureau",
            QT_TRANSLATE_NOOP("MainWindow", "Bureau review"),
            Permission.BUREAU_REVIEW,
            BureauView,
        ),
        Page(
            "outbox",
            QT_TRANSLATE_NOOP("MainWindow", "SMS outbox"),
            Permission.VIEW_OUTBOX,
            OutboxView,
        ),
        Page(
            "settings",
            QT_TRANSLATE_NOOP("MainWindow", "Settings"),
            Permission.ADMINISTER,
            SettingsView,
        ),
    ]


class Ending:
    """How a main window ended: its `ended_with`."""

    CLOSED = "closed"  # the application quits
    SIGNED_OUT = "signed_out"  # back to the sign-in dialog
    SWITCHED = "switched"  # `next_sign_in` holds the new person's session


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self, ctx: ViewContext, *, run_scheduler: bool = True, idle_lock: timedelta | None = None
    ) -> None:
        """`idle_lock`: how long untouched before the window locks (Policy's
        idle_lock_minutes; None: never, for the self-test)."""
        super().__init__()
        self.ctx = ctx
        self.ended_with = Ending.CLOSED
        self.next_sign_in: SignedIn | None = None
        self.sign_in_notice: str | None = None  # why the sign-in ended, for the next dialog
        self.lock_dialog: LockDialog | None = None
        self._hidden_for_lock: list[QWidget] = []
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("ICP filing SMS verification"))
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for n, page in enumerate(
            p for p in _pages() if p.permission is None or ctx.can(p.permission)
        ):
            widget = page.build(ctx)
            self.pages[page.key] = widget
            self.stack.addWidget(widget)
            item = QListWidgetItem(QCoreApplication.translate("MainWindow", page.title))
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            self.nav.addItem(item)
            if n < 9:
                shortcut = QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self)
                shortcut.activated.connect(lambda row=n: self.nav.setCurrentRow(row))
        ctx.ops.sign_in_ended.connect(self._on_sign_in_ended)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        user = ctx.user
        self.user_label = QLabel(f"{user.display_name}（{role_label(user.role)}）")
        self.clock_label = QLabel()
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.clock_label)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._show_time)
        self._clock_timer.start(1000)
        self._show_time()
        self._scheduler = QTimer(self)
        self._scheduler.timeout.connect(self._on_scheduler)
        if run_scheduler:
            self._scheduler.start(SCHEDULER_INTERVAL_MS)
        self._account_menu()
        self.idle: IdleWatcher | None = None
        if idle_lock is not None:
            self.idle = IdleWatcher(ctx.app.now, idle_lock, self._on_idle, self)
            self.idle.start()

    # -- the account menu -----------------------------------------------------------------
    def _account_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Account"))
        actions = [
            ("changePasswordAction", self.tr("Change password…"), None, self._on_change_password),
            ("lockAction", self.tr("Lock"), "Ctrl+L", self._on_lock),
            ("switchUserAction", self.tr("Switch user…"), "Ctrl+Shift+U", self._on_switch_user),
            ("signOutAction", self.tr("Sign out"), "Ctrl+Shift+Q", self._on_sign_out),
        ]
        for name, text, keys, slot in actions:
            action = QAction(text, self)
            action.setObjectName(name)
            if keys:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.addAction(action)  # the shortcut works while the menu bar is hidden too
            setattr(self, name.removesuffix("Action") + "_action", action)

    def _on_sign_in_ended(self, message: str) -> None:
        """A call found this session gone (expired, revoked by an administrator, the
        account disabled): back to the sign-in, which says why."""
        if self.sign_in_notice is None and self.isVisible():
            self.sign_in_notice = message
            self._end(Ending.SIGNED_OUT)

    def _end(self, how: str, next_sign_in: SignedIn | None = None) -> None:
        self.ended_with, self.next_sign_in = how, next_sign_in
        self.close()

    @asyncSlot()
    async def _on_sign_out(self) -> None:
        await self.sign_out()

    async def sign_out(self) -> None:
        """Ends this session (on every workstation that holds it) and this window."""
        with contextlib.suppress(OperationFailed):  # already refused: it ends anyway
            await self.ctx.run(self.ctx.app.sign_in.sign_out, changes_data=False, while_locked=True)
        self._end(Ending.SIGNED_OUT)

    @asyncSlot()
    async def _on_switch_user(self) -> None:
        await self.switch_user()

    async def switch_user(self) -> bool:
        """Someone else signs in on this workstation; the window stays as it is until
        they have, and this session ends only then."""
        dialog = LoginDialog(self.ctx.app, self.ctx.ops, self, title=self.tr("Switch user"))
        self.login_dialog: LoginDialog | None = dialog
        try:
            if not await run_dialog(dialog) or dialog.signed_in is None:
                return False
            with contextlib.suppress(OperationFailed):
                await self.ctx.run(
                    self.ctx.app.sign_in.sign_out, changes_data=False, while_locked=True
                )
            self._end(Ending.SWITCHED, dialog.signed_in)
            return True
        finally:
            self.login_dialog = None
            dialog.deleteLater()

    @asyncSlot()
    async def _on_change_password(self) -> None:
        dialog = ChangePasswordDialog(self.ctx.app, self.ctx.ops, self.ctx.session, self)
        self.change_password_dialog: ChangePasswordDialog | None = dialog
        try:
            if await run_dialog(dialog):
                self.statusBar().showMessage(self.tr("Your password was changed."), 10_000)
        finally:
            self.change_password_dialog = None
            dialog.deleteLater()

    # -- the idle lock ----------------------------------------------------------------------
    def _on_idle(self) -> None:
        self._on_lock()

    @asyncSlot()
    async def _on_lock(self) -> None:
        await self.lock()

    async def lock(self) -> str | None:
        """Locks the session on the server, hides every window of the application
        (nothing typed is lost: they are hidden, not closed) and asks for the password.
        Says how it ended: unlocked, signed out or switched."""
        if self.lock_dialog is not None:
            return None
        try:
            await self.ctx.run(self.ctx.app.sign_in.lock, changes_data=False)
        except OperationFailed:
            return None
        self._hide_for_lock()
        while True:
            dialog = LockDialog(self.ctx.app, self.ctx.ops, self.ctx.signed_in, self)
            self.lock_dialog = dialog
            try:
                await run_dialog(dialog)
            finally:
                self.lock_dialog = None
                dialog.deleteLater()
            action = dialog.result_action
            if action == LockDialog.UNLOCKED:
                self._show_after_lock()
                return action
            if action == LockDialog.SWITCH_USER:
                if await self.switch_user():
                    return action
                continue  # nobody signed in: the lock screen again
            await self.sign_out()
            return action

    def _hide_for_lock(self) -> None:
        self.ctx.ops.locked = True
        if self.idle is not None:
            self.idle.paused = True
        self._hidden_for_lock = [
            w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self
        ]
        for widget in self._hidden_for_lock:
            widget.hide()
        central = self.centralWidget()
        assert central is not None  # set when the window is built
        central.hide()
        self.menuBar().setEnabled(False)

    def _show_after_lock(self) -> None:
        self.ctx.ops.locked = False
        central = self.centralWidget()
        assert central is not None  # set when the window is built
        central.show()
        self.menuBar().setEnabled(True)
        for widget in self._hidden_for_lock:
            widget.show()
        self._hidden_for_lock = []
        if self.idle is not None:
            self.idle.reset()
        self.ctx.ops.data_changed.emit()  # what changed meanwhile

    def show_page(self, key: str) -> QWidget:
        keys = [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.nav.count())]
        self.nav.setCurrentRow(keys.index(key))
        return self.pages[key]

    def _show_time(self) -> None:
        now = local_time(self.ctx.app.now(), with_seconds=True)
        self.clock_label.setText(self.tr("Beijing time %1").replace("%1", now))

    async def start(self) -> None:
        """First loads, once the loop runs: every page fills itself."""
        for widget in self.pages.values():
            load = getattr(widget, "load_provinces", None)
            if load is not None:
                await load()
            refresh = getattr(widget, "refresh", None)
            if refresh is not None:
                await refresh()

    def closeEvent(self, event) -> None:
        with contextlib.suppress(RuntimeError):  # connected once, in __init__
            self.ctx.ops.sign_in_ended.disconnect(self._on_sign_in_ended)
        self._scheduler.stop()
        self._clock_timer.stop()
        if self.idle is not None:
            self.idle.stop()
        for widget in self._hidden_for_lock:
            widget.close()
        super().closeEvent(event)
        self.closed.emit()

    @asyncSlot()
    async def _on_scheduler(self) -> None:
        """The embedded default runs the scheduler in-process: sends, resends, expiries."""
        report = await self.ctx.app.tick_async()
        if report.dispatch.sent or report.expired or report.undeliverable or report.auto_resends:
            self.ctx.ops.data_changed.emit()
