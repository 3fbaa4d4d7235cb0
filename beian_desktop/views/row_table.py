"""A read-only table of dataclass rows: one model for every small list in the app.

The big filings list has its own paging model; the pending, returned, bureau and
outbox lists are bounded (a few hundred rows), so they load whole through this one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from beian_desktop.views.palette import state_brush

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    # For a masked phone or ID number: which secret the cell shows (views/revealer.py).
    secret: Callable[[Row], object] | None = None
    # The cell's text colour (a state's, views/palette.state_brush) and its tooltip.
    foreground: Callable[[Row], QBrush | None] | None = None
    tooltip: Callable[[Row], str] | None = None
    # The state whose colour the cell's text takes (views/palette.py), if any.
    state: Callable[[Row], str | None] | None = None


class RowTableModel(QAbstractTableModel, Generic[Row]):
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column[Any]], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def refresh(self) -> None:
        """Every cell is read again (a value the rows do not hold changed)."""
        if self.rows:
            last = self.index(len(self.rows) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == self.RowRole:
            return row
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.foreground is not None:
                return column.foreground(row)
            if column.state is not None:
                return state_brush(column.state(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row) or None
            text = column.text(row)
            return text if len(text) > 24 else None  # a long note cut by its column
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None


def make_table(model: QAbstractTableModel, stretch_column: int | None = None) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return table


def selected_row(table: QTableView) -> Any | None:
    indexes = table.selectionModel().selectedRows()
    if not indexes:
        return None
    return table.model().data(indexes[0], RowTableModel.RowRole)


def set_rows_keeping_selection(
    table: QTableView, rows: Sequence[Any], key: Callable[[Any], object]
) -> None:
    """Reloads the table's RowTableModel and selects again the row that was selected
    (the same `key`) if it is still there: an action on a row and the refresh after it
    leave the person where they were."""
    model = table.model()
    assert isinstance(model, RowTableModel)
    chosen = selected_row(table)
    wanted = key(chosen) if chosen is not None else None
    model.set_rows(rows)
    if wanted is None:
        return
    for n, row in enumerate(model.rows):
        if key(row) == wanted:
            table.selectRow(n)
            return
