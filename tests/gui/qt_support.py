"""Driving real views under pytest-qt on a qasync loop (MACHINE-NOTES: qasync under pytest-qt).

pytest-qt does not run a qasync loop by itself, so an `@asyncSlot` handler has no
running loop to put its task on. `qt_loop` makes a `qasync.QEventLoop` the current
loop; a test writes its body as a coroutine and drives it with
`qt_loop.run_until_complete(body())`. Inside, call the slots (each returns the Task it
started) and await them:

    def test_something(app, clock, qt_loop, view_ctx, qtbot):
        ...set up data with journeys/factories here, before the loop runs...
        view = SomeView(view_ctx)
        qtbot.addWidget(view)

        async def body():
            await view.refresh()
            assert view.model.rowCount() == 1

        qt_loop.run_until_complete(body())

Rules that keep it from hanging or misfiring:
- Never call `qtbot.waitUntil`/`waitSignal` inside the coroutine: it spins a nested
  loop that never gives the qasync loop a turn. Poll with `await settle()` instead.
- Call `app.tick()`/`app.dispatch()` (journeys' `send_first_sms`) outside the
  coroutine: they run their own asyncio.Runner, which refuses a running loop (and the
  first one also makes its private loop the thread's "current" loop, which is why the
  slots are called inside the coroutine, where the running loop wins).
- Make the fixtures visible in the test module by assignment, `qt_loop = qt_support.qt_loop`
  (pytest finds fixtures among a module's globals; `from qt_support import qt_loop` works
  too, but ruff then reports every test taking it as an F811 redefinition).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from beian_desktop.services.beian import Beian
from beian_desktop.services.people.user_service import UserInfo
from beian_desktop.terms import UserRole
from beian_desktop.views.operations import OperationRunner
from beian_desktop.views.view_context import ViewContext

__all__ = ["drain", "idle", "qt_loop", "settle", "until", "view_context", "view_ctx"]


def view_context(
    app: Beian,
    *,
    role: UserRole | str = UserRole.ADMINISTRATOR,
    username: str = "tester",
    display_name: str = "测试员",
    language: str = "zh_CN",
) -> ViewContext:
    """A ViewContext around a test's Beian: errors are kept in `ops.last_error` instead
    of a message box (a modal box would block the test). The user is not stored in the
    database; the services take `by` as a name. Call `ctx.ops.shutdown()` when done
    (the `view_ctx` fixture does)."""
    ops = OperationRunner(language=language)
    ops.interactive = False
    user = UserInfo(id=1, username=username, display_name=display_name, role=str(role))
    return ViewContext(app=app, ops=ops, user=user, language=language)


def drain(loop: asyncio.AbstractEventLoop, rounds: int = 20) -> None:
    """Runs the loop until no task is left (a refresh that data_changed started, say)."""
    for _ in range(rounds):
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        if not pending:
            return
        loop.run_until_complete(asyncio.wait(pending, timeout=10))


async def settle(seconds: float = 0.05) -> None:
    """Lets queued slots, timers and tasks run (the coroutine's stand-in for waitUntil).

    While the coroutine sleeps, the qasync loop is the Qt event loop: it delivers the
    events. No `processEvents()` here: called from inside a task it would run another
    task's step re-entrantly, which asyncio refuses ("Cannot enter into task ... while
    another task is being executed") and that task is lost."""
    await asyncio.sleep(seconds)
    await asyncio.sleep(0)


async def until(condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    """The coroutine's waitUntil: lets the loop run until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await settle(0.02)


async def idle(timeout: float = 10) -> None:
    """Waits until every other task on the loop is done: the refreshes a data_changed
    started, the handler a button click started."""
    current = asyncio.current_task()
    for _ in range(20):
        pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
        if not pending:
            return
        await asyncio.wait(pending, timeout=timeout)
    raise AssertionError("tasks kept starting: the loop never went idle")


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        drain(loop)
        for task in asyncio.all_tasks(loop):
            task.cancel()
        if asyncio.all_tasks(loop):
            loop.run_until_complete(asyncio.sleep(0))
        asyncio.set_event_loop(None)
        loop.close()


@pytest.fixture
def view_ctx(app: Beian, qt_loop: qasync.QEventLoop) -> Iterator[ViewContext]:
    """An administrator's context (sees every page); build your own with
    `view_context(app, role=...)` for another role."""
    ctx = view_context(app)
    try:
        yield ctx
    finally:
        drain(qt_loop)  # refreshes still running need the database thread
        ctx.ops.shutdown()
