"""The help desk: a live console for one caller at a time.

A caller gives their number; the page shows every recent request their number
verifies in (the live ones first, then the returned and verified ones, with why a
request came back), each SMS sent to it (when, from which sender number, whether it
was delivered), and before a round's first SMS, when it will go. Staff resend for
the caller or check a code at the verification desk (verification_desk_dialog.py).

The page stays true without a click: it reads the caller again on every data change
(`ops.data_changed`: a send, a try, a return, from this window or the scheduler) and
its countdowns move with the app's clock (`tick`, on a timer; tests move a ManualClock
and call it). "Next caller" (Esc) clears everything of the previous caller; a read
still on its way for them is dropped when it arrives, so a screen only ever shows its
own caller.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.messages import first_sms_message, returned_to_isp_message
from beian_desktop.rules.permissions import Permission
from beian_desktop.rules.read_models import CallerHistory, CallerRequest, CallerSms
from beian_desktop.terms import RoundState, SmsHandOver, VerifierState
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.labels import (
    business_type_label,
    request_state_label,
    return_reason_label,
    sms_kind_label,
    sms_status_label,
    verifier_state_label,
)
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.palette import Tone, badge_style, state_brush
from beian_desktop.views.row_table import Column, RowTableModel, make_table
from beian_desktop.views.verification_desk_dialog import FIELD_MAX_LENGTH, VerificationDeskDialog
from beian_desktop.views.view_context import (
    COUNTDOWN_TICK_MS,
    ViewContext,
    countdown,
    local_time,
)

__all__ = ["HelpDeskView", "VerificationDeskDialog"]


class HelpDeskView(QWidget):
    COL_STATE = 3
    COL_TIME_LEFT = 7

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("helpDeskView")
        self.caller: str | None = None  # the number the results on screen belong to
        self.history: CallerHistory | None = None
        self.desk_dialog: VerificationDeskDialog | None = None
        self._generation = 0  # bumped for every new caller: older reads are dropped
        now = ctx.app.now

        self.phone = QLineEdit()
        self.phone.setObjectName("callerPhone")
        self.phone.setPlaceholderText(self.tr("Caller's mobile number"))
        self.last6 = QLineEdit()
        self.last6.setObjectName("callerLast6")
        self.last6.setPlaceholderText(self.tr("Last six of the ID number"))
        for field in (self.phone, self.last6):
            field.setMaxLength(FIELD_MAX_LENGTH)  # the services normalise what is typed
        look_up = QPushButton(self.tr("Look up"))
        look_up.setObjectName("lookUp")
        self.resend_button = QPushButton(self.tr("Resend code"))
        self.resend_button.setObjectName("resend")
        self.resend_button.setVisible(ctx.can(Permission.RESEND_FOR_CALLER))
        self.desk_button = QPushButton(self.tr("Verification desk…"))
        self.desk_button.setObjectName("verificationDesk")
        self.desk_button.setVisible(ctx.can(Permission.VERIFICATION_DESK))
        self.next_button = QPushButton(self.tr("Next caller (Esc)"))
        self.next_button.setObjectName("nextCaller")
        self.next_button.setToolTip(self.tr("Clear the screen for the next caller"))
        look_up.clicked.connect(self._on_look_up)
        self.phone.returnPressed.connect(self._on_look_up)
        self.resend_button.clicked.connect(self._on_resend)
        self.desk_button.clicked.connect(self._on_desk)
        self.next_button.clicked.connect(self.next_caller)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.next_caller)

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_tone: Tone | None = None
        self.answer = QLabel()
        self.answer.setObjectName("answer")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer_tone: Tone | None = None

        self.model: RowTableModel[CallerRequest] = RowTableModel(
            [
                Column(self.tr("No."), lambda r: str(r.request_id)),
                Column(self.tr("Name"), lambda r: r.name),
                Column(self.tr("Subject"), lambda r: r.subject_name),
                Column(
                    self.tr("State"),
                    lambda r: verifier_state_label(r.verifier_state),
                    foreground=lambda r: state_brush(r.verifier_state),
                ),
                Column(self.tr("Type"), lambda r: business_type_label(r.business_type)),
                Column(self.tr("Round"), lambda r: str(r.round_number)),
                Column(self.tr("Deadline"), lambda r: local_time(r.deadline)),
                Column(
                    self.tr("Time left"), lambda r: countdown(r.deadline, now()) if r.live else ""
                ),
                Column(self.tr("Tries left"), lambda r: str(r.tries_left) if r.live else ""),
                Column(
                    self.tr("Resends left"), lambda r: str(r.manual_resends_left) if r.live else ""
                ),
                Column(
                    self.tr("Request"),
                    self._request_note,
                    foreground=lambda r: state_brush(r.request_state),
                ),
            ],
            self,
        )
        self.table = make_table(self.model, stretch_column=2)
        self.table.setObjectName("callerRequests")
        self.sms_model: RowTableModel[tuple[int, CallerSms]] = RowTableModel(
            [
                Column(self.tr("No."), lambda s: str(s[0])),
                Column(self.tr("Kind"), lambda s: sms_kind_label(s[1].kind)),
                Column(self.tr("Due"), lambda s: local_time(s[1].due_at, True)),
                Column(self.tr("Sent"), lambda s: local_time(s[1].sent_at, True)),
                Column(self.tr("Sender number"), lambda s: s[1].sender_number),
                Column(
                    self.tr("Status"),
                    lambda s: sms_status_label(s[1].status),
                    foreground=lambda s: state_brush(s[1].status),
                ),
                Column(
                    self.tr("Delivery"),
                    lambda s: sms_status_label(s[1].delivery_status),
                    foreground=lambda s: state_brush(s[1].delivery_status),
                ),
            ],
            self,
        )
        self.sms_table = make_table(self.sms_model, stretch_column=6)
        self.sms_table.setObjectName("callerSms")

        caller = QGroupBox(self.tr("Caller"))
        row = QHBoxLayout(caller)
        row.addWidget(self.phone, 2)
        row.addWidget(self.last6, 1)
        row.addWidget(look_up)
        row.addWidget(self.resend_button)
        row.addWidget(self.desk_button)
        row.addWidget(self.next_button)
        requests_box = QWidget()
        requests_layout = QVBoxLayout(requests_box)
        requests_layout.setContentsMargins(0, 0, 0, 0)
        requests_layout.addWidget(QLabel(self.tr("Requests this number verifies in")))
        requests_layout.addWidget(self.table)
        sms_box = QWidget()
        sms_layout = QVBoxLayout(sms_box)
        sms_layout.setContentsMargins(0, 0, 0, 0)
        sms_layout.addWidget(QLabel(self.tr("SMS sent to this number")))
        sms_layout.addWidget(self.sms_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(requests_box)
        split.addWidget(sms_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(caller)
        layout.addWidget(self.summary)
        layout.addWidget(self.answer)
        layout.addWidget(split, 1)
        self._say(self.summary, None, "")
        self._say(self.answer, None, "")

        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(COUNTDOWN_TICK_MS)
        ctx.ops.data_changed.connect(self.refresh)

    # -- reading the caller ----------------------------------------------------------------
    @asyncSlot()
    async def refresh(self) -> None:
        """The caller on screen, read again (a data change); quiet on failure."""
        if self.caller is not None:
            await self._load(self.caller, quiet=True)

    @asyncSlot()
    async def _on_look_up(self) -> None:
        await self.look_up()

    async def look_up(self) -> None:
        """The number typed becomes the caller on screen."""
        number = self.phone.text()
        self._generation += 1
        self.caller = number if number.strip() else None
        self._say(self.answer, None, "")
        if self.caller is None:
            self._show(None)
            return
        await self._load(self.caller, quiet=False)

    async def _load(self, number: str, *, quiet: bool) -> None:
        generation = self._generation
        try:
            history = await self.ctx.read(
                self.ctx.app.queries.caller_history, phone=number, parent=self, error_box=False
            )
        except OperationFailed as failure:
            if not quiet and generation == self._generation:
                self._show(None)
                self._say(self.summary, Tone.FAILURE, str(failure))
            return
        if generation == self._generation and self.caller == number:  # still this caller
            self._show(history)

    def _show(self, history: CallerHistory | None) -> None:
        self.history = history
        requests = history.requests if history is not None else ()
        self.model.set_rows(requests)
        sms = [(r.request_id, s) for r in requests for s in r.sms]
        sms.sort(key=lambda pair: pair[1].sent_at or pair[1].due_at, reverse=True)
        self.sms_model.set_rows(sms)
        self._summarise()

    # -- the clock ---------------------------------------------------------------------------
    def tick(self) -> bool:
        """Redraws the countdowns on the app's clock; reads the caller again when a
        deadline or a first SMS's time has passed (True then)."""
        if self.history is None:
            return False
        now = self.ctx.app.now()
        self.model.refresh()
        self._summarise()
        passed = any(
            r.live
            and (
                (r.deadline is not None and r.deadline <= now)
                or (r.first_sms_at is not None and r.first_sms_at <= now)
            )
            for r in self.history.requests
        )
        if passed:
            self.refresh()
        return passed

    # -- what the page says ------------------------------------------------------------------
    def _request_note(self, r: CallerRequest) -> str:
        """The request's side: when its SMS goes, why it came back, where it is now."""
        if r.live and r.first_sms_at is not None:
            return self.tr("First SMS at about %1").replace("%1", local_time(r.first_sms_at))
        if r.round_state == RoundState.FAILED and r.return_reason:
            note = self.tr("Returned: %1").replace("%1", return_reason_label(r.return_reason))
            if r.returned_verifier_name and r.returned_verifier_name != r.name:
                who = r.returned_verifier_name
                note = self.tr("%1 (%2)").replace("%2", who).replace("%1", note)
            return note
        if r.live and r.next_resend_at is not None and r.manual_resends_left > 0:
            return self.tr("Resend from %1").replace("%1", local_time(r.next_resend_at, True))
        return request_state_label(r.request_state)

    def _summarise(self) -> None:
        history, language = self.history, self.ctx.language
        if history is None:
            self._say(self.summary, None, "")
            return
        if not history.requests:
            self._say(
                self.summary,
                Tone.NEUTRAL,
                self.tr("No request verifies with %1.").replace("%1", history.phone_masked),
            )
            return
        live = history.live
        if live:
            lines = [
                self.tr("%1: verifications waiting: %2")
                .replace("%1", history.phone_masked)
                .replace("%2", str(len(live)))
            ]
            lines += [
                self.tr("No. %1: ").replace("%1", str(r.request_id))
                + first_sms_message(r.first_sms_at, language)
                for r in live
                if r.first_sms_at is not None
            ]
            self._say(self.summary, Tone.WAITING, "\n".join(lines))
            return
        latest = history.requests[0]
        if latest.round_state == RoundState.FAILED:
            text = self.tr("%1: nothing waiting. No. %2 (%3): ")
            text = text.replace("%1", history.phone_masked).replace("%2", str(latest.request_id))
            text = text.replace("%3", local_time(latest.ended_at))
            self._say(
                self.summary,
                Tone.WARNING,
                text + returned_to_isp_message(latest.return_reason, language),
            )
        elif latest.verifier_state == VerifierState.VERIFIED:
            text = self.tr("%1: nothing waiting. Verified No. %2 on %3; nothing more to do.")
            text = text.replace("%1", history.phone_masked).replace("%2", str(latest.request_id))
            self._say(self.summary, Tone.SUCCESS, text.replace("%3", local_time(latest.ended_at)))
        else:
            self._say(
                self.summary,
                Tone.NEUTRAL,
                self.tr("%1: nothing waiting.").replace("%1", history.phone_masked),
            )

    def _say(self, label: QLabel, tone: Tone | None, text: str) -> None:
        if label is self.summary:
            self.summary_tone = tone
        else:
            self.answer_tone = tone
        label.setText(text)
        label.setStyleSheet(badge_style(tone) if tone is not None else "")
        label.setVisible(bool(text))

    # -- acting for the caller ---------------------------------------------------------------
    def next_caller(self) -> None:
        """Everything of the previous caller goes: number, last six, results, answers."""
        self._generation += 1
        self.caller = None
        self.phone.clear()
        self.last6.clear()
        self._show(None)
        self._say(self.answer, None, "")
        self.phone.setFocus()

    @asyncSlot()
    async def _on_resend(self) -> None:
        await self.resend()

    async def resend(self) -> None:
        """`您的短信已发送成功`, or the refusal with when to ask again."""
        if self.caller != self.phone.text():
            await self.look_up()  # the number typed is the caller now
        generation = self._generation
        try:
            outcome = await self.ctx.run(
                self.ctx.app.verification.resend_code,
                phone=self.phone.text(),
                id_last6=self.last6.text(),
                on_behalf=True,
                parent=self,
                error_box=False,
            )
        except OperationFailed as failure:
            if generation == self._generation:
                self._say(self.answer, Tone.FAILURE, str(failure))
            return
        if generation == self._generation:
            accepted = outcome.sent and outcome.handed_over in (None, SmsHandOver.ACCEPTED)
            self._say(
                self.answer,
                Tone.SUCCESS if accepted else Tone.WARNING,
                outcome.in_language(self.ctx.language),
            )

    @asyncSlot()
    async def _on_desk(self) -> None:
        await self.open_desk()

    async def open_desk(self) -> None:
        """The verification desk, for the caller on screen."""
        dialog = VerificationDeskDialog(self.ctx, self)
        dialog.phone.setText(self.phone.text())
        dialog.last6.setText(self.last6.text())
        dialog.code.setFocus()
        self.desk_dialog = dialog
        generation = self._generation
        try:
            await run_dialog(dialog)
        finally:
            self.desk_dialog = None
            dialog.deleteLater()
        if dialog.tone is not None and generation == self._generation:
            # The console keeps the last thing the caller was told, not an older answer.
            self._say(self.answer, dialog.tone, dialog.answer.text())
