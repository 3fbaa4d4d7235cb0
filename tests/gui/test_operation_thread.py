"""The database thread never destroys what the GUI thread owns.

A view awaiting a call holds Qt objects (its widgets, the call's progress timer); the
call's future holds the awaiting task. If the view's side lets go first (the window
closed, the loop stopped) while the call is still running, the database thread's
reference to the future would be the last: the task, the coroutine and the Qt objects
in it would be destroyed on that thread, or become garbage that the next collection,
on whatever thread it runs, destroys. A QTimer so destroyed off the GUI thread crashed
a test run. OperationRunner keeps each future until the thread has let go of it, and
lets go of it on the GUI thread."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref

import pytest

from beian_desktop.views.operations import OperationRunner

pytestmark = [pytest.mark.gui, pytest.mark.timeout(30)]


class Witness:
    """Something only the awaiting coroutine holds."""


def test_a_call_left_running_is_let_go_of_on_the_gui_thread(qapp):
    runner = OperationRunner(interactive=False)
    began, finish = threading.Event(), threading.Event()
    freed_on: list[str] = []

    def slow_call() -> str:
        began.set()
        assert finish.wait(timeout=10)
        return "done"

    async def view_awaiting() -> None:
        witness = Witness()
        weakref.finalize(witness, lambda: freed_on.append(threading.current_thread().name))
        await runner.read(slow_call)

    loop = asyncio.new_event_loop()
    task = loop.create_task(view_awaiting())
    loop.run_until_complete(asyncio.sleep(0))  # the task runs up to its await
    assert began.wait(timeout=10)
    loop.close()  # the window's loop ends with the call still running ...
    del task, loop  # ... and nothing of the GUI side holds the task any more
    gc.collect()
    assert freed_on == []  # the call's future still holds the task

    finish.set()
    runner._executor.submit(lambda: None).result(timeout=10)  # the thread let go of it
    gc.collect()
    # Still held by the runner: had the thread's reference been the last, the task
    # would be garbage now, for whichever thread's collection comes first.
    assert freed_on == []
    runner.shutdown()
    gc.collect()
    assert freed_on == [threading.current_thread().name]
