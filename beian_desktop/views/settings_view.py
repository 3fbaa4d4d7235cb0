"""Settings (administrator): timing and tries, sender numbers, the SMS endpoint with a
test button, the province table, users, and the interface language."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from beian_desktop.services.sending.sms_config import parse_sms_config
from beian_desktop.views.operations import OperationFailed
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
        page = QWidget()
        form = QFormLayout(page)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Local outbox (this workstation)"), "outbox")
        self.kind.addItem(self.tr("HTTP endpoint"), "http")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://sms.example.cn/send")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("Bearer token (optional)"))
        self.test_phone = QLineEdit()
        self.test_phone.setPlaceholderText(self.tr("Mobile number for the test"))
        test = QPushButton(self.tr("Send a test SMS"))
        test.setObjectName("sendTestSms")
        test.clicked.connect(self._on_test_sms)
        self.test_result = QLabel()
        self.test_result.setObjectName("testSmsResult")
        self.test_result.setWordWrap(True)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("Token"), self.token)
        row = QHBoxLayout()
        row.addWidget(self.test_phone)
        row.addWidget(test)
        form.addRow(self.tr("Test"), row)
        form.addRow("", self.test_result)
        config_file = self.ctx.app_config_file if hasattr(self.ctx, "app_config_file") else None
        form.addRow(
            "",
            QLabel(
                self.tr(
                    "The endpoint is kept in this installation's config file; see the README for "
                    "every key (headers, body template, signature, status URL)."
                )
            ),
        )
        self._config_file = config_file
        return page

    def edited_sms(self) -> dict:
        if self.kind.currentData() != "http":
            return {"kind": "outbox"}
        http: dict[str, object] = {"url": self.url.text().strip()}
        if self.token.text().strip():
            http["headers"] = {"Authorization": f"Bearer {self.token.text().strip()}"}
        return {"kind": "http", "http": http}

    @asyncSlot()
    async def _on_test_sms(self) -> None:
        try:
            sms = parse_sms_config({"sms": self.edited_sms()})
            result = await self.ctx.run(
                self.ctx.app.settings.send_test_sms,
                phone=self.test_phone.text(),
                sms=sms,
                parent=self,
                changes_data=False,
            )
        except Exception as failure:
            self.test_result.setText(str(failure))
            return
        self.test_result.setText(
            self.tr("Accepted by the endpoint: %1").replace("%1", result.detail)
            if result.ok
            else self.tr("Refused: %1").replace("%1", result.detail)
        )

    # -- provinces -----------------------------------------------------------------------
    def _province_tab(self) -> QWidget:
        page = QWidget()
        self.province_table = QTableWidget(0, 3)
        self.province_table.setHorizontalHeaderLabels(
            [self.tr("Province"), self.tr("Verification from"), ""]
        )
        self.province_table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel(
                self.tr(
                    "SMS verification applies to filings of a province submitted on or after its "
                    "start date; clear the date to switch it off."
                )
            )
        )
        layout.addWidget(self.province_table)
        return page

    def _show_provinces(self, provinces) -> None:
        table = self.province_table
        table.setRowCount(len(provinces))
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
            table.setCellWidget(row, 1, edit)
            save = QPushButton(self.tr("Save"))
            save.clicked.connect(lambda _=False, code=p.code, e=edit: self._save_province(code, e))
            table.setCellWidget(row, 2, save)
        table.resizeColumnsToContents()

    @asyncSlot()
    async def _save_province(self, code: str, edit: QDateEdit) -> None:
        start = None if edit.date() == edit.minimumDate() else edit.date().toPython()
        try:
            await self.ctx.run(
                self.ctx.app.settings.set_province_start,
                code=code,
                verification_from=start,
                parent=self,
            )
        except OperationFailed:
            return
        self.message.setText(self.tr("Saved."))

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
        try:
            policy = await self.ctx.read(self.ctx.app.settings.policy)
            provinces = await self.ctx.read(self.ctx.app.settings.provinces)
        except OperationFailed:
            return
        self._show_policy(policy)
        self._show_provinces(provinces)
        await self.users_panel.refresh()
