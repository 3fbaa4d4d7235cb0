"""Python's cycle collector runs on the GUI thread only, where Qt objects may be destroyed.

Automatic collection runs in whichever thread allocates when a generation's threshold is
crossed. Here that is mostly the operation runner's database thread: its SQLAlchemy work
allocates far more than the GUI does. A Qt object in a reference cycle (a closed dialog
and its children, a replaced table model, a closed qasync loop's timer object) is then
destroyed on that thread, which Qt does not allow. `~QObject` cannot unregister timers
from a foreign thread ("QObject::~QObject: Timers cannot be stopped from another
thread"), so the GUI thread's timer list keeps a pointer to freed memory and the next
timer due on it crashes the process (SIGSEGV in QCoreApplication::notifyInternal2
under QTimerInfoList::activateTimers).

So, as pyqtgraph's `GarbageCollector` does: automatic collection is off while the
window runs, and a timer on the GUI thread collects whenever the counts pass the usual
thresholds. Threads still free acyclic objects by reference counting as always; only
the cycle collection moves.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500


class GuiThreadGarbageCollector(QObject):
    """`start()` on the GUI thread once the QApplication exists; `stop()` collects one
    last time there and gives automatic collection back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_when_due)
        self._was_enabled = gc.isenabled()

    def start(self, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start(interval_ms)

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect_when_due(self) -> None:
        """What the automatic collector would have done by now, youngest generation first."""
        threshold0, threshold1, threshold2 = gc.get_threshold()
        count0, count1, count2 = gc.get_count()
        if count0 > threshold0:
            gc.collect(0)
            if count1 > threshold1:
                gc.collect(1)
                if count2 > threshold2:
                    gc.collect(2)
