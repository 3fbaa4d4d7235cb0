"""The filings list's date filter starts from the app's clock, in Beijing time, not
from the computer's: tests and the demo run on a fixed clock.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate

from beian_desktop.services.clock import SHANGHAI
from beian_desktop.views.filings_view import FilingsView

import qt_support
from qt_support import idle

qt_loop = qt_support.qt_loop  # fixtures are found by name among the module's globals
database_url = qt_support.sqlite_only_database_url  # overrides conftest's two backends
view_ctx = qt_support.view_ctx

pytestmark = pytest.mark.gui  # scripts/test runs widget tests in their own process


def test_the_date_filter_starts_from_the_apps_clock_in_beijing_time(
    app, clock, qt_loop, view_ctx, qtbot
):
    # 00:30 on 3 February 2031 in Beijing is still the 2nd in UTC, and far from today.
    clock.set(datetime(2031, 2, 3, 0, 30, tzinfo=SHANGHAI))
    view = FilingsView(view_ctx)
    qtbot.addWidget(view)
    assert view.date_to.date() == QDate(2031, 2, 3)
    assert view.date_from.date() == QDate(2031, 1, 3)
    view.use_dates.setChecked(True)
    wanted = view.current_filter()
    assert (wanted.submitted_from, wanted.submitted_to) == (
        date(2031, 1, 3),
        date(2031, 2, 3),
    )
    qt_loop.run_until_complete(idle())
