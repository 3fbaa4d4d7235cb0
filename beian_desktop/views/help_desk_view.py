"""The help desk: a caller gives a number, staff see their pending verifiers, resend
for them, or check a code at the verification desk. Answers are SPEC §5's words."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.read_models import PendingVerifierRow
from beian_desktop.views.labels import verifier_state_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.row_table import Column, RowTableModel, make_table
from beian_desktop.views.view_context import ViewContext, countdown, local_time

ANSWER_STYLE = "font-size: 15px; padding: 6px; border: 1px solid #c8c8c8; background: #fafafa"


class HelpDeskView(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("helpDeskView")
        now = ctx.app.now
        self.phone = QLineEdit()
        self.phone.setObjectName("callerPhone")
        self.phone.setPlaceholderText(self.tr("Caller's mobile number"))
        self.last6 = QLineEdit()
        self.last6.setObjectName("callerLast6")
        self.last6.setPlaceholderText(self.tr("Last six of the ID number"))
        self.last6.setMaxLength(6)
        look_up = QPushButton(self.tr("Look up"))
        look_up.setObjectName("lookUp")
        self.resend_button = QPushButton(self.tr("Resend code"))
        self.resend_button.setObjectName("resend")
        desk = QPushButton(self.tr("Verification desk…"))
        look_up.clicked.connect(self._on_look_up)
        self.phone.returnPressed.connect(self._on_look_up)
        self.resend_button.clicked.connect(self._on_resend)
        desk.clicked.connect(self._on_desk)

        self.model: RowTableModel[PendingVerifierRow] = RowTableModel(
            [
                Column(self.tr("No."), lambda r: str(r.request_id)),
                Column(self.tr("Name"), lambda r: r.name),
                Column(self.tr("Subject"), lambda r: r.subject_name),
                Column(self.tr("State"), lambda r: verifier_state_label(r.state)),
                Column(self.tr("Deadline"), lambda r: local_time(r.deadline)),
                Column(self.tr("Time left"), lambda r: countdown(r.deadline, now())),
                Column(self.tr("Tries left"), lambda r: str(r.tries_left)),
                Column(self.tr("Resends left"), lambda r: str(r.manual_resends_left)),
                Column(self.tr("SMS last sent"), lambda r: local_time(r.last_sent_at, True)),
            ],
            self,
        )
        self.table = make_table(self.model, stretch_column=2)
        self.answer = QLabel()
        self.answer.setObjectName("answer")
        self.answer.setWordWrap(True)
        self.answer.setStyleSheet(ANSWER_STYLE)

        caller = QGroupBox(self.tr("Caller"))
        row = QHBoxLayout(caller)
        row.addWidget(self.phone, 2)
        row.addWidget(self.last6, 1)
        row.addWidget(look_up)
        row.addWidget(self.resend_button)
        row.addWidget(desk)
        layout = QVBoxLayout(self)
        layout.addWidget(caller)
        layout.addWidget(QLabel(self.tr("Pending verifications of this number")))
        layout.addWidget(self.table)
        layout.addWidget(self.answer)

    @asyncSlot()
    async def refresh(self) -> None:
        if self.phone.text().strip():
            await self.look_up()

    @asyncSlot()
    async def _on_look_up(self) -> None:
        await self.look_up()

    async def look_up(self) -> None:
        try:
            rows = await self.ctx.read(
                self.ctx.app.queries.caller_lookup, phone=self.phone.text(), parent=self
            )
        except OperationFailed:
            return
        self.model.set_rows(rows)
        if not rows:
            self.answer.setText(self.tr("No pending verification for this number."))

    @asyncSlot()
    async def _on_resend(self) -> None:
        await self.resend()

    async def resend(self) -> None:
        """`您的短信已发送成功`, or the refusal with when to ask again."""
        try:
            outcome = await self.ctx.run(
                self.ctx.app.verification.resend_code,
                phone=self.phone.text(),
                id_last6=self.last6.text(),
                on_behalf=True,
                parent=self,
            )
        except OperationFailed:
            return
        await self.look_up()  # first: it would say "no pending verification" over the answer
        self.answer.setText(outcome.in_language(self.ctx.language))

    @asyncSlot()
    async def _on_desk(self) -> None:
        from beian_desktop.views.async_dialogs import run_dialog

        dialog = VerificationDeskDialog(self.ctx, self)
        dialog.phone.setText(self.phone.text())
        dialog.last6.setText(self.last6.text())
        await run_dialog(dialog)


class VerificationDeskDialog(QDialog):
    """Code, number and last six, as on the bureau's page, without the captcha."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("verificationDeskDialog")
        self.setWindowTitle(self.tr("Verification desk"))
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setMaxLength(6)
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.last6 = QLineEdit()
        self.last6.setObjectName("last6")
        self.last6.setMaxLength(6)
        self.answer = QLabel()
        self.answer.setObjectName("answer")
        self.answer.setWordWrap(True)
        self.answer.setMinimumWidth(420)
        self.answer.setStyleSheet(ANSWER_STYLE)
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Mobile number"), self.phone)
        form.addRow(self.tr("Last six of the ID number"), self.last6)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = buttons.addButton(
            self.tr("Check"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self._on_check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.answer)
        layout.addWidget(buttons)

    @asyncSlot()
    async def _on_check(self) -> None:
        await self.check()

    async def check(self) -> str:
        try:
            outcome = await self.ctx.run(
                self.ctx.app.verification.check_code,
                code=self.code.text(),
                phone=self.phone.text(),
                id_last6=self.last6.text(),
                parent=self,
            )
        except OperationFailed as failure:
            self.answer.setText(str(failure))
            return str(failure)
        self.answer.setText(outcome.message)
        self.code.clear()
        return outcome.message
