"""The supervisor's, the bureau's and the outbox pages, driven as a person uses them.

SPEC §1 (supervisors review returned filings and why; bureau reviewers take the
requests that passed verification), §3 (returns, resubmission, approve / reject).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QAbstractSeries, QLineSeries, QStackedBarSeries
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from beian_desktop.rules.clock import ManualClock
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.services.beian import Beian
from beian_desktop.terms import RequestState, ReturnReason
from beian_desktop.views.bureau_view import BureauView
from beian_desktop.views.labels import return_reason_label
from beian_desktop.views.outbox_view import OutboxView
from beian_desktop.views.returned_view import ReturnedView, export_returned_xlsx
from beian_desktop.views.view_context import ViewContext

import qt_support
from factories import filing
from journeys import last6, latest_codes, outbox_count, request_state, send_first_sms, verifiers
from qt_support import drain, idle, settle, until
from staff import session_for

qt_loop = qt_support.qt_loop  # fixtures are found by name among the module's globals
view_ctx = qt_support.view_ctx

SHOTS = Path("/tmp/beian-shots")


# -- building the situations -------------------------------------------------------------

pytestmark = pytest.mark.gui  # cycles are collected on the GUI thread only (conftest)


def _save_and_submit(app: Beian, serial: int) -> tuple[int, FilingInput]:
    f = filing(serial=serial)
    request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    return request_id, f


def _docs(f: FilingInput) -> dict[str, str]:
    """phone -> the last six of the ID of the principal at that phone."""
    docs = {f.subject.principal.mobile: last6(f.subject.principal.doc_number or "")}
    for w in f.websites:
        docs.setdefault(w.principal.mobile, last6(w.principal.doc_number or ""))
    return docs


def _verify_everyone(app: Beian, f: FilingInput, request_id: int) -> None:
    codes, docs = latest_codes(app), _docs(f)
    for v in verifiers(app, request_id):
        app.verification.check_code(
            code=codes[v.phone],
            phone=v.phone,
            id_last6=docs[v.phone],
            session=session_for(app, "person"),
        )
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW


def _use_up_tries(app: Beian, f: FilingInput, request_id: int) -> None:
    v = verifiers(app, request_id)[0]
    right = latest_codes(app)[v.phone]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(3):  # SPEC §3: 3 wrong tries by default
        app.verification.check_code(
            code=wrong,
            phone=v.phone,
            id_last6=_docs(f)[v.phone],
            session=session_for(app, "person"),
        )
    assert request_state(app, request_id) == RequestState.RETURNED


def returned_situation(app: Beian, clock: ManualClock) -> dict[str, int]:
    """Day 1: one request uses up its tries, one passes; day 2: one expires."""
    expired, _ = _save_and_submit(app, 1)
    tries, f_tries = _save_and_submit(app, 2)
    passed, f_passed = _save_and_submit(app, 3)
    send_first_sms(app, clock)
    _use_up_tries(app, f_tries, tries)
    _verify_everyone(app, f_passed, passed)
    clock.advance(timedelta(hours=24, minutes=1))
    app.tick()
    assert request_state(app, expired) == RequestState.RETURNED
    return {"expired": expired, "tries": tries, "passed": passed}


@pytest.fixture
def returned(app: Beian, clock: ManualClock) -> dict[str, int]:
    return returned_situation(app, clock)


@pytest.fixture
def returned_ctx(returned, app: Beian, qt_loop) -> Iterator[ViewContext]:
    """The administrator's context, signed in once the situation's day has gone by: a
    session lasts 10 hours, so one signed in before it would have expired."""
    ctx = qt_support.view_context(app)
    try:
        yield ctx
    finally:
        drain(qt_loop)
        ctx.ops.shutdown()


def bureau_situation(app: Beian, clock: ManualClock) -> list[int]:
    """Two requests waiting for the bureau, the first one verified first."""
    first, f_first = _save_and_submit(app, 1)
    second, f_second = _save_and_submit(app, 2)
    send_first_sms(app, clock)
    _verify_everyone(app, f_first, first)
    clock.advance(timedelta(minutes=3))
    _verify_everyone(app, f_second, second)
    return [first, second]


def _column_texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _row_texts(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _shoot(widget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


# -- the returned filings ------------------------------------------------------------------
def test_returned_filings_show_their_reason_verifier_and_a_chart(
    app, clock, qt_loop, returned, returned_ctx, qtbot
):
    ids = returned
    view = ReturnedView(returned_ctx)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()

    async def body():
        await view.refresh()
        model = view.model
        assert _column_texts(model, 0) == [str(ids["expired"]), str(ids["tries"])]  # latest first
        expired_row, tries_row = _row_texts(model, 0), _row_texts(model, 1)
        assert expired_row[1] == return_reason_label(ReturnReason.EXPIRED)
        assert tries_row[1] == return_reason_label(ReturnReason.TRIES_USED_UP)
        assert expired_row[1] != tries_row[1] and expired_row[1] != "expired"
        assert tries_row[2] == verifiers(app, ids["tries"])[0].name  # whose tries ran out
        assert expired_row[4] == "杭州测试科技有限公司1"
        assert expired_row[5] == "浙江省"
        assert expired_row[3].startswith("2026-11-24 10:0")  # Asia/Shanghai

        series = view.chart.series()
        bars = next(s for s in series if isinstance(s, QStackedBarSeries))
        line = next(s for s in series if isinstance(s, QLineSeries))
        assert {s.type() for s in series} == {
            QAbstractSeries.SeriesType.SeriesTypeStackedBar,
            QAbstractSeries.SeriesType.SeriesTypeLine,
        }
        per_reason = {b.label(): [b.at(i) for i in range(b.count())] for b in bars.barSets()}
        assert len(per_reason) == len(ReturnReason)
        assert per_reason[return_reason_label(ReturnReason.TRIES_USED_UP)][-2:] == [1, 0]
        assert per_reason[return_reason_label(ReturnReason.EXPIRED)][-2:] == [0, 1]
        # day 1: one passed, one returned (50%); day 2: one returned (0%)
        assert [(p.x(), p.y()) for p in line.points()] == [(28.0, 50.0), (29.0, 0.0)]
        assert len(line.attachedAxes()) == 2 and len(bars.attachedAxes()) == 2
        assert "33%" in view.stats_summary.text()  # 1 of 3 rounds over the month

        await settle(0.2)
        _shoot(view, "returned_view")

        await view._on_open(model.index(0, 1))  # a double-click opens the request
        dialog = view.detail_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.detail.request_id == ids["expired"]
        dialog.close()
        await settle()
        assert view.detail_dialog is None

    qt_loop.run_until_complete(body())


def test_exported_workbook_has_a_header_and_one_row_per_returned_filing(
    app, clock, qt_loop, returned, returned_ctx, qtbot, tmp_path
):
    ids = returned
    view = ReturnedView(returned_ctx)
    qtbot.addWidget(view)

    async def body():
        await view.refresh()

        # Export to Excel…: the save dialog asks where
        task = view._on_export()
        await until(lambda: view.export_dialog is not None, "the save dialog")
        dialog = view.export_dialog
        assert dialog.isVisible()
        dialog.setDirectory(str(tmp_path))
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # what a person types into
        name.clear()
        qtbot.keyClicks(name, "returned")  # the .xlsx suffix is added
        dialog.accept()
        await task
        assert "returned.xlsx" in view.result.text()

    qt_loop.run_until_complete(body())
    path = tmp_path / "returned.xlsx"

    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申请编号" and "退回原因" in rows[0]
    assert len(rows) == 1 + 2
    assert [r[0] for r in rows[1:]] == [ids["expired"], ids["tries"]]
    assert rows[1][4] == return_reason_label(ReturnReason.EXPIRED, "zh_CN") == "未在有效期内核验"
    assert rows[1][6].strftime("%Y-%m-%d %H") == "2026-11-24 10"  # Beijing time, no tz

    export_returned_xlsx(view.model.rows, tmp_path / "en.xlsx", "en")  # the plain function
    header = next(load_workbook(tmp_path / "en.xlsx").active.iter_rows(values_only=True))
    assert header[0] == "Request No."


def test_resubmitting_a_returned_request_starts_a_fresh_round(
    app, clock, qt_loop, returned, returned_ctx, qtbot
):
    ids = returned
    view = ReturnedView(returned_ctx)
    qtbot.addWidget(view)

    async def body():
        await view.refresh()
        assert not view.resubmit_button.isEnabled()  # nothing selected
        view.table.selectRow(0)
        assert view.resubmit_button.isEnabled()
        await view._on_resubmit()
        await idle()  # the refresh data_changed started
        assert view.ctx.ops.last_error is None
        assert _column_texts(view.model, 0) == [str(ids["tries"])]
        assert str(ids["expired"]) in view.result.text()

    qt_loop.run_until_complete(body())
    assert request_state(app, ids["expired"]) == RequestState.VERIFYING


# -- the bureau ----------------------------------------------------------------------------
def test_approving_shows_the_assigned_icp_numbers_and_empties_the_row(
    app, clock, qt_loop, view_ctx, qtbot
):
    first, second = bureau_situation(app, clock)
    view = BureauView(view_ctx)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()

    async def body():
        await view.refresh()
        assert _column_texts(view.model, 0) == [str(first), str(second)]  # oldest first
        assert not view.approve_button.isEnabled() and not view.reject_button.isEnabled()
        await settle(0.2)
        _shoot(view, "bureau_view")

        await view._on_open(view.model.index(0, 3))  # the reviewer reads the filing first
        assert view.detail_dialog is not None
        assert view.detail_dialog.detail.request_id == first
        view.detail_dialog.close()

        view.table.selectRow(0)
        assert view.approve_button.isEnabled() and view.reject_button.isEnabled()
        task = view._on_approve()
        await until(lambda: view.confirm_box is not None, "the confirmation")
        view.confirm_box.buttons()[0].click()  # 审核通过
        await task
        await idle()
        assert "ICP备" in view.last_message
        assert "浙ICP备2026000001号" in view.result.text()
        assert "浙ICP备2026000001号-1" in view.result.text()  # the website's number
        box = view.message_box
        assert box is not None and box.isVisible() and "ICP备" in box.text()
        await settle(0.1)
        _shoot(box, "bureau_approved_message")
        box.accept()
        assert _column_texts(view.model, 0) == [str(second)]
        assert not view.approve_button.isEnabled()  # the list reloaded, nothing selected

    qt_loop.run_until_complete(body())
    assert request_state(app, first) == RequestState.APPROVED


def test_rejecting_asks_a_reason_and_the_request_leaves_the_queue(
    app, clock, qt_loop, view_ctx, qtbot
):
    first, second = bureau_situation(app, clock)
    view = BureauView(view_ctx)
    qtbot.addWidget(view)
    view.show()

    async def body():
        await view.refresh()
        view.table.selectRow(1)
        task = view._on_reject()
        await until(lambda: view.reject_dialog is not None, "the reason dialog")
        dialog = view.reject_dialog
        assert dialog.isVisible()
        dialog.reason.setPlainText("网站名称与主体不符")
        await settle(0.1)
        _shoot(dialog, "bureau_reject_dialog")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        await task
        await idle()
        assert view.ctx.ops.last_error is None
        assert _column_texts(view.model, 0) == [str(first)]
        assert str(second) in view.result.text()

    qt_loop.run_until_complete(body())
    assert request_state(app, second) == RequestState.REJECTED


def test_an_empty_reason_is_refused_and_the_request_stays(app, clock, qt_loop, view_ctx, qtbot):
    first, _ = bureau_situation(app, clock)
    view = BureauView(view_ctx)
    qtbot.addWidget(view)

    async def body():
        await view.refresh()
        assert await view.reject_request(first, "  ") is None
        await idle()
        # the field as a person reads it, never its internal name
        assert view.ctx.ops.last_error == "驳回原因：请填写驳回原因"
        assert view.result.text() == view.ctx.ops.last_error
        assert _column_texts(view.model, 0)[0] == str(first)

    qt_loop.run_until_complete(body())
    assert request_state(app, first) == RequestState.BUREAU_REVIEW


def test_cancelling_the_reason_dialog_rejects_nothing(app, clock, qt_loop, view_ctx, qtbot):
    first, _ = bureau_situation(app, clock)
    view = BureauView(view_ctx)
    qtbot.addWidget(view)
    view.show()

    async def body():
        await view.refresh()
        view.table.selectRow(0)
        task = view._on_reject()
        await until(lambda: view.reject_dialog is not None, "the reason dialog")
        view.reject_dialog.reject()
        await task
        assert view.reject_dialog is None

    qt_loop.run_until_complete(body())
    assert request_state(app, first) == RequestState.BUREAU_REVIEW


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_ctrl_enter_approves_the_selected_request(app, clock, qt_loop, view_ctx, qtbot, key):
    first, second = bureau_situation(app, clock)
    view = BureauView(view_ctx)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)  # outside the coroutine: pytest-qt's own wait is fine here

    async def body():
        await view.refresh()
        view.table.setFocus()
        qtbot.keyClick(view.table, key, Qt.KeyboardModifier.ControlModifier)
        await settle(0.3)
        await idle()
        assert request_state(app, first) == RequestState.BUREAU_REVIEW  # nothing selected
        view.table.selectRow(0)
        qtbot.keyClick(view.table, key, Qt.KeyboardModifier.ControlModifier)
        # animateClick releases the button after 100 ms, then the approval asks first:
        # waited for, not slept through (0.3 s was not always enough on a loaded machine)
        await until(lambda: view.confirm_box is not None, "the confirmation")
        assert request_state(app, first) == RequestState.BUREAU_REVIEW  # asked first
        view.confirm_box.defaultButton().click()  # Enter in the confirmation approves
        await until(lambda: "ICP备" in view.last_message, "the approval's message")
        await idle()
        assert "ICP备" in view.last_message
        view.message_box.accept()
        assert _column_texts(view.model, 0) == [str(second)]

    qt_loop.run_until_complete(body())
    assert request_state(app, first) == RequestState.APPROVED
    assert "Ctrl+R" in view.reject_button.toolTip()


# -- the outbox ----------------------------------------------------------------------------
def test_outbox_lists_messages_newest_first_with_codes_masked(app, clock, qt_loop, view_ctx, qtbot):
    _save_and_submit(app, 1)
    send_first_sms(app, clock)
    clock.advance(timedelta(minutes=1))
    _save_and_submit(app, 2)
    send_first_sms(app, clock)
    codes = latest_codes(app)
    view = OutboxView(view_ctx)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()

    async def body():
        await view.refresh()
        model = view.model
        assert model.rowCount() == outbox_count(app) == 4
        stored = _column_texts(model, 0)
        assert stored == sorted(stored, reverse=True)
        assert stored[0].startswith("2026-11-23 10:11")
        recipients = _column_texts(model, 1)
        assert all("****" in r for r in recipients)
        assert not any(phone in recipients for phone in codes)
        assert set(_column_texts(model, 2)) == {"106575000130"}  # China Mobile's sender
        texts = _column_texts(model, 3)
        assert all("******" in t for t in texts)
        assert not any(code in t for t in texts for code in codes.values())
        assert "outbox" in view.note.text()
        await settle(0.2)
        _shoot(view, "outbox_view")

    qt_loop.run_until_complete(body())
