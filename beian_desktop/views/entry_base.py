"""What every entry dialog shares: a scrolling body with the action buttons always
below it (they stay on screen at 1024×700), an error line, the state line, and the
save → confirm → submit sequence.

A subclass says how its request is saved (`save_request`) and, optionally, what the
clerk confirms before it is submitted (`confirm`: what changed, who will get an SMS).
Save keeps a draft; Submit saves, confirms and submits. A failure names every field
the service named (under the field when the dialog has it, in the error line when
not); nothing is half-saved, the services write all or nothing.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.entry_forms import EditableRequest
from beian_desktop.rules.errors import FieldError, ValidationFailed, in_language
from beian_desktop.rules.field_labels import field_label
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.entry_sections import ERROR_STYLE, FieldRow, fit_to_screen
from beian_desktop.views.labels import (
    business_type_label,
    request_state_label,
    return_reason_label,
)
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.view_context import ViewContext

# The error summary shows this many errors at most before it scrolls.
SUMMARY_LINES = 4


class EntryDialogBase(QDialog):
    """`body` is the scrolling content; subclasses fill `body_layout`."""

    can_save_draft = True

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id: int | None = None
        self.submitted_state: str | None = None
        self.message_box: QMessageBox | None = None  # "submitted", while it is open
        self.closing_question: QMessageBox | None = None  # "unsaved changes", while open
        self.changed = False  # edited since loaded or saved (mark_clean)
        self._watching = False
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        self.scroll_area = scroll

        self.state_label = QLabel(self.tr("New draft") if self.can_save_draft else "")
        self.state_label.setObjectName("entryState")
        self.general_error = QLabel()
        self.general_error.setObjectName("entryError")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.error_summary = QListWidget()
        self.error_summary.setObjectName("errorSummary")
        self.error_summary.hide()
        self.error_summary.itemClicked.connect(self._on_summary_clicked)
        self.error_summary.itemActivated.connect(self._on_summary_clicked)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("Save draft"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.setVisible(self.can_save_draft)
        self.submit_button = self.buttons.addButton(
            self.tr("Submit"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setToolTip("Ctrl+Enter")
        self.submit_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self._on_save)
        self.submit_button.clicked.connect(self._on_submit)
        if self.can_save_draft:
            QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self._on_save)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self._on_submit)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.error_summary)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state_label, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    # -- leaving a changed form ---------------------------------------------------------------
    def mark_clean(self) -> None:
        """The form as loaded: from now on an edit makes Esc or Close ask first."""
        if not self._watching:
            self._watching = True
            for edit in self.body.findChildren(QLineEdit):
                edit.textEdited.connect(self._on_edited)
            for text in self.body.findChildren(QPlainTextEdit):
                text.textChanged.connect(self._on_edited)
            for combo in self.body.findChildren(QComboBox):
                combo.activated.connect(self._on_edited)
                if combo.isEditable():
                    combo.editTextChanged.connect(self._on_edited)
            for box in self.body.findChildren(QCheckBox):
                box.clicked.connect(self._on_edited)
        self.changed = False

    def _on_edited(self, *_: object) -> None:
        self.changed = True

    def reject(self) -> None:
        """Esc, Close or the window's ×: a changed form asks first."""
        if not self.changed or self.closing_question is not None:
            super().reject()
            return
        self._ask_before_closing()

    @asyncSlot()
    async def _ask_before_closing(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unsaved changes"),
            self.tr("This form has changes that are not saved."),
            parent=self,
        )
        save = (
            box.addButton(self.tr("Save as draft"), QMessageBox.ButtonRole.AcceptRole)
            if self.can_save_draft
            else None
        )
        discard = box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.closing_question = box
        try:
            await run_dialog(box)
            clicked = box.clickedButton()
        finally:
            self.closing_question = None
            box.deleteLater()
        if clicked is discard or (clicked is save and await self._save()):
            self.changed = False
            super().reject()

    def fit(self, width: int, height: int) -> None:
        fit_to_screen(self, width, height)

    def show_editing(self, editing: EditableRequest) -> None:
        """A draft or a returned request opened again: it saves to that request, the
        title says which, and a returned one says why it came back."""
        self.request_id = editing.request_id
        returned = editing.state == "returned"
        what = (
            self.tr("Correct returned request No. %1") if returned else self.tr("Edit draft No. %1")
        )
        self.setWindowTitle(
            f"{business_type_label(editing.business_type)} · "
            + what.replace("%1", str(editing.request_id))
        )
        if returned:
            reason = return_reason_label(editing.return_reason)
            self.state_label.setText(
                self.tr("Returned: %1. Correct it and submit again.").replace("%1", reason)
            )
        else:
            self.state_label.setText(self.tr("Draft No. %1").replace("%1", str(editing.request_id)))

    # -- what a subclass says ----------------------------------------------------------------
    async def save_request(self) -> int:
        """Saves the draft (a new one, or `self.request_id` again); returns its id."""
        raise NotImplementedError

    async def confirm(self) -> bool:
        """Before submitting: False when the clerk goes back to the form."""
        return True

    def field_rows(self) -> dict[str, FieldRow]:
        return {}

    def form_path(self, service_path: str) -> str:
        """The row a service's path belongs to ("websites[0].domains[1]" → the box)."""
        return re.sub(r"\[\d+\]$", "", service_path)

    # -- errors --------------------------------------------------------------------------------
    def show_errors(self, errors: list[FieldError]) -> None:
        """Each error under its field, and all of them in the summary below the form,
        labelled as a person reads the field; a click on one goes to its field."""
        rows = self.field_rows()
        for row in rows.values():
            row.show_error(None)
        self.error_summary.clear()
        by_row: dict[str, list[str]] = {}
        language = self.ctx.language
        for error in errors:
            path = self.form_path(error.field)
            message = error.message(language)
            item = QListWidgetItem(
                f"{field_label(path, language)}{in_language(language, '：', ': ')}{message}"
            )
            if path in rows:
                by_row.setdefault(path, []).append(message)
                item.setData(Qt.ItemDataRole.UserRole, path)
            self.error_summary.addItem(item)
        for path, messages in by_row.items():
            rows[path].show_error(" · ".join(messages))
        self.error_summary.setVisible(bool(errors))
        if errors:  # as tall as its lines, up to four: the form keeps the rest of the height
            lines = min(len(errors), SUMMARY_LINES)
            frame = 2 * self.error_summary.frameWidth()
            self.error_summary.setFixedHeight(self.error_summary.sizeHintForRow(0) * lines + frame)
        self.general_error.setText(
            self.tr("%1 to correct: click one to go to its field.").replace("%1", str(len(errors)))
            if errors
            else ""
        )
        self.errors_shown({path for path in by_row})

    def errors_shown(self, paths: set[str]) -> None:
        """After show_errors: the rows that now show an error (a tab marks itself)."""

    def go_to_field(self, path: str) -> None:
        """Shows the field's tab, scrolls to it and puts the cursor in it."""
        row = self.field_rows().get(path)
        if row is None:
            return
        widget: QWidget | None = row.widget
        while widget is not None:
            parent = widget.parentWidget()
            tabs = parent.parentWidget() if parent is not None else None
            if isinstance(tabs, QTabWidget) and tabs.indexOf(widget) >= 0:
                tabs.setCurrentWidget(widget)
            widget = parent
        self.scroll_area.ensureWidgetVisible(row.widget)
        row.widget.setFocus()

    def _on_summary_clicked(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.go_to_field(str(path))

    def show_failure(self, failure: OperationFailed) -> None:
        cause = failure.__cause__
        if isinstance(cause, ValidationFailed):
            self.show_errors(cause.errors)
        else:
            self.show_errors([])
            self.general_error.setText(str(failure))

    # -- the sequence ------------------------------------------------------------------------
    async def _save(self) -> bool:
        try:
            self.request_id = await self.save_request()
        except OperationFailed as failure:
            self.show_failure(failure)
            return False
        self.show_errors([])
        self.changed = False
        self.state_label.setText(self.tr("Draft No. %1 saved").replace("%1", str(self.request_id)))
        return True

    @asyncSlot()
    async def _on_save(self) -> None:
        await self._save()

    @asyncSlot()
    async def _on_submit(self) -> None:
        await self.submit()

    async def submit(self) -> bool:
        """Once at a time: a second Submit while the first still runs is ignored."""
        if not self.submit_button.isEnabled():
            return False
        self.submit_button.setEnabled(False)
        try:
            return await self._submit()
        finally:
            self.submit_button.setEnabled(True)

    async def _submit(self) -> bool:
        if not await self.confirm():
            return False
        # A form without drafts (can_save_draft False) is saved once: a submit that
        # failed after it is tried again on the same request.
        if (self.request_id is None or self.can_save_draft) and not await self._save():
            return False
        try:
            state = await self.ctx.run(
                self.ctx.app.submission.submit,
                request_id=self.request_id,
                parent=self,
                error_box=False,
            )
        except OperationFailed as failure:
            self.show_failure(failure)
            self.state_label.setText(
                self.tr("Draft No. %1 saved; not submitted").replace("%1", str(self.request_id))
            )
            return False
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
        return True
