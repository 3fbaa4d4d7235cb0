"""Supervisors: the filings that came back to the ISP and why, a chart of returns per
reason per day with the verification pass rate, resubmission and an Excel export."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDir, QMargins, QStandardPaths, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.permissions import Permission
from beian_desktop.rules.read_models import ReturnedRow, ReturnStats
from beian_desktop.terms import ReturnReason, ReturnReview
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.labels import (
    business_type_label,
    list_separator,
    return_reason_label,
    return_review_label,
)
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.request_detail_dialog import OpensRequestDetail
from beian_desktop.views.resources import QT_TRANSLATE_NOOP, translate_in
from beian_desktop.views.row_table import (
    Column,
    RowTableModel,
    make_table,
    selected_row,
    set_rows_keeping_selection,
)
from beian_desktop.views.view_context import ViewContext, local_time

STATS_DAYS = (7, 14, 30)  # one bar per day: more would not leave room for the dates
DEFAULT_STATS_DAYS = 30
REASON_COLORS: dict[str, str] = {
    ReturnReason.EXPIRED.value: "#e6a23c",
    ReturnReason.TRIES_USED_UP.value: "#d9534f",
    ReturnReason.UNDELIVERABLE.value: "#7f8c9a",
}
PASS_RATE_COLOR = "#2e7d32"

# An export is a document handed on, so it is written in the language asked for,
# whatever is installed; its words are the screen's (the translation files).
_EXPORT_HEADERS = (
    QT_TRANSLATE_NOOP("ReturnedExport", "Request No."),
    QT_TRANSLATE_NOOP("ReturnedExport", "Subject"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Business type"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Province"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Return reason"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Verifiers"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Returned at (Beijing time)"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Review"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Last note"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Note by"),
    QT_TRANSLATE_NOOP("ReturnedExport", "Note at (Beijing time)"),
)
_EXPORT_SHEET = QT_TRANSLATE_NOOP("ReturnedExport", "Returned filings")
_EXPORT_WIDTHS = (12, 36, 14, 10, 18, 14, 22, 16, 48, 14, 22)
# What a cell of the file cannot hold, or should not: the control characters XML 1.0
# forbids (openpyxl refuses them), lone surrogates (no UTF-8 for them) and marks that
# turn text around. The checks keep all three out of the database; a value stored
# before they did is written with U+FFFD in their place, never as a failed export.
_UNFIT_IN_CELL = re.compile(
    ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)


def cell_text(value: str) -> str:
    return _UNFIT_IN_CELL.sub("\ufffd", value)


def documents_dir() -> str:
    """Where an export is offered first: the user's Documents folder, or their home
    when there is none (never the working directory: for a checkout, the source tree)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return found if found and QDir(found).exists() else QDir.homePath()


def export_returned_xlsx(rows: Sequence[ReturnedRow], path: str | Path, language: str) -> None:
    """Writes the returned filings to an .xlsx: a header row, then one row per filing
    with what supervisors did since it came back (review, last note, who, when); times
    as real date-time cells in Asia/Shanghai (Excel has no time zones)."""
    book = Workbook()
    sheet = book.active
    sheet.title = translate_in(language, "ReturnedExport", _EXPORT_SHEET)
    sheet.append([translate_in(language, "ReturnedExport", h) for h in _EXPORT_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row.request_id,
                cell_text(row.subject_name),
                business_type_label(row.business_type, language),
                cell_text(row.province_name),
                return_reason_label(row.reason, language),
                cell_text(list_separator(language).join(row.verifier_names)),
                in_shanghai(row.returned_at).replace(tzinfo=None),
                return_review_label(row.review, language),
                cell_text(row.last_note or ""),
                row.last_note_by or "",
                in_shanghai(row.last_note_at).replace(tzinfo=None) if row.last_note_at else None,
            ]
        )
        for column in (7, 11):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd hh:mm"
    for n, width in enumerate(_EXPORT_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(str(path))


class ReturnedView(OpensRequestDetail, QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("returnedView")
        self.model: RowTableModel[ReturnedRow] = RowTableModel(
            [
                Column(self.tr("No."), lambda r: str(r.request_id)),
                Column(
                    self.tr("Reason"),
                    lambda r: return_reason_label(r.reason),
                    state=lambda r: "returned",
                ),
                Column(
                    self.tr("Verifiers"),
                    lambda r: list_separator(ctx.language).join(r.verifier_names),
                ),
                Column(self.tr("Returned at"), lambda r: local_time(r.returned_at)),
                Column(self.tr("Subject"), lambda r: r.subject_name),
                Column(self.tr("Province"), lambda r: r.province_name),
                Column(self.tr("Type"), lambda r: business_type_label(r.business_type)),
                Column(
                    self.tr("Review"),
                    lambda r: return_review_label(r.review),
                    state=lambda r: r.review,
                ),
                Column(self.tr("Last note"), self._note_text),
            ],
            self,
        )
        self.table = make_table(self.model, stretch_column=4)
        self.table.setObjectName("returnedTable")

        self.resubmit_button = QPushButton(self.tr("Resubmit"))
        self.resubmit_button.setObjectName("resubmit")
        self.resubmit_button.setToolTip(
            self.tr("Submit the selected request again: a fresh round with new codes")
        )
        self.resubmit_button.setVisible(ctx.can(Permission.SUBMIT))
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("exportXlsx")
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip(self.tr("Save the list as an .xlsx file (Ctrl+E)"))
        self.count_label = QLabel()
        self.count_label.setObjectName("returnedCount")
        self.result = QLabel()
        self.result.setObjectName("returnedResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("Note on the selected request"))
        self.note_button = QPushButton(self.tr("Add note"))
        self.note_button.setObjectName("addNote")
        self.hand_back_button = QPushButton(self.tr("Hand back to the ISP"))
        self.hand_back_button.setObjectName("handBack")
        self.hand_back_button.setToolTip(
            self.tr("Send the note to the ISP staff; the request stays returned for them")
        )
        self.note_button.clicked.connect(lambda: self._on_note(False))
        self.hand_back_button.clicked.connect(lambda: self._on_note(True))
        notes = QHBoxLayout()
        notes.addWidget(self.note, 1)
        notes.addWidget(self.note_button)
        notes.addWidget(self.hand_back_button)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Returned to the ISP, latest first")))
        bar.addSpacing(12)
        bar.addWidget(self.count_label)
        bar.addStretch()
        bar.addWidget(self.resubmit_button)
        bar.addWidget(self.export_button)

        # -- the chart ---------------------------------------------------------------------
        self.days = QComboBox()
        self.days.setObjectName("statsDays")
        for n in STATS_DAYS:
            self.days.addItem(self.tr("Last %n day(s)", "", n), n)
        self.days.setCurrentIndex(STATS_DAYS.index(DEFAULT_STATS_DAYS))
        self.stats_summary = QLabel()
        self.stats_summary.setObjectName("statsSummary")
        self.chart = QChart()
        self.chart.setTitle(self.tr("Returns per day by reason, and the verification pass rate"))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("returnsChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.stats: ReturnStats | None = None
        self.export_dialog: QFileDialog | None = None  # while it is open

        chart_bar = QHBoxLayout()
        chart_bar.addWidget(self.days)
        chart_bar.addWidget(self.stats_summary, 1)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addLayout(chart_bar)
        chart_layout.addWidget(self.chart_view)

        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(bar)
        list_layout.addWidget(self.table)
        list_layout.addLayout(notes)
        list_layout.addWidget(self.result)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(list_box)
        splitter.addWidget(chart_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.resubmit_button.clicked.connect(self._on_resubmit)
        self.export_button.clicked.connect(self._on_export)
        self.days.currentIndexChanged.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._on_open)
        ctx.ops.data_changed.connect(self.refresh)
        self._update_buttons()

    def _note_text(self, row: ReturnedRow) -> str:
        """The last note, then who wrote it and when: 「请核对证件」 — 王主管 11-24 10:05."""
        if not row.last_note:
            return ""
        when = local_time(row.last_note_at)
        return f"{row.last_note} — {row.last_note_by or ''} {when}"

    # -- loading ---------------------------------------------------------------------------
    @asyncSlot()
    async def refresh(self) -> None:
        queries = self.ctx.app.queries
        try:
            rows = await self.ctx.read(queries.returned_filings)
            stats = await self.ctx.read(queries.return_stats, days=self.days.currentData())
        except OperationFailed:
            return
        set_rows_keeping_selection(self.table, rows, key=lambda r: r.request_id)
        to_review = sum(1 for r in rows if r.review == ReturnReview.TO_REVIEW)
        # What the list counts (requests returned now) is not what the chart counts
        # (returns that happened in its days): each says so.
        self.count_label.setText(
            self.tr("%n request(s) returned now", "", len(rows))
            + self.tr(", %n not yet reviewed", "", to_review)
        )
        self._update_buttons()
        self.show_stats(stats)

    def _update_buttons(self) -> None:
        chosen = selected_row(self.table) is not None
        self.resubmit_button.setEnabled(chosen)
        self.note_button.setEnabled(chosen)
        self.hand_back_button.setEnabled(chosen)
        self.export_button.setEnabled(self.model.rowCount() > 0)

    def show_stats(self, stats: ReturnStats) -> None:
        """Stacked bars per reason per day on the left axis, the day's pass rate (%)
        as a line on the right axis; a day without an ended round has no point."""
        self.stats = stats
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

        categories = [d.day.strftime("%m-%d") for d in stats.days]
        bars = QStackedBarSeries()
        known = [r.value for r in ReturnReason]
        reasons = known + sorted(set(stats.totals) - set(known))
        for reason in reasons:
            bar_set = QBarSet(return_reason_label(reason))
            color = REASON_COLORS.get(reason)
            if color:
                bar_set.setColor(QColor(color))
            bar_set.append([float(d.returns.get(reason, 0)) for d in stats.days])
            bars.append(bar_set)
        chart.addSeries(bars)

        rate = QLineSeries()
        rate.setName(self.tr("Verification pass rate (%)"))
        rate.setPen(QPen(QColor(PASS_RATE_COLOR), 2))
        rate.setPointsVisible(True)
        for n, day in enumerate(stats.days):
            if day.pass_rate is not None:
                rate.append(float(n), day.pass_rate * 100)
        chart.addSeries(rate)

        x_axis = QBarCategoryAxis()
        x_axis.append(categories)
        if len(categories) > 14:
            x_axis.setLabelsAngle(-90)
        count_axis = QValueAxis()
        count_axis.setTitleText(self.tr("Returns"))
        count_axis.setLabelFormat("%d")
        most = max((sum(d.returns.values()) for d in stats.days), default=0)
        count_axis.setRange(0, max(most, 4))
        count_axis.applyNiceNumbers()
        rate_axis = QValueAxis()
        rate_axis.setTitleText(self.tr("Pass rate (%)"))
        rate_axis.setRange(0, 100)
        rate_axis.setLabelFormat("%d")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(count_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(rate_axis, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(x_axis)
        bars.attachAxis(count_axis)
        rate.attachAxis(x_axis)
        rate.attachAxis(rate_axis)

        returned = sum(stats.totals.values())
        if stats.pass_rate is None:
            self.stats_summary.setText(
                self.tr(
                    "%n return(s) in these days; no verification round ended in them", "", returned
                )
            )
        else:
            self.stats_summary.setText(
                self.tr("%n return(s) in these days; pass rate %1% (%2 of %3 rounds)", "", returned)
                .replace("%1", f"{stats.pass_rate * 100:.0f}")
                .replace("%2", str(stats.passed_rounds))
                .replace("%3", str(stats.ended_rounds))
            )

    # -- actions ---------------------------------------------------------------------------
    @asyncSlot()
    async def _on_resubmit(self) -> None:
        row = selected_row(self.table)
        if row is not None:
            await self.resubmit(row.request_id)

    async def resubmit(self, request_id: int) -> None:
        """A fresh round (new codes, new SMS, new deadline); a failed check shows via ops."""
        try:
            await self.ctx.run(
                self.ctx.app.submission.submit,
                request_id=request_id,
                parent=self,
            )
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return
        self.result.setText(self.tr("Request %1 was resubmitted.").replace("%1", str(request_id)))

    @asyncSlot()
    async def _on_note(self, hand_back: bool) -> None:
        row = selected_row(self.table)
        if row is not None:
            await self.add_note(row.request_id, self.note.text(), hand_back=hand_back)

    async def add_note(self, request_id: int, text: str, *, hand_back: bool = False) -> None:
        """Kept in the request's timeline; a hand-back tells the ISP what to correct."""
        try:
            await self.ctx.run(
                self.ctx.app.filings.add_note,
                request_id=request_id,
                text=text,
                hand_back=hand_back,
                parent=self,
            )
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return
        self.note.clear()
        done = (
            self.tr("Handed back to the ISP with the note.")
            if hand_back
            else self.tr("Note added.")
        )
        self.result.setText(done)

    @asyncSlot()
    async def _on_export(self) -> None:
        """Asks where (awaiting the dialog, no nested event loop), then writes the list."""
        dialog = QFileDialog(
            self,
            self.tr("Export returned filings"),
            documents_dir(),
            self.tr("Excel workbook (*.xlsx)"),
        )
        # Qt's own Chinese leaves two of the dialog's labels in English: said here.
        labels = QFileDialog.DialogLabel
        dialog.setLabelText(labels.LookIn, self.tr("Look in:"))
        dialog.setLabelText(labels.FileType, self.tr("Files of type:"))
        dialog.selectFile(self.tr("returned-filings.xlsx"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("xlsx")
        self.export_dialog = dialog
        try:
            chosen = await run_dialog(dialog) and dialog.selectedFiles()
        finally:
            self.export_dialog = None
            dialog.deleteLater()
        if chosen:
            self.export_to(chosen[0])

    def export_to(self, path: str) -> bool:
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            export_returned_xlsx(self.model.rows, path, self.ctx.language)
        except OSError as error:
            self.result.setText(
                self.tr("Could not save %1: %2")
                .replace("%1", path)
                .replace("%2", error.strerror or str(error))
            )
            return False
        self.result.setText(
            self.tr("Saved %n returned filing(s) to %1", "", len(self.model.rows)).replace(
                "%1", path
            )
        )
        return True

    @asyncSlot()
    async def _on_open(self, index) -> None:
        row = cast("ReturnedRow | None", self.model.data(index, RowTableModel.RowRole))
        if row is not None:
            await self.open_detail(row.request_id)
