"""Everyone still to verify, soonest deadline first, with a resend for each; a role that
may see phone numbers in full can show the selected one (views/revealer.py). The list
is read again on every data change and its countdowns move with the app's clock
(`tick`, on a timer)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.permissions import RevealField
from beian_desktop.rules.read_models import PendingVerifierRow
from beian_desktop.views.async_dialogs import ask_text
from beian_desktop.views.labels import verifier_state_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.palette import state_brush
from beian_desktop.views.revealer import Revealer, Secret
from beian_desktop.views.row_table import Column, RowTableModel, make_table, selected_row
from beian_desktop.views.view_context import (
    COUNTDOWN_TICK_MS,
    ViewContext,
    countdown,
    local_time,
)


class PendingView(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("pendingView")
        now = ctx.app.now
        self.revealer = Revealer(ctx, self)
        self.model: RowTableModel[PendingVerifierRow] = RowTableModel(
            [
                Column(self.tr("No."), lambda r: str(r.request_id)),
                Column(self.tr("Name"), lambda r: r.name),
                self.revealer.column(self.tr("Mobile"), lambda r: r.phone_masked, _phone),
                Column(self.tr("Subject"), lambda r: r.subject_name),
                Column(
                    self.tr("State"),
                    lambda r: verifier_state_label(r.state),
                    foreground=lambda r: state_brush(r.state),
                ),
                Column(self.tr("Deadline"), lambda r: local_time(r.deadline)),
                Column(self.tr("Time left"), lambda r: countdown(r.deadline, now())),
                Column(self.tr("Tries left"), lambda r: str(r.tries_left)),
                Column(self.tr("Resends left"), lambda r: str(r.manual_resends_left)),
                Column(self.tr("Next resend"), lambda r: local_time(r.next_resend_at, True)),
            ],
            self,
        )
        self.table = make_table(self.model, stretch_column=3)
        self.revealer.install(self.table)
        self.reveal_button = QPushButton(self.tr("Show number"))
        self.reveal_button.setObjectName("reveal")
        self.reveal_button.setToolTip(
            self.tr("Show the selected mobile number in full; this is recorded in the timeline")
        )
        self.reveal_button.setVisible(self.revealer.may(RevealField.VERIFIER_PHONE))
        self.reveal_button.clicked.connect(self._on_reveal)
        self.resend_button = QPushButton(self.tr("Resend code…"))
        self.resend_button.clicked.connect(self._on_resend)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("resendResult")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Pending verifiers, soonest deadline first")))
        bar.addStretch()
        bar.addWidget(self.reveal_button)
        bar.addWidget(self.resend_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.result)
        ctx.ops.data_changed.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(COUNTDOWN_TICK_MS)

    def tick(self) -> bool:
        """Redraws the countdowns on the app's clock; reads the list again once a
        deadline on it has passed (True then: the scheduler returns those)."""
        now = self.ctx.app.now()
        self.model.refresh()
        passed = any(r.deadline is not None and r.deadline <= now for r in self.model.rows)
        if passed:
            self.refresh()
        return passed

    @asyncSlot()
    async def refresh(self) -> None:
        try:
            rows = await self.ctx.read(self.ctx.app.queries.pending_verifiers)
        except OperationFailed:
            return
        self.revealer.forget()  # fresh rows come masked
        self.model.set_rows(rows)

    @asyncSlot()
    async def _on_reveal(self) -> None:
        row = selected_row(self.table)
        if row is not None:
            await self.revealer.reveal(_phone(row), self)

    @asyncSlot()
    async def _on_resend(self) -> None:
        row = selected_row(self.table)
        if row is None:
            return
        last6 = await ask_text(
            self,
            self.tr("Resend code"),
            self.tr("The caller's last six characters of the ID number:"),
        )
        if last6 is not None:
            await self.resend(row.verifier_id, last6)

    async def resend(self, verifier_id: int, id_last6: str) -> None:
        """Staff resending for a caller: the refusal says why and when to ask again."""
        try:
            outcome = await self.ctx.run(
                self.ctx.app.verification.resend_for_verifier,
                verifier_id=verifier_id,
                id_last6=id_last6,
                parent=self,
            )
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return
        self.result.setText(outcome.in_language(self.ctx.language))


def _phone(row: PendingVerifierRow) -> Secret:
    return Secret(RevealField.VERIFIER_PHONE, row.verifier_id, row.request_id)
