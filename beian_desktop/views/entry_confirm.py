"""What the clerk reads before a change, a cancellation, a new access or a phone change
is submitted: what changes (field as a person reads it, old → new) and who will
receive an SMS because of it, at which number (masked), and how many must verify
(SPEC §2, §2.1). Submit goes on; Back returns to the form with nothing saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from beian_desktop.rules.entry_forms import VerificationPreview
from beian_desktop.views.entry_sections import fit_to_screen
from beian_desktop.views.labels import no_verification_label, roles_label


def _table(headers: list[str], rows: Sequence[Sequence[str]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.resizeRowsToContents()
    return table


class EntryConfirmDialog(QDialog):
    """`changes`: (field label, old, new) rows, none for a type that changes no field."""

    def __init__(
        self,
        title: str,
        intro: str,
        preview: VerificationPreview,
        changes: Sequence[tuple[str, str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("entryConfirmDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        heading = QLabel(intro)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.changes_table: QTableWidget | None = None
        if changes:
            layout.addWidget(QLabel(self.tr("What changes")))
            self.changes_table = _table(
                [self.tr("Field"), self.tr("Now"), self.tr("After the change")],
                changes,
                "changesTable",
            )
            layout.addWidget(self.changes_table, 1)
        self.verifiers_table: QTableWidget | None = None
        if preview.quorum is None:
            self.who = QLabel(
                self.tr("No SMS: %1").replace("%1", no_verification_label(preview.skipped_because))
            )
        else:
            quorum = (
                self.tr("Any one of them verifying is enough.")
                if preview.quorum == "any"
                else self.tr("Every one of them must verify.")
            )
            self.who = QLabel(
                self.tr("These people will receive an SMS with a code. %1").replace("%1", quorum)
            )
            self.verifiers_table = _table(
                [self.tr("Name"), self.tr("As"), self.tr("Mobile")],
                [
                    (
                        v.name,
                        roles_label(v.roles),
                        self.tr("%1 (new number)").replace("%1", v.phone_masked)
                        if v.new_number
                        else v.phone_masked,
                    )
                    for v in preview.verifiers
                ],
                "verifiersTable",
            )
        self.who.setObjectName("whoVerifies")
        self.who.setWordWrap(True)
        layout.addWidget(self.who)
        if self.verifiers_table is not None:
            layout.addWidget(self.verifiers_table, 1)
        buttons = QDialogButtonBox()
        self.submit_button = buttons.addButton(
            self.tr("Submit"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setDefault(True)
        buttons.addButton(self.tr("Back"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 520)
