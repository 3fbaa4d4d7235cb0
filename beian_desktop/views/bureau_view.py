"""Bureau reviewers: the requests that passed verification, the longest in review first
(by when they entered review, shown beside how long they have waited); approve (asked
first; the ICP numbers are assigned and shown) or reject with a reason
(views/bureau_decisions.py, shared with the request's detail)."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.read_models import FilingRow
from beian_desktop.views.bureau_decisions import DecidesRequests
from beian_desktop.views.labels import business_type_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.request_detail_dialog import OpensRequestDetail
from beian_desktop.views.row_table import (
    Column,
    RowTableModel,
    make_table,
    selected_row,
    set_rows_keeping_selection,
)
from beian_desktop.views.view_context import ViewContext, local_time, waited

APPROVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # the main keyboard's Enter and the keypad's
REJECT_KEY = "Ctrl+R"


class BureauView(DecidesRequests, OpensRequestDetail, QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("bureauView")
        self.model: RowTableModel[FilingRow] = RowTableModel(
            [
                Column(self.tr("No."), lambda r: str(r.request_id)),
                Column(self.tr("Type"), lambda r: business_type_label(r.business_type)),
                Column(self.tr("Province"), lambda r: r.province_name),
                Column(self.tr("Subject"), lambda r: r.subject_name),
                Column(
                    self.tr("In review since"),
                    lambda r: local_time(r.state_changed_at),
                    state=lambda r: "bureau_review",
                ),
                Column(self.tr("Waiting"), lambda r: waited(r.state_changed_at, ctx.app.now())),
                Column(self.tr("Submitted"), lambda r: local_time(r.submitted_at)),
            ],
            self,
        )
        self.table = make_table(self.model, stretch_column=3)
        self.table.setObjectName("bureauQueue")

        approve_keys = " / ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in APPROVE_KEYS
        )
        reject_key = QKeySequence(REJECT_KEY).toString(QKeySequence.SequenceFormat.NativeText)
        self.approve_button = QPushButton(self.tr("Approve"))
        self.approve_button.setObjectName("approve")
        self.approve_button.setToolTip(
            self.tr("Approve the selected request and assign its ICP numbers (%1)").replace(
                "%1", approve_keys
            )
        )
        self.reject_button = QPushButton(self.tr("Reject…"))
        self.reject_button.setObjectName("reject")
        self.reject_button.setToolTip(
            self.tr("Reject the selected request with a reason (%1)").replace("%1", reject_key)
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("bureauCount")
        self.result = QLabel()
        self.result.setObjectName("bureauResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.decision_line = self.result

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Waiting for the bureau, longest in review first")))
        bar.addSpacing(12)
        bar.addWidget(self.count_label)
        bar.addStretch()
        bar.addWidget(self.approve_button)
        bar.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.result)

        self.approve_button.clicked.connect(self._on_approve)
        self.reject_button.clicked.connect(self._on_reject)
        # Window shortcuts: they work wherever the focus is on this page; a page the main
        # window is not showing is hidden, and hidden widgets' shortcuts do not fire.
        for key in APPROVE_KEYS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(self.approve_button.animateClick)
        QShortcut(QKeySequence(REJECT_KEY), self).activated.connect(self.reject_button.animateClick)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._on_open)
        ctx.ops.data_changed.connect(self.refresh)
        self._update_buttons()

    @asyncSlot()
    async def refresh(self) -> None:
        try:
            rows = await self.ctx.read(self.ctx.app.queries.bureau_queue)
        except OperationFailed:
            return
        set_rows_keeping_selection(self.table, rows, key=lambda r: r.request_id)
        self.count_label.setText(self.tr("%n request(s)", "", len(rows)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = selected_row(self.table) is not None
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    @asyncSlot()
    async def _on_open(self, index) -> None:
        """The whole filing, its rounds and timeline, before deciding."""
        row = cast("FilingRow | None", self.model.data(index, RowTableModel.RowRole))
        if row is not None:
            await self.open_detail(row.request_id)

    # -- deciding (bureau_decisions.DecidesRequests asks and decides) -------------------------
    @asyncSlot()
    async def _on_approve(self) -> None:
        row = selected_row(self.table)
        if row is not None:
            await self.approve_request(row.request_id, row.subject_name)

    @asyncSlot()
    async def _on_reject(self) -> None:
        row = selected_row(self.table)
        if row is not None:
            await self.ask_and_reject(row.request_id, row.subject_name)
