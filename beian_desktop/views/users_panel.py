"""Users (administrator): who may sign in, in which role; add, disable, reset a
password (the user then chooses a new one at the next sign-in)."""

from __future__ import annotations

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
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.accounts import PASSWORD_RULE
from beian_desktop.rules.errors import in_language
from beian_desktop.services.people.accounts import UserInfo
from beian_desktop.terms import UserRole
from beian_desktop.views.async_dialogs import ask_text, run_dialog
from beian_desktop.views.labels import role_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.row_table import (
    Column,
    RowTableModel,
    make_table,
    selected_row,
    set_rows_keeping_selection,
)
from beian_desktop.views.view_context import ViewContext, local_time


class EditUserDialog(QDialog):
    """A user's display name and role; a new role signs them out everywhere (the
    service revokes their sessions), which the dialog says before it is saved."""

    def __init__(self, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editUserDialog")
        self.setWindowTitle(self.tr("Edit %1").replace("%1", user.username))
        self.display_name = QLineEdit(user.display_name)
        self.display_name.setObjectName("editDisplayName")
        self.role = QComboBox()
        self.role.setObjectName("editRole")
        for role in UserRole:
            self.role.addItem(role_label(role), role.value)
        self.role.setCurrentIndex(max(self.role.findData(user.role), 0))
        hint = QLabel(self.tr("A new role signs the user out; they sign in again under it."))
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow("", hint)
        form.addRow(self.buttons)


class UsersPanel(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("usersPanel")
        self.model: RowTableModel[UserInfo] = RowTableModel(
            [
                Column(self.tr("Username"), lambda u: u.username),
                Column(self.tr("Name"), lambda u: u.display_name),
                Column(self.tr("Role"), lambda u: role_label(u.role)),
                Column(
                    self.tr("Active"),
                    lambda u: self.tr("yes") if u.active else self.tr("no"),
                    state=lambda u: "approved" if u.active else "cancelled",
                ),
                Column(self.tr("Locked until"), lambda u: local_time(u.locked_until)),
            ],
            self,
        )
        self.table = make_table(self.model, stretch_column=1)
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in UserRole:
            self.role.addItem(role_label(role), role.value)
        self.password = QLineEdit()
        self.password.setObjectName("newUserPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_rule = QLabel(in_language(ctx.language, *PASSWORD_RULE))
        self.password_rule.setWordWrap(True)
        self.must_change = QCheckBox(self.tr("Must choose a new password at the first sign-in"))
        self.must_change.setObjectName("mustChangePassword")
        self.must_change.setChecked(True)
        add = QPushButton(self.tr("Add user"))
        add.setObjectName("addUser")
        add.clicked.connect(self._on_add)
        self.edit_button = QPushButton(self.tr("Edit name and role…"))
        self.edit_button.setObjectName("editUser")
        self.edit_button.clicked.connect(self._on_edit)
        self.toggle_button = QPushButton(self.tr("Deactivate"))
        self.toggle_button.setObjectName("toggleUser")
        self.toggle_button.clicked.connect(self._on_toggle)
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.reset_button.setObjectName("resetPassword")
        self.reset_button.clicked.connect(self._on_reset)
        self.edit_dialog: EditUserDialog | None = None  # while it is open
        self.result = QLabel()
        self.result.setObjectName("usersResult")
        self.result.setWordWrap(True)

        new_user = QGroupBox(self.tr("New user"))
        form = QFormLayout(new_user)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.password_rule)
        form.addRow("", self.must_change)
        form.addRow("", add)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.toggle_button)
        actions.addWidget(self.reset_button)
        actions.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(actions)
        layout.addWidget(new_user)
        layout.addWidget(self.result)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = selected_row(self.table)
        for button in (self.edit_button, self.toggle_button, self.reset_button):
            button.setEnabled(user is not None)
        self.toggle_button.setText(
            self.tr("Activate") if user is not None and not user.active else self.tr("Deactivate")
        )

    async def refresh(self) -> None:
        try:
            users = await self.ctx.read(self.ctx.app.users.list_users)
        except OperationFailed:
            return
        set_rows_keeping_selection(self.table, users, key=lambda u: u.id)
        self._update_buttons()

    @asyncSlot()
    async def _on_add(self) -> None:
        try:
            user = await self.ctx.run(
                self.ctx.app.users.create_user,
                username=self.username.text(),
                display_name=self.display_name.text(),
                role=self.role.currentData(),
                password=self.password.text(),
                must_change_password=self.must_change.isChecked(),
                parent=self,
            )
        except OperationFailed:
            return
        self.password.clear()
        self.result.setText(self.tr("Added %1").replace("%1", user.username))
        await self.refresh()

    @asyncSlot()
    async def _on_edit(self) -> None:
        user = selected_row(self.table)
        if user is None:
            return
        dialog = EditUserDialog(user, self)
        self.edit_dialog = dialog
        try:
            accepted = await run_dialog(dialog)
            name, role = dialog.display_name.text(), dialog.role.currentData()
        finally:
            self.edit_dialog = None
            dialog.deleteLater()
        if accepted:
            await self.edit_user(user, display_name=name, role=role)

    async def edit_user(self, user: UserInfo, *, display_name: str, role: str) -> bool:
        try:
            updated = await self.ctx.run(
                self.ctx.app.users.update_user,
                user_id=user.id,
                display_name=display_name if display_name != user.display_name else None,
                role=role if role != user.role else None,
                parent=self,
            )
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return False
        self.result.setText(
            self.tr("%1 is now %2 (%3).")
            .replace("%1", updated.username)
            .replace("%2", updated.display_name)
            .replace("%3", role_label(updated.role))
        )
        await self.refresh()
        return True

    @asyncSlot()
    async def _on_toggle(self) -> None:
        user = selected_row(self.table)
        if user is None:
            return
        try:
            await self.ctx.run(
                self.ctx.app.users.set_active,
                user_id=user.id,
                active=not user.active,
                parent=self,
            )
        except OperationFailed as failure:
            self.result.setText(str(failure))
            return
        self.result.setText(
            (
                self.tr("%1 can sign in again.")
                if not user.active
                else self.tr("%1 can no longer sign in.")
            ).replace("%1", user.username)
        )
        await self.refresh()

    @asyncSlot()
    async def _on_reset(self) -> None:
        user = selected_row(self.table)
        if user is None:
            return
        password = await ask_text(
            self,
            self.tr("Reset password"),
            self.tr("New password for %1 (they choose their own at the next sign-in):").replace(
                "%1", user.username
            )
            + "\n"
            + in_language(self.ctx.language, *PASSWORD_RULE),
            QLineEdit.EchoMode.Password,
        )
        if password is None:
            return
        try:
            await self.ctx.run(
                self.ctx.app.users.reset_password,
                user_id=user.id,
                password=password,
                parent=self,
            )
        except OperationFailed:
            return
        self.result.setText(self.tr("Password reset for %1").replace("%1", user.username))
