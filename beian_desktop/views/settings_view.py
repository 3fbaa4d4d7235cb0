"""Settings (administrator): timing and tries, sender numbers, the SMS endpoint with a
test button, the province table, users, and the interface language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.errors import in_language
from beian_desktop.rules.policy import Policy
from beian_desktop.services.settings.settings_service import SmsEndpointView
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.palette import Tone, badge_style
from beian_desktop.views.view_context import ViewContext


class SettingsView(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settingsView")
        tabs = QTabWidget()
        tabs.addTab(self._policy_tab(), self.tr("Verification"))
        tabs.addTab(self._endpoint_tab(), self.tr("SMS endpoint"))
        tabs.addTab(self._province_tab(), self.tr("Provinces"))
        tabs.addTab(self._reasons_tab(), self.tr("Rejection reasons"))
        users = self._users_tab()
        if users is not None:
            tabs.addTab(users, self.tr("Users"))
        tabs.addTab(self._language_tab(), self.tr("Language"))
        self.message = QLabel()
        self.message.setObjectName("settingsMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.message)
        self._policy: Policy | None = None

    # -- policy --------------------------------------------------------------------------
    def _policy_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.tries = QSpinBox(minimum=1, maximum=10)
        self.window_hours = QSpinBox(minimum=1, maximum=168)
        self.delay_minutes = QSpinBox(minimum=0, maximum=60)
        self.resend_cap = QSpinBox(minimum=0, maximum=10)
        self.resend_spacing = QSpinBox(minimum=0, maximum=3600)
        self.noon = QSpinBox(minimum=0, maximum=23)
        self.session_hours = QSpinBox(minimum=1, maximum=24)  # rules/policy.py's ranges
        self.idle_lock = QSpinBox(minimum=1, maximum=240)
        self.session_hours.setObjectName("sessionHours")
        self.idle_lock.setObjectName("idleLockMinutes")
        self.cancel_checks = {
            "verify_cancel_subject": QCheckBox(self.tr("Verify subject cancellations")),
            "verify_cancel_website": QCheckBox(self.tr("Verify website cancellations")),
            "verify_cancel_access": QCheckBox(self.tr("Verify access cancellations")),
        }
        self.senders = {c: QLineEdit() for c in ("mobile", "unicom", "telecom", "broadnet")}
        form.addRow(self.tr("Wrong tries allowed"), self.tries)
        form.addRow(self.tr("Round length (hours)"), self.window_hours)
        form.addRow(self.tr("Send delay (minutes)"), self.delay_minutes)
        form.addRow(self.tr("Manual resends per round"), self.resend_cap)
        form.addRow(self.tr("Seconds between sends to one number"), self.resend_spacing)
        form.addRow(self.tr("Automatic resend hour (Beijing time)"), self.noon)
        form.addRow(self.tr("A sign-in lasts (hours)"), self.session_hours)
        form.addRow(self.tr("Lock an untouched window after (minutes)"), self.idle_lock)
        for box in self.cancel_checks.values():
            form.addRow("", box)
        for carrier, edit in self.senders.items():
            from beian_desktop.views.labels import carrier_label

            form.addRow(self.tr("Sender number: %1").replace("%1", carrier_label(carrier)), edit)
        save = QPushButton(self.tr("Save"))
        save.setObjectName("savePolicy")
        save.clicked.connect(self._on_save_policy)
        form.addRow("", save)
        return page

    def _show_policy(self, policy: Policy) -> None:
        self._policy = policy
        self.tries.setValue(policy.max_wrong_tries)
        self.window_hours.setValue(policy.window_seconds // 3600)
        self.delay_minutes.setValue(policy.send_delay_seconds // 60)
        self.resend_cap.setValue(policy.manual_resend_cap)
        self.resend_spacing.setValue(policy.manual_resend_spacing_seconds)
        self.noon.setValue(policy.auto_resend_hour)
        self.session_hours.setValue(policy.session_hours)
        self.idle_lock.setValue(policy.idle_lock_minutes)
        for name, box in self.cancel_checks.items():
            box.setChecked(getattr(policy, name))
        for carrier, edit in self.senders.items():
            edit.setText(policy.sender_number(carrier))

    def edited_policy(self) -> Policy:
        base = self._policy or Policy()
        return replace(
            base,
            max_wrong_tries=self.tries.value(),
            window_seconds=self.window_hours.value() * 3600,
            send_delay_seconds=self.delay_minutes.value() * 60,
            manual_resend_cap=self.resend_cap.value(),
            manual_resend_spacing_seconds=self.resend_spacing.value(),
            auto_resend_hour=self.noon.value(),
            session_hours=self.session_hours.value(),
            idle_lock_minutes=self.idle_lock.value(),
            sender_numbers={c: e.text().strip() for c, e in self.senders.items()},
            **{name: box.isChecked() for name, box in self.cancel_checks.items()},
        )

    @asyncSlot()
    async def _on_save_policy(self) -> None:
        try:
            await self.ctx.run(
                self.ctx.app.settings.save_policy,
                policy=self.edited_policy(),
                parent=self,
            )
        except OperationFailed:
            return
        self.message.setText(self.tr("Saved."))

    # -- endpoint ------------------------------------------------------------------------
    def _endpoint_tab(self) -> QWidget:
        """The endpoint as saved in this installation's config file. The token and the
        signing secret are never shown: a saved one reads ••••, and is replaced only
        when something is typed over it."""
        page = QWidget()
        form = QFormLayout(page)
        self.kind = QComboBox()
        self.kind.setObjectName("smsKind")
        self.kind.addItem(self.tr("Local outbox (this workstation)"), "outbox")
        self.kind.addItem(self.tr("HTTP endpoint"), "http")
        self.url = QLineEdit()
        self.url.setObjectName("smsUrl")
        self.url.setPlaceholderText("https://sms.example.cn/send")
        self.token = QLineEdit()
        self.token.setObjectName("smsToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.signature_header = QLineEdit()
        self.signature_header.setObjectName("smsSignatureHeader")
        self.signature_header.setPlaceholderText("X-Signature")
        self.signature_secret = QLineEdit()
        self.signature_secret.setObjectName("smsSignatureSecret")
        self.signature_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self._show_secret_placeholders(None)
        save = QPushButton(self.tr("Save endpoint"))
        save.setObjectName("saveSmsEndpoint")
        save.clicked.connect(self._on_save_endpoint)
        self.endpoint_result = QLabel()
        self.endpoint_result.setObjectName("endpointResult")
        self.endpoint_result.setWordWrap(True)
        self.test_phone = QLineEdit()
        self.test_phone.setObjectName("testPhone")
        self.test_phone.setPlaceholderText(self.tr("Mobile number for the test"))
        test = QPushButton(self.tr("Send a test SMS"))
        test.setObjectName("sendTestSms")
        test.setToolTip(self.tr("Sends one message through the saved endpoint"))
        test.clicked.connect(self._on_test_sms)
        self.test_result = QLabel()
        self.test_result.setObjectName("testSmsResult")
        self.test_result.setWordWrap(True)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("Token"), self.token)
        form.addRow(self.tr("Signature header"), self.signature_header)
        form.addRow(self.tr("Signing secret"), self.signature_secret)
        form.addRow("", save)
        form.addRow("", self.endpoint_result)
        row = QHBoxLayout()
        row.addWidget(self.test_phone)
        row.addWidget(test)
        form.addRow(self.tr("Test"), row)
        form.addRow("", self.test_result)
        note = QLabel(
            self.tr(
                "The endpoint is kept in this installation's config file, readable by its "
                "owner only; see the README for every key (headers, body template, status URL)."
            )
        )
        note.setWordWrap(True)
        form.addRow("", note)
        self.kind.currentIndexChanged.connect(self._update_endpoint_fields)
        self._update_endpoint_fields()
        return page

    def _update_endpoint_fields(self) -> None:
        http = self.kind.currentData() == "http"
        for edit in (self.url, self.token, self.signature_header, self.signature_secret):
            edit.setEnabled(http)

    def _show_secret_placeholders(self, saved: SmsEndpointView | None) -> None:
        kept = self.tr("•••• saved (type to replace)")
        self.token.setPlaceholderText(
            kept if saved and saved.has_token else self.tr("Bearer token (optional)")
        )
        self.signature_secret.setPlaceholderText(
            kept if saved and saved.has_signature_secret else self.tr("(optional)")
        )

    def _show_endpoint(self, saved: SmsEndpointView) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(saved.kind), 0))
        self.url.setText(saved.url)
        self.signature_header.setText(saved.signature_header)
        self.token.clear()
        self.signature_secret.clear()
        self._show_secret_placeholders(saved)

    @asyncSlot()
    async def _on_save_endpoint(self) -> None:
        await self.save_endpoint()

    async def save_endpoint(self) -> bool:
        path = self.ctx.config_file
        if path is None:
            self.endpoint_result.setText(
                self.tr("This installation has no config file to save to.")
            )
            return False
        try:
            saved = await self.ctx.run(
                self.ctx.app.settings.save_sms_endpoint,
                path=path,
                kind=self.kind.currentData(),
                url=self.url.text(),
                token=self.token.text() or None,  # nothing typed: the saved one stays
                signature_header=self.signature_header.text(),
                signature_secret=self.signature_secret.text() or None,
                parent=self,
                changes_data=False,
            )
        except OperationFailed as failure:
            self.endpoint_result.setText(str(failure))
            return False
        self._show_endpoint(saved)
        self.endpoint_result.setText(
            self.tr("Saved to %1. The scheduler uses it from the next start.").replace(
                "%1", str(path)
            )
        )
        return True

    @asyncSlot()
    async def _on_test_sms(self) -> None:
        await self.send_test_sms()

    async def send_test_sms(self) -> None:
        """Through what is saved, not what is typed: save first."""
        try:
            result = await self.ctx.run(
                self.ctx.app.settings.send_test_sms,
                phone=self.test_phone.text(),
                path=self.ctx.config_file,
                parent=self,
                changes_data=False,
            )
        except OperationFailed as failure:
            self.test_result.setText(str(failure))
            self.test_result.setStyleSheet(badge_style(Tone.FAILURE))
            return
        self.test_result.setText(
            self.tr("Accepted by the endpoint: %1").replace("%1", result.detail)
            if result.ok
            else self.tr("Refused: %1").replace("%1", result.detail)
        )
        self.test_result.setStyleSheet(badge_style(Tone.SUCCESS if result.ok else Tone.FAILURE))

    # -- provinces -----------------------------------------------------------------------
    def _province_tab(self) -> QWidget:
        page = QWidget()
        self.province_table = QTableWidget(0, 2)
        self.province_table.setObjectName("provinceTable")
        self.province_table.setHorizontalHeaderLabels(
            [self.tr("Province"), self.tr("Verification from")]
        )
        self.province_table.verticalHeader().setVisible(False)
        self.province_table.horizontalHeader().setStretchLastSection(True)
        self._province_starts: dict[str, date | None] = {}  # as saved
        self._province_edits: dict[str, QDateEdit] = {}
        self.save_provinces_button = QPushButton(self.tr("Save the province table"))
        self.save_provinces_button.setObjectName("saveProvinces")
        self.save_provinces_button.clicked.connect(self._on_save_provinces)
        self.province_result = QLabel()
        self.province_result.setObjectName("provinceResult")
        intro = QLabel(
            self.tr(
                "SMS verification applies to filings of a province submitted on or after its "
                "start date; clear the date to switch it off."
            )
        )
        intro.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.province_result, 1)
        bar.addWidget(self.save_provinces_button)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.province_table)
        layout.addLayout(bar)
        return page

    def _show_provinces(self, provinces) -> None:
        table = self.province_table
        table.setRowCount(len(provinces))
        self._province_starts = {p.code: p.verification_from for p in provinces}
        self._province_edits = {}
        for row, p in enumerate(provinces):
            table.setItem(
                row, 0, QTableWidgetItem(in_language(self.ctx.language, p.name_zh, p.name_en))
            )
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setSpecialValueText(self.tr("off"))
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(QDate(p.verification_from) if p.verification_from else edit.minimumDate())
            edit.dateChanged.connect(self._show_province_changes)
            table.setCellWidget(row, 1, edit)
            self._province_edits[p.code] = edit
        table.resizeColumnToContents(0)
        self._show_province_changes()

    def edited_province_starts(self) -> dict[str, date | None]:
        """Only the rows changed since the table was read."""
        changed: dict[str, date | None] = {}
        for code, edit in self._province_edits.items():
            start = None if edit.date() == edit.minimumDate() else edit.date().toPython()
            if start != self._province_starts.get(code):
                changed[code] = start  # type: ignore[assignment]
        return changed

    def _show_province_changes(self) -> None:
        n = len(self.edited_province_starts())
        self.save_provinces_button.setEnabled(n > 0)
        self.province_result.setText(self.tr("%n unsaved change(s)", "", n) if n else "")

    @asyncSlot()
    async def _on_save_provinces(self) -> None:
        await self.save_provinces()

    async def save_provinces(self) -> None:
        starts = self.edited_province_starts()
        try:
            changed = await self.ctx.run(
                self.ctx.app.settings.save_province_starts, starts=starts, parent=self
            )
            provinces = await self.ctx.read(self.ctx.app.settings.provinces)
        except OperationFailed:
            return
        self._show_provinces(provinces)
        self.province_result.setText(self.tr("Saved %n province(s).", "", changed))

    # -- the bureau's preset reasons ------------------------------------------------------
    def _reasons_tab(self) -> QWidget:
        page = QWidget()
        self.reject_reasons = QPlainTextEdit()
        self.reject_reasons.setObjectName("rejectReasons")
        save = QPushButton(self.tr("Save reasons"))
        save.setObjectName("saveRejectReasons")
        save.clicked.connect(self._on_save_reasons)
        self.reasons_result = QLabel()
        self.reasons_result.setObjectName("reasonsResult")
        intro = QLabel(
            self.tr(
                "The reasons a bureau reviewer can pick when rejecting a request, one per "
                "line. They may always write their own."
            )
        )
        intro.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.reasons_result, 1)
        bar.addWidget(save)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.reject_reasons)
        layout.addLayout(bar)
        return page

    @asyncSlot()
    async def _on_save_reasons(self) -> None:
        await self.save_reasons()

    async def save_reasons(self) -> None:
        try:
            kept = await self.ctx.run(
                self.ctx.app.settings.save_reject_reasons,
                reasons=self.reject_reasons.toPlainText().splitlines(),
                parent=self,
            )
        except OperationFailed:
            return
        self.reject_reasons.setPlainText("\n".join(kept))
        self.reasons_result.setText(self.tr("Saved %n reason(s).", "", len(kept)))

    # -- users ---------------------------------------------------------------------------
    def _users_tab(self) -> QWidget | None:
        from beian_desktop.views.users_panel import UsersPanel

        self.users_panel = UsersPanel(self.ctx)
        return self.users_panel

    # -- language ------------------------------------------------------------------------
    def _language_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(self.ctx.language), 0))
        self.language.currentIndexChanged.connect(self._on_language)
        form.addRow(self.tr("Interface language"), self.language)
        form.addRow("", QLabel(self.tr("Takes effect the next time the application starts.")))
        return page

    def _on_language(self) -> None:
        QSettings().setValue("language", self.language.currentData())
        self.message.setText(self.tr("Takes effect the next time the application starts."))

    @asyncSlot()
    async def refresh(self) -> None:
        settings = self.ctx.app.settings
        endpoint: SmsEndpointView | None = None
        try:
            policy = await self.ctx.read(settings.policy)
            provinces = await self.ctx.read(settings.provinces)
            reasons = await self.ctx.read(settings.reject_reasons)
            if self.ctx.config_file is not None:
                endpoint = await self.ctx.read(settings.sms_endpoint, path=self.ctx.config_file)
        except OperationFailed:
            return
        self._show_policy(policy)
        self._show_provinces(provinces)
        self.reject_reasons.setPlainText("\n".join(reasons))
        if endpoint is not None:
            self._show_endpoint(endpoint)
        await self.users_panel.refresh()
