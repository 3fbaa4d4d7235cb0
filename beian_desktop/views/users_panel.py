"""Users (administrator): who may sign in, in which role; add, disable, reset a
password (the user then chooses a new one at the next sign-in)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from beian_desktop.views.async_dialogs import ask_text
from beian_desktop.views.labels import role_label
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.row_table import Column, RowTableModel, make_table, selected_row
from beian_desktop.views.view_context import ViewContext, local_time


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
                Column(self.tr("Active"), lambda u: self.tr("yes") if u.active else self.tr("no")),
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
        toggle = QPushButton(self.tr("Enable / disable"))
        toggle.clicked.connect(self._on_toggle)
        reset = QPushButton(self.tr("Reset password…"))
        reset.clicked.connect(self._on_reset)
        self.result = QLabel()
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
        actions.addWidget(toggle)
        actions.addWidget(reset)
        actions.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(actions)
        layout.addWidget(new_user)
        layout.addWidget(self.result)

    async def refresh(self) -> None:
        try:
            users = await self.ctx.read(self.ctx.app.users.list_users)
        except OperationFailed:
            return
        self.model.set_rows(users)

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
        except OperationFailed:
            return
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
