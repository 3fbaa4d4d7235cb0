"""Entering a first filing (新增备案): subject, principals, websites, access.

Each field is checked as it is left, by the same function the service uses, and the
message appears under the field. Save keeps a draft (malformed values are refused,
missing ones are fine); Submit saves and runs the basic checks, and every field the
service names is marked. Nothing is half-saved: the service writes all or nothing.
The change dialog (change_dialog.py) is this form filled with the approved filing.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTabWidget,
    QWidget,
)

from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.entry_forms import RequestForEditing
from beian_desktop.rules.errors import in_language
from beian_desktop.rules.inputs import FilingInput, SubjectInput
from beian_desktop.terms import DocType, SubjectNature
from beian_desktop.views.entry_base import EntryDialogBase
from beian_desktop.views.entry_sections import (
    FieldRow,
    FormSection,
    PrincipalSection,
    WebsiteTab,
    keep_hint,
)
from beian_desktop.views.labels import doc_type_label, subject_nature_label
from beian_desktop.views.view_context import ViewContext


class FilingEntryDialog(EntryDialogBase):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("filingEntryDialog")
        self.setWindowTitle(self.tr("New filing"))
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
        self.investor = self.subject.add(
            "subject.investor", self.tr("Investor or supervising unit"), QLineEdit()
        )
        self.remarks = self.subject.add("subject.remarks", self.tr("Remarks"), QLineEdit())
        self.principal = PrincipalSection(self.tr("Subject principal"), "subject.principal", lang)
        self.keep_doc_number = False  # the stored number, shown masked: empty keeps it

        self.websites = QTabWidget()
        self.website_tabs: list[WebsiteTab] = []
        self.add_site_button = QPushButton(self.tr("Add website"))
        self.add_site_button.clicked.connect(self.add_website)
        self.remove_site_button = QPushButton(self.tr("Remove website"))
        self.remove_site_button.clicked.connect(self._remove_website)

        top = QHBoxLayout()
        top.addWidget(self.subject, 1)
        top.addWidget(self.principal, 1)
        self.body_layout.addLayout(top)
        site_buttons = QHBoxLayout()
        site_buttons.addWidget(QLabel(self.tr("Websites")))
        site_buttons.addStretch()
        site_buttons.addWidget(self.add_site_button)
        site_buttons.addWidget(self.remove_site_button)
        self.body_layout.addLayout(site_buttons)
        self.body_layout.addWidget(self.websites)
        self.add_website()
        self.fit(980, 760)

    async def load(self) -> None:
        provinces = await self.ctx.read(self.ctx.app.queries.provinces)
        for p in provinces:
            self.province.addItem(in_language(self.ctx.language, p.name_zh, p.name_en), p.code)

    def fill_request(self, editing: RequestForEditing) -> None:
        """A draft or a returned request, opened to be edited or corrected."""
        self.show_editing(editing)
        s, masked = editing.filing.subject, editing.masked
        self.province.setCurrentIndex(self.province.findData(s.province_code))
        self.city.setText(s.city)
        self.nature.setCurrentIndex(self.nature.findData(SubjectNature(s.nature).value))
        self.holder.setText(s.holder_name)
        self.doc_type.setCurrentIndex(self.doc_type.findData(DocType(s.doc_type).value))
        self.keep_doc_number = s.doc_number is None
        self.doc_number.setText(s.doc_number or "")
        if self.keep_doc_number:
            keep_hint(self.doc_number, masked.get("subject.doc_number", ""))
        self.address.setText(s.document_address)
        self.mailing.setText(s.mailing_address)
        self.investor.setText(s.investor)
        self.remarks.setText(s.remarks)
        self.principal.fill(s.principal, masked)
        for i, site in enumerate(editing.filing.websites):
            tab = self.website_tabs[i] if i < len(self.website_tabs) else self.add_website()
            tab.fill(site, masked)
        self.websites.setCurrentIndex(0)

    def add_website(self) -> WebsiteTab:
        index = len(self.website_tabs)
        tab = WebsiteTab(f"websites[{index}]", self.ctx.language, self.principal)
        self.website_tabs.append(tab)
        self.websites.addTab(tab, self.tr("Website %1").replace("%1", str(index + 1)))
        self.websites.setCurrentWidget(tab)
        return tab

    def _remove_website(self) -> None:
        if len(self.website_tabs) <= 1:
            return
        tab = self.website_tabs.pop()
        self.websites.removeTab(self.websites.indexOf(tab))
        tab.deleteLater()

    def subject_value(self) -> SubjectInput:
        return SubjectInput(
            province_code=str(self.province.currentData() or ""),
            city=self.city.text(),
            nature=SubjectNature(self.nature.currentData()),
            holder_name=self.holder.text(),
            doc_type=DocType(self.doc_type.currentData()),
            doc_number=None
            if self.keep_doc_number and not self.doc_number.text().strip()
            else self.doc_number.text(),
            document_address=self.address.text(),
            mailing_address=self.mailing.text(),
            investor=self.investor.text(),
            remarks=self.remarks.text(),
            principal=self.principal.value(),
        )

    def value(self) -> FilingInput:
        return FilingInput(
            subject=self.subject_value(),
            websites=[tab.value() for tab in self.website_tabs],
        )

    def errors_shown(self, paths: set[str]) -> None:
        """A website tab with an error is marked, so a second tab's errors are seen."""
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for i, tab in enumerate(self.website_tabs):
            marked = any(path in paths for path in tab.rows())
            self.websites.setTabIcon(i, warning if marked else QIcon())

    def field_rows(self) -> dict[str, FieldRow]:
        rows = {**self.subject.rows, **self.principal.rows}
        for tab in self.website_tabs:
            rows.update(tab.rows())
        return rows

    async def save_request(self) -> int:
        return await self.ctx.run(
            self.ctx.app.filings.save_new_filing,
            filing=self.value(),
            request_id=self.request_id,
            parent=self,
            error_box=False,
        )
