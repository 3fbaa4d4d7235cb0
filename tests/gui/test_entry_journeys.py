"""ISP staff enter every business type from the filings page (issue 13, item 1): the
New… menu and its shortcuts, the pickers of approved records, what a change changes
and who gets an SMS before it is submitted, the cancellations' and the phone change's
confirmation, each through to a submitted request.

Every assertion reads what a person sees (menu texts, table cells, labels) or what
the world then holds (the stored request, the verifiers of its round). The qasync
rules of qt_support apply: `app.tick()` and the set-up journeys run outside the loop.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)
from sqlalchemy import select

from beian_desktop.models import AccessRecord, Request
from beian_desktop.rules.errors import RequestNotEditable
from beian_desktop.rules.phones import mask_phone
from beian_desktop.terms import BusinessType, RequestState, UserRole
from beian_desktop.views.change_dialog import ChangeFilingDialog
from beian_desktop.views.entry_dialogs import (
    CancellationDialog,
    NewAccessDialog,
    NewWebsiteDialog,
    PhoneChangeDialog,
)
from beian_desktop.views.filing_entry_dialog import FilingEntryDialog
from beian_desktop.views.filing_table_model import FilingTableModel
from beian_desktop.views.filings_view import FilingsView
from beian_desktop.views.labels import BUSINESS_TYPES, business_type_label, roles_label

import qt_support
from factories import filing, phone, principal
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
def isp(app, qt_loop):
    ctx = view_context(app, role=UserRole.ISP_STAFF, username="isp.wang", display_name="王芳")
    yield ctx
    qt_support.drain(qt_loop)
    ctx.ops.shutdown()


@pytest.fixture
def page(isp, qtbot) -> FilingsView:
    view = FilingsView(isp)
    qtbot.addWidget(view)
    view.show()
    return view


# -- helpers -----------------------------------------------------------------------------
def field(window: QWidget, path: str) -> QWidget:
    found = window.findChild(QWidget, path)
    assert found is not None, f"no field {path}"
    return found


def type_into(qtbot, window: QWidget, path: str, text: str) -> QWidget:
    """Key presses for ASCII; Chinese arrives as an input method's commit."""
    widget = field(window, path)
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    widget.setFocus()
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
    return widget


def click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


async def open_from_menu(page: FilingsView, business_type: str, kind: type[QDialog]):
    """Triggers the New… menu's entry; returns (the dialog, the task showing it)."""
    page.new_actions[business_type].trigger()
    await until(lambda: isinstance(page.entry_dialog, kind), f"the {business_type} dialog")
    dialog = page.entry_dialog
    await settle()
    return dialog


async def submit_and_close(qtbot, dialog, *, confirm: bool = True) -> list[list[str]]:
    """Submit; with `confirm`, reads the confirmation's verifiers and submits there;
    then closes the "submitted" message. Returns the verifiers' rows."""
    click(qtbot, dialog.submit_button)
    rows: list[list[str]] = []
    if confirm:
        await until(lambda: dialog.confirm_dialog is not None, "the confirmation")
        if dialog.confirm_dialog.verifiers_table is not None:
            rows = cells(dialog.confirm_dialog.verifiers_table)
        click(qtbot, dialog.confirm_dialog.submit_button)
    await until(lambda: dialog.message_box is not None, "the 'submitted' message")
    dialog.message_box.accept()
    page = dialog.parent()
    await closed(dialog)
    assert page.entered_request is not None
    return rows


async def closed(dialog: QDialog) -> None:
    """The dialog closed, and the page's task that showed it finished."""
    page = dialog.parent()
    await until(lambda: page.entry_dialog is None, "the dialog closed")
    await idle()


def SITE_ROLE() -> str:
    return roles_label(("website_principal:测试网站101",))


def stored(app, request_id: int) -> Request:
    return request_row(app, request_id)


# -- the menu ------------------------------------------------------------------------------
def test_the_new_menu_offers_every_business_type_on_its_own_shortcut(page):
    menu = page.new_menu
    entries = menu.actions()[: menu.actions().index(page.import_separator)]
    texts = [a.text() for a in entries if not a.isSeparator()]
    assert texts == [business_type_label(t) for t in BUSINESS_TYPES]
    after = menu.actions()[menu.actions().index(page.import_separator) + 1 :]
    assert [a.objectName() for a in after] == ["importFilingsAction"]  # the Excel import
    keys = [a.shortcut().toString() for a in page.new_actions.values()]
    assert keys[0] == "Ctrl+N" and len(set(keys)) == 8 and all(keys)
    assert all(a in page.actions() for a in page.new_actions.values())  # work unopened
    # the place another entry (the Excel import) takes: the menu's end, after a separator
    extra = QAction("从 Excel 导入…", page)
    page.add_import_action(extra)
    assert menu.actions()[-1] is extra and menu.actions()[-2].objectName() == "importFilingsAction"


def test_ctrl_n_opens_the_new_filing_form_with_every_field_of_spec_1a(app, qt_loop, page, qtbot):
    async def body() -> None:
        page.setFocus()
        qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: isinstance(page.entry_dialog, FilingEntryDialog), "the form")
        dialog = page.entry_dialog
        for path in (
            "subject.investor",
            "subject.principal.phone2",
            "subject.principal.emergency_phone",
            "websites[0].language",
            "websites[0].preapproval_type",
            "websites[0].preapproval_number",
            "websites[0].remarks",
            "websites[0].access.method",
            "websites[0].access.server_ips",
        ):
            assert field(dialog, path).isVisible(), path
        dialog.reject()
        await closed(dialog)

    qt_loop.run_until_complete(body())


def test_esc_on_a_changed_form_asks_first_and_saving_keeps_a_draft(app, qt_loop, page, qtbot):
    async def body() -> None:
        dialog = await open_from_menu(page, "new_filing", FilingEntryDialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed yet: closes at once
        await closed(dialog)
        assert page.entered_request is None

        dialog = await open_from_menu(page, "new_filing", FilingEntryDialog)
        type_into(qtbot, dialog, "subject.holder_name", "杭州未存草稿有限公司")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        await until(lambda: dialog.closing_question is not None, "the question")
        question = dialog.closing_question
        buttons = {b.text(): b for b in question.buttons()}
        assert len(buttons) == 3
        question.escapeButton().click()  # keep editing
        await settle()
        assert dialog.isVisible() and dialog.closing_question is None

        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Close))
        await until(lambda: dialog.closing_question is not None, "the question again")
        question = dialog.closing_question
        save = next(b for b in question.buttons() if question.buttonRole(b).name == "AcceptRole")
        save.click()
        await closed(dialog)

    qt_loop.run_until_complete(body())
    with app.ctx.unit_of_work() as db:
        drafts = db.scalars(select(Request).where(Request.state == RequestState.DRAFT)).all()
    assert len(drafts) == 1  # saved as a draft on the way out


def test_a_failed_submit_lists_the_errors_marks_the_tab_and_a_click_goes_to_the_field(
    app, qt_loop, page, qtbot
):
    f = filing(serial=5, website_phones=[None, None])

    async def body() -> None:
        dialog = await open_from_menu(page, "new_filing", FilingEntryDialog)
        dialog.province.setCurrentIndex(dialog.province.findData("33"))
        type_into(qtbot, dialog, "subject.holder_name", f.subject.holder_name)
        type_into(qtbot, dialog, "subject.doc_number", f.subject.doc_number)
        dialog.add_website()
        for i, site in enumerate(f.websites):
            type_into(qtbot, dialog, f"websites[{i}].name", site.name)
            type_into(qtbot, dialog, f"websites[{i}].access.isp_name", site.access.isp_name)
        type_into(qtbot, dialog, "websites[0].domains", site.domains[0])
        dialog.websites.setCurrentIndex(0)
        click(qtbot, dialog.submit_button)
        await settle()
        await until(lambda: dialog.submit_button.isEnabled(), "the submit done")
        summary = dialog.error_summary
        texts = [summary.item(i).text() for i in range(summary.count())]
        assert summary.isVisible() and texts
        assert all("[" not in t and "." not in t.split("：")[0] for t in texts)  # no paths
        assert "网站 2 › 域名：至少填写一个域名" in texts
        for i, tab in enumerate(dialog.website_tabs):  # a tab is marked when it has errors
            has_errors = any(row.has_error for row in tab.rows().values())
            assert dialog.websites.tabIcon(i).isNull() is not has_errors
        assert not dialog.websites.tabIcon(1).isNull()
        state = dialog.state_label.text()
        assert "not submitted" in state or "提交未成功" in state  # not "draft saved"
        item = summary.item(texts.index("网站 2 › 域名：至少填写一个域名"))
        summary.itemClicked.emit(item)
        await settle()
        assert dialog.websites.currentIndex() == 1
        assert field(dialog, "websites[1].domains").isVisible()  # its tab shown, scrolled to
        dialog.done(QDialog.DialogCode.Rejected)
        await closed(dialog)

    qt_loop.run_until_complete(body())


# -- 新增网站 ------------------------------------------------------------------------------
def test_a_website_is_added_to_an_approved_subject_found_by_a_fragment(
    app, clock, qt_loop, page, qtbot
):
    approve_filing(app, clock, serial=1)
    person = principal(7)

    async def body() -> None:
        dialog = await open_from_menu(page, "new_website", NewWebsiteDialog)
        type_into(qtbot, dialog.picker, "pickerSearch", "测试科技")
        await dialog.picker.refresh()
        assert cells(dialog.picker.table)[0][0] == "杭州测试科技有限公司1"
        type_into(qtbot, dialog, "website.name", "青禾商城")
        type_into(qtbot, dialog, "website.home_url", "https://shop.qinghe.cn")
        type_into(qtbot, dialog, "website.domains", "shop-qinghe.cn")
        type_into(qtbot, dialog, "website.service_content", "网上商城")
        type_into(qtbot, dialog, "website.access.isp_name", "浙江某云计算有限公司")
        type_into(qtbot, dialog, "website.principal.name", "李四")
        type_into(qtbot, dialog, "website.principal.doc_number", person.doc_number)
        type_into(qtbot, dialog, "website.principal.mobile", person.mobile)
        await submit_and_close(qtbot, dialog, confirm=False)
        request = stored(app, page.entered_request)
        assert request.business_type == BusinessType.NEW_WEBSITE
        assert request.state == RequestState.VERIFYING

    qt_loop.run_until_complete(body())


# -- 新增接入 ------------------------------------------------------------------------------
def test_new_access_shows_who_verifies_before_it_is_submitted(app, clock, qt_loop, page, qtbot):
    approve_filing(app, clock, serial=1)
    site_person = filing(serial=1).websites[0].principal

    async def body() -> None:
        dialog = await open_from_menu(page, "new_access", NewAccessDialog)
        type_into(qtbot, dialog.picker, "pickerSearch", "site101")
        await dialog.picker.refresh()
        assert cells(dialog.picker.table)[0][:2] == ["测试网站101", "site101.cn, www.site101.com"]
        type_into(qtbot, dialog, "access.isp_name", "上海另一云有限公司")
        type_into(qtbot, dialog, "access.server_ips", "10.9.8.7")
        rows = await submit_and_close(qtbot, dialog)
        assert rows == [[site_person.name, SITE_ROLE(), mask_phone(site_person.mobile)]]
        assert stored(app, page.entered_request).business_type == BusinessType.NEW_ACCESS

    qt_loop.run_until_complete(body())
    with app.ctx.unit_of_work() as db:
        isps = db.scalars(select(AccessRecord.isp_name).order_by(AccessRecord.id)).all()
    assert isps[-1] == "上海另一云有限公司"


# -- 变更备案 ------------------------------------------------------------------------------
def test_a_change_shows_old_and_new_and_the_new_number_that_gets_the_sms(
    app, clock, qt_loop, page, qtbot
):
    approve_filing(app, clock, serial=1)
    new_number = phone(4321)
    site_person = filing(serial=1).websites[0].principal

    async def body() -> None:
        page.new_actions["change"].trigger()
        await until(lambda: page.findChild(QDialog, "chooseSubjectDialog") is not None, "chooser")
        chooser = page.findChild(QDialog, "chooseSubjectDialog")
        await until(lambda: chooser.isVisible() and chooser.picker.chosen is not None, "listed")
        click(qtbot, chooser.open_button)
        await until(lambda: isinstance(page.entry_dialog, ChangeFilingDialog), "the change form")
        dialog = page.entry_dialog
        await settle()
        assert field(dialog, "subject.holder_name").text() == "杭州测试科技有限公司1"
        mobile = field(dialog, "websites[0].principal.mobile")
        assert mobile.text() == "" and "****" in mobile.placeholderText()  # masked, kept
        assert not field(dialog, "websites[0].access.isp_name").isEnabled()
        type_into(qtbot, dialog, "websites[0].name", "测试网站改名")
        type_into(qtbot, dialog, "websites[0].principal.mobile", new_number)
        click(qtbot, dialog.submit_button)
        await until(lambda: dialog.confirm_dialog is not None, "the confirmation")
        confirm = dialog.confirm_dialog
        assert cells(confirm.changes_table) == [
            ["网站“测试网站101” › 名称", "测试网站101", "测试网站改名"],
            [
                "网站“测试网站101” › 负责人 › 手机号码",
                mask_phone(site_person.mobile),
                mask_phone(new_number),
            ],
        ]
        new = QCoreApplication.translate("EntryConfirmDialog", "%1 (new number)")
        assert cells(confirm.verifiers_table) == [
            [site_person.name, SITE_ROLE(), new.replace("%1", mask_phone(new_number))]
        ]
        click(qtbot, confirm.submit_button)
        await until(lambda: dialog.message_box is not None, "the 'submitted' message")
        dialog.message_box.accept()
        await closed(dialog)

    qt_loop.run_until_complete(body())
    request = stored(app, page.entered_request)
    assert request.business_type == BusinessType.CHANGE and request.state == RequestState.VERIFYING
    assert [v.phone for v in verifiers(app, page.entered_request)] == [new_number]


# -- 注销主体 / 注销网站 / 取消接入 ---------------------------------------------------------
@pytest.mark.parametrize(
    ("business_type", "search", "who"),
    [
        ("cancel_subject", "测试科技", ["subject"]),
        ("cancel_website", "site101", ["subject", "website"]),
        ("cancel_access", "site101", ["website"]),
    ],
)
def test_a_cancellation_picks_the_record_shows_who_verifies_and_is_confirmed(
    app, clock, qt_loop, page, qtbot, business_type, search, who
):
    approve_filing(app, clock, serial=1)
    f = filing(serial=1)
    people = {"subject": f.subject.principal, "website": f.websites[0].principal}

    async def body() -> None:
        dialog = await open_from_menu(page, business_type, CancellationDialog)
        type_into(qtbot, dialog.picker, "pickerSearch", search)
        await dialog.picker.refresh()
        rows = await submit_and_close(qtbot, dialog)
        assert [(r[0], r[2]) for r in rows] == [
            (people[w].name, mask_phone(people[w].mobile)) for w in who
        ]
        request = stored(app, page.entered_request)
        assert request.business_type == business_type
        assert request.state == RequestState.VERIFYING

    qt_loop.run_until_complete(body())


# -- 变更手机号码 ----------------------------------------------------------------------------
def test_a_phone_change_picks_the_principal_and_goes_to_the_bureau_first(
    app, clock, qt_loop, page, qtbot
):
    approve_filing(app, clock, serial=1)
    site_person = filing(serial=1).websites[0].principal
    new_number = phone(6543)

    async def body() -> None:
        dialog = await open_from_menu(page, "change_phone", PhoneChangeDialog)
        await until(lambda: dialog.people.rowCount() == 2, "the principals listed")
        assert cells(dialog.people)[1][:2] == [site_person.name, SITE_ROLE()]
        assert site_person.mobile not in str(cells(dialog.people))
        dialog.people.selectRow(1)
        type_into(qtbot, dialog, "new_mobile", "1380")  # too short: refused before anything
        click(qtbot, dialog.submit_button)
        row = dialog.number_section.rows["new_mobile"]
        await settle()  # the click's task has started (Submit is disabled while it runs)
        await until(lambda: dialog.submit_button.isEnabled(), "the refused submit done")
        assert row.has_error and "11" in row.error.message()
        assert dialog.confirm_dialog is None and dialog.request_id is None
        type_into(qtbot, dialog, "new_mobile", new_number)
        rows = await submit_and_close(qtbot, dialog)
        new = QCoreApplication.translate("EntryConfirmDialog", "%1 (new number)")
        assert rows == [[site_person.name, SITE_ROLE(), new.replace("%1", mask_phone(new_number))]]
        request = stored(app, page.entered_request)
        assert request.business_type == BusinessType.CHANGE_PHONE
        assert request.state == RequestState.BUREAU_REVIEW

    qt_loop.run_until_complete(body())


# -- drafts and corrections ----------------------------------------------------------------
def test_a_draft_opens_for_editing_and_a_returned_filing_is_corrected_and_resubmitted(
    app, clock, qt_loop, qtbot
):
    isp_session = session_for(app, "isp")
    draft = app.filings.save_new_filing(session=isp_session, filing=filing(serial=2))
    returned = app.filings.save_new_filing(session=isp_session, filing=filing(serial=3))
    app.submission.submit(session=isp_session, request_id=returned)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=25))
    app.tick()  # nobody verified: returned to the ISP
    assert stored(app, returned).state == RequestState.RETURNED
    ctx = view_context(app, role=UserRole.ISP_STAFF, username="isp.li")  # a day later
    page = FilingsView(ctx)
    qtbot.addWidget(page)
    page.show()

    def row_of(request_id: int) -> int:
        ids = [page.model.row_at(r).request_id for r in range(page.model.rowCount())]
        return ids.index(request_id)

    async def body() -> None:
        await page.refresh()
        assert page.editable(page.model.row_at(row_of(draft)))

        def marked(request_id: int) -> bool:  # the pen beside the state
            index = page.model.index(row_of(request_id), FilingTableModel.COL_STATE)
            return index.data(Qt.ItemDataRole.DecorationRole) is not None

        assert marked(draft) and marked(returned)
        task = page._on_open(page.model.index(row_of(draft), 0))
        await until(lambda: isinstance(page.entry_dialog, FilingEntryDialog), "the draft")
        dialog = page.entry_dialog
        assert dialog.request_id == draft
        assert field(dialog, "subject.holder_name").text() == "杭州测试科技有限公司2"
        mobile = field(dialog, "subject.principal.mobile")
        assert mobile.text() == "" and "****" in mobile.placeholderText()
        type_into(qtbot, dialog, "subject.holder_name", "杭州草稿改名有限公司")
        await submit_and_close(qtbot, dialog, confirm=False)
        await task
        assert stored(app, draft).state == RequestState.VERIFYING
        await page.refresh()
        assert not marked(draft) and marked(returned)

        task = page._on_open(page.model.index(row_of(returned), 0))
        await until(lambda: isinstance(page.entry_dialog, FilingEntryDialog), "the returned")
        dialog = page.entry_dialog
        assert str(returned) in dialog.windowTitle()
        type_into(qtbot, dialog, "websites[0].service_content", "企业官网")
        await submit_and_close(qtbot, dialog, confirm=False)
        await task

    try:
        qt_loop.run_until_complete(body())
    finally:
        qt_support.drain(qt_loop)
        ctx.ops.shutdown()
    assert stored(app, returned).state == RequestState.VERIFYING
    editing = app.queries.request_for_editing
    with pytest.raises(RequestNotEditable):
        editing(session=session_for(app, "isp"), request_id=returned)
    # the corrected values went in, the phones were kept: the new round reaches them
    f = filing(serial=3)
    assert {v.phone for v in verifiers(app, returned)} == {
        f.subject.principal.mobile,
        f.websites[0].principal.mobile,
    }
