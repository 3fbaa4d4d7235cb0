"""Widget tests (pytest-qt) on the offscreen platform, on a database of their own
(the root conftest's `app`); qt_support.py drives qasync under pytest-qt."""

from __future__ import annotations

import gc
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Widget tests collect reference cycles on this thread (the GUI thread) only, as the
    app does (beian_desktop/views/garbage_collector.py says why). Left to automatic
    collection, a closed qasync loop, dialog or model from one test was destroyed on a
    database thread of a later one ("QObject::~QObject: Timers cannot be stopped from
    another thread") and a timer still registered for it crashed the process (SIGSEGV).
    The collection runs after pytest has dropped the test's fixture values.

    pytest calls this hook of every conftest for every test, wherever it is: the
    marker, the fixture or this folder decide."""
    here = os.path.dirname(__file__)
    uses_qt = (
        item.get_closest_marker("gui")
        or "qapp" in getattr(item, "fixturenames", ())
        or str(item.path).startswith(here + os.sep)  # every widget test, marked or not
    )
    if not uses_qt:
        return (yield)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return (yield)
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()
