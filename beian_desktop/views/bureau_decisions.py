"""Approving and rejecting a request, wherever a bureau reviewer does it: the queue and
the request's detail. Approving asks first (it assigns the ICP numbers and cannot be
taken back); rejecting asks why, offering the presets an administrator maintains
(settings.reject_reasons) beside free text, and refuses an empty reason in place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from beian_desktop.services.review.review_service import Decision
from beian_desktop.terms import RequestState
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.labels import request_state_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.palette import Tone, badge_style
from beian_desktop.views.view_context import ViewContext


class RejectDialog(QDialog):
    """Asks why. A preset fills the reason (editable); an empty reason keeps the dialog
    open with a word under the box, the ISP must read something."""

    def __init__(
        self,
        request_id: int,
        subject_name: str,
        presets: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rejectDialog")
        self.setWindowTitle(self.tr("Reject request %1").replace("%1", str(request_id)))
        self.presets = QListWidget()
        self.presets.setObjectName("rejectPresets")
        self.presets.addItems(list(presets))
        self.reason: QPlainTextEdit = QPlainTextEdit()
        self.presets.itemClicked.connect(lambda item: self.reason.setPlainText(item.text()))
        self.presets.itemActivated.connect(lambda item: self.reason.setPlainText(item.text()))
        self.reason.setObjectName("rejectReason")
        self.reason.setPlaceholderText(self.tr("Why is it rejected? The ISP will read this."))
        self.reason.setTabChangesFocus(True)
        self.problem = QLabel()
        self.problem.setObjectName("rejectProblem")
        self.problem.setStyleSheet(badge_style(Tone.FAILURE))
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Reject"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        heading = QLabel(subject_name)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if presets:
            layout.addWidget(QLabel(self.tr("Common reasons (click one to use it):")))
            layout.addWidget(self.presets)
        layout.addWidget(QLabel(self.tr("Reason for the rejection:")))
        layout.addWidget(self.reason)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(480, 380 if presets else 240)

    def reason_text(self) -> str:
        return self.reason.toPlainText()

    def accept(self) -> None:
        if not self.reason_text().strip():
            self.problem.setText(self.tr("Write a reason or pick one: the ISP reads it."))
            self.problem.show()
            self.reason.setFocus()
            return
        super().accept()


class DecidesRequests:
    """For a widget that approves and rejects (the queue, the detail): it has `ctx` and
    a `decision_line`; the methods are named apart from QDialog's own accept/reject.
    The open confirmation, reason dialog and message box are kept here while open (a
    test finds them)."""

    ctx: ViewContext
    decision_line: QLabel  # where the outcome stays (the queue's result line, say)
    last_message: str = ""
    confirm_box: QMessageBox | None = None
    reject_dialog: RejectDialog | None = None
    message_box: QMessageBox | None = None

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    # -- approving -------------------------------------------------------------------------
    async def confirm_approval(self, request_id: int, subject_name: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("BureauDecisions", "Approve request %1").replace(
                "%1", str(request_id)
            ),
            QCoreApplication.translate(
                "BureauDecisions", "Approve request %1 (%2)? Its ICP numbers are assigned now."
            )
            .replace("%1", str(request_id))
            .replace("%2", subject_name),
            parent=self._widget(),
        )
        box.setObjectName("confirmApproval")
        approve = box.addButton(
            QCoreApplication.translate("BureauDecisions", "Approve"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(approve)  # Ctrl+Enter, then Enter: approved
        self.confirm_box = box
        try:
            await run_dialog(box)
            return box.clickedButton() is approve
        finally:
            self.confirm_box = None
            box.deleteLater()

    async def approve_request(self, request_id: int, subject_name: str = "") -> Decision | None:
        """Asks, then approves; None when cancelled or refused (the reason on `result`)."""
        if not await self.confirm_approval(request_id, subject_name):
            return None
        try:
            decision = await self.ctx.run(
                self.ctx.app.review.approve,
                request_id=request_id,
                parent=self._widget(),
                busy_text=QCoreApplication.translate("BureauDecisions", "Approving…"),
            )
        except OperationFailed as failure:
            self.decision_line.setText(str(failure))
            return None
        self._tell(
            QCoreApplication.translate("BureauDecisions", "Approved"),
            self.decision_text(request_id, decision),
        )
        return decision

    def decision_text(self, request_id: int, decision: Decision) -> str:
        number = str(request_id)
        if decision.state != RequestState.APPROVED:
            # change_phone: the new number is approved, its verification round comes next.
            return (
                QCoreApplication.translate(
                    "BureauDecisions", "Request %1: the new phone number is approved. It is now %2."
                )
                .replace("%1", number)
                .replace("%2", request_state_label(decision.state))
            )
        lines = [
            QCoreApplication.translate("BureauDecisions", "Request %1 is approved.").replace(
                "%1", number
            )
        ]
        if decision.subject_icp_number:
            lines.append(
                QCoreApplication.translate("BureauDecisions", "Subject ICP number: %1").replace(
                    "%1", decision.subject_icp_number
                )
            )
        if decision.website_icp_numbers:
            lines.append(
                QCoreApplication.translate("BureauDecisions", "Website ICP numbers: %1").replace(
                    "%1", ", ".join(decision.website_icp_numbers)
                )
            )
        return "\n".join(lines)

    # -- rejecting -------------------------------------------------------------------------
    async def ask_and_reject(self, request_id: int, subject_name: str) -> Decision | None:
        try:
            presets = await self.ctx.read(self.ctx.app.settings.reject_reasons)
        except OperationFailed:
            presets = ()
        dialog = RejectDialog(request_id, subject_name, presets, self._widget())
        self.reject_dialog = dialog
        try:
            accepted = await run_dialog(dialog)
            reason = dialog.reason_text()
        finally:
            self.reject_dialog = None
            dialog.deleteLater()
        if not accepted:
            return None
        return await self.reject_request(request_id, reason)

    async def reject_request(self, request_id: int, reason: str) -> Decision | None:
        try:
            decision = await self.ctx.run(
                self.ctx.app.review.reject,
                request_id=request_id,
                reason=reason,
                parent=self._widget(),
            )
        except OperationFailed as failure:
            self.decision_line.setText(str(failure))
            return None
        text = QCoreApplication.translate("BureauDecisions", "Request %1 is rejected.").replace(
            "%1", str(request_id)
        )
        self.decision_line.setText(text)
        self.last_message = text
        return decision

    def _tell(self, title: str, text: str) -> None:
        """The result stays on the page (selectable, to copy a number) and pops up once."""
        self.decision_line.setText(text)
        self.last_message = text
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self._widget())
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._forget_message)
        self.message_box = box
        box.open()

    def _forget_message(self) -> None:
        self.message_box = None
