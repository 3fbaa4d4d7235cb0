"""Awaiting a modal dialog inside a coroutine, without a nested event loop.

`dialog.exec()` would start a second loop under qasync; instead the dialog is opened
and the coroutine awaits its `finished` signal (STYLE.md: modal dialogs in coroutines).
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog


async def run_dialog(dialog: QDialog) -> int:
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def done(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(done)
    dialog.open()
    return await future
