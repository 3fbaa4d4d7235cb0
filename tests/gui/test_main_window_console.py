"""The window around the pages (issue 14 item 7): each role lands on its own page, the
navigation has icons and counts what waits (refreshed on a data change), and the
default window fits a 1366x768 screen with its status bar."""

from __future__ import annotations

import pytest
import test_views_review as review
from console_support import zh_ui
from PySide6.QtCore import QRect, Qt

from beian_desktop.terms import UserRole
from beian_desktop.views.main_window import MainWindow

import qt_support
from qt_support import idle, until

qt_loop = qt_support.qt_loop
zh_ui = zh_ui  # a fixture, found by name
pytestmark = review.pytestmark


def _window(app, role, qtbot) -> MainWindow:
    window = MainWindow(qt_support.view_context(app, role=role), run_scheduler=False)
    qtbot.addWidget(window)
    return window


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (UserRole.ISP_STAFF, "filings"),
        (UserRole.HELP_DESK, "help_desk"),
        (UserRole.SUPERVISOR, "returned"),
        (UserRole.BUREAU_REVIEWER, "bureau"),
        (UserRole.ADMINISTRATOR, "settings"),
    ],
)
def test_each_role_lands_on_its_own_page(app, qt_loop, qtbot, role, page):
    window = _window(app, role, qtbot)
    assert window.current_page() == page
    assert window.stack.currentWidget() is window.pages[page]
    assert all(not window.nav.item(i).icon().isNull() for i in range(window.nav.count()))
    window.ctx.ops.shutdown()


def test_the_navigation_counts_change_after_a_data_change(app, clock, qt_loop, zh_ui, qtbot):
    first, f_first = review._save_and_submit(app, 1)
    review.send_first_sms(app, clock)
    window = _window(app, UserRole.ADMINISTRATOR, qtbot)

    def titles() -> dict[str, str]:
        return {
            window.nav.item(i).data(Qt.ItemDataRole.UserRole): window.nav.item(i).text()
            for i in range(window.nav.count())
        }

    async def body():
        await window.refresh_counts()
        assert titles()["bureau"] == "管局审核"  # nothing waits: no number
        assert titles()["pending"].startswith("待核验人  ")
        review._verify_everyone(app, f_first, first)  # another workstation, say
        window.ctx.ops.data_changed.emit()
        await until(lambda: titles()["bureau"] == "管局审核  1", "the bureau's count")
        await idle()
        assert window.counts.bureau_review == 1

    qt_loop.run_until_complete(body())
    qt_support.drain(qt_loop)
    window.ctx.ops.shutdown()


class _Screen:
    def __init__(self, width: int, height: int) -> None:
        self.room = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:
        return self.room


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 700), (1920, 1080)])
def test_the_default_window_fits_the_screen(app, qt_loop, qtbot, monkeypatch, width, height):
    monkeypatch.setattr(MainWindow, "screen", lambda self: _Screen(width, height))
    window = _window(app, UserRole.SUPERVISOR, qtbot)
    size = window.size()
    assert size.width() <= width and size.height() <= height - 40  # a title bar's room
    assert (size.width(), size.height()) == (min(1280, width), min(800, height - 40))
    window.ctx.ops.shutdown()
