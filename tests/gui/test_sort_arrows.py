"""The filings list's sort arrow points up for an ascending sort and down for a
descending one (issue 14: the arrows pointed the wrong way), read from the pixels the
header paints: the arrow is what differs between the header with and without it."""

from __future__ import annotations

import test_views_review as review
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from beian_desktop.views.filing_table_model import FilingTableModel
from beian_desktop.views.filings_view import FilingsView

import qt_support

qt_loop = qt_support.qt_loop
view_ctx = qt_support.view_ctx
pytestmark = review.pytestmark


def _grab(view, order: Qt.SortOrder):
    header = view.table.horizontalHeader()
    header.setSortIndicator(FilingTableModel.COL_SUBJECT, order)
    return header.grab().toImage()


def _arrow_rows(image, box: tuple[int, int, int, int]) -> list[int]:
    """Dark pixels per row inside `box` (x0, y0, x1, y1), top to bottom."""
    x0, y0, x1, y1 = box
    rows = []
    for y in range(y0, y1 + 1):
        n = sum(1 for x in range(x0, x1 + 1) if QColor(image.pixel(x, y)).lightness() < 160)
        if n:
            rows.append(n)
    return rows


def test_ascending_points_up_and_descending_points_down(app, qt_loop, view_ctx, qtbot):
    view = FilingsView(view_ctx)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    header = view.table.horizontalHeader()
    blocked = header.blockSignals(True)  # only the painting is looked at, nothing loads
    ascending = _grab(view, Qt.SortOrder.AscendingOrder)
    descending = _grab(view, Qt.SortOrder.DescendingOrder)
    header.blockSignals(blocked)
    # The arrow is all that differs between the two.
    differ = [
        (x, y)
        for y in range(ascending.height())
        for x in range(ascending.width())
        if ascending.pixel(x, y) != descending.pixel(x, y)
    ]
    assert differ
    xs, ys = [p[0] for p in differ], [p[1] for p in differ]
    box = (min(xs), min(ys), max(xs), max(ys))
    up, down = _arrow_rows(ascending, box), _arrow_rows(descending, box)
    assert len(up) >= 3 and len(down) >= 3, (up, down)
    assert up[0] < up[-1], f"ascending should point up (narrow on top): {up}"
    assert down[0] > down[-1], f"descending should point down (narrow below): {down}"
