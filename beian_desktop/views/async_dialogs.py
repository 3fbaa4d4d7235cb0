"""Awaiting a modal dialog inside a coroutine, without a nested event loop.

`dialog.exec()` would start a second loop under qasync; instead the dialog is opened
and the coroutine awaits its `finished` signal (STYLE.md: modal dialogs in coroutines).
The static helpers (`QMessageBox.information`, `QInputDialog.getText`) call `exec()`,
so they are never used from a coroutine: a task that became ready meanwhile would be
entered while the current one is still running, and asyncio refuses that.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


async def run_dialog(dialog: QDialog) -> int:
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def done(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(done)
    dialog.open()
    return await future


async def ask_text(
    parent: QWidget | None,
    title: str,
    label: str,
    echo: QLineEdit.EchoMode = QLineEdit.EchoMode.Normal,
) -> str | None:
    """`QInputDialog.getText` without its nested loop; None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextEchoMode(echo)
    try:
        accepted = await run_dialog(dialog)
        return dialog.textValue() if accepted else None
    finally:
        dialog.deleteLater()


def show_message(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str
) -> QMessageBox:
    """A message box that does not block the coroutine that shows it (no nested loop);
    it deletes itself when closed."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
