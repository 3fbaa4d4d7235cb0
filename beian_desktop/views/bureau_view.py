"""Bureau reviewers: the requests that passed verification, longest waiting first;
approve (the ICP numbers are assigned and shown) or reject with a reason."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.read_models import FilingRow
from beian_desktop.services.review.review_service import Decision
from beian_desktop.terms import RequestState
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.labels import business_type_label, request_state_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.request_detail_dialog import OpensRequestDetail
from beian_desktop.views.row_table import Column, RowTableModel, make_table, selected_row
from beian_desktop.views.view_context import ViewContext, local_time

APPROVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # the main keyboard's Enter and the keypad's
REJECT_KEY = "Ctrl+R"


class RejectDialog(QDialog):
    """Asks why. An empty reason is passed on: the service names the missing field."""

    def __init__(self, request_id: int, subject_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rejectDialog")
        self.setWindowTitle(self.tr("Reject request %1").replace("%1", str(request_id)))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("rejectReason")
        self.reason.setPlaceholderText(self.tr("Why is it rejected? The ISP will read this."))
        self.reason.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Reject"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        heading = QLabel(subject_name)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(QLabel(self.tr("Reason for the rejection:")))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(420, 240)

    def reason_text(self) -> str:
        return self.reason.toPlainText()


class BureauView(OpensRequestDetail, QWidget):
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
        self.last_message = ""  # what the last decision said (the message box closes)
        self.message_box: QMessageBox | None = None
        self.reject_dialog: RejectDialog | None = None  # while it is open

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Waiting for the bureau, longest waiting first")))
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
        self.model.set_rows(rows)
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

    # -- approving -------------------------------------------------------------------------
    @asyncSlot()
    async def _on_approve(self) -> None:
        row = selected_row(self.table)
        if row is not None:
            await self.approve(row.request_id)

    async def approve(self, request_id: int) -> Decision | None:
        try:
            decision = await self.ctx.run(
                self.ctx.app.review.approve,
                request_id=request_id,
                parent=self,
                busy_text=self.tr("Approving…"),
            )
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return None
        self._tell(self.tr("Approved"), self.decision_text(request_id, decision))
        return decision

    def decision_text(self, request_id: int, decision: Decision) -> str:
        number = str(request_id)
        if decision.state != RequestState.APPROVED:
            # change_phone: the new number is approved, its verification round comes next.
            return (
                self.tr("Request %1: the new phone number is approved. It is now %2.")
                .replace("%1", number)
                .replace("%2", request_state_label(decision.state))
            )
        lines = [self.tr("Request %1 is approved.").replace("%1", number)]
        if decision.subject_icp_number:
            lines.append(
                self.tr("Subject ICP number: %1").replace("%1", decision.subject_icp_number)
            )
        if decision.website_icp_numbers:
            lines.append(
                self.tr("Website ICP numbers: %1").replace(
                    "%1", ", ".join(decision.website_icp_numbers)
                )
            )
        return "\n".join(lines)

    # -- rejecting -------------------------------------------------------------------------
    @asyncSlot()
    async def _on_reject(self) -> None:
        row = selected_row(self.table)
        if row is None:
            return
        dialog = RejectDialog(row.request_id, row.subject_name, self)
        self.reject_dialog = dialog
        try:
            accepted = await run_dialog(dialog)
            reason = dialog.reason_text()
        finally:
            self.reject_dialog = None
            dialog.deleteLater()
        if accepted:
            await self.reject(row.request_id, reason)

    async def reject(self, request_id: int, reason: str) -> Decision | None:
        try:
            decision = await self.ctx.run(
                self.ctx.app.review.reject,
                request_id=request_id,
                reason=reason,
                parent=self,
            )
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return None
        text = self.tr("Request %1 is rejected.").replace("%1", str(request_id))
        self.result.setText(text)
        self.last_message = text
        return decision

    def _tell(self, title: str, text: str) -> None:
        """The result stays on the page (selectable, to copy a number) and pops up once."""
        self.result.setText(text)
        self.last_message = text
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._forget_message)
        self.message_box = box
        box.open()

    def _forget_message(self) -> None:
        self.message_box = None
