"""Signing in, and creating the first administrator on a new database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.services.people.user_service import UserInfo
from beian_desktop.views.operations import OperationFailed, OperationRunner


class LoginDialog(QDialog):
    def __init__(self, users, ops: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.users = users
        self.ops = ops
        self.user: UserInfo | None = None
        self.setWindowTitle(self.tr("Sign in"))
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        buttons.accepted.connect(self._on_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("ICP filing SMS verification")))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @asyncSlot()
    async def _on_sign_in(self) -> None:
        try:
            self.user = await self.ops.run(
                self.users.login,
                username=self.username.text(),
                password=self.password.text(),
                parent=self,
                error_box=False,
                changes_data=False,
            )
        except OperationFailed as failure:
            self.error.setText(str(failure))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """The first start of a new database asks for an administrator account."""

    def __init__(self, users, ops: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAdminDialog")
        self.users = users
        self.ops = ops
        self.user: UserInfo | None = None
        self.setWindowTitle(self.tr("Create the administrator"))
        self.username = QLineEdit("admin")
        self.display_name = QLineEdit(self.tr("Administrator"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Repeat password"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "This is a new database. Create the administrator account; the administrator "
                    "then adds the other users in Settings."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @asyncSlot()
    async def _on_create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        try:
            self.user = await self.ops.run(
                self.users.create_first_admin,
                username=self.username.text(),
                display_name=self.display_name.text(),
                password=self.password.text(),
                parent=self,
                error_box=False,
            )
        except OperationFailed as failure:
            self.error.setText(str(failure))
            return
        self.accept()
