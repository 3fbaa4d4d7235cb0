"""Choosing the approved record an entry acts on: a search box (a fragment of the
holder name, a website name, a domain or an ICP number) over a short list of
matches. Typing searches after a pause; Enter searches at once; the first match is
chosen so that one Enter after a precise search is enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.entry_forms import SubjectChoice, WebsiteChoice
from beian_desktop.views.labels import subject_nature_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.view_context import ViewContext

SEARCH_DELAY_MS = 300
Choice = TypeVar("Choice", SubjectChoice, WebsiteChoice)


class RecordPicker(QWidget, Generic[Choice]):
    """The list of matches and the one chosen (`chosen`, None until one is)."""

    changed = Signal()

    def __init__(self, ctx: ViewContext, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choices: list[Choice] = []
        self.search = QLineEdit()
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(0, len(self.headers()))
        self.table.setObjectName("pickerTable")
        self.table.setHorizontalHeaderLabels(self.headers())
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in self.stretched_columns:  # the long texts share what is left
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self.changed.emit)

    # -- what a kind of record says ----------------------------------------------------------
    stretched_columns: tuple[int, ...] = (0,)

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cells(self, choice: Choice) -> Sequence[str]:
        raise NotImplementedError

    async def search_records(self, text: str) -> list[Choice]:
        raise NotImplementedError

    # -- the list ------------------------------------------------------------------------------
    @property
    def chosen(self) -> Choice | None:
        rows = self.table.selectionModel().selectedRows()
        return self.choices[rows[0].row()] if rows else None

    def show_chosen(self, choice: Choice, *, locked: bool) -> None:
        """A saved request's record, listed alone and chosen. `locked`: the request
        keeps it (a new website's subject, a new access's website); otherwise a search
        may choose another."""
        self._timer.stop()
        self._list([choice])
        self.search.setEnabled(not locked)
        self.table.setEnabled(not locked)
        self.status.setText(
            self.tr("The record of this request")
            if locked
            else self.tr("The record of this request: search to choose another")
        )

    @asyncSlot()
    async def refresh(self) -> None:
        self._timer.stop()
        try:
            found = await self.search_records(self.search.text().strip())
        except OperationFailed:
            return
        self._list(found)

    def _list(self, found: list[Choice]) -> None:
        self.choices = found
        self.table.setRowCount(len(found))
        for r, choice in enumerate(found):
            for c, text in enumerate(self.cells(choice)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        # Its own context, not self.tr: a subclass's tr() finds no plural form of a base's.
        n = len(found)
        many = QCoreApplication.translate("RecordPicker", "%n approved record(s) found", "", n)
        self.status.setText(
            many
            if found
            else self.tr(
                "Nothing approved matches: try part of the name, a domain or the ICP number"
            )
        )
        if found:
            self.table.selectRow(0)
        self.changed.emit()


class SubjectPicker(RecordPicker[SubjectChoice]):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, self.tr("Search approved subjects: name, domain or ICP number"), parent
        )

    def headers(self) -> list[str]:
        return [
            self.tr("Holder name"),
            self.tr("ICP number"),
            self.tr("Province"),
            self.tr("Nature"),
            self.tr("Principal"),
            self.tr("Websites"),
        ]

    def cells(self, s: SubjectChoice) -> Sequence[str]:
        return (
            s.holder_name,
            s.icp_number,
            s.province_name,
            subject_nature_label(s.nature),
            s.principal_name,
            str(s.websites),
        )

    async def search_records(self, text: str) -> list[SubjectChoice]:
        return await self.ctx.read(self.ctx.app.queries.find_approved_subjects, text=text)


class WebsitePicker(RecordPicker[WebsiteChoice]):
    stretched_columns = (0, 1, 3)

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, self.tr("Search approved websites: name, domain, ICP number or subject"), parent
        )

    def headers(self) -> list[str]:
        return [
            self.tr("Website"),
            self.tr("Domains"),
            self.tr("ICP number"),
            self.tr("Subject"),
            self.tr("Hosted by"),
        ]

    def cells(self, w: WebsiteChoice) -> Sequence[str]:
        return (
            w.name,
            ", ".join(w.domains),
            w.icp_number,
            w.subject_name,
            "、".join(w.isp_names),
        )

    async def search_records(self, text: str) -> list[WebsiteChoice]:
        return await self.ctx.read(self.ctx.app.queries.find_approved_websites, text=text)
