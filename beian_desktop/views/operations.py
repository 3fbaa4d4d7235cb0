"""The one way a view calls a service: off the UI thread, with progress, readable errors.

Like Anki's CollectionOp: the view awaits `ops.run(service_call)`; the call runs on a
single database thread (SQLite has one writer, and sessions never cross threads),
a progress dialog appears only when the call takes longer than ~200 ms, an exception
becomes a message a clerk can act on (never a traceback), and a successful change
emits `data_changed`, which every open view refreshes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from beian_desktop.rules.errors import BeianError, PermissionDenied, in_language
from beian_desktop.views.async_dialogs import show_message

T = TypeVar("T")
log = logging.getLogger(__name__)
PROGRESS_AFTER_MS = 200


class OperationFailed(Exception):
    """Raised to the caller after the error was shown, so it can stop what it was doing."""


def describe_error(error: BaseException, language: str) -> str:
    """The message a person sees: a BeianError in their language (field errors by the
    field's label), anything else as an unexpected error, never a traceback."""
    if isinstance(error, BeianError):
        return error.message(language)
    return in_language(
        language,
        "操作未能完成：出现意外错误，详情已记入日志。",
        "Could not complete: an unexpected error occurred; the details are in the log.",
    )


class _Started:
    """The number of the last call the database thread began: a plain object, so the
    thread holds nothing of Qt's."""

    number = 0


class OperationRunner(QObject):
    data_changed = Signal()
    busy_changed = Signal(bool)
    # The session a call carried is gone (expired, revoked, the account disabled): the
    # message for the sign-in dialog. No message box: the window ends instead.
    sign_in_ended = Signal(str)

    def __init__(
        self, language: str = "zh_CN", parent: QObject | None = None, *, interactive: bool = True
    ) -> None:
        """`interactive=False` (tests, the self-test) never opens a message box: the
        error is kept in `last_error`, as it always is."""
        super().__init__(parent)
        self.language = language
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="beian-db")
        # Each call's future, kept here until the database thread has let go of it. The
        # future holds the event loop and the awaiting task (and through it the views):
        # were the thread's reference the last, they would be destroyed on that thread,
        # and a Qt object destroyed off the GUI thread crashes the process (its timers
        # cannot be stopped from another thread). The one thread lets go of a call before
        # it begins the next, so a call is released once a later one has begun.
        self._held: dict[int, Future[Any]] = {}
        self._submitted = 0
        self._started = _Started()
        self._running = 0
        self.interactive = interactive
        self.last_error: str | None = None
        # While the workstation is locked nothing reaches the services but the unlock
        # (and signing out): a refresh timer must not read onto a hidden screen.
        self.locked = False

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
        self._held.clear()  # the thread has ended: these references are the last

    def _submit(self, job: Callable[[], T]) -> asyncio.Future[T]:
        started = self._started
        for number in [n for n in self._held if n < started.number]:
            del self._held[number]
        self._submitted += 1
        number = self._submitted

        def begin() -> T:
            started.number = number
            return job()

        future = self._executor.submit(begin)
        self._held[number] = future
        return asyncio.wrap_future(future)

    async def run(
        self,
        call: Callable[..., T],
        *args: Any,
        parent: QWidget | None = None,
        busy_text: str | None = None,
        changes_data: bool = True,
        error_box: bool = True,
        while_locked: bool = False,
        own_progress: bool = False,
        **kwargs: Any,
    ) -> T:
        """`error_box=False`: the caller shows the error itself (under the fields, on a
        dialog), from the OperationFailed it gets; otherwise a message box says it.
        `while_locked`: the unlock and the sign-out, the only calls a locked window
        makes. `own_progress`: the caller shows a determinate bar of its own (fed by
        the service's progress callback), so no "please wait" dialog covers it."""
        if self.locked and not while_locked:
            raise OperationFailed(self.tr("The workstation is locked."))
        progress = _DelayedProgress(parent, busy_text or self.tr("Working…"), show=not own_progress)
        self._running += 1
        self.busy_changed.emit(True)
        try:
            result = await self._submit(partial(call, *args, **kwargs))
        except Exception as error:
            self.last_error = describe_error(error, self.language)
            if not isinstance(error, BeianError):
                log.exception("operation failed")
            if isinstance(error, PermissionDenied) and error.ends_sign_in:
                self.sign_in_ended.emit(self.last_error)
            elif error_box and self.interactive:
                # Not QMessageBox.warning: its nested loop would break the qasync loop.
                show_message(
                    parent, QMessageBox.Icon.Warning, self.tr("Could not complete"), self.last_error
                )
            raise OperationFailed(self.last_error) from error
        finally:
            progress.finish()
            self._running -= 1
            self.busy_changed.emit(self._running > 0)
        self.last_error = None
        if changes_data:
            self.data_changed.emit()
        return result

    async def read(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """A query: same thread and error handling, no data_changed."""
        return await self.run(call, *args, changes_data=False, **kwargs)


class _DelayedProgress:
    def __init__(self, parent: QWidget | None, text: str, *, show: bool = True) -> None:
        self._dialog: QProgressDialog | None = None
        self._parent = parent
        self._text = text
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        if show:
            self._timer.start(PROGRESS_AFTER_MS)

    def _show(self) -> None:
        dialog = QProgressDialog(self._text, "", 0, 0, self._parent)
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setWindowTitle(QCoreApplication.translate("OperationRunner", "Please wait"))
        dialog.show()
        self._dialog = dialog

    def finish(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
