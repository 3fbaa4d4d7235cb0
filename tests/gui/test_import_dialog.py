"""An ISP clerk imports a workbook with a bad row from the filings page (pytest-qt,
offscreen): the preview marks the bad cell and says why, nothing is saved until the
clerk imports the good rows, the bar fills, and the list shows the new drafts."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from beian_desktop.rules.import_columns import COLUMNS
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.terms import UserRole
from beian_desktop.views.filing_table_model import FilingTableModel
from beian_desktop.views.filings_view import FilingsView
from beian_desktop.views.import_dialog import ImportDialog, ImportPreviewModel
from beian_desktop.views.request_detail_dialog import open_request_detail

import qt_support
from qt_support import idle, settle, until, view_context
from staff import session_for
from workbooks import FIRST_ROW, cells, filled_template, letter_of

qt_loop = qt_support.qt_loop
pytestmark = pytest.mark.gui


def test_the_preview_marks_bad_cells_and_the_good_rows_import_as_drafts(
    app, qt_loop, qtbot, tmp_path
):
    rows = [cells(1), cells(2) | {"wp_mobile": "123"}, cells(3)]
    path = filled_template(app, session_for(app, "isp"), tmp_path / "客户.xlsx", rows)
    ctx = view_context(app, role=UserRole.ISP_STAFF)
    view = FilingsView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert view.import_button.isVisible()
    # The import waits on the database thread until the test has pressed Esc.
    saving, go_on = threading.Event(), threading.Event()
    real_import = app.imports.import_drafts

    def held_import(**kwargs):
        saving.set()
        assert go_on.wait(30)
        return real_import(**kwargs)

    app.imports.import_drafts = held_import  # type: ignore[method-assign]

    async def body() -> ImportDialog:
        await view.refresh()
        assert view.model.rowCount() == 0
        qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
        await until(lambda: view.import_dialog is not None, "the import dialog")
        dialog = view.import_dialog
        assert dialog is not None and dialog.isVisible()
        assert not dialog.import_good_button.isEnabled()  # nothing chosen yet

        await dialog.preview_file(path)
        model = dialog.model
        assert model.rowCount() == 3
        bad = 1  # the second row of the preview is the workbook's row 4
        column = ImportPreviewModel.FIRST_CELL + [c.key for c in COLUMNS].index("wp_mobile")
        cell = model.index(bad, column)
        assert model.data(model.index(bad, ImportPreviewModel.COL_ROW)) == str(FIRST_ROW + 1)
        assert model.data(cell, Qt.ItemDataRole.BackgroundRole) is not None
        assert "11 位" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
        result = model.data(model.index(bad, ImportPreviewModel.COL_RESULT))
        assert result.startswith(f"{letter_of('wp_mobile')} 列 网站负责人手机号码")
        assert model.headerData(column, Qt.Orientation.Horizontal).endswith("网站负责人手机号码")
        good_cell = model.index(0, column)
        assert model.data(good_cell, Qt.ItemDataRole.BackgroundRole) is None
        assert "*" in model.data(good_cell)  # the mobile is masked
        assert not dialog.import_all_button.isEnabled()  # one row is bad
        assert dialog.import_good_button.isEnabled() and "2" in dialog.import_good_button.text()
        isp = session_for(app, "isp")
        assert app.queries.count_filings(session=isp, filter=FilingFilter()) == 0

        qtbot.mouseClick(dialog.import_good_button, Qt.MouseButton.LeftButton)
        await until(lambda: saving.is_set(), "the import to be under way")
        assert not dialog.close_button.isEnabled()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # ignored while the import is saved
        await settle()
        assert dialog.isVisible() and view.import_dialog is dialog
        go_on.set()
        await until(lambda: dialog.imported is not None, "the import")
        # not idle(): the page's own task waits for this dialog to close
        await until(lambda: dialog.progress.value() == dialog.progress.maximum(), "a full bar")
        assert dialog.progress.isVisible()
        assert dialog.progress.value() == dialog.progress.maximum() > 0
        assert dialog.imported is not None and len(dialog.imported.request_ids) == 2
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        await until(lambda: view.import_dialog is None, "the dialog to close")
        await idle()
        detail = await open_request_detail(ctx, dialog.imported.request_ids[0], view)
        model = detail.timeline
        said = next(
            c
            for c in range(model.columnCount())
            if model.headerData(c, Qt.Orientation.Horizontal) == "What happened"
        )
        first = model.data(model.index(0, said))  # the first event, as a sentence
        assert first.endswith(f"从 Excel 导入草稿（客户.xlsx，第 {FIRST_ROW} 行）")  # zh_CN
        detail.close()
        return dialog

    qt_loop.run_until_complete(body())
    names = {
        view.model.data(view.model.index(r, FilingTableModel.COL_SUBJECT))
        for r in range(view.model.rowCount())
    }
    assert names == {"杭州导入科技有限公司1", "杭州导入科技有限公司3"}
    QApplication.processEvents()
    ctx.ops.shutdown()


def test_a_file_of_another_kind_is_refused_in_the_dialog(app, qt_loop, qtbot, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    ctx = view_context(app, role=UserRole.ISP_STAFF, language="en")
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)

    async def body() -> None:
        assert await dialog.preview_file(path) is None

    qt_loop.run_until_complete(body())
    assert "is not a valid Excel workbook" in dialog.summary.text()
    assert not dialog.import_good_button.isEnabled()
    assert not dialog.import_all_button.isEnabled()
    ctx.ops.shutdown()


def test_other_roles_do_not_see_the_import(app, qt_loop, qtbot):
    ctx = view_context(app, role=UserRole.HELP_DESK)
    view = FilingsView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert not view.import_button.isVisible()
    ctx.ops.shutdown()


def test_the_template_is_saved_from_the_dialog_and_documents_is_the_default(
    app, qt_loop, qtbot, tmp_path
):
    from openpyxl import load_workbook

    from beian_desktop.rules.import_columns import DATA_SHEET
    from beian_desktop.views.import_dialog import documents_folder

    ctx = view_context(app, role=UserRole.ISP_STAFF)
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    target = tmp_path / "模板.xlsx"

    async def body() -> None:
        assert await dialog.save_template(target)

    qt_loop.run_until_complete(body())
    assert DATA_SHEET in load_workbook(target).sheetnames
    assert str(target) in dialog.summary.text()
    assert documents_folder()  # the file dialogs open there
    ctx.ops.shutdown()
