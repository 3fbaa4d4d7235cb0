"""The main window: one page per daily task, shown only to the roles that do it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.services.people.user_service import Permission
from beian_desktop.views.labels import role_label
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
        Page("filings", QT_TRANSLATE_NOOP("MainWindow", "Filings"), None, FilingsView),
        Page("pending", QT_TRANSLATE_NOOP("MainWindow", "Pending verifiers"), None, PendingView),
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
        Page("outbox", QT_TRANSLATE_NOOP("MainWindow", "SMS outbox"), None, OutboxView),
        Page(
            "settings",
            QT_TRANSLATE_NOOP("MainWindow", "Settings"),
            Permission.ADMINISTER,
            SettingsView,
        ),
    ]


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, ctx: ViewContext, *, run_scheduler: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
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

    def show_page(self, key: str) -> QWidget:
        keys = [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.nav.count())]
        self.nav.setCurrentRow(keys.index(key))
        return self.pages[key]

    def _show_time(self) -> None:
        now = local_time(self.ctx.app.ctx.now(), with_seconds=True)
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
        self._scheduler.stop()
        self._clock_timer.stop()
        super().closeEvent(event)
        self.closed.emit()

    @asyncSlot()
    async def _on_scheduler(self) -> None:
        """The embedded default runs the scheduler in-process: sends, resends, expiries."""
        report = await self.ctx.app.tick_async()
        if report.dispatch.sent or report.expired or report.undeliverable or report.auto_resends:
            self.ctx.ops.data_changed.emit()
