"""A clerk deletes a draft from the filings page: 删除草稿 (or the Delete key) asks
first, naming the request, and says it cannot be undone from the app; confirmed, the
row leaves the list and the status line says so; cancelled, nothing happens. The
button is enabled only on a draft, and not shown to a role that does not enter
filings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from beian_desktop.services.beian import Beian
from beian_desktop.terms import RequestState, UserRole
from beian_desktop.views.filings_view import FilingsView

import qt_support
from factories import filing
from journeys import request_state
from qt_support import drain, idle, until, view_context
from staff import session_for

qt_loop = qt_support.qt_loop  # fixtures are found by name among the module's globals

pytestmark = pytest.mark.gui


def three_requests(app: Beian) -> tuple[int, int, int]:
    """Two drafts and a submitted request."""
    isp = session_for(app, "isp")
    first = app.filings.save_new_filing(session=isp, filing=filing(serial=1))
    second = app.filings.save_new_filing(session=isp, filing=filing(serial=2))
    submitted = app.filings.save_new_filing(session=isp, filing=filing(serial=3))
    app.submission.submit(session=isp, request_id=submitted)
    return first, second, submitted


def shown(view: FilingsView) -> list[int]:
    return [view.model.row_at(r).request_id for r in range(view.model.rowCount())]


def select(view: FilingsView, request_id: int) -> None:
    view.table.selectRow(shown(view).index(request_id))


def delete_button_of(box: QMessageBox):
    (button,) = [b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.DestructiveRole]
    return button


def run_view(app: Beian, qt_loop, qtbot, role: UserRole, body) -> None:
    ctx = view_context(app, role=role)
    view = FilingsView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    try:
        qt_loop.run_until_complete(body(view))
    finally:
        drain(qt_loop)
        ctx.ops.shutdown()


def test_a_draft_is_deleted_after_its_confirmation_and_leaves_the_list(app, qt_loop, qtbot):
    first, second, submitted = three_requests(app)

    async def body(view: FilingsView) -> None:
        await view.refresh()
        assert shown(view) == [submitted, second, first]
        assert view.delete_button.isVisible() and not view.delete_button.isEnabled()
        select(view, second)
        assert view.delete_button.isEnabled()
        name = view.model.row_at(shown(view).index(second)).subject_name

        view.delete_button.click()
        await until(lambda: view.delete_question is not None, "the confirmation")
        box = view.delete_question
        assert box is not None
        text = box.text()
        assert str(second) in text and name in text
        assert "新增备案" in text or "New filing" in text  # with or without the .qm
        assert "无法在本程序中撤销" in text or "cannot be undone from the app" in text
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        delete_button_of(box).click()
        await idle()
        await until(lambda: second not in shown(view), "the list without the draft")

        assert shown(view) == [submitted, first]
        assert str(second) in view.status.text()
        assert view.status.text().startswith(("草稿", "Draft"))
        assert "2" in view.status.text().split("　")[-1]  # the new count beside it
        assert view.ctx.ops.last_error is None

    run_view(app, qt_loop, qtbot, UserRole.ISP_STAFF, body)
    assert request_state(app, second) == RequestState.DELETED
    assert request_state(app, first) == RequestState.DRAFT


def test_cancel_keeps_the_draft_and_the_delete_key_asks_too(app, qt_loop, qtbot):
    first, _, _ = three_requests(app)

    async def body(view: FilingsView) -> None:
        await view.refresh()
        select(view, first)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
        await until(lambda: view.delete_question is not None, "the confirmation")
        box = view.delete_question
        assert box is not None
        box.button(QMessageBox.StandardButton.Cancel).click()
        await idle()
        assert view.delete_question is None
        assert first in shown(view)

    run_view(app, qt_loop, qtbot, UserRole.ISP_STAFF, body)
    assert request_state(app, first) == RequestState.DRAFT


def test_a_submitted_request_cannot_be_deleted_from_the_list(app, qt_loop, qtbot):
    _, _, submitted = three_requests(app)

    async def body(view: FilingsView) -> None:
        await view.refresh()
        select(view, submitted)
        assert not view.delete_button.isEnabled()
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
        await idle()
        assert view.delete_question is None  # not even asked

    run_view(app, qt_loop, qtbot, UserRole.ISP_STAFF, body)
    assert request_state(app, submitted) == RequestState.VERIFYING


def test_the_help_desk_has_no_delete_button(app, qt_loop, qtbot):
    first, _, _ = three_requests(app)

    async def body(view: FilingsView) -> None:
        await view.refresh()
        select(view, first)
        assert not view.delete_button.isVisible()
        assert not view.delete_button.isEnabled()

    run_view(app, qt_loop, qtbot, UserRole.HELP_DESK, body)
