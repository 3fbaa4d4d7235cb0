"""Drafts and returned requests of every business type open for editing from the
filings list (issue 13, deliverable 2): a double-click or Enter on a marked row opens
its own entry dialog filled as stored, the edit saves to the same request, and a
returned change is corrected and resubmitted, all from the app.

Every assertion reads what a person sees (fields, table cells, the state line, the
list's cells) or what the world then holds (the stored request, its change rows, the
verifiers of the new round). The qasync rules of qt_support apply: `app.tick()` and
the set-up journeys run outside the loop.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QTableWidget, QWidget
from sqlalchemy import func, select

from beian_desktop.models import Request, RequestChange
from beian_desktop.rules.entry_forms import change_between
from beian_desktop.rules.phones import mask_phone
from beian_desktop.terms import BusinessType, RequestState, UserRole
from beian_desktop.views.change_dialog import ChangeFilingDialog
from beian_desktop.views.entry_dialogs import (
    CancellationDialog,
    NewWebsiteDialog,
    PhoneChangeDialog,
)
from beian_desktop.views.filing_table_model import FilingTableModel
from beian_desktop.views.filings_view import FilingsView
from beian_desktop.views.labels import return_reason_label

import qt_support
from factories import filing, phone, website
from journeys import approve_filing, request_row, send_first_sms, verifiers
from qt_support import idle, settle, until, view_context
from staff import session_for

qt_loop = qt_support.qt_loop

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def no_leaks(qapp: QApplication) -> Iterator[None]:
    windows_before = set(QApplication.topLevelWidgets())
    threads_before = set(threading.enumerate())
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if w not in windows_before]
    assert not left, f"widgets left behind: {[type(w).__name__ for w in left]}"
    threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert not threads, f"threads left running: {[t.name for t in threads]}"


@pytest.fixture
def open_page(app, qt_loop, qtbot):
    """A filings page for an ISP clerk signed in now (call it after the set-up)."""
    made: list[object] = []

    def make() -> FilingsView:
        ctx = view_context(app, role=UserRole.ISP_STAFF, username="isp.wang", display_name="王芳")
        view = FilingsView(ctx)
        qtbot.addWidget(view)
        view.show()
        view.activateWindow()
        qtbot.waitExposed(view)  # outside the coroutine: pytest-qt's own wait is fine here
        made.append(ctx)
        return view

    yield make
    qt_support.drain(qt_loop)
    for ctx in made:
        ctx.ops.shutdown()


# -- helpers -----------------------------------------------------------------------------
def field(window: QWidget, path: str) -> QLineEdit:
    found = window.findChild(QLineEdit, path)
    assert found is not None, f"no field {path}"
    return found


def type_into(window: QWidget, path: str, text: str) -> None:
    """As a person types: the field's textEdited fires (the unsaved-changes watch)."""
    widget = field(window, path)
    widget.setFocus()
    widget.selectAll()
    widget.insert(text)


def click(qtbot, button: QPushButton) -> None:
    """QAbstractButton.click: QTest's mouseClick processes events, and inside the
    coroutine that would run another task's step re-entrantly (qt_support.settle)."""
    assert button.isVisible() and button.isEnabled(), button.text()
    button.click()


def cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def row_of(page: FilingsView, request_id: int) -> int:
    ids = [page.model.row_at(r).request_id for r in range(page.model.rowCount())]
    return ids.index(request_id)


def cell(page: FilingsView, request_id: int, column: int) -> str:
    return str(page.model.index(row_of(page, request_id), column).data())


def marked(page: FilingsView, request_id: int) -> bool:
    """The pen beside the state: this row opens for editing."""
    index = page.model.index(row_of(page, request_id), FilingTableModel.COL_STATE)
    return index.data(Qt.ItemDataRole.DecorationRole) is not None


def double_click_at(widget: QWidget, pos: QPoint) -> None:
    """The events of a double-click as the window system delivers them, sent, not
    QTest's (its mouseDClick delivers no double-click to an item view offscreen, and
    it processes events, which inside the coroutine runs a task re-entrantly)."""
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    at = QPointF(pos)
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
        (QEvent.Type.MouseButtonDblClick, left),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
    ):
        event = QMouseEvent(kind, at, widget.mapToGlobal(at), left, buttons, none)
        QApplication.sendEvent(widget, event)


async def double_click(qtbot, page: FilingsView, request_id: int, kind: type[QDialog]):
    index = page.model.index(row_of(page, request_id), FilingTableModel.COL_SUBJECT)
    double_click_at(page.table.viewport(), page.table.visualRect(index).center())
    await until(lambda: isinstance(page.entry_dialog, kind), f"the {kind.__name__}")
    await settle()
    return page.entry_dialog


async def press_enter(qtbot, page: FilingsView, request_id: int, kind: type[QDialog]):
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row_of(page, request_id), 0))
    for event in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        key = QKeyEvent(event, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
        QApplication.sendEvent(page.table, key)
    await until(lambda: isinstance(page.entry_dialog, kind), f"the {kind.__name__}")
    await settle()
    return page.entry_dialog


async def save_draft(qtbot, dialog) -> None:
    click(qtbot, dialog.save_button)
    saved = QCoreApplication.translate("EntryDialogBase", "Draft No. %1 saved")
    await until(
        lambda: dialog.state_label.text() == saved.replace("%1", str(dialog.request_id)), "saved"
    )
    await settle()  # the list's reload after the save (the entry's task is still open)


async def close(dialog, page: FilingsView) -> None:
    dialog.reject()  # saved: closes without asking
    await until(lambda: page.entry_dialog is None, "the dialog closed")
    await idle()


async def submit(qtbot, dialog, page: FilingsView, *, confirm: bool = True):
    click(qtbot, dialog.submit_button)
    confirmation = None
    if confirm:
        await until(lambda: dialog.confirm_dialog is not None, "the confirmation")
        confirmation = dialog.confirm_dialog
        changes = (
            cells(confirmation.changes_table) if confirmation.changes_table is not None else []
        )
        click(qtbot, confirmation.submit_button)
    else:
        changes = []
    await until(lambda: dialog.message_box is not None, "the 'submitted' message")
    dialog.message_box.accept()
    await until(lambda: page.entry_dialog is None, "the dialog closed")
    await idle()
    return changes


def requests(app) -> int:
    with app.ctx.unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(Request))


def change_rows(app, request_id: int) -> list[tuple[str, str, str | None]]:
    with app.ctx.unit_of_work() as db:
        rows = db.scalars(select(RequestChange).where(RequestChange.request_id == request_id))
        return sorted((r.target, r.field, r.value) for r in rows)


def returned(app, clock, request_id: int) -> None:
    app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=25))
    app.tick()
    assert request_row(app, request_id).state == RequestState.RETURNED


def a_change(app, subject_id: int, **principal_fields: str):
    """A change of the first website's name (and of its principal's fields)."""
    isp = session_for(app, "isp")
    approved = app.queries.approved_filing(session=isp, subject_id=subject_id)
    edited = replace(approved.filing)
    site = replace(edited.websites[0], name="改名网站")
    site.principal = replace(site.principal, **principal_fields)
    edited.websites = [site]
    change, _ = change_between(approved, edited)
    return app.filings.save_change(session=isp, subject_id=subject_id, change=change)


# -- 新增网站 ------------------------------------------------------------------------------
def test_a_new_website_draft_opens_by_double_click_and_saves_to_the_same_request(
    app, clock, qt_loop, qtbot, open_page
):
    subject_id = approve_filing(app, clock, serial=1)
    site = website(301)
    draft = app.filings.save_new_website(
        session=session_for(app, "isp"), subject_id=subject_id, website=site
    )
    before = requests(app)
    page = open_page()

    async def body() -> None:
        await page.refresh()
        assert marked(page, draft)
        dialog = await double_click(qtbot, page, draft, NewWebsiteDialog)
        assert dialog.request_id == draft and str(draft) in dialog.windowTitle()
        assert cells(dialog.picker.table)[0][0] == "杭州测试科技有限公司1"
        assert not dialog.picker.search.isEnabled()  # the subject is the request's
        assert field(dialog, "website.name").text() == "测试网站301"
        mobile = field(dialog, "website.principal.mobile")
        assert mobile.text() == "" and mask_phone(site.principal.mobile) in mobile.placeholderText()
        assert not dialog.changed  # filled, not edited
        type_into(dialog, "website.name", "改过的网站")
        dialog.reject()  # Esc on a changed form asks first
        await until(lambda: dialog.closing_question is not None, "the unsaved-changes question")
        dialog.closing_question.reject()  # keep editing
        await until(lambda: dialog.closing_question is None, "the question gone")
        assert page.entry_dialog is dialog
        await save_draft(qtbot, dialog)
        assert dialog.request_id == draft
        await close(dialog, page)
        assert marked(page, draft) and cell(page, draft, FilingTableModel.COL_ID) == str(draft)

    qt_loop.run_until_complete(body())
    assert requests(app) == before  # the same request, saved again
    editing = app.queries.request_for_editing(session=session_for(app, "isp"), request_id=draft)
    assert editing.website.name == "改过的网站"
    # the kept (masked) phone is still the one stored
    app.submission.submit(session=session_for(app, "isp"), request_id=draft)
    assert [v.phone for v in verifiers(app, draft)] == [site.principal.mobile]


# -- 变更备案 ------------------------------------------------------------------------------
def test_a_change_draft_opens_by_enter_with_its_change_applied_and_saves_again(
    app, clock, qt_loop, qtbot, open_page
):
    subject_id = approve_filing(app, clock, serial=1)
    draft = a_change(app, subject_id)
    before = requests(app)
    page = open_page()

    async def body() -> None:
        await page.refresh()
        assert marked(page, draft)
        dialog = await press_enter(qtbot, page, draft, ChangeFilingDialog)
        assert dialog.request_id == draft
        assert field(dialog, "websites[0].name").text() == "改名网站"  # the saved change
        assert field(dialog, "subject.holder_name").text() == "杭州测试科技有限公司1"
        type_into(dialog, "subject.remarks", "补充备注")
        await save_draft(qtbot, dialog)
        await close(dialog, page)

    qt_loop.run_until_complete(body())
    assert requests(app) == before
    assert change_rows(app, draft) == [
        ("subject", "remarks", "补充备注"),
        ("website", "name", "改名网站"),
    ]
    assert request_row(app, draft).state == RequestState.DRAFT


def test_a_returned_change_is_corrected_and_resubmitted_from_the_app(
    app, clock, qt_loop, qtbot, open_page
):
    subject_id = approve_filing(app, clock, serial=1)
    wrong, right = phone(701), phone(702)
    request_id = a_change(app, subject_id, mobile=wrong)
    returned(app, clock, request_id)
    before = requests(app)
    page = open_page()

    async def body() -> None:
        await page.refresh()
        assert marked(page, request_id)
        dialog = await double_click(qtbot, page, request_id, ChangeFilingDialog)
        assert return_reason_label("expired") in dialog.state_label.text()
        mobile = field(dialog, "websites[0].principal.mobile")
        assert mobile.text() == "" and mask_phone(wrong) in mobile.placeholderText()
        type_into(dialog, "websites[0].principal.mobile", right)
        changes = await submit(qtbot, dialog, page)
        assert [row[2] for row in changes] == ["改名网站", mask_phone(right)]
        await page.refresh()
        assert not marked(page, request_id)

    qt_loop.run_until_complete(body())
    assert requests(app) == before  # resubmitted, not entered anew
    assert request_row(app, request_id).state == RequestState.VERIFYING
    assert [v.phone for v in verifiers(app, request_id)] == [right]


# -- 变更手机号码 ----------------------------------------------------------------------------
def test_a_phone_change_draft_opens_on_its_principal_and_takes_a_new_number(
    app, clock, qt_loop, qtbot, open_page
):
    subject_id = approve_filing(app, clock, serial=1)
    isp = session_for(app, "isp")
    person = app.queries.approved_filing(session=isp, subject_id=subject_id).principals[1]
    first, second = phone(801), phone(802)
    draft = app.filings.save_phone_change(
        session=isp, principal_id=person.principal_id, new_mobile=first
    )
    page = open_page()

    async def body() -> None:
        await page.refresh()
        dialog = await double_click(qtbot, page, draft, PhoneChangeDialog)
        await until(lambda: dialog.chosen_principal is not None, "the principals listed")
        assert dialog.chosen_principal.principal_id == person.principal_id  # not row 0
        assert mask_phone(first) in dialog.new_mobile.placeholderText()
        assert first not in str(cells(dialog.people))
        type_into(dialog, "new_mobile", second)
        await save_draft(qtbot, dialog)
        await close(dialog, page)

    qt_loop.run_until_complete(body())
    assert change_rows(app, draft) == [("principal", "mobile", second)]
    app.submission.submit(session=session_for(app, "isp"), request_id=draft)
    assert request_row(app, draft).state == RequestState.BUREAU_REVIEW


# -- 注销网站 ------------------------------------------------------------------------------
def test_a_cancellation_draft_moves_to_another_website_and_is_submitted(
    app, clock, qt_loop, qtbot, open_page
):
    approve_filing(app, clock, serial=1)
    other = approve_filing(app, clock, serial=2)
    isp = session_for(app, "isp")
    website_id = app.queries.find_approved_websites(session=isp, text="site101")[0].website_id
    draft = app.filings.save_cancellation(
        session=isp, business_type=BusinessType.CANCEL_WEBSITE, website_id=website_id
    )
    page = open_page()

    async def body() -> None:
        await page.refresh()
        assert cell(page, draft, FilingTableModel.COL_SUBJECT) == "杭州测试科技有限公司1"
        dialog = await press_enter(qtbot, page, draft, CancellationDialog)
        assert [row[0] for row in cells(dialog.picker.table)] == ["测试网站101"]
        dialog.picker.search.setText("site201")
        await dialog.picker.refresh()
        assert dialog.picker.chosen.name == "测试网站201"
        await submit(qtbot, dialog, page)
        await page.refresh()
        assert cell(page, draft, FilingTableModel.COL_SUBJECT) == "杭州测试科技有限公司2"

    qt_loop.run_until_complete(body())
    row = request_row(app, draft)
    assert row.subject_id == other and row.state == RequestState.VERIFYING
    f = filing(serial=2)
    assert {v.phone for v in verifiers(app, draft)} == {
        f.subject.principal.mobile,
        f.websites[0].principal.mobile,
    }
