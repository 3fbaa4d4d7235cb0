"""Signing in, the first administrator of a new database, changing one's password, and
the lock screen of a shared workstation.

Each dialog shows its error on itself (never a message box over it) and keeps what was
typed but the password. Where a new password is chosen, the rule is written beside the
field before anyone gets it wrong (rules/accounts.py PASSWORD_RULE).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from beian_desktop.rules.accounts import PASSWORD_RULE
from beian_desktop.rules.errors import in_language
from beian_desktop.services.beian import Beian
from beian_desktop.services.people.sign_in import SignedIn
from beian_desktop.views.operations import OperationFailed, OperationRunner

ERROR_STYLE = "color: #b00020"


def _password_field(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def _rule_label(language: str) -> QLabel:
    label = QLabel(in_language(language, *PASSWORD_RULE))
    label.setObjectName("passwordRule")
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text)")
    return label


class LoginDialog(QDialog):
    """Username and password; `signed_in` holds the session once accepted. `title`
    says why it asks (signing in again after a sign-out, switching user)."""

    def __init__(
        self,
        app: Beian,
        ops: OperationRunner,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        username: str = "",
        notice: str | None = None,
    ) -> None:
        """`notice`: why the last sign-in ended (it expired, an administrator revoked
        it), shown until the person signs in."""
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.app = app
        self.ops = ops
        self.signed_in: SignedIn | None = None
        self.setWindowTitle(title or self.tr("Sign in"))
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = _password_field("password")
        self.error = _error_label()
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
        if notice:
            self.error.setText(notice)
        (self.password if username else self.username).setFocus()

    @asyncSlot()
    async def _on_sign_in(self) -> None:
        try:
            self.signed_in = await self.ops.run(
                self.app.sign_in.sign_in,
                username=self.username.text(),
                password=self.password.text(),
                parent=self,
                changes_data=False,
                error_box=False,
                while_locked=True,  # a new sign-in carries no session: a locked screen may
            )
        except OperationFailed as failure:
            self.error.setText(str(failure))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """The first start of a new database asks for an administrator account, then signs
    the administrator in."""

    def __init__(self, app: Beian, ops: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAdminDialog")
        self.app = app
        self.ops = ops
        self.signed_in: SignedIn | None = None
        self.setWindowTitle(self.tr("Create the administrator"))
        self.username = QLineEdit("admin")
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self.tr("Administrator"))
        self.display_name.setObjectName("displayName")
        self.password = _password_field("password")
        self.repeat = _password_field("repeat")
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", _rule_label(ops.language))
        form.addRow(self.tr("Repeat password"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "This is a new database. Create the administrator account; the administrator "
                "then adds the other users in Settings."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @asyncSlot()
    async def _on_create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        try:
            await self.ops.run(
                self.app.users.create_first_admin,
                username=self.username.text(),
                display_name=self.display_name.text(),
                password=self.password.text(),
                parent=self,
                error_box=False,
            )
            self.signed_in = await self.ops.run(
                self.app.sign_in.sign_in,
                username=self.username.text(),
                password=self.password.text(),
                parent=self,
                changes_data=False,
                error_box=False,
            )
        except OperationFailed as failure:
            self.error.setText(str(failure))
            return
        self.accept()


class ChangePasswordDialog(QDialog):
    """One's own password: the current one, the new one twice. `forced` (an
    administrator asked for it, or a new account): the session can do nothing else
    until it is done, so Cancel signs out."""

    def __init__(
        self,
        app: Beian,
        ops: OperationRunner,
        session: str,
        parent: QWidget | None = None,
        *,
        forced: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.app, self.ops, self.session = app, ops, session
        self.setWindowTitle(self.tr("Change password"))
        self.current = _password_field("currentPassword")
        self.new = _password_field("newPassword")
        self.repeat = _password_field("repeatPassword")
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow("", _rule_label(ops.language))
        form.addRow(self.tr("Repeat new password"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_change)
        buttons.rejected.connect(self.reject)
        if forced:
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Sign out"))
        layout = QVBoxLayout(self)
        if forced:
            notice = QLabel(self.tr("Choose a new password before you go on."))
            notice.setWordWrap(True)
            layout.addWidget(notice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @asyncSlot()
    async def _on_change(self) -> None:
        if self.new.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        try:
            await self.ops.run(
                self.app.sign_in.change_own_password,
                session=self.session,
                current_password=self.current.text(),
                new_password=self.new.text(),
                parent=self,
                error_box=False,
            )
        except OperationFailed as failure:
            self.error.setText(str(failure))
            return
        self.accept()


class LockDialog(QDialog):
    """The idle lock: the window's contents are hidden, not closed, until the signed-in
    person types their password. Sign out (or switch user) ends the session instead;
    `result_action` says which was chosen."""

    UNLOCKED, SIGN_OUT, SWITCH_USER = "unlocked", "sign_out", "switch_user"

    def __init__(
        self,
        app: Beian,
        ops: OperationRunner,
        signed_in: SignedIn,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockDialog")
        self.app, self.ops, self.signed_in = app, ops, signed_in
        self.result_action: str | None = None
        self.setWindowTitle(self.tr("Workstation locked"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        user = signed_in.user
        who = QLabel(
            self.tr("Locked. %1 (%2): enter your password to go on.")
            .replace("%1", user.display_name)
            .replace("%2", user.username)
        )
        who.setObjectName("lockedFor")
        who.setWordWrap(True)
        self.password = _password_field("password")
        self.error = _error_label()
        unlock = QPushButton(self.tr("Unlock"))
        unlock.setObjectName("unlockButton")
        unlock.setDefault(True)
        unlock.clicked.connect(self._on_unlock)
        switch = QPushButton(self.tr("Switch user…"))
        switch.setObjectName("switchUserButton")
        switch.clicked.connect(lambda: self._leave(self.SWITCH_USER))
        sign_out = QPushButton(self.tr("Sign out"))
        sign_out.setObjectName("signOutButton")
        sign_out.clicked.connect(lambda: self._leave(self.SIGN_OUT))
        buttons = QDialogButtonBox()
        buttons.addButton(unlock, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(switch, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(sign_out, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        form = QFormLayout()
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.password.setFocus()

    def reject(self) -> None:
        """Esc does not unlock."""

    def _leave(self, action: str) -> None:
        self.result_action = action
        self.done(QDialog.DialogCode.Rejected)

    @asyncSlot()
    async def _on_unlock(self) -> None:
        try:
            await self.ops.run(
                self.app.sign_in.unlock,
                session=self.signed_in.token,
                password=self.password.text(),
                parent=self,
                changes_data=False,
                error_box=False,
                while_locked=True,
            )
        except OperationFailed as failure:
            self.error.setText(str(failure))
            self.password.clear()
            return
        self.result_action = self.UNLOCKED
        self.accept()
