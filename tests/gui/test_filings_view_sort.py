"""The filings list sorted by a header click, as ISP staff and the help desk use it.

A click on "Time left" puts the soonest deadline first (the help desk's question: who
runs out next?), a second click turns it round, a click on "Subject" sorts by name;
a filter changed afterwards keeps the sort. The table model pages a sorted list the
way it pages the newest-first one. The date filter starts from the app's clock, in
Beijing time, not from the computer's.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from datetime import date, datetime
from functools import partial

import pytest
from PySide6.QtCore import QDate, QPoint, Qt

from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    SOONEST_DEADLINE_FIRST,
    FilingFilter,
    FilingSort,
    FilingSortColumn,
)
from beian_desktop.services.beian import Beian
from beian_desktop.views.filing_table_model import FilingTableModel
from beian_desktop.views.filings_view import FilingsView

import qt_support
from factories import filing
from journeys import send_first_sms
from qt_support import idle, until
from staff import session_for

qt_loop = qt_support.qt_loop  # fixtures are found by name among the module's globals
view_ctx = qt_support.view_ctx

pytestmark = pytest.mark.gui


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=SHANGHAI)


def five_filings(app: Beian, clock: ManualClock) -> dict[str, int]:
    """Made in the order a, b, c, d, e (so newest first is e, d, c, b, a); a, b, c have
    their SMS out an hour apart, d is a draft, e's SMS is not due yet."""
    ids = {}
    for key, serial, name, hour in [
        ("a", 1, "杭州甲科技有限公司", 10),
        ("b", 2, "北京乙科技有限公司", 11),
        ("c", 3, "Alpha Ltd", 12),
        ("d", 4, "Beta Ltd", None),
        ("e", 5, "成都丙有限公司", 13),
    ]:
        f = filing(serial=serial)
        f = replace(f, subject=replace(f.subject, holder_name=name))
        if hour is not None:
            clock.set(at(hour))
        ids[key] = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
        if hour is not None:
            app.submission.submit(request_id=ids[key], session=session_for(app, "isp"))
            if key != "e":
                send_first_sms(app, clock)
    return ids


def click_header(qtbot, view: FilingsView, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_clicking_headers_sorts_the_list_and_a_filter_keeps_the_sort(
    app, clock, qt_loop, view_ctx, qtbot
):
    ids = five_filings(app, clock)
    name = {v: k for k, v in ids.items()}
    view = FilingsView(view_ctx)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    model = view.model
    header = view.table.horizontalHeader()

    def shown() -> str:
        return "".join(name[model.row_at(r).request_id] for r in range(model.rowCount()))

    def indicator() -> tuple[int, Qt.SortOrder]:
        return header.sortIndicatorSection(), header.sortIndicatorOrder()

    async def body() -> None:
        await view.refresh()
        assert shown() == "edcba"  # newest first, as the arrow on "No." says
        assert indicator() == (FilingTableModel.COL_ID, Qt.SortOrder.DescendingOrder)
        assert header.isSortIndicatorShown()

        click_header(qtbot, view, FilingTableModel.COL_DEADLINE)
        await idle()
        assert model.sort_order == SOONEST_DEADLINE_FIRST
        assert indicator() == (FilingTableModel.COL_DEADLINE, Qt.SortOrder.AscendingOrder)
        assert shown() == "abced"  # soonest first; no deadline yet (e) or a draft (d) last
        deadlines = [model.index(r, FilingTableModel.COL_DEADLINE).data() for r in range(3)]
        assert deadlines == ["21h 05m", "22h 05m", "23h 05m"]  # at 13:00, e's submission

        click_header(qtbot, view, FilingTableModel.COL_DEADLINE)
        await idle()
        assert indicator() == (FilingTableModel.COL_DEADLINE, Qt.SortOrder.DescendingOrder)
        assert shown() == "cbaed"  # the latest deadline first; still none last

        click_header(qtbot, view, FilingTableModel.COL_SUBJECT)
        await idle()
        assert model.sort_order == FilingSort(FilingSortColumn.SUBJECT_NAME, descending=False)
        assert shown() == "cdbea"  # Alpha, Beta, 北 (U+5317), 成 (U+6210), 杭 (U+676D)

        view.state.setCurrentIndex(view.state.findData("verifying"))
        await idle()
        assert shown() == "cbea"  # the draft is filtered out; the sort stays
        assert indicator() == (FilingTableModel.COL_SUBJECT, Qt.SortOrder.AscendingOrder)
        assert view.status.text() in {"共 4 条申请", "4 request(s)"}  # with or without the .qm

        click_header(qtbot, view, FilingTableModel.COL_SUBMITTED)  # latest submitted first
        await idle()
        assert indicator() == (FilingTableModel.COL_SUBMITTED, Qt.SortOrder.DescendingOrder)
        assert shown() == "ecba"

    qt_loop.run_until_complete(body())


def test_a_column_without_a_sort_shows_no_arrow_and_keeps_the_order(
    app, clock, qt_loop, view_ctx, qtbot, monkeypatch
):
    """Every column sorts today; one that did not would leave the arrow where it was."""
    sortable = dict(FilingTableModel.SORT_COLUMNS)
    del sortable[FilingTableModel.COL_PROVINCE]
    monkeypatch.setattr(FilingTableModel, "SORT_COLUMNS", sortable)
    ids = five_filings(app, clock)
    name = {v: k for k, v in ids.items()}
    view = FilingsView(view_ctx)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    header = view.table.horizontalHeader()

    async def body() -> None:
        await view.refresh()
        click_header(qtbot, view, FilingTableModel.COL_SUBJECT)
        await idle()
        click_header(qtbot, view, FilingTableModel.COL_PROVINCE)
        await idle()
        assert header.sortIndicatorSection() == FilingTableModel.COL_SUBJECT
        assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        order = [name[view.model.row_at(r).request_id] for r in range(view.model.rowCount())]
        assert "".join(order) == "cdbea"

    qt_loop.run_until_complete(body())


def test_the_model_pages_a_sorted_list_like_the_service(app, clock, qt_loop, view_ctx):
    five_filings(app, clock)
    model = FilingTableModel(
        partial(app.queries.list_filings, session=view_ctx.session), clock, page_size=2
    )
    for sort in [NEWEST_FIRST, SOONEST_DEADLINE_FIRST, FilingSort(FilingSortColumn.STATE)]:
        model.reload(FilingFilter(), sort=sort)
        assert model.rowCount() == 2 and model.canFetchMore()
        while model.canFetchMore():
            model.fetchMore()
        whole = app.queries.list_filings(
            session=view_ctx.session, filter=FilingFilter(), limit=100, sort=sort
        )
        assert [model.row_at(r) for r in range(model.rowCount())] == list(whole.rows)
        assert model.sort_order == sort
    assert model.sort_for(99, Qt.SortOrder.AscendingOrder) is None  # no such column
    for column in FilingTableModel.SORT_COLUMNS:
        for order in Qt.SortOrder:
            sort = model.sort_for(column, order)
            assert sort is not None and model.indicator_for(sort) == (column, order)


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


def test_the_rows_show_before_their_count_is_read(
    app, clock, qt_loop, view_ctx, qtbot, monkeypatch
):
    """Counting every match of a broad search costs more than its page: the rows are on
    screen while the status line's count is still being read, and the count follows."""
    five_filings(app, clock)
    counting, go_on = threading.Event(), threading.Event()
    count_filings = app.queries.count_filings

    def slow_count(**kwargs):
        counting.set()
        go_on.wait(10)
        return count_filings(**kwargs)

    monkeypatch.setattr(app.queries, "count_filings", slow_count)
    view = FilingsView(view_ctx)
    qtbot.addWidget(view)
    view.show()

    async def body() -> None:
        refreshing = asyncio.ensure_future(view.refresh())
        try:
            await until(counting.is_set, "the count to be asked for")
            assert view.model.rowCount() == 5  # shown, the count not read yet
            assert "5" not in view.status.text()
        finally:
            go_on.set()
        await refreshing
        assert view.status.text() in {"共 5 条申请", "5 request(s)"}

    qt_loop.run_until_complete(body())
