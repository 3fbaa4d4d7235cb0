"""One request in full: who must verify, their state and tries, every SMS, the people
named in it, the timeline. Phone and ID numbers are masked; a role that may see them in
full gets a "Show" button beside each (or "Show in full" in a table cell's context
menu), and every reveal lands in the timeline (views/revealer.py)."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.permissions import Permission, RevealField
from beian_desktop.rules.read_models import (
    PrincipalView,
    RequestDetail,
    RoundView,
    SmsView,
    VerifierView,
)
from beian_desktop.rules.timeline import TimelineLine, fold
from beian_desktop.terms import RequestState
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.bureau_decisions import DecidesRequests
from beian_desktop.views.labels import (
    business_type_label,
    carrier_label,
    doc_type_label,
    list_separator,
    request_state_label,
    return_reason_label,
    roles_label,
    sms_kind_label,
    sms_status_label,
    verifier_state_label,
)
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.palette import badge_style, state_tone
from beian_desktop.views.revealer import Revealer, Secret, SecretLabel
from beian_desktop.views.row_table import Column, RowTableModel, make_table
from beian_desktop.views.timeline_export import export_timeline_xlsx, raw_details
from beian_desktop.views.view_context import ViewContext, countdown, local_time


class RequestDetailDialog(DecidesRequests, QDialog):
    def __init__(self, ctx: ViewContext, request_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.detail: RequestDetail | None = None
        # The values shown in full live here, and go with the dialog.
        self.revealer = Revealer(ctx, self)
        self.setObjectName("requestDetailDialog")
        self.setWindowTitle(self.tr("Request No. %1").replace("%1", str(request_id)))
        room = self.screen().availableGeometry()  # a small screen keeps the buttons in view
        self.resize(min(1000, room.width()), min(680, room.height() - 40))
        now = ctx.app.now

        self.summary = QFormLayout()
        summary_box = QGroupBox(self.tr("Request"))
        summary_box.setLayout(self.summary)
        self.round_choice = QComboBox()
        self.round_choice.currentIndexChanged.connect(self._show_round)
        self.round_label = QLabel()

        self.verifiers: RowTableModel[VerifierView] = RowTableModel(
            [
                Column(self.tr("Name"), lambda v: v.name),
                Column(self.tr("Roles"), lambda v: roles_label(v.roles)),
                self.revealer.column(
                    self.tr("Mobile"),
                    lambda v: v.phone_masked,
                    lambda v: self._secret(RevealField.VERIFIER_PHONE, v.verifier_id),
                ),
                Column(self.tr("Operator"), lambda v: carrier_label(v.carrier)),
                Column(self.tr("Sender number"), lambda v: v.sender_number),
                Column(
                    self.tr("State"),
                    lambda v: verifier_state_label(v.state),
                    state=lambda v: v.state,
                ),
                # what is left only means something while the verifier still can verify
                Column(
                    self.tr("Tries left"),
                    lambda v: str(v.tries_left) if v.state == "pending" else "",
                ),
                Column(
                    self.tr("Resends left"),
                    lambda v: str(v.manual_resends_left) if v.state == "pending" else "",
                ),
                Column(
                    self.tr("Time left"),
                    lambda v: countdown(v.deadline, now()) if v.state == "pending" else "",
                ),
            ],
            self,
        )
        self.sms: RowTableModel[SmsView] = RowTableModel(
            [
                Column(self.tr("Kind"), lambda s: sms_kind_label(s.kind)),
                self.revealer.column(  # the number an SMS went to is its verifier's
                    self.tr("Mobile"),
                    lambda s: s.phone_masked,
                    lambda s: self._secret(RevealField.VERIFIER_PHONE, s.verifier_id),
                ),
                Column(self.tr("Sender number"), lambda s: s.sender_number),
                Column(
                    self.tr("Status"),
                    lambda s: sms_status_label(s.status),
                    state=lambda s: s.status,
                ),
                Column(
                    self.tr("Delivery"),
                    lambda s: sms_status_label(s.delivery_status),
                    state=lambda s: s.delivery_status,
                ),
                Column(self.tr("Due"), lambda s: local_time(s.due_at, True)),
                Column(self.tr("Sent"), lambda s: local_time(s.sent_at, True)),
                Column(self.tr("Tries"), lambda s: str(s.attempts)),
                Column(self.tr("Endpoint answer"), lambda s: s.last_error or ""),
            ],
            self,
        )
        language = ctx.language
        self.timeline: RowTableModel[TimelineLine] = RowTableModel(
            [
                Column(self.tr("Time"), lambda t: local_time(t.entry.at, True)),
                Column(
                    self.tr("What happened"),
                    lambda t: t.sentence(language),
                    tooltip=raw_details,  # as recorded, for whoever needs the record
                ),
            ],
            self,
        )
        self.verifier_table = make_table(self.verifiers, stretch_column=1)
        self.sms_table = make_table(self.sms, stretch_column=8)
        self.timeline_table = make_table(self.timeline, stretch_column=1)
        self.timeline_table.setObjectName("timeline")
        self.timeline_table.setWordWrap(True)
        self.revealer.install(self.verifier_table)
        self.revealer.install(self.sms_table)
        self.revealer.shown_changed.connect(self._show_websites)
        self.revealer.attempted.connect(self._reload_timeline)
        self.principals_area = QScrollArea()
        self.principals_area.setObjectName("principals")
        self.principals_area.setWidgetResizable(True)

        round_page = QWidget()
        round_layout = QVBoxLayout(round_page)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("Round")))
        chooser.addWidget(self.round_choice)
        chooser.addWidget(self.round_label, 1)
        round_layout.addLayout(chooser)
        round_layout.addWidget(QLabel(self.tr("Verifiers")))
        round_layout.addWidget(self.verifier_table)
        round_layout.addWidget(QLabel(self.tr("SMS")))
        round_layout.addWidget(self.sms_table)
        self.tabs = tabs = QTabWidget()
        tabs.addTab(round_page, self.tr("Verification"))
        tabs.addTab(self.principals_area, self.tr("Principals"))
        timeline_page = QWidget()
        timeline_layout = QVBoxLayout(timeline_page)
        timeline_layout.addWidget(self.timeline_table)
        export_bar = QHBoxLayout()
        self.timeline_result = QLabel()
        self.timeline_result.setObjectName("timelineResult")
        export_bar.addWidget(self.timeline_result, 1)
        self.export_timeline_button = QPushButton(self.tr("Export timeline…"))
        self.export_timeline_button.setObjectName("exportTimeline")
        self.export_timeline_button.setToolTip(
            self.tr("Save the timeline, with every event's details as recorded, as an .xlsx file")
        )
        self.export_timeline_button.clicked.connect(self._on_export_timeline)
        export_bar.addWidget(self.export_timeline_button)
        timeline_layout.addLayout(export_bar)
        tabs.addTab(timeline_page, self.tr("Timeline"))
        self.websites_label = QLabel()
        self.websites_label.setWordWrap(True)
        tabs.addTab(self.websites_label, self.tr("Websites"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        # A bureau reviewer decides here too, having read the filing (bureau_decisions).
        self.approve_button = buttons.addButton(
            self.tr("Approve"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.approve_button.setObjectName("detailApprove")
        self.reject_button = buttons.addButton(
            self.tr("Reject…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.reject_button.setObjectName("detailReject")
        self.approve_button.clicked.connect(self._on_approve)
        self.reject_button.clicked.connect(self._on_reject)
        self.decision_line = QLabel()
        self.decision_line.setObjectName("detailResult")
        self.decision_line.setWordWrap(True)
        self.decision_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show_decision_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(summary_box)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.decision_line)
        layout.addWidget(buttons)

    async def load(self) -> None:
        detail = await self.ctx.read(
            self.ctx.app.queries.request_detail, request_id=self.request_id
        )
        self.show_detail(detail)

    def _show_decision_buttons(self) -> None:
        deciding = (
            self.detail is not None
            and self.detail.state == RequestState.BUREAU_REVIEW
            and self.ctx.can(Permission.BUREAU_REVIEW)
        )
        self.approve_button.setVisible(deciding)
        self.reject_button.setVisible(deciding)

    @asyncSlot()
    async def _on_approve(self) -> None:
        detail = self.detail
        if detail is not None and await self.approve_request(self.request_id, detail.subject_name):
            await self._reload()

    @asyncSlot()
    async def _on_reject(self) -> None:
        detail = self.detail
        if detail is not None and await self.ask_and_reject(self.request_id, detail.subject_name):
            await self._reload()

    async def _reload(self) -> None:
        """After a decision: the new state, the ICP numbers, the timeline's entry."""
        try:
            await self.load()
        except OperationFailed:
            return

    def show_detail(self, d: RequestDetail) -> None:
        self.detail = d
        self._show_decision_buttons()
        while self.summary.rowCount():
            self.summary.removeRow(0)
        principal = d.subject_principal
        rows: list[tuple[str, str | SecretLabel | QLabel]] = [
            (self.tr("Type"), business_type_label(d.business_type)),
            (self.tr("State"), self._state_badge(d.state)),
            (self.tr("Subject"), f"{d.subject_name}（{d.province_name}）"),
            (
                self.tr("Document"),
                self._secret_label(
                    RevealField.SUBJECT_ID_NUMBER, d.subject_id, d.subject_doc_masked
                ),
            ),
            (
                self.tr("Subject principal"),
                self._secret_label(
                    RevealField.PRINCIPAL_PHONE,
                    principal.principal_id,
                    principal.phone_masked,
                    before=f"{principal.name} ",
                    after=self.tr(" (verified)") if principal.verified_at else "",
                ),
            ),
            (self.tr("Entered by"), f"{d.entered_by_name}, {local_time(d.created_at)}"),
            (self.tr("Submitted"), local_time(d.submitted_at)),
        ]
        if d.subject_icp_number:
            rows.append((self.tr("ICP number"), d.subject_icp_number))
        if d.state == "returned":
            names = list_separator(self.ctx.language).join(d.returned_verifier_names)
            rows.append(
                (
                    self.tr("Returned because"),
                    return_reason_label(d.return_reason) + (f" — {names}" if names else ""),
                )
            )
        if d.decision_reason:
            rows.append((self.tr("Decision"), f"{d.decision_reason} ({d.decided_by_name or ''})"))
        for label, value in rows:
            shown = value if isinstance(value, (SecretLabel, QLabel)) else QLabel(value)
            (shown.label if isinstance(shown, SecretLabel) else shown).setObjectName(
                f"summary_{label}"
            )
            self.summary.addRow(label, shown)
        self.round_choice.blockSignals(True)
        self.round_choice.clear()
        for rnd in d.rounds:
            self.round_choice.addItem(self.tr("Round %1").replace("%1", str(rnd.number)))
        self.round_choice.blockSignals(False)
        if d.rounds:
            self.round_choice.setCurrentIndex(len(d.rounds) - 1)
            self._show_round(len(d.rounds) - 1)
        self.timeline.set_rows(fold(d.timeline))
        self._show_principals(d)
        self._show_websites()

    def _state_badge(self, state: str) -> QLabel:
        """The request's state in its palette colour, as everywhere else."""
        badge = QLabel(request_state_label(state))
        badge.setStyleSheet(
            badge_style(state_tone(state)).replace("padding: 6px", "padding: 1px 6px")
        )
        badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        return badge

    def _show_principals(self, d: RequestDetail) -> None:
        """Everyone the request names, with their document and mobile numbers."""
        people: list[tuple[str, PrincipalView]] = [
            (roles_label(("subject_principal",)), d.subject_principal),
            *((roles_label((f"website_principal:{w.name}",)), w.principal) for w in d.websites),
        ]
        page = QWidget()
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(18)
        headers = (
            self.tr("Role"),
            self.tr("Name"),
            self.tr("Document type"),
            self.tr("Document number"),
            self.tr("Mobile"),
            self.tr("Verified at"),
        )
        bold = QFont()
        bold.setBold(True)
        for column, title in enumerate(headers):
            header = QLabel(title)
            header.setFont(bold)
            grid.addWidget(header, 0, column)
        for row, (role, p) in enumerate(people, start=1):
            grid.addWidget(QLabel(role), row, 0)
            grid.addWidget(QLabel(p.name), row, 1)
            grid.addWidget(QLabel(doc_type_label(p.doc_type)), row, 2)
            grid.addWidget(
                self._secret_label(RevealField.PRINCIPAL_ID_NUMBER, p.principal_id, p.doc_masked),
                row,
                3,
            )
            grid.addWidget(
                self._secret_label(RevealField.PRINCIPAL_PHONE, p.principal_id, p.phone_masked),
                row,
                4,
            )
            grid.addWidget(QLabel(local_time(p.verified_at)), row, 5)
        grid.setRowStretch(len(people) + 1, 1)
        grid.setColumnStretch(len(headers), 1)
        self.principals_area.setWidget(page)  # the previous page is deleted

    def _show_websites(self) -> None:
        if self.detail is None:
            return
        lines = []
        for w in self.detail.websites:
            p = w.principal
            phone = self.revealer.text(
                self._secret(RevealField.PRINCIPAL_PHONE, p.principal_id), p.phone_masked
            )
            lines.append(
                f"{w.name}  {'、'.join(w.domains)}  {w.icp_number or ''}  {p.name} {phone}"
                + (self.tr(" (verified)") if p.verified_at else "")
            )
        self.websites_label.setText("\n".join(lines))

    def _secret(self, field: RevealField, holder_id: int) -> Secret | None:
        return Secret(field, holder_id, self.request_id) if holder_id else None

    def _secret_label(
        self, field: RevealField, holder_id: int, masked: str, *, before: str = "", after: str = ""
    ) -> SecretLabel:
        secret = Secret(field, holder_id, self.request_id)
        return SecretLabel(self.revealer, secret, masked, before=before, after=after)

    @asyncSlot()
    async def _reload_timeline(self) -> None:
        """A reveal, allowed or refused, is in the timeline now: show it there."""
        try:
            detail = await self.ctx.read(
                self.ctx.app.queries.request_detail, request_id=self.request_id
            )
        except OperationFailed:
            return
        self.timeline.set_rows(fold(detail.timeline))

    @asyncSlot()
    async def _on_export_timeline(self) -> None:
        """Asks where (awaiting the dialog, no nested event loop), then writes it."""
        dialog = QFileDialog(
            self, self.tr("Export timeline"), "", self.tr("Excel workbook (*.xlsx)")
        )
        dialog.selectFile(self.tr("timeline-%1.xlsx").replace("%1", str(self.request_id)))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("xlsx")
        self.export_dialog: QFileDialog | None = dialog
        try:
            chosen = await run_dialog(dialog) and dialog.selectedFiles()
        finally:
            self.export_dialog = None
            dialog.deleteLater()
        if chosen:
            self.export_timeline_to(chosen[0])

    def export_timeline_to(self, path: str) -> bool:
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            export_timeline_xlsx(self.request_id, self.timeline.rows, path, self.ctx.language)
        except OSError as error:
            self.timeline_result.setText(
                self.tr("Could not save %1: %2")
                .replace("%1", path)
                .replace("%2", error.strerror or str(error))
            )
            return False
        self.timeline_result.setText(self.tr("Saved to %1").replace("%1", path))
        return True

    def _show_round(self, index: int) -> None:
        if self.detail is None or not 0 <= index < len(self.detail.rounds):
            return
        rnd: RoundView = self.detail.rounds[index]
        quorum = self.tr("all must verify") if rnd.quorum == "all" else self.tr("any one")
        self.round_label.setText(
            self.tr("%1; deadline %2")
            .replace("%1", quorum)
            .replace("%2", local_time(rnd.deadline) or self.tr("not sent yet"))
        )
        self.verifiers.set_rows(rnd.verifiers)
        self.sms.set_rows(rnd.sms)


async def open_request_detail(
    ctx: ViewContext, request_id: int, parent: QWidget | None = None
) -> RequestDetailDialog:
    """Loads first, then shows: a request that cannot be read raises OperationFailed
    (already shown to the user) and no empty dialog is left behind."""
    dialog = RequestDetailDialog(ctx, request_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    try:
        await dialog.load()
    except Exception:
        dialog.deleteLater()
        raise
    dialog.show()
    return dialog


class OpensRequestDetail:
    """For a page whose rows open a request's detail (the bureau queue, the returned
    list): the page keeps the dialog it opened last until that dialog closes, and says
    on its own `result` line why one could not be opened."""

    ctx: ViewContext
    result: QLabel
    detail_dialog: RequestDetailDialog | None = None

    async def open_detail(self, request_id: int) -> None:
        try:
            dialog = await open_request_detail(self.ctx, request_id, cast(QWidget, self))
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return
        self.detail_dialog = dialog
        dialog.finished.connect(self._forget_detail)

    def _forget_detail(self) -> None:
        self.detail_dialog = None
