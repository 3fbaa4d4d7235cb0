"""The local outbox: what the embedded default "sent", newest first, codes masked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget
from qasync import asyncSlot

from beian_desktop.rules.read_models import OutboxRow
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.row_table import Column, RowTableModel, make_table
from beian_desktop.views.view_context import ViewContext, local_time

NOTE_STYLE = "padding: 6px; border: 1px solid #e0c97a; background: #fff8e1"


class OutboxView(QWidget):
    COL_TEXT = 3

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("outboxView")
        self.note = QLabel(
            self.tr(
                "This is the local outbox of the embedded default: without an SMS endpoint "
                "configured, messages are stored here instead of being sent to phones. "
                "Verification codes are masked. With an endpoint set in Settings, messages "
                "go to the endpoint and no longer appear here."
            )
        )
        self.note.setObjectName("outboxNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.model: RowTableModel[OutboxRow] = RowTableModel(
            [
                Column(self.tr("Stored at"), lambda r: local_time(r.stored_at, with_seconds=True)),
                Column(self.tr("Recipient"), lambda r: r.phone_masked),
                Column(self.tr("Sender number"), lambda r: r.sender_number),
                Column(self.tr("Text"), lambda r: r.text),
            ],
            self,
        )
        self.table = make_table(self.model, stretch_column=self.COL_TEXT)
        self.table.setObjectName("outboxTable")
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.count_label = QLabel()
        self.count_label.setObjectName("outboxCount")
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        ctx.ops.data_changed.connect(self.refresh)

    @asyncSlot()
    async def refresh(self) -> None:
        try:
            rows = await self.ctx.read(self.ctx.app.queries.outbox)
        except OperationFailed:
            return
        rows = sorted(rows, key=lambda r: (r.stored_at, r.id), reverse=True)
        self.model.set_rows(rows)
        self.count_label.setText(self.tr("%n message(s), newest first", "", len(rows)))
