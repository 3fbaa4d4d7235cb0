"""Bureau reviewers (issue 14 item 5): approving and rejecting from the request's detail
too, approving asks first, a rejection needs a reason (presets an administrator keeps,
or free text), and the queue shows and sorts by the time in review."""

from __future__ import annotations

from datetime import timedelta

import test_views_review as review
from console_support import column_of, zh_ui
from PySide6.QtWidgets import QDialogButtonBox

from beian_desktop.terms import RequestState, UserRole
from beian_desktop.views.bureau_view import BureauView
from beian_desktop.views.request_detail_dialog import open_request_detail
from beian_desktop.views.view_context import countdown, local_time

import qt_support
from journeys import request_row, request_state, send_first_sms
from qt_support import idle, settle, until
from staff import session_for

qt_loop = qt_support.qt_loop
zh_ui = zh_ui  # a fixture, found by name
pytestmark = review.pytestmark


def _bureau(app):
    return qt_support.view_context(app, role=UserRole.BUREAU_REVIEWER, display_name="赵审核")


def test_approving_from_the_detail_asks_first_then_assigns_the_numbers(
    app, clock, qt_loop, zh_ui, qtbot
):
    first, _ = review.bureau_situation(app, clock)
    ctx = _bureau(app)

    async def body():
        dialog = await open_request_detail(ctx, first)
        assert dialog.approve_button.isVisible() and dialog.reject_button.isVisible()
        assert dialog.approve_button.text() == "审核通过"
        task = dialog._on_approve()
        await until(lambda: dialog.confirm_box is not None, "the confirmation")
        assert "确定审核通过申请" in dialog.confirm_box.text()
        dialog.confirm_box.button(dialog.confirm_box.StandardButton.Cancel).click()
        await task
        assert request_state(app, first) == RequestState.BUREAU_REVIEW  # cancelled

        task = dialog._on_approve()
        await until(lambda: dialog.confirm_box is not None, "the confirmation")
        dialog.confirm_box.defaultButton().click()
        await task
        await idle()
        assert "浙ICP备2026000001号" in dialog.decision_line.text()
        assert not dialog.approve_button.isVisible()  # approved: nothing left to decide
        assert dialog.findChild(type(dialog.decision_line), "summary_状态").text() == "已通过"
        dialog.message_box.accept()
        dialog.close()

    qt_loop.run_until_complete(body())
    assert request_state(app, first) == RequestState.APPROVED
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_rejecting_from_the_detail_offers_the_presets_and_refuses_an_empty_reason(
    app, clock, qt_loop, zh_ui, qtbot
):
    _, second = review.bureau_situation(app, clock)
    app.settings.save_reject_reasons(
        session=session_for(app, "admin"), reasons=["网站名称不符合规范", "证件照片不清晰"]
    )
    ctx = _bureau(app)

    async def body():
        dialog = await open_request_detail(ctx, second)
        task = dialog._on_reject()
        await until(lambda: dialog.reject_dialog is not None, "the reason dialog")
        ask = dialog.reject_dialog
        presets = [ask.presets.item(n).text() for n in range(ask.presets.count())]
        assert presets == ["网站名称不符合规范", "证件照片不清晰"]
        ok = ask.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.text() == "驳回"
        ok.click()  # no reason yet
        await settle()
        assert ask.isVisible() and not ask.problem.isHidden()  # still open, saying why
        assert "请填写或选择驳回原因" in ask.problem.text()
        assert request_state(app, second) == RequestState.BUREAU_REVIEW
        await settle(0.1)
        review._shoot(ask, "reject_dialog_presets")
        ask.presets.itemClicked.emit(ask.presets.item(1))
        assert ask.reason_text() == "证件照片不清晰"
        ok.click()
        await task
        await idle()
        assert "已驳回" in dialog.decision_line.text()
        assert not dialog.reject_button.isVisible()
        dialog.close()

    qt_loop.run_until_complete(body())
    assert request_row(app, second).decision_reason == "证件照片不清晰"
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_the_detail_offers_no_decision_to_a_role_without_bureau_review(app, clock, qt_loop):
    first, _ = review.bureau_situation(app, clock)
    ctx = qt_support.view_context(app, role=UserRole.SUPERVISOR)

    async def body():
        dialog = await open_request_detail(ctx, first)
        assert dialog.approve_button.isHidden() and dialog.reject_button.isHidden()
        dialog.close()

    qt_loop.run_until_complete(body())
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_the_queue_shows_and_sorts_by_the_time_in_review(app, clock, qt_loop, zh_ui, qtbot):
    # Submitted first, verified last: it entered review last, so it comes last.
    early, f_early = review._save_and_submit(app, 1)
    clock.advance(timedelta(minutes=30))
    late, f_late = review._save_and_submit(app, 2)
    send_first_sms(app, clock)
    review._verify_everyone(app, f_late, late)
    clock.advance(timedelta(hours=2, minutes=5))
    review._verify_everyone(app, f_early, early)
    clock.advance(timedelta(hours=14, minutes=47))
    ctx = _bureau(app)
    view = BureauView(ctx)
    qtbot.addWidget(view)
    model = view.model

    async def body():
        await view.refresh()
        assert [model.index(r, 0).data() for r in range(2)] == [str(late), str(early)]
        since, waiting = column_of(model, "进入审核时间"), column_of(model, "已等待")
        in_review = request_row(app, late).state_changed_at
        assert model.index(0, since).data() == local_time(in_review)
        assert model.index(0, waiting).data() == "16小时52分"
        assert model.index(1, waiting).data() == "14小时47分"

    qt_loop.run_until_complete(body())
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_durations_are_in_the_installed_language(app, zh_ui):
    now = app.now()
    assert countdown(now + timedelta(hours=16, minutes=52, seconds=30), now) == "16小时52分"
    assert countdown(now + timedelta(minutes=7), now) == "7分钟"
    assert countdown(now + timedelta(days=2, hours=3), now) == "2天3小时"
    assert countdown(now - timedelta(minutes=1), now) == "0分钟"
