"""变更备案: the approved filing in the entry form, edited, then confirmed.

The form opens filled with what the bureau approved (ID numbers and phones only
masked: left empty they stay, typed they are the new value). The province and the
access records are not edited here (another province is another filing; hosting is
新增接入 / 取消接入), nor are websites added or removed (新增网站 / 注销网站). Before
anything is saved the clerk sees what changed, old → new, and who will receive an SMS
because of it (SPEC §2.1); Submit then saves the change and submits it. Save draft
keeps it; opened again from the list it shows the approved filing with the saved
change applied (its masked new values kept unless retyped) and saves to that request.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialog, QWidget

from beian_desktop.rules.entry_forms import (
    ApprovedFiling,
    ChangeEditing,
    ChangeLine,
    change_between,
)
from beian_desktop.rules.inputs import ChangeInput, FilingInput
from beian_desktop.terms import BusinessType, DocType, SubjectNature
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.entry_confirm import EntryConfirmDialog
from beian_desktop.views.entry_sections import WebsiteTab, keep_hint
from beian_desktop.views.filing_entry_dialog import FilingEntryDialog
from beian_desktop.views.labels import doc_type_label, subject_nature_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.view_context import ViewContext


def _shown(line: ChangeLine, value: str) -> str:
    if line.field == "nature" and value:
        return subject_nature_label(value)
    if line.field == "doc_type" and value:
        return doc_type_label(value)
    return value


class ChangeFilingDialog(FilingEntryDialog):
    def __init__(
        self,
        ctx: ViewContext,
        approved: ApprovedFiling,
        parent: QWidget | None = None,
        editing: ChangeEditing | None = None,
    ) -> None:
        """With `editing`, a saved change opened again: the form shows the approved
        filing with that change applied, and saves to that request."""
        self.approved = approved
        self.editing = editing
        # A secret the saved change sets (masked): an empty field keeps it.
        self.kept: dict[str, str] = dict(editing.kept) if editing is not None else {}
        super().__init__(ctx, parent)
        self.setObjectName("changeFilingDialog")
        self.setWindowTitle(self.tr("Change filing %1").replace("%1", approved.icp_number))
        self.state_label.setText(
            self.tr("Edit what changes; you will see the changes before submitting.")
        )
        self.change: ChangeInput | None = None
        self.lines: tuple[ChangeLine, ...] = ()
        self.confirm_dialog: EntryConfirmDialog | None = None  # while it is open (tests)
        self.add_site_button.hide()
        self.remove_site_button.hide()
        self.province.setEnabled(False)
        self._fill()
        if editing is not None:
            self.show_editing(editing)

    def add_website(self) -> WebsiteTab:
        """One tab per approved website, filled; the first call comes from the base."""
        if len(self.website_tabs) < max(len(self.approved.filing.websites), 1):
            return super().add_website()
        return self.website_tabs[-1]

    def _fill(self) -> None:
        if self.editing is not None:
            filing, masked = self.editing.edited, self.editing.masked
        else:
            filing, masked = self.approved.filing, self.approved.masked
        s = filing.subject
        self.city.setText(s.city)
        self.nature.setCurrentIndex(self.nature.findData(SubjectNature(s.nature).value))
        self.holder.setText(s.holder_name)
        self.doc_type.setCurrentIndex(self.doc_type.findData(DocType(s.doc_type).value))
        self.keep_doc_number = True
        keep_hint(self.doc_number, masked.get("subject.doc_number", ""))
        self.address.setText(s.document_address)
        self.mailing.setText(s.mailing_address)
        self.investor.setText(s.investor)
        self.remarks.setText(s.remarks)
        self.principal.fill(s.principal, masked)
        for i, site in enumerate(filing.websites):
            tab = self.website_tabs[i] if i < len(self.website_tabs) else self.add_website()
            tab.fill(site, masked)
            tab.access.setEnabled(False)
            tab.same_person.hide()
            number = self.approved.website_icp_numbers[i]
            self.websites.setTabText(i, f"{site.name} ({number})" if number else site.name)
        self.websites.setCurrentIndex(0)

    async def load(self) -> None:
        await super().load()
        self.province.setCurrentIndex(
            self.province.findData(self.approved.filing.subject.province_code)
        )

    def value(self) -> FilingInput:
        filing = super().value()
        filing.websites = filing.websites[: len(self.approved.filing.websites)]
        for form, stored in zip(filing.websites, self.approved.filing.websites, strict=True):
            form.id = stored.id
        return filing

    def form_path(self, service_path: str) -> str:
        """The service names a website by id (`websites[#12].name`); the form by tab."""
        ids = [w.id for w in self.approved.filing.websites]

        def index(match: re.Match[str]) -> str:
            website_id = int(match.group(1))
            return f"websites[{ids.index(website_id)}]" if website_id in ids else match.group(0)

        return super().form_path(re.sub(r"websites\[#(\d+)\]", index, service_path))

    def change_value(self) -> tuple[ChangeInput, tuple[ChangeLine, ...]]:
        """What the form changes against the approved filing (a saved change's masked
        new values kept where their field is left empty)."""
        return change_between(self.approved, self.value(), self.kept)

    async def confirm(self) -> bool:
        self.change, self.lines = self.change_value()
        try:
            preview = await self.ctx.read(  # a read: nothing changed, no page reloads
                self.ctx.app.filings.preview_verification,
                business_type=BusinessType.CHANGE,
                subject_id=self.approved.subject_id,
                change=self.change,
                request_id=self.request_id,
                parent=self,
                error_box=False,
            )
        except OperationFailed as failure:
            self.show_failure(failure)
            return False
        self.show_errors([])
        language = self.ctx.language
        dialog = EntryConfirmDialog(
            self.tr("Submit this change?"),
            self.tr("Change of %1 (%2).")
            .replace("%1", self.approved.filing.subject.holder_name)
            .replace("%2", self.approved.icp_number),
            preview,
            [(ln.label(language), _shown(ln, ln.old), _shown(ln, ln.new)) for ln in self.lines],
            parent=self,
        )
        self.confirm_dialog = dialog
        try:
            return await run_dialog(dialog) == QDialog.DialogCode.Accepted
        finally:
            self.confirm_dialog = None
            dialog.deleteLater()

    async def save_request(self) -> int:
        self.change, self.lines = self.change_value()
        return await self.ctx.run(
            self.ctx.app.filings.save_change,
            subject_id=self.approved.subject_id,
            change=self.change,
            request_id=self.request_id,
            parent=self,
            error_box=False,
        )
