"""Importing first filings from Excel: save the template, pick a filled workbook, see
every row with its errors marked on the cell, then import the good rows or only an
all-good file, with a progress bar.

The workbook is read and checked by the service (services/filing/import_service.py);
this dialog only shows the preview it returns and asks for the import. The service
calls the progress callback on the database thread; a signal carries it here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.field_labels import field_label
from beian_desktop.rules.import_columns import BY_KEY
from beian_desktop.services.filing.import_service import ImportResult
from beian_desktop.services.filing.import_xlsx import ImportPreview, ImportRow
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.palette import Tone, badge_style
from beian_desktop.views.view_context import ViewContext

Index = QModelIndex | QPersistentModelIndex


def documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


class ImportPreviewModel(QAbstractTableModel):
    """The workbook's rows: its row number, the outcome, then every column; a cell with
    an error has the error's tone and its message as tooltip."""

    COL_ROW = 0
    COL_RESULT = 1
    FIRST_CELL = 2

    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.preview: ImportPreview | None = None
        self._error_ground = QColor(Tone.FAILURE.value)
        self._error_ground.setAlpha(40)

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self.preview = preview
        self.endResetModel()

    def rows(self) -> tuple[ImportRow, ...]:
        return self.preview.rows if self.preview else ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.preview is None:
            return 0
        return self.FIRST_CELL + len(self.preview.columns)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == self.COL_ROW:
            return self.tr("Row")
        if section == self.COL_RESULT:
            return self.tr("Result")
        assert self.preview is not None
        key, header, letter = self.preview.columns[section - self.FIRST_CELL]
        if self.language.lower().startswith("zh"):
            return f"{letter} {header}"
        return f"{letter} {field_label(BY_KEY[key].field, self.language)}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.preview is None:
            return None
        row = self.preview.rows[index.row()]
        col = index.column()
        if col == self.COL_ROW:
            return str(row.row) if role == Qt.ItemDataRole.DisplayRole else None
        if col == self.COL_RESULT:
            return self._result(row, role)
        key = self.preview.columns[col - self.FIRST_CELL][0]
        error = next((e for e in row.errors if e.column == key), None)
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells.get(key, "")
        if error is not None and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(self._error_ground)
        if error is not None and role == Qt.ItemDataRole.ToolTipRole:
            return error.message(self.language)
        return None

    def _result(self, row: ImportRow, role: int):
        if role == Qt.ItemDataRole.ForegroundRole:
            tone = Tone.SUCCESS if row.importable else Tone.FAILURE
            return QBrush(QColor(tone.value))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if row.importable:
            return self.tr("Good")
        if not row.errors:
            return self.tr("Held back: another row of its subject key has errors")
        if role == Qt.ItemDataRole.ToolTipRole:  # every error, one a line
            return "\n".join(e.describe(self.language) for e in row.errors)
        separator = "；" if self.language.lower().startswith("zh") else "; "
        return separator.join(e.describe(self.language) for e in row.errors)


class _ProgressRelay(QObject):
    """Emitted from the database thread, received on the window's: a queued signal."""

    reported = Signal(int, int)

    def report(self, done: int, total: int) -> None:
        self.reported.emit(done, total)


class ImportDialog(QDialog):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import filings from Excel"))
        self.path: Path | None = None
        self.imported: ImportResult | None = None
        self._importing = False  # the dialog stays open until the transaction ends

        intro = QLabel(
            self.tr(
                "Fill in the import template (one row a website; rows with the same subject "
                "key are one filing), then choose the workbook. Nothing is saved until you "
                "import; the filings are saved as drafts."
            )
        )
        intro.setWordWrap(True)
        self.template_button = QPushButton(self.tr("Download import template…"))
        self.template_button.setObjectName("downloadTemplate")
        self.choose_button = QPushButton(self.tr("Choose workbook…"))
        self.choose_button.setObjectName("chooseWorkbook")
        self.file_label = QLabel(self.tr("No workbook chosen"))
        top = QHBoxLayout()
        top.addWidget(self.template_button)
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)

        self.model = ImportPreviewModel(ctx.language, self)
        self.table = QTableView()
        self.table.setObjectName("importPreview")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setVisible(False)

        self.import_good_button = QPushButton(self.tr("Import the good rows"))
        self.import_good_button.setObjectName("importGoodRows")
        self.import_all_button = QPushButton(self.tr("Import only if all are good"))
        self.import_all_button.setObjectName("importAllOrNothing")
        self.close_button = QPushButton(self.tr("Close"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.import_good_button, self.import_all_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self._relay = _ProgressRelay(self)
        self._relay.reported.connect(self._on_progress)
        self.template_button.clicked.connect(self._on_download_template)
        self.choose_button.clicked.connect(self._on_choose)
        self.import_good_button.clicked.connect(self._on_import_good)
        self.import_all_button.clicked.connect(self._on_import_all)
        self.close_button.clicked.connect(self.reject)
        self._show_counts()
        self.resize(1000, 600)

    # -- the template ------------------------------------------------------------------
    @asyncSlot()
    async def _on_download_template(self) -> None:
        dialog = QFileDialog(
            self, self.tr("Save the import template"), documents_folder(),
            self.tr("Excel workbook (*.xlsx)"),
        )  # fmt: skip
        dialog.selectFile(self.tr("new-filing-import-template.xlsx"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("xlsx")
        try:
            chosen = await run_dialog(dialog) and dialog.selectedFiles()
        finally:
            dialog.deleteLater()
        if chosen:
            await self.save_template(Path(chosen[0]))

    async def save_template(self, path: Path) -> bool:
        try:
            await self.ctx.read(
                self.ctx.app.imports.write_template, path=str(path), parent=self, error_box=False
            )
        except OperationFailed as failed:
            self._say(str(failed), Tone.FAILURE)
            return False
        self._say(self.tr("Template saved: %1").replace("%1", str(path)), Tone.SUCCESS)
        return True

    # -- the preview -------------------------------------------------------------------
    @asyncSlot()
    async def _on_choose(self) -> None:
        dialog = QFileDialog(
            self, self.tr("Choose a filled import template"), documents_folder(),
            self.tr("Excel workbook (*.xlsx)"),
        )  # fmt: skip
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        try:
            chosen = await run_dialog(dialog) and dialog.selectedFiles()
        finally:
            dialog.deleteLater()
        if chosen:
            await self.preview_file(Path(chosen[0]))

    async def preview_file(self, path: Path) -> ImportPreview | None:
        """Reads and checks the workbook; shows every row, errors on their cells."""
        self.path = None
        self.model.set_preview(None)
        self.file_label.setText(path.name)
        try:
            preview = await self.ctx.read(
                self.ctx.app.imports.preview,
                path=str(path),
                parent=self,
                busy_text=self.tr("Reading the workbook…"),
                error_box=False,
            )
        except OperationFailed as failed:
            self._show_counts()
            self._say(str(failed), Tone.FAILURE)
            return None
        self.path = path
        self.model.set_preview(preview)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(ImportPreviewModel.COL_RESULT, 320)
        self._show_counts()
        return preview

    def _show_counts(self) -> None:
        preview = self.model.preview
        good = preview.good_rows if preview else 0
        bad = preview.bad_rows if preview else 0
        self.import_good_button.setText(self.tr("Import the %n good row(s)", "", good))
        self.import_good_button.setEnabled(good > 0)
        self.import_all_button.setEnabled(preview is not None and bad == 0)
        if preview is None:
            self.summary.clear()
            self.summary.setStyleSheet("")
            return
        text = (
            self.tr("%n row(s): ", "", good + bad)
            + self.tr("%n good", "", good)
            + self.tr(", %n with errors or held back", "", bad)
        )
        if bad:
            text += self.tr(" (hover over a red cell to read its error)")
        self._say(text, Tone.FAILURE if bad else Tone.SUCCESS)

    def _say(self, text: str, tone: Tone) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(badge_style(tone))

    # -- the import --------------------------------------------------------------------
    @asyncSlot()
    async def _on_import_good(self) -> None:
        await self.import_rows(only_if_all_good=False)

    @asyncSlot()
    async def _on_import_all(self) -> None:
        await self.import_rows(only_if_all_good=True)

    async def import_rows(self, *, only_if_all_good: bool) -> ImportResult | None:
        if self.path is None:
            return None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        for button in (
            self.import_good_button,
            self.import_all_button,
            self.choose_button,
            self.close_button,
        ):
            button.setEnabled(False)
        self._importing = True
        try:
            result = await self.ctx.run(
                self.ctx.app.imports.import_drafts,
                path=str(self.path),
                only_if_all_good=only_if_all_good,
                progress=self._relay.report,
                parent=self,
                own_progress=True,
                error_box=False,
            )
        except OperationFailed as failed:
            self.choose_button.setEnabled(True)
            self._show_counts()
            self._say(str(failed), Tone.FAILURE)
            return None
        finally:
            self._importing = False
            self.close_button.setEnabled(True)
            self.progress.setVisible(self.progress.value() > 0)
        self.imported = result
        self.choose_button.setEnabled(True)
        self.model.set_preview(None)
        self.path = None
        self._show_counts()
        self._say(
            self.tr("Imported %n draft(s) from %1", "", len(result.request_ids)).replace(
                "%1", result.file_name
            )
            + self.tr("; %n row(s) skipped", "", result.rows_skipped),
            Tone.SUCCESS,
        )
        return result

    def reject(self) -> None:
        """Esc and Close wait while an import is being saved: it ends whole either way."""
        if not self._importing:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._importing:
            event.ignore()
            return
        super().closeEvent(event)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
