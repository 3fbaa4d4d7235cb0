"""A shared workstation locks itself after a while untouched (Policy.idle_lock_minutes).

Any key press, click, wheel turn or mouse move in the application counts as use. The
idle time is measured on the app's own clock (the injected one), checked every few
seconds by a timer; a test moves its manual clock and calls `check()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

CHECK_EVERY_MS = 5_000
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Calls `on_idle` once when the application has had no input for `idle`; the
    count starts again with `reset()` (after an unlock)."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        idle: timedelta,
        on_idle: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock, self.idle, self.on_idle = clock, idle, on_idle
        self.last_input = clock()
        self.paused = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        self._timer.start(CHECK_EVERY_MS)

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self.last_input = self.clock()
        return False

    def reset(self) -> None:
        self.last_input = self.clock()
        self.paused = False

    def check(self) -> bool:
        """True when it just locked."""
        if self.paused or self.clock() - self.last_input < self.idle:
            return False
        self.paused = True  # until the unlock resets it
        self.on_idle()
        return True
