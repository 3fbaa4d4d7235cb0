"""Showing a masked phone or ID number in full, for a role that may (SPEC §7).

Screens show every secret masked. Where the signed-in role may see one in full, a
"Show" button beside it (`SecretLabel`), or a "Show in full" entry in the context menu
of a table cell (`Revealer.install`), asks the service for it through the operation
helper: the service checks the role again, writes the audit event and only then hands
the value back. The view names the secret by the record that holds it (`Secret`),
never by its value.

A `Revealer` belongs to one dialog or page and keeps the values it was given only as
long as that does: a new dialog starts masked, and a page that reloads its rows calls
`forget()` and is masked again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QTableView, QToolButton, QWidget
from qasync import asyncSlot

from beian_desktop.rules.permissions import RevealField
from beian_desktop.views.operations import OperationFailed
from beian_desktop.views.row_table import Column, RowTableModel
from beian_desktop.views.view_context import ViewContext


@dataclass(frozen=True)
class Secret:
    """One masked value on screen: which secret, of which record, shown in which request."""

    field: RevealField
    holder_id: int
    request_id: int


class Revealer(QObject):
    shown_changed = Signal()  # a value was revealed, or all were masked again
    attempted = Signal()  # a reveal was asked for (the timeline has a new event)

    def __init__(self, ctx: ViewContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._shown: dict[Secret, str] = {}
        self.menu: QMenu | None = None  # the last context menu opened (tests read it)

    def may(self, field: RevealField) -> bool:
        """Whether to offer it at all; the service decides again from the database."""
        return self.ctx.can(field.permission)

    def text(self, secret: Secret | None, masked: str) -> str:
        if secret is None:
            return masked
        return self._shown.get(secret, masked)

    def is_shown(self, secret: Secret) -> bool:
        return secret in self._shown

    async def reveal(self, secret: Secret, parent: QWidget | None = None) -> str | None:
        """The value in full, or None if it was refused (the helper has said why)."""
        try:
            value = await self.ctx.run(
                self.ctx.app.secrets.reveal,
                field=secret.field,
                holder_id=secret.holder_id,
                request_id=secret.request_id,
                parent=parent,
                # Only an audit event is written: no list changes, and a refresh of the
                # page asking would mask the value again at once.
                changes_data=False,
            )
        except OperationFailed:
            return None
        finally:
            self.attempted.emit()
        self._shown[secret] = value
        self.shown_changed.emit()
        return value

    def forget(self) -> None:
        """Masks everything again (the rows are being replaced)."""
        if self._shown:
            self._shown.clear()
            self.shown_changed.emit()

    # -- tables ----------------------------------------------------------------------------
    def column(
        self,
        title: str,
        masked: Callable[[Any], str],
        secret: Callable[[Any], Secret | None],
    ) -> Column[Any]:
        """A table column showing `masked(row)` until that row's secret is revealed."""
        return Column(title, lambda row: self.text(secret(row), masked(row)), secret=secret)

    def install(self, table: QTableView) -> None:
        """A "Show in full" entry in the context menu of the table's masked cells that
        this role may see in full; the table repaints when a value is revealed."""
        model = table.model()
        assert isinstance(model, RowTableModel)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(lambda pos: self._open_menu(table, model, pos))
        self.shown_changed.connect(model.refresh)

    def secret_at(self, model: RowTableModel, row: int, column: int) -> Secret | None:
        """The secret of that cell if it can be revealed now: masked, and the role may."""
        if not (0 <= row < len(model.rows) and 0 <= column < len(model.columns)):
            return None
        find = model.columns[column].secret
        secret = find(model.rows[row]) if find is not None else None
        if not isinstance(secret, Secret) or not self.may(secret.field):
            return None
        return None if self.is_shown(secret) else secret

    def _open_menu(self, table: QTableView, model: RowTableModel, pos: QPoint) -> None:
        index = table.indexAt(pos)
        secret = self.secret_at(model, index.row(), index.column()) if index.isValid() else None
        if secret is None:
            return
        menu = QMenu(table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        action = menu.addAction(self.tr("Show in full"))
        action.setObjectName("revealAction")
        action.triggered.connect(lambda: self._on_reveal(secret, table))
        menu.aboutToHide.connect(self._forget_menu)
        self.menu = menu
        menu.popup(table.viewport().mapToGlobal(pos))  # not exec(): no nested event loop

    def _forget_menu(self) -> None:
        self.menu = None

    @asyncSlot()
    async def _on_reveal(self, secret: Secret, parent: QWidget) -> None:
        await self.reveal(secret, parent)


class SecretLabel(QWidget):
    """A masked value with a "Show" button beside it for a role that may see it in
    full; the value then replaces the masked one in place, and the button goes."""

    def __init__(
        self,
        revealer: Revealer,
        secret: Secret,
        masked: str,
        *,
        before: str = "",
        after: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.revealer = revealer
        self.secret = secret
        self.masked = masked
        self.before, self.after = before, after
        self.label = QLabel()
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QToolButton()  # as small as its word: the row keeps its height
        self.button.setText(self.tr("Show"))
        self.button.setObjectName("reveal")
        self.button.setToolTip(self.tr("Show the full number; this is recorded in the timeline"))
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self._on_show)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        layout.addStretch()
        revealer.shown_changed.connect(self._update)
        self._update()

    @Slot()
    def _update(self) -> None:
        value = self.revealer.text(self.secret, self.masked)
        self.label.setText(f"{self.before}{value}{self.after}")
        hidden = bool(self.masked) and not self.revealer.is_shown(self.secret)
        self.button.setVisible(hidden and self.revealer.may(self.secret.field))

    def text(self) -> str:
        return self.label.text()

    @asyncSlot()
    async def _on_show(self) -> None:
        await self.reveal()

    async def reveal(self) -> str | None:
        return await self.revealer.reveal(self.secret, self)
