"""The verification desk: a caller reads out the code from their SMS, with their number
and the last six characters of their ID, and staff check it for them (SPEC §5).

Enter checks, from any field; one check at a time, so a key held down is one try. The
answer is SPEC §5's words (rules/messages.py) in the outcome's colour (views/palette.py),
then what to tell the caller: the tries left after a wrong code; when the try returned
the whole request, that it did and what happens next; before the first SMS, when it
goes. The fields take what people type (spaces, full-width digits from an input
method): the service normalises it, and only the service refuses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.messages import check_answer, returned_to_isp_message
from beian_desktop.rules.permissions import Permission
from beian_desktop.rules.read_models import CallerRequest
from beian_desktop.terms import CheckResult, ReturnReason, RoundState, VerifierState
from beian_desktop.views.labels import list_separator
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.palette import Tone, badge_style
from beian_desktop.views.view_context import ViewContext, local_time

if TYPE_CHECKING:
    from beian_desktop.services.verification.checks import CheckOutcome

# Long enough for what people type around six characters (spaces, a pasted number).
FIELD_MAX_LENGTH = 40

_TONES = {
    CheckResult.VERIFIED_OTHERS_PENDING: Tone.SUCCESS,
    CheckResult.VERIFIED_REQUEST_COMPLETE: Tone.SUCCESS,
    CheckResult.ALREADY_VERIFIED: Tone.SUCCESS,
    CheckResult.WRONG: Tone.FAILURE,
    CheckResult.NOT_SENT_YET: Tone.WAITING,
    CheckResult.NO_RECORD: Tone.NEUTRAL,
}


def outcome_tone(outcome: CheckOutcome) -> Tone:
    """A try that returned the request is a warning: the caller cannot try again."""
    if outcome.returned_request_ids:
        return Tone.WARNING
    return _TONES.get(outcome.result, Tone.NEUTRAL)


class VerificationDeskDialog(QDialog):
    """Code, number and last six, as on the bureau's page, without the captcha."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("verificationDeskDialog")
        self.setWindowTitle(self.tr("Verification desk"))
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText(self.tr("The 6 digits from the SMS"))
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(self.tr("Mobile number the SMS went to"))
        self.last6 = QLineEdit()
        self.last6.setObjectName("last6")
        self.last6.setPlaceholderText(self.tr("Last six characters"))
        for field in (self.code, self.phone, self.last6):
            field.setMaxLength(FIELD_MAX_LENGTH)
        self.answer = QLabel()
        self.answer.setObjectName("answer")
        self.answer.setWordWrap(True)
        self.answer.setMinimumWidth(440)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice = QLabel()
        self.advice.setObjectName("advice")
        self.advice.setWordWrap(True)
        self.advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tone: Tone | None = None
        self.last_outcome: CheckOutcome | None = None
        self._checking = False
        self._show(None, "", "")
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Mobile number"), self.phone)
        form.addRow(self.tr("Last six of the ID number"), self.last6)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = buttons.addButton(
            self.tr("Check (Enter)"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.check_button.setObjectName("check")
        for button in buttons.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter is the dialog's: it checks (keyPressEvent)
        self.check_button.clicked.connect(self._on_check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.answer)
        layout.addWidget(self.advice)
        layout.addStretch()
        layout.addWidget(buttons)
        self.code.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self._on_check()
            return
        super().keyPressEvent(event)

    @asyncSlot()
    async def _on_check(self) -> None:
        await self.check()

    async def check(self) -> str:
        """Checks what is typed; says the answer and returns it. Ignored while a check
        is still on its way: one Enter, one try."""
        if self._checking:
            return self.answer.text()
        self._checking = True
        try:
            return await self._check()
        finally:
            self._checking = False

    async def _check(self) -> str:
        try:
            outcome = await self.ctx.run(
                self.ctx.app.verification.check_code,
                code=self.code.text(),
                phone=self.phone.text(),
                id_last6=self.last6.text(),
                parent=self,
                error_box=False,  # said here, under the fields
            )
        except OperationFailed as failure:
            self.last_outcome = None
            self._show(Tone.FAILURE, str(failure), "")
            return str(failure)
        self.last_outcome = outcome
        self.code.clear()  # a code is never left on screen
        self.code.setFocus()
        language = self.ctx.language
        headline = check_answer(
            outcome.result, outcome.verifier_name, language, outcome.first_sms_at
        )
        self._show(outcome_tone(outcome), headline, await self._advice(outcome))
        if not language.lower().startswith("zh"):
            self.answer.setToolTip(outcome.message)  # SPEC §5's own words
        return headline

    async def _advice(self, outcome: CheckOutcome) -> str:
        """What to tell the caller beyond the answer."""
        if outcome.returned_request_ids:
            separator = list_separator(self.ctx.language)
            numbers = separator.join(str(n) for n in outcome.returned_request_ids)
            return self.tr("No. %1: ").replace("%1", numbers) + returned_to_isp_message(
                ReturnReason.TRIES_USED_UP, self.ctx.language
            )
        if outcome.result == CheckResult.WRONG and outcome.tries_left is not None:
            return self.tr("Tries left in this round: %1").replace("%1", str(outcome.tries_left))
        if outcome.result == CheckResult.NO_RECORD:
            return await self._why_nothing_is_pending()
        return ""

    async def _why_nothing_is_pending(self) -> str:
        """A number with nothing pending: its latest request may have come back."""
        if not self.ctx.can(Permission.CALLER_LOOKUP):
            return ""
        try:
            history = await self.ctx.read(
                self.ctx.app.queries.caller_history,
                phone=self.phone.text(),
                parent=self,
                error_box=False,
            )
        except OperationFailed:
            return ""
        latest: CallerRequest | None = history.requests[0] if history.requests else None
        if latest is None:
            return self.tr("This number verifies in no request.")
        if latest.round_state == RoundState.FAILED:
            return self.tr("No. %1 (%2): ").replace("%1", str(latest.request_id)).replace(
                "%2", local_time(latest.ended_at)
            ) + returned_to_isp_message(latest.return_reason, self.ctx.language)
        if latest.verifier_state == VerifierState.VERIFIED:
            return (
                self.tr("No. %1: this number verified on %2; nothing more to do.")
                .replace("%1", str(latest.request_id))
                .replace("%2", local_time(latest.ended_at))
            )
        return ""

    def _show(self, tone: Tone | None, headline: str, advice: str) -> None:
        self.tone = tone
        self.answer.setToolTip("")
        self.answer.setText(headline)
        self.answer.setStyleSheet(badge_style(tone) + " font-size: 15px;" if tone else "")
        self.answer.setVisible(bool(headline))
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        self.advice.setStyleSheet(
            f"color: {tone.value}; padding: 2px 6px;" if tone is not None else ""
        )
