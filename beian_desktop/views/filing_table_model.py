"""The filings list as a Qt model that never loads everything.

Keyset paging behind canFetchMore/fetchMore (STYLE.md): the first page comes with
the first screen, the next when the view scrolls near the end. Each page is one
indexed query (`id < last ORDER BY id DESC LIMIT n`, or for a sorted list
`(value, id)` after the last row's), so opening the list costs the same at a thousand
filings or a million.

Sorting is the service's, never Qt's: a header click asks for the first page in the
new order (the view does, off the UI thread) and `reload` shows it. Every column
sorts; the first click sorts the way the column is read first (newest, soonest, A-Z).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    FilingFilter,
    FilingPage,
    FilingRow,
    FilingSort,
    FilingSortColumn,
)
from beian_desktop.views.labels import business_type_label, request_state_label
from beian_desktop.views.palette import state_brush
from beian_desktop.views.resources import resource_dir
from beian_desktop.views.view_context import countdown, local_time

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 100


class FilingTableModel(QAbstractTableModel):
    COL_ID = 0
    COL_TYPE = 1
    COL_STATE = 2
    COL_PROVINCE = 3
    COL_SUBJECT = 4
    COL_SUBMITTED = 5
    COL_DEADLINE = 6
    COLUMN_COUNT = 7

    RequestIdRole = Qt.ItemDataRole.UserRole + 1
    # Which rows open in their entry form (the view decides: it knows who is signed in).
    editable: Callable[[FilingRow], bool] = staticmethod(lambda row: False)
    StateRole = Qt.ItemDataRole.UserRole + 2

    # What each column sorts by, and the order its first click asks for.
    SORT_COLUMNS: ClassVar[dict[int, FilingSortColumn]] = {
        COL_ID: FilingSortColumn.REQUEST_ID,
        COL_TYPE: FilingSortColumn.BUSINESS_TYPE,
        COL_STATE: FilingSortColumn.STATE,
        COL_PROVINCE: FilingSortColumn.PROVINCE,
        COL_SUBJECT: FilingSortColumn.SUBJECT_NAME,
        COL_SUBMITTED: FilingSortColumn.SUBMITTED_AT,
        COL_DEADLINE: FilingSortColumn.DEADLINE,
    }
    FIRST_ORDER: ClassVar[dict[int, Qt.SortOrder]] = {
        COL_ID: Qt.SortOrder.DescendingOrder,  # newest first
        COL_SUBMITTED: Qt.SortOrder.DescendingOrder,  # the latest submitted first
    }  # any other column: ascending (soonest deadline, A-Z, the order of the lists)

    def __init__(
        self,
        fetch_page: Callable[..., FilingPage],
        clock: Callable[[], datetime],
        page_size: int = PAGE_SIZE,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._clock = clock
        self._page_size = page_size
        self._rows: list[FilingRow] = []
        self._cursor: object | None = None
        self._exhausted = True
        self._filter = FilingFilter()
        self._sort = NEWEST_FIRST

    # -- sorting -------------------------------------------------------------------------
    @classmethod
    def sort_for(cls, column: int, order: Qt.SortOrder) -> FilingSort | None:
        """The service's sort for a header's sort indicator; None: the column has none."""
        if column not in cls.SORT_COLUMNS:
            return None
        descending = order == Qt.SortOrder.DescendingOrder
        return FilingSort(cls.SORT_COLUMNS[column], descending)

    @classmethod
    def indicator_for(cls, sort: FilingSort) -> tuple[int, Qt.SortOrder]:
        """The header section and arrow that show `sort`."""
        column = next(c for c, s in cls.SORT_COLUMNS.items() if s == sort.column)
        if sort.descending:
            return column, Qt.SortOrder.DescendingOrder
        return column, Qt.SortOrder.AscendingOrder

    @property
    def sort_order(self) -> FilingSort:
        return self._sort

    # -- loading -------------------------------------------------------------------------
    def reload(
        self,
        filter: FilingFilter | None = None,
        first: FilingPage | None = None,
        sort: FilingSort | None = None,
    ) -> None:
        """Starts over (new filter or sort, or data changed); `first` is a page already
        fetched off the UI thread, so the view shows it without another query."""
        if filter is not None:
            self._filter = filter
        if sort is not None:
            self._sort = sort
        page = first or self._fetch_page(
            filter=self._filter, after=None, limit=self._page_size, sort=self._sort
        )
        self.beginResetModel()
        self._rows = list(page.rows)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        self.endResetModel()

    @property
    def filter(self) -> FilingFilter:
        return self._filter

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._fetch_page(
            filter=self._filter, after=self._cursor, limit=self._page_size, sort=self._sort
        )
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None

    # -- the model -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def row_at(self, row: int) -> FilingRow:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == self.RequestIdRole:
            return row.request_id
        if role == self.StateRole:
            return row.state
        if index.column() == self.COL_STATE and self.editable(row):
            if role == Qt.ItemDataRole.DecorationRole:
                return editable_icon()
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Can be edited: Enter or double-click opens it in its form")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_STATE:
            return state_brush(row.state)  # the palette's colour, as in every list
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.COL_ID:
            return str(row.request_id)
        if column == self.COL_TYPE:
            return business_type_label(row.business_type)
        if column == self.COL_STATE:
            return request_state_label(row.state)
        if column == self.COL_PROVINCE:
            return row.province_name
        if column == self.COL_SUBJECT:
            return row.subject_name
        if column == self.COL_SUBMITTED:
            return local_time(row.submitted_at)
        if column == self.COL_DEADLINE:
            return countdown(row.deadline, self._clock()) if row.state == "verifying" else ""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.InitialSortOrderRole and section in self.SORT_COLUMNS:
            return self.FIRST_ORDER.get(section, Qt.SortOrder.AscendingOrder).value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._sort_tip(section)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            self.tr("No."),
            self.tr("Type"),
            self.tr("State"),
            self.tr("Province"),
            self.tr("Subject"),
            self.tr("Submitted"),
            self.tr("Time left"),
        ][section]

    def _sort_tip(self, section: int) -> str | None:
        """What a click on the header sorts by, and where the requests without a value go."""
        tips = {
            self.COL_ID: self.tr("Sort by request number: newest first, or oldest first"),
            self.COL_TYPE: self.tr("Sort by business type, in the order of the type list"),
            self.COL_STATE: self.tr("Sort by state, in the order a request goes through"),
            self.COL_PROVINCE: self.tr("Sort by province, in the order of the province codes"),
            self.COL_SUBJECT: self.tr("Sort by subject name; filings without a name yet last"),
            self.COL_SUBMITTED: self.tr(
                "Sort by submission time, latest first; requests never submitted last"
            ),
            self.COL_DEADLINE: self.tr(
                "Sort by deadline, soonest first; requests without a running deadline last"
            ),
        }
        return tips.get(section)


@cache
def editable_icon() -> QIcon:
    """The pen beside the state of a row that opens in its entry form."""
    return QIcon(str(resource_dir() / "icons" / "editable.svg"))
