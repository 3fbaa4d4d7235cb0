"""The filings list: filter, search, sort, open a request. Opens at once over a million
rows. A header click sorts by that column (the service pages the new order); the sort
stays while the filters change."""

from __future__ import annotations

import contextlib
from functools import partial
from typing import cast

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.errors import in_language
from beian_desktop.rules.permissions import Permission
from beian_desktop.rules.read_models import NEWEST_FIRST, FilingFilter, FilingRow, FilingSort
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.filing_table_model import FilingTableModel
from beian_desktop.views.import_dialog import ImportDialog
from beian_desktop.views.labels import (
    BUSINESS_TYPES,
    REQUEST_STATES,
    business_type_label,
    request_state_label,
)
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.sort_arrows import use_reading_arrows
from beian_desktop.views.view_context import ViewContext

SEARCH_DELAY_MS = 300
# The New… menu: each business type's entry and its shortcut (shown in the menu).
NEW_ENTRY_KEYS = {
    "new_filing": "Ctrl+N",
    "new_website": "Ctrl+Shift+W",
    "new_access": "Ctrl+Shift+A",
    "change": "Ctrl+Shift+E",
    "cancel_subject": "Ctrl+Alt+S",
    "cancel_website": "Ctrl+Alt+W",
    "cancel_access": "Ctrl+Alt+A",
    "change_phone": "Ctrl+Shift+P",
}


class FilingsView(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("filingsView")
        queries = ctx.app.queries
        self.model = FilingTableModel(
            partial(queries.list_filings, session=ctx.session), ctx.app.now, parent=self
        )

        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Search: part of a subject name, website name or domain; a mobile or ID number")
        )
        self.search.setToolTip(
            self.tr(
                "Two characters or more are found anywhere in the subject name, the website "
                "names and the domains; one character, at the start of the subject name. "
                "Mobile and ID numbers are matched whole."
            )
        )
        self.search.setClearButtonEnabled(True)
        self.state = QComboBox()
        self.state.addItem(self.tr("All states"), "")
        for value in REQUEST_STATES:
            self.state.addItem(request_state_label(value), value)
        self.business_type = QComboBox()
        self.business_type.addItem(self.tr("All types"), "")
        for value in BUSINESS_TYPES:
            self.business_type.addItem(business_type_label(value), value)
        self.province = QComboBox()
        self.province.addItem(self.tr("All provinces"), "")
        self.use_dates = QCheckBox(self.tr("Submitted"))
        today = in_shanghai(ctx.app.now()).date()  # the app's clock, Beijing time
        self.date_from = QDateEdit(QDate(today.year, today.month, today.day).addMonths(-1))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)

        self.new_button = QPushButton(self.tr("New…"))
        self.new_button.setObjectName("newFiling")
        self.new_menu = QMenu(self.new_button)
        self.new_menu.setObjectName("newMenu")
        self.new_actions: dict[str, QAction] = {}
        for business_type, keys in NEW_ENTRY_KEYS.items():
            action = self.new_menu.addAction(business_type_label(business_type))
            action.setObjectName(f"new_{business_type}")
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setShortcutVisibleInContextMenu(True)
            action.triggered.connect(partial(self._on_new_entry, business_type))
            self.addAction(action)  # the shortcut works while the page shows
            self.new_actions[business_type] = action
            if business_type in ("new_access", "change", "cancel_access"):
                self.new_menu.addSeparator()
        # Other ways to bring requests in (the Excel import) go below this separator:
        # add_import_action() puts them there.
        self.import_separator = self.new_menu.addSeparator()
        self.new_button.setMenu(self.new_menu)
        self.new_button.setToolTip(self.tr("New filing: Ctrl+N; the other entries: see the menu"))
        self.import_button = QPushButton(self.tr("Import from Excel…"))
        self.import_button.setObjectName("importFilings")
        self.import_button.clicked.connect(self._on_import)
        import_action = QAction(self.tr("Import from Excel…"), self)
        import_action.setObjectName("importFilingsAction")
        import_action.triggered.connect(self._on_import)
        self.add_import_action(import_action)
        self.submit_button = QPushButton(self.tr("Submit / resubmit"))
        self.submit_button.setObjectName("submitSelected")
        self.submit_button.clicked.connect(self._on_submit_selected)
        self.delete_button = QPushButton(self.tr("Delete draft"))
        self.delete_button.setObjectName("deleteDraft")
        self.delete_button.setToolTip(self.tr("Delete the selected draft (Delete)"))
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self._on_delete_selected)
        may_enter = ctx.can(Permission.ENTER_FILINGS)
        self.new_button.setVisible(may_enter)
        self.import_button.setVisible(may_enter)
        self.delete_button.setVisible(may_enter)
        self.submit_button.setVisible(ctx.can(Permission.SUBMIT))

        # Two rows: the actions and the search, then the filters; one row is wider
        # than a 1024-pixel screen in English.
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.import_button)
        actions.addWidget(self.submit_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.search, 3)
        filters = QHBoxLayout()
        for widget in (
            self.state,
            self.business_type,
            self.province,
            self.use_dates,
            self.date_from,
            QLabel("–"),
            self.date_to,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)

        self.model.editable = self.editable
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FilingTableModel.COL_SUBJECT, QHeaderView.ResizeMode.Stretch)
        # Not setSortingEnabled: that sorts through the model on the UI thread. The
        # indicator only says what was asked; refresh() fetches that order.
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        self._arrows = use_reading_arrows(header)  # up: ascending
        header.setSortIndicator(*FilingTableModel.indicator_for(NEWEST_FIRST))
        self.status = QLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.status)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.refresh)
        for combo in (self.state, self.business_type, self.province):
            combo.currentIndexChanged.connect(self.refresh)
        self.use_dates.toggled.connect(self._on_dates_toggled)
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.table.activated.connect(self._on_open)  # Enter, or a double-click
        self._add_delete_key()
        header.sortIndicatorChanged.connect(self._on_sort_changed)
        ctx.ops.data_changed.connect(self.refresh)
        self.opened_request: int | None = None  # the last request opened (tests read it)
        self.import_dialog: ImportDialog | None = None  # while it is open
        self.entry_dialog: QDialog | None = None  # the entry dialog open now
        self.entered_request: int | None = None  # the last request an entry submitted
        self.delete_question: QMessageBox | None = None  # "delete this draft?", while open
        self._status_note = ""  # what the next refresh's status line says first

    def current_filter(self) -> FilingFilter:
        def chosen(combo: QComboBox) -> frozenset[str]:
            value = combo.currentData()
            return frozenset({value}) if value else frozenset()

        dates = self.use_dates.isChecked()
        return FilingFilter(
            states=chosen(self.state),
            business_types=chosen(self.business_type),
            province_codes=chosen(self.province),
            # QDate.toPython() returns a date; PySide6's stub says object.
            submitted_from=self.date_from.date().toPython() if dates else None,  # type: ignore[arg-type]
            submitted_to=self.date_to.date().toPython() if dates else None,  # type: ignore[arg-type]
            search=self.search.text().strip(),
        )

    def current_sort(self) -> FilingSort:
        header = self.table.horizontalHeader()
        chosen = FilingTableModel.sort_for(
            header.sortIndicatorSection(), header.sortIndicatorOrder()
        )
        return chosen or self.model.sort_order

    def _on_sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        if FilingTableModel.sort_for(section, order) is None:  # no sort: the arrow goes back
            header = self.table.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(*FilingTableModel.indicator_for(self.model.sort_order))
            header.blockSignals(blocked)
            return
        self.refresh()

    def _on_dates_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
        self.refresh()

    async def load_provinces(self) -> None:
        provinces = await self.ctx.read(self.ctx.app.queries.provinces)
        for p in provinces:
            self.province.addItem(in_language(self.ctx.language, p.name_zh, p.name_en), p.code)

    @asyncSlot()
    async def refresh(self) -> None:
        """The rows first, then the count for the status line: counting every match of
        a broad search costs more than reading the page the user is waiting for."""
        wanted = self.current_filter()
        order = self.current_sort()
        queries = self.ctx.app.queries
        try:
            page = await self.ctx.read(
                queries.list_filings, filter=wanted, after=None, limit=100, sort=order
            )
            self.model.reload(wanted, first=page, sort=order)
            total = await self.ctx.read(queries.count_filings, filter=wanted)
        except OperationFailed:
            return
        counted = self.tr("%n request(s)", "", total)
        note, self._status_note = self._status_note, ""  # said once, with the new count
        self.status.setText(f"{note}　{counted}" if note else counted)

    def add_import_action(self, action: QAction) -> None:
        """Another way to bring requests in (an import), at the end of the New… menu."""
        self.new_menu.addAction(action)
        self.addAction(action)

    def _on_new_entry(self, business_type: str) -> None:
        self.open_entry(business_type)

    async def open_for_editing(self, request_id: int) -> None:
        from beian_desktop.views.entry_launch import edit_dialog

        if self.entry_dialog is not None:
            self.entry_dialog.raise_()
            return
        try:
            dialog = await edit_dialog(self.ctx, request_id, self)
        except OperationFailed:
            return
        await self._show_entry(dialog)

    @asyncSlot(str)
    async def open_entry(self, business_type: str) -> None:
        """The entry dialog of that business type, open until it closes (tests read
        `entry_dialog` meanwhile)."""
        from beian_desktop.views.entry_launch import entry_dialog

        if self.entry_dialog is not None:
            self.entry_dialog.raise_()
            return
        dialog = await entry_dialog(self.ctx, business_type, self)
        if dialog is not None:
            await self._show_entry(dialog)

    async def _show_entry(self, dialog: QDialog) -> None:
        self.entry_dialog = dialog
        try:
            if await run_dialog(dialog) == QDialog.DialogCode.Accepted:
                self.entered_request = getattr(dialog, "request_id", None)
        finally:
            self.entry_dialog = None
            dialog.deleteLater()

    @asyncSlot()
    async def _on_import(self) -> None:
        self.import_dialog = ImportDialog(self.ctx, self)
        try:
            await run_dialog(self.import_dialog)
        finally:
            self.import_dialog.deleteLater()
            self.import_dialog = None

    @asyncSlot()
    async def _on_submit_selected(self) -> None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return
        row = self.model.row_at(indexes[0].row())
        try:
            state = await self.ctx.run(
                self.ctx.app.submission.submit,
                request_id=row.request_id,
                parent=self,
            )
        except OperationFailed:
            return
        self.status.setText(
            self.tr("Request No. %1: %2")
            .replace("%1", str(row.request_id))
            .replace("%2", request_state_label(str(state)))
        )

    def editable(self, row: FilingRow) -> bool:
        """Whether this window opens the row for editing (a draft, or a returned
        request to correct, of any business type) rather than reading."""
        return row.state in ("draft", "returned") and self.ctx.can(Permission.ENTER_FILINGS)

    @asyncSlot()
    async def _on_open(self, index) -> None:
        request_id = cast("int | None", self.model.data(index, FilingTableModel.RequestIdRole))
        if request_id is None:
            return
        self.opened_request = int(request_id)
        if self.editable(self.model.row_at(index.row())):
            await self.open_for_editing(int(request_id))
            return
        from beian_desktop.views.request_detail_dialog import open_request_detail

        with contextlib.suppress(OperationFailed):  # the runner has shown why
            await open_request_detail(self.ctx, int(request_id), self)

    # -- deleting a draft ----------------------------------------------------------------
    def _add_delete_key(self) -> None:
        """The Delete key on the table does what the button does; the button follows
        the selection."""
        action = QAction(self.tr("Delete draft"), self.table)
        action.setObjectName("deleteDraftAction")
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(self._on_delete_selected)
        self.table.addAction(action)
        self.table.selectionModel().selectionChanged.connect(self._update_delete_button)
        self.model.modelReset.connect(self._update_delete_button)

    def deletable(self, row: FilingRow) -> bool:
        """A draft of any business type, for a user who may enter filings (the service
        refuses anything else anyway)."""
        return row.state == "draft" and self.ctx.can(Permission.ENTER_FILINGS)

    def _selected_row(self) -> FilingRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def _update_delete_button(self) -> None:
        row = self._selected_row()
        self.delete_button.setEnabled(row is not None and self.deletable(row))

    async def confirm_deletion(self, row: FilingRow) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Delete draft"),
            self.tr(
                "Delete draft No. %1 (%2, %3)?\n\nIt leaves the list and its records are "
                "withdrawn; its history stays in the timeline. This cannot be undone "
                "from the app."
            )
            .replace("%1", str(row.request_id))
            .replace("%2", business_type_label(row.business_type))
            .replace("%3", row.subject_name or self.tr("no subject name yet")),
            parent=self,
        )
        box.setObjectName("confirmDeleteDraft")
        delete = box.addButton(self.tr("Delete draft"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter keeps the draft
        self.delete_question = box
        try:
            await run_dialog(box)
            return box.clickedButton() is delete
        finally:
            self.delete_question = None
            box.deleteLater()

    @asyncSlot()
    async def _on_delete_selected(self) -> None:
        row = self._selected_row()
        if row is None or not self.deletable(row) or self.delete_question is not None:
            return
        if not await self.confirm_deletion(row):
            return
        try:
            await self.ctx.run(
                self.ctx.app.filings.delete_draft, request_id=row.request_id, parent=self
            )
        except OperationFailed:
            return
        # data_changed has started the list's refresh: its status line says this too.
        self._status_note = self.tr("Draft No. %1 deleted").replace("%1", str(row.request_id))
        self.status.setText(self._status_note)
