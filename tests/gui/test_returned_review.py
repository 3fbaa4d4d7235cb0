"""Supervisors clearing the returned list (issue 14 item 4): what they did shows in the
list (review, last note, who), the export carries the notes, the selection survives the
action, and the two counts on the page say what each counts."""

from __future__ import annotations

from pathlib import Path

import test_views_review as review
from console_support import column_of, en_ui, zh_ui
from openpyxl import load_workbook
from PySide6.QtCore import QDir, QStandardPaths, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from beian_desktop.terms import UserRole
from beian_desktop.views.palette import Tone
from beian_desktop.views.returned_view import ReturnedView, export_returned_xlsx

import qt_support
from qt_support import idle, settle, until

qt_loop = qt_support.qt_loop
returned = review.returned
zh_ui = zh_ui  # fixtures, found by name
en_ui = en_ui

pytestmark = review.pytestmark


def _supervisor(app):
    return qt_support.view_context(app, role=UserRole.SUPERVISOR, display_name="王主管")


def test_a_note_and_a_hand_back_show_in_the_list_and_keep_the_selection(
    app, clock, qt_loop, zh_ui, returned, qtbot
):
    ids = returned
    ctx = _supervisor(app)
    view = ReturnedView(ctx)
    qtbot.addWidget(view)
    model = view.model
    review_col, note_col = column_of(model, "处理情况"), column_of(model, "最新备注")

    async def body():
        await view.refresh()
        assert model.index(1, 0).data() == str(ids["tries"])
        assert model.index(1, review_col).data() == "待处理"
        view.table.selectRow(1)
        await view.add_note(ids["tries"], "请核对负责人手机号")
        await idle()  # the refresh data_changed started
        assert view.table.selectionModel().selectedRows()[0].row() == 1  # still selected
        assert model.index(1, review_col).data() == "已备注"
        note = model.index(1, note_col).data()
        assert note.startswith("请核对负责人手机号 — 王主管 2026-11-2")

        await view._on_note(True)  # Hand back, with the note typed in the box
        await idle()
        assert ctx.ops.last_error == "备注内容：请填写备注内容"  # an empty box is refused
        view.note.setText("证件照片不清晰，请重新上传")
        await view._on_note(True)
        await idle()
        assert view.table.selectionModel().selectedRows()[0].row() == 1
        assert model.index(1, review_col).data() == "已交回接入商"
        assert model.index(1, note_col).data().startswith("证件照片不清晰，请重新上传 — 王主管")
        colour = model.index(1, review_col).data(Qt.ItemDataRole.ForegroundRole)
        assert colour.color() == QColor(Tone.SUCCESS.value)
        assert model.index(0, review_col).data() == "待处理"  # the other one untouched
        # The two numbers say what each counts: returned now vs returns in the period.
        assert view.count_label.text() == "现退回 2 条申请，其中 1 条未处理"
        assert view.stats_summary.text().startswith("期间内退回 2 次")

    qt_loop.run_until_complete(body())
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_the_export_carries_the_review_and_the_last_note(
    app, clock, qt_loop, zh_ui, returned, tmp_path
):
    ids = returned
    ctx = _supervisor(app)
    view = ReturnedView(ctx)

    async def body():
        await view.add_note(ids["expired"], "已电话联系接入商", hand_back=True)
        await idle()
        await view.refresh()

    qt_loop.run_until_complete(body())
    export_returned_xlsx(view.model.rows, tmp_path / "zh.xlsx", "zh_CN")
    rows = list(load_workbook(tmp_path / "zh.xlsx").active.iter_rows(values_only=True))
    assert rows[0][7:] == ("处理情况", "最新备注", "备注人", "备注时间（北京时间）")
    expired = next(r for r in rows[1:] if r[0] == ids["expired"])
    assert expired[7:10] == ("已交回接入商", "已电话联系接入商", "王主管")
    assert expired[10].strftime("%Y-%m-%d") == "2026-11-24"  # Beijing time, a real date
    tries = next(r for r in rows[1:] if r[0] == ids["tries"])
    assert tries[7:10] == ("待处理", None, None)
    view.deleteLater()
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_the_export_dialog_opens_in_documents_and_speaks_chinese(
    app, clock, qt_loop, zh_ui, returned, qtbot
):
    ctx = _supervisor(app)
    view = ReturnedView(ctx)
    qtbot.addWidget(view)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    async def body():
        await view.refresh()
        task = view._on_export()
        await until(lambda: view.export_dialog is not None, "the save dialog")
        dialog = view.export_dialog
        expected = documents if documents and Path(documents).is_dir() else QDir.homePath()
        assert Path(dialog.directory().absolutePath()) == Path(expected)
        assert Path(dialog.directory().absolutePath()) != Path.cwd()
        buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
        texts = {b.text().replace("&", "") for b in buttons.buttons()}
        assert texts & {"保存", "保存(S)"} and texts & {"取消"}, texts
        labels = {w.text().replace("&", "") for w in dialog.findChildren(QLabel) if w.text()}
        assert not labels & {"File name:", "Files of type:", "Look in:"}, labels
        await settle(0.1)
        review._shoot(dialog, "export_dialog_zh")
        dialog.reject()
        await task

    qt_loop.run_until_complete(body())
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


def test_english_counts_have_their_plural_forms(app, clock, qt_loop, en_ui, returned):
    ctx = qt_support.view_context(app, role=UserRole.SUPERVISOR, language="en")
    view = ReturnedView(ctx)

    async def body():
        await view.refresh()
        assert view.count_label.text() == "2 requests returned now, 2 not yet reviewed"
        await view.add_note(returned["tries"], "checked")
        await idle()
        assert view.count_label.text() == "2 requests returned now, 1 not yet reviewed"
        assert view.days.itemText(0) == "Last 7 days"

    qt_loop.run_until_complete(body())
    view.deleteLater()
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()
