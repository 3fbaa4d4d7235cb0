"""The window's cycle collection happens on the GUI thread, never on the database thread.

views/garbage_collector.py says why: a Qt object freed by a collection that a worker
thread happened to trigger is destroyed on that thread, and a timer it left registered
crashed the process later.
"""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QObject

from beian_desktop.views.garbage_collector import GuiThreadGarbageCollector

pytestmark = pytest.mark.gui  # cycles are collected on the GUI thread only (conftest)


class _Cycle:
    """A Qt object in a reference cycle, like a closed dialog its slots point back to;
    notes the thread that frees it."""

    freed_on: list[str]

    def __init__(self, freed_on: list[str]) -> None:
        self.qt_object = QObject()
        self.me = self
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def _allocate_cycles(count: int) -> None:
    for _ in range(count):
        cycle: list[object] = []
        cycle.append(cycle)


def test_worker_threads_never_collect_and_the_gui_thread_does(qapp) -> None:
    gc.enable()  # as in the app; conftest turned it off for this Qt test
    collections_on: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collections_on.append(threading.current_thread().name)

    collector = GuiThreadGarbageCollector()
    freed_on: list[str] = []
    gc.callbacks.append(note)
    try:
        collector.start()
        assert not gc.isenabled()
        _Cycle(freed_on)
        worker = threading.Thread(
            target=_allocate_cycles, args=(50 * gc.get_threshold()[0],), name="beian-db"
        )
        worker.start()
        worker.join()
        assert collections_on == []
        assert freed_on == []

        collector.collect_when_due()  # what its timer does on the GUI thread
        assert set(collections_on) == {threading.current_thread().name}
        collector.stop()
        assert freed_on == [threading.current_thread().name]
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(note)  # conftest collects and turns gc back on after the test
