"""The pieces every entry dialog is built from: a field with its error line, a group of
fields that checks itself as a field is left, a principal, an access record, a
website tab. Each field's object name is the service's path for it
(`websites[0].principal.mobile`), so an error the service names finds its widget.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.domains import normalize_domain
from beian_desktop.rules.errors import InvalidValue
from beian_desktop.rules.inputs import AccessInput, PrincipalInput, WebsiteInput
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.terms import DocType
from beian_desktop.views.labels import doc_type_label
from beian_desktop.views.resources import QT_TRANSLATE_NOOP

ERROR_STYLE = "color: #b00020"
PERSONAL_DOCS = [d for d in DocType if d is not DocType.CREDIT_CODE]
# The usual access methods (接入方式); the list is editable, a clerk may type another.
ACCESS_METHODS = ("专线", "主机托管", "虚拟主机", "云主机", "其他")
# The usual pre-approval (前置审批) kinds; editable too. Empty: none needed.
PREAPPROVAL_TYPES = (
    "",
    "新闻",
    "出版",
    "教育",
    "医疗保健",
    "药品和医疗器械",
    "文化",
    "广播电影电视节目",
)
WEBSITE_LANGUAGES = {
    "zh_CN": QT_TRANSLATE_NOOP("EntrySections", "Simplified Chinese"),
    "zh_TW": QT_TRANSLATE_NOOP("EntrySections", "Traditional Chinese"),
    "en": QT_TRANSLATE_NOOP("EntrySections", "English"),
    "ja": QT_TRANSLATE_NOOP("EntrySections", "Japanese"),
    "ko": QT_TRANSLATE_NOOP("EntrySections", "Korean"),
    "other": QT_TRANSLATE_NOOP("EntrySections", "Other"),
}


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """The size wanted, or the screen's available area less a margin when smaller
    (1024×700 leaves no room for 760 pixels of form; the body scrolls instead)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width, height = min(width, area.width() - 24), min(height, area.height() - 48)
    widget.resize(width, height)


class ErrorLine(QLabel):
    """A field's error, on one line that is always there: an error appearing as a field
    is left must not push the fields below it down under the clerk's eyes. A message
    longer than the line ends in "…" and is whole in the tooltip (and in the dialog's
    error summary)."""

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet(ERROR_STYLE)
        self.setFixedHeight(self.fontMetrics().height())
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._message = ""

    def show_message(self, message: str) -> None:
        self._message = message
        self.setToolTip(message)
        self._elide()

    def message(self) -> str:
        return self._message

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 1)
        self.setText(
            self.fontMetrics().elidedText(self._message, Qt.TextElideMode.ElideRight, width)
        )


class FieldRow:
    """One input with its error line; `path` is the service's name for the field."""

    def __init__(self, form: QFormLayout, label: str, widget: QWidget, path: str) -> None:
        self.widget = widget
        self.path = path
        self.label = label
        self.error = ErrorLine()
        widget.setObjectName(path)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        column.addWidget(self.error)
        form.addRow(label, box)

    def show_error(self, text: str | None) -> None:
        self.error.show_message(text or "")
        self.widget.setStyleSheet("border: 1px solid #b00020" if text else "")

    @property
    def has_error(self) -> bool:
        return bool(self.error.message())


def widget_text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText() if widget.isEditable() else str(widget.currentData())
    assert isinstance(widget, QLineEdit)  # the fields are line edits, combos, text boxes
    return widget.text()


_Widget = TypeVar("_Widget", bound=QWidget)


class FormSection(QGroupBox):
    """A group of FieldRows that checks its own values as they are left."""

    def __init__(self, title: str, language: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.language = language
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
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
        value = widget_text(row.widget).strip()
        if not value:
            row.show_error(None)
            return
        try:
            check(value)
        except InvalidValue as problem:
            row.show_error(problem.message(self.language))
        else:
            row.show_error(None)


def editable_combo(choices: tuple[str, ...], current: str = "") -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(list(choices))
    combo.setCurrentText(current)
    return combo


def keep_hint(widget: QLineEdit, masked: str) -> None:
    """A stored secret the screen shows only masked: empty keeps it, typing replaces it."""
    if masked:
        hint = QCoreApplication.translate("EntrySections", "%1 (leave empty to keep)")
        widget.setPlaceholderText(hint.replace("%1", masked))


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
        self.phone2 = self.add(f"{path}.phone2", self.tr("Second phone"), QLineEdit())
        self.emergency_phone = self.add(
            f"{path}.emergency_phone", self.tr("Emergency phone"), QLineEdit()
        )
        self.email = self.add(f"{path}.email", self.tr("Email"), QLineEdit())
        self.kept: set[str] = set()  # fields stored and shown only masked

    def _kept_or(self, name: str, widget: QLineEdit) -> str | None:
        """None ("keep the stored value") for a masked field left empty."""
        return None if name in self.kept and not widget.text().strip() else widget.text()

    def value(self) -> PrincipalInput:
        return PrincipalInput(
            name=self.name.text(),
            doc_type=DocType(self.doc_type.currentData()),
            doc_number=self._kept_or("doc_number", self.doc_number),
            mobile=self._kept_or("mobile", self.mobile),
            phone2=self._kept_or("phone2", self.phone2),
            emergency_phone=self._kept_or("emergency_phone", self.emergency_phone),
            email=self.email.text(),
        )

    def fill(self, p: PrincipalInput, masked: dict[str, str] | None = None) -> None:
        """`masked`: the stored secrets' masked text, by path; those fields stay empty."""
        self.name.setText(p.name)
        self.doc_type.setCurrentIndex(max(self.doc_type.findData(str(p.doc_type)), 0))
        self.email.setText(p.email)
        self.kept.clear()
        for name, widget in (
            ("doc_number", self.doc_number),
            ("mobile", self.mobile),
            ("phone2", self.phone2),
            ("emergency_phone", self.emergency_phone),
        ):
            value = getattr(p, name)
            widget.setText(value or "")
            if value is None:  # stored, shown masked: empty keeps it
                self.kept.add(name)
                keep_hint(widget, (masked or {}).get(f"{self.path}.{name}", ""))


class AccessSection(FormSection):
    """Who hosts a website, how, and on which servers (接入)."""

    def __init__(self, title: str, path: str, language: str) -> None:
        super().__init__(title, language)
        self.isp = self.add(f"{path}.isp_name", self.tr("Hosting ISP"), QLineEdit())
        self.method = self.add(
            f"{path}.method", self.tr("Access method"), editable_combo(ACCESS_METHODS, "专线")
        )
        self.server_ips = self.add(f"{path}.server_ips", self.tr("Server IPs"), QLineEdit())
        self.server_ips.setPlaceholderText(self.tr("Separated by commas or spaces"))

    def value(self) -> AccessInput:
        return AccessInput(
            isp_name=self.isp.text(),
            method=self.method.currentText(),
            server_ips=[s for s in re.split(r"[,，\s]+", self.server_ips.text()) if s],
        )

    def fill(self, a: AccessInput) -> None:
        self.isp.setText(a.isp_name)
        self.method.setCurrentText(a.method)
        self.server_ips.setText(", ".join(a.server_ips))


class WebsiteTab(QWidget):
    """One website of a request: its fields, its principal, its access. `path` is the
    services' prefix (`websites[1]` in a filing, `website` in 新增网站)."""

    def __init__(
        self, path: str, language: str, subject_principal: PrincipalSection | None = None
    ) -> None:
        super().__init__()
        self.subject_principal = subject_principal
        self.website_id: int | None = None
        site = FormSection(self.tr("Website"), language)
        self.name = site.add(f"{path}.name", self.tr("Website name"), QLineEdit())
        self.home_url = site.add(f"{path}.home_url", self.tr("Home page URL"), QLineEdit())
        self.domains = QPlainTextEdit()
        self.domains.setPlaceholderText(self.tr("One domain per line, e.g. example.cn"))
        self.domains.setFixedHeight(54)
        self.domains.setTabChangesFocus(True)
        site.add(f"{path}.domains", self.tr("Domains"), self.domains)
        self.service_content = site.add(
            f"{path}.service_content", self.tr("Service content"), QLineEdit()
        )
        self.language = QComboBox()
        for code, text in WEBSITE_LANGUAGES.items():
            self.language.addItem(QCoreApplication.translate("EntrySections", text), code)
        site.add(f"{path}.language", self.tr("Website language"), self.language)
        self.preapproval_type = site.add(
            f"{path}.preapproval_type",
            self.tr("Pre-approval type"),
            editable_combo(PREAPPROVAL_TYPES),
        )
        self.preapproval_number = site.add(
            f"{path}.preapproval_number", self.tr("Pre-approval number"), QLineEdit()
        )
        self.remarks = site.add(f"{path}.remarks", self.tr("Website remarks"), QLineEdit())
        self.access = AccessSection(self.tr("Access"), f"{path}.access", language)
        self.same_person = QCheckBox(self.tr("The subject principal runs this website"))
        self.same_person.setVisible(subject_principal is not None)
        self.principal = PrincipalSection(
            self.tr("Website principal"), f"{path}.principal", language
        )
        self.same_person.toggled.connect(self.principal.setDisabled)
        layout = QVBoxLayout(self)
        layout.addWidget(site)
        layout.addWidget(self.access)
        layout.addWidget(self.same_person)
        layout.addWidget(self.principal)
        layout.addStretch()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.sections: tuple[FormSection, ...] = (site, self.access, self.principal)
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
        self._domain_row.show_error(" · ".join(problems) or None)

    def value(self) -> WebsiteInput:
        principal = (
            self.subject_principal.value()
            if self.subject_principal is not None and self.same_person.isChecked()
            else self.principal.value()
        )
        return WebsiteInput(
            id=self.website_id,
            name=self.name.text(),
            home_url=self.home_url.text(),
            domains=[d.strip() for d in self.domains.toPlainText().splitlines() if d.strip()],
            service_content=self.service_content.text(),
            language=str(self.language.currentData()),
            preapproval_type=self.preapproval_type.currentText(),
            preapproval_number=self.preapproval_number.text(),
            remarks=self.remarks.text(),
            principal=principal,
            access=self.access.value(),
        )

    def fill(self, w: WebsiteInput, masked: dict[str, str] | None = None) -> None:
        self.website_id = w.id
        self.name.setText(w.name)
        self.home_url.setText(w.home_url)
        self.domains.setPlainText("\n".join(w.domains))
        self.service_content.setText(w.service_content)
        index = self.language.findData(w.language)
        if index < 0:
            self.language.addItem(w.language, w.language)
            index = self.language.count() - 1
        self.language.setCurrentIndex(index)
        self.preapproval_type.setCurrentText(w.preapproval_type)
        self.preapproval_number.setText(w.preapproval_number)
        self.remarks.setText(w.remarks)
        self.access.fill(w.access)
        self.principal.fill(w.principal, masked)

    def rows(self) -> dict[str, FieldRow]:
        rows: dict[str, FieldRow] = {}
        for section in self.sections:
            rows.update(section.rows)
        return rows
