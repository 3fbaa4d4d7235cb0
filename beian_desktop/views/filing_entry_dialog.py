"""Entering a first filing (新增备案): subject, principals, websites, access.

Each field is checked as it is left, by the same function the service uses, and the
message appears under the field. Save keeps a draft (malformed values are refused,
missing ones are fine); Submit saves and runs the basic checks, and every field the
service names is marked. Nothing is half-saved: the service writes all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.domains import normalize_domain
from beian_desktop.rules.errors import FieldError, InvalidValue, ValidationFailed, in_language
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.terms import DocType, SubjectNature
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.labels import doc_type_label, request_state_label, subject_nature_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.view_context import ViewContext

ERROR_STYLE = "color: #b00020"
PERSONAL_DOCS = [d for d in DocType if d is not DocType.CREDIT_CODE]


class FieldRow:
    """One input with its error line; `path` is the service's name for the field."""

    def __init__(self, form: QFormLayout, label: str, widget: QWidget, path: str) -> None:
        self.widget = widget
        self.path = path
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        widget.setObjectName(path)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        column.addWidget(self.error)
        form.addRow(label, box)

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))
        self.widget.setStyleSheet("border: 1px solid #b00020" if text else "")


def _text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return str(widget.currentData())
    assert isinstance(widget, QLineEdit)  # the fields are line edits, combos, text boxes
    return widget.text()


_Widget = TypeVar("_Widget", bound=QWidget)


class FormSection(QGroupBox):
    """A group of FieldRows that checks its own values as they are left."""

    def __init__(self, title: str, language: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.language = language
        self.form = QFormLayout(self)
        self.rows: dict[str, FieldRow] = {}

    def add(
        self, path: str, label: str, widget: _Widget, check: Callable[[str], object] | None = None
    ) -> _Widget:
        row = FieldRow(self.form, label, widget, path)
        self.rows[path] = row
        if check is not None and isinstance(widget, QLineEdit):
            widget.editingFinished.connect(lambda r=row, c=check: self._check(r, c))
        return widget

    def _check(self, row: FieldRow, check: Callable[[str], object]) -> None:
        value = _text(row.widget).strip()
        if not value:
            row.show_error(None)
            return
        try:
            check(value)
        except InvalidValue as problem:
            row.show_error(problem.message(self.language))
        else:
            row.show_error(None)


class PrincipalSection(FormSection):
    def __init__(self, title: str, path: str, language: str) -> None:
        super().__init__(title, language)
        self.path = path
        self.name = self.add(f"{path}.name", self.tr("Name"), QLineEdit())
        self.doc_type = QComboBox()
        for doc in PERSONAL_DOCS:
            self.doc_type.addItem(doc_type_label(doc), doc.value)
        self.add(f"{path}.doc_type", self.tr("ID document"), self.doc_type)
        self.doc_number = self.add(
            f"{path}.doc_number",
            self.tr("ID number"),
            QLineEdit(),
            lambda v: normalize_document_number(DocType(self.doc_type.currentData()), v),
        )
        self.mobile = self.add(
            f"{path}.mobile", self.tr("Mobile (gets the SMS)"), QLineEdit(), parse_mobile
        )
        self.email = self.add(f"{path}.email", self.tr("Email"), QLineEdit())

    def value(self) -> PrincipalInput:
        return PrincipalInput(
            name=self.name.text(),
            doc_type=DocType(self.doc_type.currentData()),
            doc_number=self.doc_number.text(),
            mobile=self.mobile.text(),
            email=self.email.text(),
        )

    def fill(self, p: PrincipalInput) -> None:
        self.name.setText(p.name)
        self.doc_type.setCurrentIndex(max(self.doc_type.findData(str(p.doc_type)), 0))
        self.doc_number.setText(p.doc_number or "")
        self.mobile.setText(p.mobile)
        self.email.setText(p.email)


class WebsiteTab(QWidget):
    def __init__(self, index: int, language: str, subject_principal: PrincipalSection) -> None:
        super().__init__()
        self.subject_principal = subject_principal
        path = f"websites[{index}]"
        site = FormSection(self.tr("Website"), language)
        self.name = site.add(f"{path}.name", self.tr("Website name"), QLineEdit())
        self.home_url = site.add(f"{path}.home_url", self.tr("Home page URL"), QLineEdit())
        self.domains = QPlainTextEdit()
        self.domains.setPlaceholderText(self.tr("One domain per line, e.g. example.cn"))
        self.domains.setFixedHeight(60)
        self.domains.setTabChangesFocus(True)
        site.add(f"{path}.domains", self.tr("Domains"), self.domains)
        self.service_content = site.add(
            f"{path}.service_content", self.tr("Service content"), QLineEdit()
        )
        self.isp = site.add(f"{path}.access.isp_name", self.tr("Hosting ISP"), QLineEdit())
        self.server_ips = site.add(f"{path}.access.server_ips", self.tr("Server IPs"), QLineEdit())
        self.same_person = QCheckBox(self.tr("The subject principal runs this website"))
        self.principal = PrincipalSection(
            self.tr("Website principal"), f"{path}.principal", language
        )
        self.same_person.toggled.connect(self.principal.setDisabled)
        layout = QVBoxLayout(self)
        layout.addWidget(site)
        layout.addWidget(self.same_person)
        layout.addWidget(self.principal)
        self.sections = (site, self.principal)
        self.domains.textChanged.connect(self._check_domains)
        self._domain_row = site.rows[f"{path}.domains"]
        self._language = language

    def _check_domains(self) -> None:
        problems = []
        for line in self.domains.toPlainText().splitlines():
            if line.strip():
                try:
                    normalize_domain(line)
                except InvalidValue as problem:
                    text = problem.message(self._language)
                    problems.append(f"{line.strip()}: {text}")
        self._domain_row.show_error("\n".join(problems) or None)

    def value(self) -> WebsiteInput:
        principal = (
            self.subject_principal.value()
            if self.same_person.isChecked()
            else self.principal.value()
        )
        return WebsiteInput(
            name=self.name.text(),
            home_url=self.home_url.text(),
            domains=[d for d in self.domains.toPlainText().splitlines() if d.strip()],
            service_content=self.service_content.text(),
            principal=principal,
            access=AccessInput(
                isp_name=self.isp.text(),
                server_ips=[s for s in re.split(r"[,\s]+", self.server_ips.text()) if s],
            ),
        )


class FilingEntryDialog(QDialog):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("filingEntryDialog")
        self.setWindowTitle(self.tr("New filing"))
        self.resize(900, 760)
        self.request_id: int | None = None
        self.message_box: QMessageBox | None = None  # "submitted", while it is open
        lang = ctx.language
        self.subject = FormSection(self.tr("Subject"), lang)
        self.province = QComboBox()
        self.subject.add("subject.province_code", self.tr("Province"), self.province)
        self.city = self.subject.add("subject.city", self.tr("City"), QLineEdit())
        self.nature = QComboBox()
        for nature in SubjectNature:
            self.nature.addItem(subject_nature_label(nature), nature.value)
        self.subject.add("subject.nature", self.tr("Nature"), self.nature)
        self.holder = self.subject.add("subject.holder_name", self.tr("Holder name"), QLineEdit())
        self.doc_type = QComboBox()
        for doc in DocType:
            self.doc_type.addItem(doc_type_label(doc), doc.value)
        self.doc_type.setCurrentIndex(self.doc_type.findData(DocType.CREDIT_CODE.value))
        self.subject.add("subject.doc_type", self.tr("Document"), self.doc_type)
        self.doc_number = self.subject.add(
            "subject.doc_number",
            self.tr("Document number"),
            QLineEdit(),
            lambda v: normalize_document_number(DocType(self.doc_type.currentData()), v),
        )
        self.address = self.subject.add(
            "subject.document_address", self.tr("Document address"), QLineEdit()
        )
        self.mailing = self.subject.add(
            "subject.mailing_address", self.tr("Mailing address"), QLineEdit()
        )
        self.remarks = self.subject.add("subject.remarks", self.tr("Remarks"), QLineEdit())
        self.principal = PrincipalSection(self.tr("Subject principal"), "subject.principal", lang)

        self.websites = QTabWidget()
        self.website_tabs: list[WebsiteTab] = []
        add_site = QPushButton(self.tr("Add website"))
        add_site.clicked.connect(self.add_website)
        remove_site = QPushButton(self.tr("Remove website"))
        remove_site.clicked.connect(self._remove_website)

        self.state_label = QLabel(self.tr("New draft"))
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            self.tr("Save draft"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.submit_button = buttons.addButton(
            self.tr("Submit"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self._on_save)
        self.submit_button.clicked.connect(self._on_submit)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self._on_save)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self._on_submit)

        body = QWidget()
        column = QVBoxLayout(body)
        top = QHBoxLayout()
        top.addWidget(self.subject, 1)
        top.addWidget(self.principal, 1)
        column.addLayout(top)
        site_buttons = QHBoxLayout()
        site_buttons.addWidget(QLabel(self.tr("Websites")))
        site_buttons.addStretch()
        site_buttons.addWidget(add_site)
        site_buttons.addWidget(remove_site)
        column.addLayout(site_buttons)
        column.addWidget(self.websites)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.general_error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state_label)
        bottom.addStretch()
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.add_website()

    async def load(self) -> None:
        provinces = await self.ctx.read(self.ctx.app.queries.provinces)
        for p in provinces:
            self.province.addItem(in_language(self.ctx.language, p.name_zh, p.name_en), p.code)

    def add_website(self) -> WebsiteTab:
        tab = WebsiteTab(len(self.website_tabs), self.ctx.language, self.principal)
        self.website_tabs.append(tab)
        self.websites.addTab(tab, self.tr("Website %1").replace("%1", str(len(self.website_tabs))))
        self.websites.setCurrentWidget(tab)
        return tab

    def _remove_website(self) -> None:
        if len(self.website_tabs) <= 1:
            return
        tab = self.website_tabs.pop()
        self.websites.removeTab(self.websites.indexOf(tab))
        tab.deleteLater()

    def value(self) -> FilingInput:
        return FilingInput(
            subject=SubjectInput(
                province_code=str(self.province.currentData() or ""),
                city=self.city.text(),
                nature=SubjectNature(self.nature.currentData()),
                holder_name=self.holder.text(),
                doc_type=DocType(self.doc_type.currentData()),
                doc_number=self.doc_number.text(),
                document_address=self.address.text(),
                mailing_address=self.mailing.text(),
                remarks=self.remarks.text(),
                principal=self.principal.value(),
            ),
            websites=[tab.value() for tab in self.website_tabs],
        )

    def _rows(self) -> dict[str, FieldRow]:
        rows = {**self.subject.rows, **self.principal.rows}
        for tab in self.website_tabs:
            for section in tab.sections:
                rows.update(section.rows)
        return rows

    def show_errors(self, errors: list[FieldError]) -> None:
        rows = self._rows()
        for row in rows.values():
            row.show_error(None)
        unplaced = []
        by_row: dict[str, list[str]] = {}
        for error in errors:
            # "websites[0].domains[1]" belongs to the domains box; "...server_ips[0]" too
            path = re.sub(r"\[\d+\]$", "", error.field)
            if path in rows:
                by_row.setdefault(path, []).append(error.message(self.ctx.language))
            else:
                unplaced.append(error.describe(self.ctx.language))
        for path, messages in by_row.items():
            rows[path].show_error("\n".join(messages))
        self.general_error.setText("\n".join(unplaced))

    async def _save(self) -> bool:

        try:
            self.request_id = await self.ctx.run(
                self.ctx.app.filings.save_new_filing,
                filing=self.value(),
                request_id=self.request_id,
                parent=self,
                error_box=False,
            )
        except OperationFailed as failure:
            self._show_failure(failure)
            return False
        self.show_errors([])
        self.state_label.setText(self.tr("Draft No. %1 saved").replace("%1", str(self.request_id)))
        return True

    def _show_failure(self, failure: OperationFailed) -> None:
        cause = failure.__cause__
        if isinstance(cause, ValidationFailed):
            self.show_errors(cause.errors)
        else:
            self.general_error.setText(str(failure))

    @asyncSlot()
    async def _on_save(self) -> None:
        await self._save()

    @asyncSlot()
    async def _on_submit(self) -> None:
        if not await self._save():
            return
        try:
            state = await self.ctx.run(
                self.ctx.app.submission.submit,
                request_id=self.request_id,
                parent=self,
                error_box=False,
            )
        except OperationFailed as failure:
            self._show_failure(failure)
            return
        self.submitted_state = str(state)
        text = (
            self.tr("Request No. %1 submitted: %2")
            .replace("%1", str(self.request_id))
            .replace("%2", request_state_label(str(state)))
        )
        self.state_label.setText(text)
        # Awaited, not QMessageBox.information: a nested loop would break qasync.
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Submitted"), text, parent=self)
        self.message_box = box
        try:
            await run_dialog(box)
        finally:
            self.message_box = None
            box.deleteLater()
        self.accept()
