"""The filings list as a Qt model that never loads everything.

Keyset paging behind canFetchMore/fetchMore (STYLE.md): the first page comes with
the first screen, the next when the view scrolls near the end. Each page is one
indexed query (`id < last ORDER BY id DESC LIMIT n`), so opening the list costs the
same at a thousand filings or a million.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from beian_desktop.services.read_models import FilingFilter, FilingPage, FilingRow
from beian_desktop.views.labels import business_type_label, request_state_label
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
    StateRole = Qt.ItemDataRole.UserRole + 2

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

    # -- loading -------------------------------------------------------------------------
    def reload(self, filter: FilingFilter | None = None, first: FilingPage | None = None) -> None:
        """Starts over (new filter, or data changed); `first` is a page already fetched
        off the UI thread, so the view shows it without another query."""
        if filter is not None:
            self._filter = filter
        page = first or self._fetch_page(filter=self._filter, after=None, limit=self._page_size)
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
        page = self._fetch_page(filter=self._filter, after=self._cursor, limit=self._page_size)
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
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
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
