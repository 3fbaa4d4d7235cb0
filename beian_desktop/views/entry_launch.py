"""Which dialog enters which business type, opened and loaded. A change first asks
which approved subject changes (the same picker the other entries use), then opens
the entry form filled with its approved filing."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from beian_desktop.rules.entry_forms import (
    AccessEditing,
    ChangeEditing,
    PhoneChangeEditing,
    RequestForEditing,
    WebsiteEditing,
)
from beian_desktop.terms import BusinessType
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.change_dialog import ChangeFilingDialog
from beian_desktop.views.entry_base import EntryDialogBase
from beian_desktop.views.entry_dialogs import (
    CancellationDialog,
    NewAccessDialog,
    NewWebsiteDialog,
    PhoneChangeDialog,
)
from beian_desktop.views.entry_pickers import SubjectPicker
from beian_desktop.views.entry_sections import fit_to_screen
from beian_desktop.views.filing_entry_dialog import FilingEntryDialog
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.view_context import ViewContext


class ChooseSubjectDialog(QDialog):
    """变更备案's first step: which approved filing changes."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chooseSubjectDialog")
        self.setWindowTitle(self.tr("Change filing: choose the approved subject"))
        self.picker = SubjectPicker(ctx)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(
            self.tr("Open the approved filing"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.picker.changed.connect(
            lambda: self.open_button.setEnabled(self.picker.chosen is not None)
        )
        self.picker.table.doubleClicked.connect(lambda _index: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 820, 480)


async def entry_dialog(
    ctx: ViewContext, business_type: str, parent: QWidget | None = None
) -> QDialog | None:
    """The loaded dialog, or None (a change whose subject was not chosen)."""
    kind = BusinessType(business_type)
    if kind is BusinessType.NEW_FILING:
        dialog = FilingEntryDialog(ctx, parent)
        await dialog.load()
        dialog.mark_clean()
        return dialog
    if kind is BusinessType.CHANGE:
        return await _change_dialog(ctx, parent)
    if kind is BusinessType.NEW_WEBSITE:
        picked: NewWebsiteDialog | NewAccessDialog | CancellationDialog | PhoneChangeDialog
        picked = NewWebsiteDialog(ctx, parent)
    elif kind is BusinessType.NEW_ACCESS:
        picked = NewAccessDialog(ctx, parent)
    elif kind is BusinessType.CHANGE_PHONE:
        picked = PhoneChangeDialog(ctx, parent)
    else:
        picked = CancellationDialog(ctx, kind, parent)
    await picked.load()
    picked.mark_clean()
    return picked


async def _change_dialog(ctx: ViewContext, parent: QWidget | None) -> QDialog | None:
    chooser = ChooseSubjectDialog(ctx, parent)
    try:
        await chooser.picker.refresh()
        result = await run_dialog(chooser)
        chosen = chooser.picker.chosen
    finally:
        chooser.deleteLater()
    if result != QDialog.DialogCode.Accepted or chosen is None:
        return None
    try:
        approved = await ctx.read(ctx.app.queries.approved_filing, subject_id=chosen.subject_id)
    except OperationFailed:
        return None
    dialog = ChangeFilingDialog(ctx, approved, parent)
    await dialog.load()
    dialog.mark_clean()
    return dialog


async def edit_dialog(ctx: ViewContext, request_id: int, parent: QWidget | None = None) -> QDialog:
    """A draft or a returned request of any business type in its entry dialog, filled
    as stored; the dialog saves to that request and submits (or resubmits) it."""
    editing = await ctx.read(ctx.app.queries.request_for_editing, request_id=request_id)
    dialog: EntryDialogBase
    if isinstance(editing, RequestForEditing):
        filing = FilingEntryDialog(ctx, parent)
        await filing.load()
        filing.fill_request(editing)
        dialog = filing
    elif isinstance(editing, ChangeEditing):
        dialog = ChangeFilingDialog(ctx, editing.approved, parent, editing)
        await dialog.load()
    elif isinstance(editing, WebsiteEditing):
        website = NewWebsiteDialog(ctx, parent)
        await website.load()
        website.fill_request(editing)
        dialog = website
    elif isinstance(editing, AccessEditing):
        access = NewAccessDialog(ctx, parent)
        await access.load()
        access.fill_request(editing)
        dialog = access
    elif isinstance(editing, PhoneChangeEditing):
        phone = PhoneChangeDialog(ctx, parent)
        await phone.load()
        phone.fill_request(editing)
        dialog = phone
    else:
        cancellation = CancellationDialog(ctx, BusinessType(editing.business_type), parent)
        await cancellation.load()
        cancellation.fill_request(editing)
        dialog = cancellation
    dialog.mark_clean()
    return dialog
