"""The entries that act on an approved filing: 新增网站, 新增接入, 注销主体, 注销网站,
取消接入 and 变更手机号码. Each starts by choosing the approved record (a search
picker), then asks for what is new, if anything; the ones that change no field show
who will be asked to verify (SPEC §2) and are confirmed before they are submitted.
Each keeps a draft with Save draft; a draft or returned request opened again from the
list (`fill_request`) shows its record chosen and saves to that request.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.entry_forms import (
    AccessEditing,
    ApprovedFiling,
    CancellationEditing,
    PhoneChangeEditing,
    PrincipalChoice,
    WebsiteEditing,
)
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.terms import BusinessType
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.entry_base import EntryDialogBase
from beian_desktop.views.entry_confirm import EntryConfirmDialog
from beian_desktop.views.entry_pickers import RecordPicker, SubjectPicker, WebsitePicker
from beian_desktop.views.entry_sections import (
    AccessSection,
    FieldRow,
    FormSection,
    WebsiteTab,
    keep_hint,
)
from beian_desktop.views.labels import business_type_label, roles_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.view_context import ViewContext


class PickedEntryDialog(EntryDialogBase):
    """An entry on one approved record: the picker on top, the rest below it."""

    business_type: BusinessType

    def __init__(
        self, ctx: ViewContext, picker: RecordPicker, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(title)
        self.picker = picker
        self.confirm_dialog: EntryConfirmDialog | None = None  # while it is open (tests)
        box = QGroupBox(self.choose_text())
        column = QVBoxLayout(box)
        column.addWidget(picker)
        self.body_layout.addWidget(box, 1)
        self.picker.changed.connect(self._on_chosen)

    def choose_text(self) -> str:
        return self.tr("Choose the approved record")

    async def load(self) -> None:
        await self.picker.refresh()

    def _on_chosen(self) -> None:
        self.submit_button.setEnabled(self.picker.chosen is not None)

    async def preview_and_confirm(self, intro: str, **target: object) -> bool:
        """Who would verify, shown; True when the clerk confirms."""
        try:
            preview = await self.ctx.read(  # a read: nothing changed, no page reloads
                self.ctx.app.filings.preview_verification,
                business_type=self.business_type,
                parent=self,
                error_box=False,
                **target,
            )
        except OperationFailed as failure:
            self.show_failure(failure)
            return False
        self.show_errors([])
        dialog = EntryConfirmDialog(
            self.tr("Submit %1?").replace("%1", business_type_label(self.business_type)),
            intro,
            preview,
            parent=self,
        )
        self.confirm_dialog = dialog
        try:
            return await run_dialog(dialog) == QDialog.DialogCode.Accepted
        finally:
            self.confirm_dialog = None
            dialog.deleteLater()


# -- 新增网站 ------------------------------------------------------------------------------
class NewWebsiteDialog(PickedEntryDialog):
    business_type = BusinessType.NEW_WEBSITE

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, SubjectPicker(ctx), self.tr("New website"), parent)
        self.setObjectName("newWebsiteDialog")
        self.website = WebsiteTab("website", ctx.language)
        self.body_layout.addWidget(self.website)
        self.fit(900, 760)

    def choose_text(self) -> str:
        return self.tr("The approved subject the website is added to")

    def field_rows(self) -> dict[str, FieldRow]:
        return self.website.rows()

    def fill_request(self, editing: WebsiteEditing) -> None:
        """The draft or returned website, on the subject it is added to (kept)."""
        self.show_editing(editing)
        self.picker.show_chosen(editing.subject, locked=True)
        self.website.fill(editing.website, editing.masked)

    async def save_request(self) -> int:
        chosen = self.picker.chosen
        return await self.ctx.run(
            self.ctx.app.filings.save_new_website,
            subject_id=chosen.subject_id if chosen else 0,
            website=self.website.value(),
            request_id=self.request_id,
            parent=self,
            error_box=False,
        )


# -- 新增接入 ------------------------------------------------------------------------------
class NewAccessDialog(PickedEntryDialog):
    business_type = BusinessType.NEW_ACCESS

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, WebsitePicker(ctx), self.tr("New access"), parent)
        self.setObjectName("newAccessDialog")
        self.access = AccessSection(self.tr("The new access"), "access", ctx.language)
        self.body_layout.addWidget(self.access)
        self.fit(960, 640)

    def choose_text(self) -> str:
        return self.tr("The approved website to host")

    def field_rows(self) -> dict[str, FieldRow]:
        return self.access.rows

    def fill_request(self, editing: AccessEditing) -> None:
        """The draft or returned access, on its website (kept)."""
        self.show_editing(editing)
        self.picker.show_chosen(editing.website, locked=True)
        self.access.fill(editing.access)

    async def confirm(self) -> bool:
        chosen = self.picker.chosen
        if chosen is None:
            return False
        intro = self.tr("%1 (%2) will be hosted by %3.")
        intro = (
            intro.replace("%1", chosen.name)
            .replace("%2", chosen.icp_number)
            .replace("%3", self.access.isp.text().strip() or "—")
        )
        return await self.preview_and_confirm(intro, website_id=chosen.website_id)

    async def save_request(self) -> int:
        chosen = self.picker.chosen
        return await self.ctx.run(
            self.ctx.app.filings.save_new_access,
            website_id=chosen.website_id if chosen else 0,
            access=self.access.value(),
            request_id=self.request_id,
            parent=self,
            error_box=False,
        )


# -- 注销主体 / 注销网站 / 取消接入 ---------------------------------------------------------
class CancellationDialog(PickedEntryDialog):
    def __init__(
        self, ctx: ViewContext, business_type: BusinessType, parent: QWidget | None = None
    ) -> None:
        self.business_type = business_type
        picker: RecordPicker = (
            SubjectPicker(ctx)
            if business_type is BusinessType.CANCEL_SUBJECT
            else WebsitePicker(ctx)
        )
        super().__init__(ctx, picker, business_type_label(business_type), parent)
        self.setObjectName("cancellationDialog")
        self.submit_button.setText(self.tr("Check who verifies and submit…"))
        note = {
            BusinessType.CANCEL_SUBJECT: self.tr(
                "Cancelling the subject cancels its filing and every approved website of it."
            ),
            BusinessType.CANCEL_WEBSITE: self.tr(
                "Cancelling the website removes it from the filing; the subject stays."
            ),
            BusinessType.CANCEL_ACCESS: self.tr(
                "Cancelling the access ends this ISP's hosting of the website; its filing stays."
            ),
        }[business_type]
        label = QLabel(note)
        label.setWordWrap(True)
        self.body_layout.addWidget(label)
        self.fit(960, 600)

    def choose_text(self) -> str:
        if self.business_type is BusinessType.CANCEL_SUBJECT:
            return self.tr("The approved subject to cancel")
        return self.tr("The approved website")

    def fill_request(self, editing: CancellationEditing) -> None:
        """The draft or returned cancellation on its record; a search may choose
        another (the record is all a cancellation holds)."""
        self.show_editing(editing)
        if isinstance(self.picker, SubjectPicker) and editing.subject is not None:
            self.picker.show_chosen(editing.subject, locked=False)
        elif isinstance(self.picker, WebsitePicker) and editing.website is not None:
            self.picker.show_chosen(editing.website, locked=False)

    async def confirm(self) -> bool:
        chosen = self.picker.chosen
        if chosen is None:
            return False
        label = business_type_label(self.business_type)
        if self.business_type is BusinessType.CANCEL_SUBJECT:
            name, number = chosen.holder_name, chosen.icp_number
            target: dict[str, object] = {"subject_id": chosen.subject_id}
        else:
            name, number = chosen.name, chosen.icp_number
            target = {"website_id": chosen.website_id}
        intro = (
            self.tr("%1: %2 (%3).").replace("%1", label).replace("%2", name).replace("%3", number)
        )
        return await self.preview_and_confirm(intro, **target)

    async def save_request(self) -> int:
        chosen = self.picker.chosen
        if self.business_type is BusinessType.CANCEL_SUBJECT:
            target: dict[str, object] = {"subject_id": chosen.subject_id if chosen else 0}
        else:
            target = {"website_id": chosen.website_id if chosen else 0}
        return await self.ctx.run(
            self.ctx.app.filings.save_cancellation,
            business_type=self.business_type,
            request_id=self.request_id,
            parent=self,
            error_box=False,
            **target,
        )


# -- 变更手机号码 ----------------------------------------------------------------------------
class PhoneChangeDialog(PickedEntryDialog):
    business_type = BusinessType.CHANGE_PHONE

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, SubjectPicker(ctx), business_type_label("change_phone"), parent)
        self.setObjectName("phoneChangeDialog")
        self.approved: ApprovedFiling | None = None
        self._shown_subject: int | None = None  # whose principals the table lists
        self._wanted_principal: int | None = None  # a saved request's, chosen once listed
        self.keep_mobile = False  # the saved request's number, shown masked: empty keeps it
        people = QGroupBox(self.tr("Whose number changes"))
        column = QVBoxLayout(people)
        self.people = QTableWidget(0, 4)
        self.people.setObjectName("principalTable")
        self.people.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("As"), self.tr("ID number"), self.tr("Mobile now")]
        )
        self.people.verticalHeader().setVisible(False)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.people.horizontalHeader().setStretchLastSection(True)
        self.people.setMinimumHeight(100)
        column.addWidget(self.people)
        self.body_layout.addWidget(people, 1)
        number = FormSection(self.tr("The new number"), ctx.language)
        self.new_mobile = number.add(
            "new_mobile", self.tr("New mobile (gets the SMS)"), QLineEdit(), parse_mobile
        )
        self.number_section = number
        self.body_layout.addWidget(number)
        note = QLabel(
            self.tr(
                "The bureau approves the new number first; then the code goes to the new "
                "number only, and passing it makes the number current."
            )
        )
        note.setWordWrap(True)
        self.body_layout.addWidget(note)
        self.picker.changed.connect(self._on_subject)
        self.fit(960, 680)

    def choose_text(self) -> str:
        return self.tr("The approved subject")

    def field_rows(self) -> dict[str, FieldRow]:
        return dict(self.number_section.rows)

    def fill_request(self, editing: PhoneChangeEditing) -> None:
        """The draft or returned phone change: its subject and principal chosen, its new
        number masked (left empty, the request keeps it; typed, it is the new one)."""
        self.show_editing(editing)
        self._wanted_principal = editing.principal_id
        self.keep_mobile = True
        keep_hint(self.new_mobile, editing.new_mobile_masked)
        self.picker.show_chosen(editing.subject, locked=False)

    def mobile_value(self) -> str | None:
        text = self.new_mobile.text()
        return None if self.keep_mobile and not text.strip() else text

    @property
    def chosen_principal(self) -> PrincipalChoice | None:
        rows = self.people.selectionModel().selectedRows()
        if self.approved is None or not rows:
            return None
        return self.approved.principals[rows[0].row()]

    @asyncSlot()
    async def _on_subject(self) -> None:
        """The chosen subject's principals; a list refreshed onto the same subject keeps
        the person chosen."""
        chosen = self.picker.chosen
        if chosen is not None and chosen.subject_id == self._shown_subject:
            return
        self._shown_subject = chosen.subject_id if chosen else None
        self.people.setRowCount(0)
        self.approved = None
        if chosen is None:
            return
        try:
            approved = await self.ctx.read(
                self.ctx.app.queries.approved_filing, subject_id=chosen.subject_id
            )
        except OperationFailed:
            self._shown_subject = None
            return
        if self._shown_subject != chosen.subject_id:
            return  # another subject was chosen meanwhile
        self.approved = approved
        self.people.setRowCount(len(approved.principals))
        for r, p in enumerate(approved.principals):
            for c, text in enumerate((p.name, roles_label(p.roles), p.doc_masked, p.phone_masked)):
                self.people.setItem(r, c, QTableWidgetItem(text))
        ids = [p.principal_id for p in approved.principals]
        wanted, self._wanted_principal = self._wanted_principal, None
        self.people.selectRow(ids.index(wanted) if wanted in ids else 0)

    async def confirm(self) -> bool:
        person = self.chosen_principal
        if person is None:
            self.general_error.setText(self.tr("Choose whose number changes."))
            return False
        intro = (
            self.tr("%1's mobile changes from %2 to the number entered.")
            .replace("%1", person.name)
            .replace("%2", person.phone_masked)
        )
        return await self.preview_and_confirm(
            intro,
            principal_id=person.principal_id,
            new_mobile=self.mobile_value(),
            request_id=self.request_id,
        )

    async def save_request(self) -> int:
        person = self.chosen_principal
        return await self.ctx.run(
            self.ctx.app.filings.save_phone_change,
            principal_id=person.principal_id if person else 0,
            new_mobile=self.mobile_value(),
            request_id=self.request_id,
            parent=self,
            error_box=False,
        )
