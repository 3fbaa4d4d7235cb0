"""Whole journeys through the real widgets, as each person in SPEC §1 takes them.

ISP staff enter and submit a filing, the people named in it verify at the help desk,
the bureau approves (§3, §5); a caller asks the help desk for a resend (§4, §5); a
supervisor reads why a filing came back (§3, §7); signing in and what each role sees,
with no clear phone or ID number anywhere on screen (§7); the filings list pages over
a few hundred requests; and the packaged `--self-test`.

Every assertion reads what a person sees: label texts, table model data, dialog
states. The qasync rules of qt_support apply: `app.tick()` (journeys'
`send_first_sms`) runs between `qt_loop.run_until_complete` calls, never inside one,
and nothing waits with `qtbot.waitUntil` inside a coroutine.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta

import PySide6
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.rules.messages import check_message
from beian_desktop.rules.permissions import RevealField
from beian_desktop.services import audit
from beian_desktop.services.beian import Beian
from beian_desktop.terms import CheckResult, RequestState, ReturnReason, UserRole
from beian_desktop.views.bureau_view import BureauView
from beian_desktop.views.entry_sections import ErrorLine
from beian_desktop.views.filing_entry_dialog import FilingEntryDialog
from beian_desktop.views.filing_table_model import PAGE_SIZE, FilingTableModel
from beian_desktop.views.filings_view import FilingsView
from beian_desktop.views.help_desk_view import HelpDeskView, VerificationDeskDialog
from beian_desktop.views.labels import (
    request_state_label,
    return_reason_label,
    verifier_state_label,
)
from beian_desktop.views.login_dialog import LoginDialog
from beian_desktop.views.main_window import MainWindow
from beian_desktop.views.operations import OperationRunner
from beian_desktop.views.outbox_view import OutboxView
from beian_desktop.views.pending_view import PendingView
from beian_desktop.views.request_detail_dialog import RequestDetailDialog
from beian_desktop.views.returned_view import ReturnedView
from beian_desktop.views.revealer import SecretLabel
from beian_desktop.views.view_context import ViewContext

import qt_support
from factories import credit_code, filing, phone, principal, resident_id, website
from journeys import last6, latest_codes, outbox_count, request_state, send_first_sms, verifiers
from qt_support import drain, idle, settle, until, view_context
from staff import session_for

qt_loop = qt_support.qt_loop  # fixtures are found by name among the module's globals

# PySide6 6.12.0 (the newest on the index) loses a reference to None on every call of a
# void method (`label.setText(...)`) and to True on every Python-side `signal.emit()`;
# 6.11.3 does not. After a few thousand calls the interpreter frees None or True and
# aborts (none_dealloc / bool_dealloc), here at the end of the session. Spare references
# keep the test process alive so that these tests test the product, not the binding;
# the app itself needs `PySide6-Essentials!=6.12.0` (see the report of this change).
if PySide6.__version__ == "6.12.0":
    _SPARE_REFERENCES = [None, True, False] * 300_000
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(_SPARE_REFERENCES))  # kept past exit too


# -- no leaks ----------------------------------------------------------------------------

pytestmark = pytest.mark.gui  # cycles are collected on the GUI thread only (conftest)


@pytest.fixture(autouse=True)
def no_leaks(qapp: QApplication) -> Iterator[None]:
    """napari's rule (STYLE.md): a test leaves no window and no worker thread behind.

    Torn down last: pytest-qt has closed the widgets given to `qtbot.addWidget`, the
    contexts' database threads are shut down and the app is closed by then."""
    windows_before = set(QApplication.topLevelWidgets())
    threads_before = set(threading.enumerate())
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if w not in windows_before]
    assert not left, f"widgets left behind: {[type(w).__name__ for w in left]}"
    threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert not threads, f"threads left running: {[t.name for t in threads]}"


@pytest.fixture(autouse=True)
def loop_outlives_windows(qapp: QApplication) -> Iterator[None]:
    """As in the app (app_main): closing the last window (a dialog a journey finished
    with) must not quit the Qt loop that qasync runs on."""
    before = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(before)


# -- people ------------------------------------------------------------------------------
@pytest.fixture
def people(app: Beian, qt_loop) -> Iterator[Callable[..., ViewContext]]:
    """`people(role, username, display_name)`: a signed-in person's ViewContext. Each has
    its own operation runner (database thread), shut down at the end."""
    made: list[ViewContext] = []

    def make(role: UserRole, username: str, display_name: str) -> ViewContext:
        ctx = view_context(app, role=role, username=username, display_name=display_name)
        made.append(ctx)
        return ctx

    yield make
    drain(qt_loop)  # refreshes that data_changed started still need the database threads
    for ctx in made:
        ctx.ops.shutdown()


@pytest.fixture
def runner(qt_loop) -> Iterator[OperationRunner]:
    """An operation runner nobody is signed in to yet: the app's before the sign-in."""
    ops = OperationRunner("zh_CN", interactive=False)
    yield ops
    drain(qt_loop)
    ops.shutdown()


# -- helpers -----------------------------------------------------------------------------
def field(window: QWidget, path: str) -> QWidget:
    """An entry field by the service's field path, as the dialog names it."""
    found = window.findChild(QWidget, path)
    assert found is not None, f"no field {path}"
    return found


def error_under(window: QWidget, path: str) -> ErrorLine:
    """The error line shown right under a field (the field's own row)."""
    labels = field(window, path).parentWidget().findChildren(ErrorLine)
    assert len(labels) == 1
    return labels[0]


def shown_error(line: ErrorLine) -> str:
    """What the line says: its text, which a too long message ends in "…", whole in
    the tooltip."""
    assert line.isVisible()
    shown = line.text()
    assert shown == line.message() or (shown.endswith("…") and line.toolTip() == line.message())
    return line.message()


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Key presses for what a keyboard types; Chinese arrives as an input method's
    commit, as it does from a real IME (QTest's key clicks only carry Latin-1)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_into(qtbot, window: QWidget, path: str, text: str) -> QWidget:
    widget = field(window, path)
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    widget.setFocus()
    widget.clear()
    type_text(qtbot, widget, text)
    assert (widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()) == text
    return widget


def leave(qtbot, widget: QWidget) -> None:
    """Tab out of a field, as a person moves on (QLineEdit.editingFinished)."""
    qtbot.keyClick(widget, Qt.Key.Key_Tab)  # the focus moves, editingFinished fires, at once


def click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def column(model, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def tooltips(model, col: int) -> list[str]:
    return [model.index(r, col).data(Qt.ItemDataRole.ToolTipRole) for r in range(model.rowCount())]


def header_index(model, title: str) -> int:
    titles = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    return titles.index(title)


def everything_shown(widget: QWidget) -> list[str]:
    """Every text on screen in `widget`: each table's cells and headers, every label."""
    texts: list[str] = []
    for view in [widget, *widget.findChildren(QAbstractItemView)]:
        if not isinstance(view, QAbstractItemView) or view.model() is None:
            continue
        model = view.model()
        for c in range(model.columnCount()):
            texts.append(str(model.headerData(c, Qt.Orientation.Horizontal)))
            texts.extend(str(model.index(r, c).data()) for r in range(model.rowCount()))
    texts.extend(label.text() for label in widget.findChildren(QLabel))
    texts.append(widget.windowTitle())
    return texts


def submitted(app: Beian, f: FilingInput, by: str = "isp") -> int:
    session = session_for(app, by)
    request_id = app.filings.save_new_filing(filing=f, session=session)
    assert app.submission.submit(request_id=request_id, session=session) == RequestState.VERIFYING
    return request_id


def one_person_filing(serial: int) -> FilingInput:
    """A first filing whose subject principal also runs its one website: one verifier,
    a phone and a domain no other filing of the test has."""
    person = principal(serial * 100, mobile=phone(serial, "telecom"))
    f = filing(serial=serial)
    subject = replace(f.subject, principal=person)
    return FilingInput(
        subject=subject, websites=[website(serial * 100 + 1, principal_input=person)]
    )


# -- a. ISP staff to bureau approval -------------------------------------------------------
SUBJECT_PERSON = {"name": "王建国", "doc": resident_id(501), "mobile": phone(501)}
SITE_PERSON = {"name": "李晓梅", "doc": resident_id(502, birth="19900303"), "mobile": phone(502)}


def test_isp_staff_enters_a_filing_the_people_verify_and_the_bureau_approves(
    app, clock, qt_loop, people, qtbot
):
    isp = people(UserRole.ISP_STAFF, "isp.wang", "王芳")
    dialog = FilingEntryDialog(isp)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)  # outside the coroutine: pytest-qt's own wait is fine here

    async def enter() -> None:
        await dialog.load()
        dialog.province.setCurrentIndex(dialog.province.findData("33"))
        type_into(qtbot, dialog, "subject.city", "杭州市")
        type_into(qtbot, dialog, "subject.holder_name", "杭州青禾网络科技有限公司")
        type_into(qtbot, dialog, "subject.doc_number", credit_code(4242))
        type_into(qtbot, dialog, "subject.document_address", "浙江省杭州市西湖区文三路90号")
        type_into(qtbot, dialog, "subject.mailing_address", "浙江省杭州市西湖区文三路90号")
        type_into(qtbot, dialog, "subject.principal.name", SUBJECT_PERSON["name"])
        type_into(qtbot, dialog, "subject.principal.doc_number", SUBJECT_PERSON["doc"])

        # a malformed number: the error appears under the field as it is left, in the
        # line kept for it (the fields below it do not move)
        below = field(dialog, "subject.principal.email")
        where_below = below.mapTo(dialog, QPoint(0, 0))
        mobile = type_into(qtbot, dialog, "subject.principal.mobile", "1380013")
        leave(qtbot, mobile)
        error = error_under(dialog, "subject.principal.mobile")
        assert shown_error(error) == "手机号码应为 11 位数字，实际为 7 位"
        assert below.mapTo(dialog, QPoint(0, 0)) == where_below
        type_into(qtbot, dialog, "subject.principal.mobile", SUBJECT_PERSON["mobile"])
        leave(qtbot, mobile)
        assert error.text() == "" and error.message() == ""
        assert below.mapTo(dialog, QPoint(0, 0)) == where_below

        type_into(qtbot, dialog, "subject.principal.email", "wjg@qinghe.cn")
        type_into(qtbot, dialog, "websites[0].name", "青禾官网")
        type_into(qtbot, dialog, "websites[0].home_url", "https://www.qinghe-net.cn")
        type_into(qtbot, dialog, "websites[0].service_content", "企业宣传")
        type_into(qtbot, dialog, "websites[0].access.isp_name", "浙江某云计算有限公司")
        type_into(qtbot, dialog, "websites[0].access.server_ips", "10.1.2.3")
        type_into(qtbot, dialog, "websites[0].principal.name", SITE_PERSON["name"])
        type_into(qtbot, dialog, "websites[0].principal.doc_number", SITE_PERSON["doc"])
        type_into(qtbot, dialog, "websites[0].principal.mobile", SITE_PERSON["mobile"])

        # Submit without a domain: the draft is kept and the domains box is marked
        click(qtbot, dialog.submit_button)
        await idle()
        assert dialog.isVisible() and dialog.request_id is not None
        domains_error = error_under(dialog, "websites[0].domains")
        assert shown_error(domains_error) == "至少填写一个域名"
        assert str(dialog.request_id) in dialog.state_label.text()
        assert error_under(dialog, "websites[0].name").message() == ""
        assert isp.ops.interactive is False  # the dialog changed nothing of the runner

        type_into(qtbot, dialog, "websites[0].domains", "qinghe-net.cn")
        assert domains_error.message() == ""
        click(qtbot, dialog.submit_button)
        await until(lambda: dialog.message_box is not None, "the 'submitted' message")
        box = dialog.message_box
        assert box.isVisible()
        assert box.text() == (
            f"Request No. {dialog.request_id} submitted: {request_state_label('verifying')}"
        )
        box.accept()
        await idle()
        assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
        assert domains_error.message() == ""

    qt_loop.run_until_complete(enter())
    request_id = dialog.request_id
    assert request_state(app, request_id) == RequestState.VERIFYING
    assert [v.name for v in verifiers(app, request_id)] == ["王建国", "李晓梅"]

    send_first_sms(app, clock)  # five minutes later the scheduler sends (SPEC §3)
    desk_ctx = people(UserRole.HELP_DESK, "kefu.zhao", "赵敏")
    outbox = OutboxView(desk_ctx)  # the help desk's page: VIEW_OUTBOX
    qtbot.addWidget(outbox)

    async def read_outbox() -> None:
        await outbox.refresh()
        recipients = column(outbox.model, 1)
        assert sorted(recipients) == sorted(
            f"{p['mobile'][:3]}****{p['mobile'][-4:]}" for p in (SUBJECT_PERSON, SITE_PERSON)
        )
        texts = column(outbox.model, 3)
        assert len(texts) == 2 and all("******" in t for t in texts)
        assert column(outbox.model, 2) == ["106575000130"] * 2  # China Mobile's sender

    qt_loop.run_until_complete(read_outbox())
    codes = latest_codes(app)  # the test plays the two phones
    assert not any(code in t for t in column(outbox.model, 3) for code in codes.values())

    desk = VerificationDeskDialog(desk_ctx)
    qtbot.addWidget(desk)
    desk.show()

    async def check(code: str, person: dict[str, str]) -> str:
        type_into(qtbot, desk, "code", code)
        type_into(qtbot, desk, "phone", person["mobile"])
        type_into(qtbot, desk, "last6", last6(person["doc"]))
        click(qtbot, desk.check_button)
        await idle()
        return desk.answer.text()

    async def verify() -> None:
        right = codes[SUBJECT_PERSON["mobile"]]
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        assert await check(wrong, SUBJECT_PERSON) == "王建国的短信核验失败，请输入正确的信息。"
        assert desk.isVisible()
        assert await check(right, SUBJECT_PERSON) == (
            "王建国的短信核验完成。请等待其他待核验人进行短信核验。"
        )
        assert desk.code.text() == ""  # a code is never left on screen
        assert await check(codes[SITE_PERSON["mobile"]], SITE_PERSON) == check_message(
            CheckResult.VERIFIED_REQUEST_COMPLETE, "李晓梅"
        )
        assert desk.answer.text().startswith("李晓梅的短信核验完成。")
        desk.close()

    qt_loop.run_until_complete(verify())
    assert request_state(app, request_id) == RequestState.BUREAU_REVIEW

    bureau = BureauView(people(UserRole.BUREAU_REVIEWER, "guanju.chen", "陈静"))
    qtbot.addWidget(bureau)
    bureau.show()

    async def approve() -> None:
        await bureau.refresh()
        assert column(bureau.model, 0) == [str(request_id)]
        assert column(bureau.model, 3) == ["杭州青禾网络科技有限公司"]
        bureau.table.selectRow(0)
        click(qtbot, bureau.approve_button)
        await until(lambda: bureau.confirm_box is not None, "the confirmation")
        bureau.confirm_box.defaultButton().click()  # approving asks first
        await idle()
        box = bureau.message_box
        assert box is not None and box.isVisible()
        assert "浙ICP备2026000001号" in box.text()
        assert "浙ICP备2026000001号-1" in bureau.result.text()
        box.accept()
        assert bureau.model.rowCount() == 0

    qt_loop.run_until_complete(approve())
    assert request_state(app, request_id) == RequestState.APPROVED


# -- b. a caller at the help desk ------------------------------------------------------------
def test_help_desk_looks_up_a_caller_resends_once_and_refuses_a_second_too_soon(
    app, clock, qt_loop, people, qtbot
):
    f = filing(serial=1)
    request_id = submitted(app, f)
    caller = f.subject.principal
    send_first_sms(app, clock)  # 10:05
    clock.advance(timedelta(minutes=2))  # 10:07: past the 60 s spacing
    view = HelpDeskView(people(UserRole.HELP_DESK, "kefu.zhao", "赵敏"))
    qtbot.addWidget(view)
    view.show()
    phone_box = view.findChild(QLineEdit, "callerPhone")
    last6_box = view.findChild(QLineEdit, "callerLast6")
    look_up = view.findChild(QPushButton, "lookUp")
    resend = view.findChild(QPushButton, "resend")

    async def body() -> None:
        qtbot.keyClicks(phone_box, caller.mobile)
        click(qtbot, look_up)
        await idle()
        model = view.model
        assert column(model, 0) == [str(request_id)]
        assert column(model, 1) == [caller.name]
        assert column(model, 3) == [verifier_state_label("pending")]
        resends_left = header_index(model, "Resends left")
        assert column(model, resends_left) == ["2"]

        qtbot.keyClicks(last6_box, last6(caller.doc_number))
        click(qtbot, resend)
        await idle()
        assert view.answer.text() == "您的短信已发送成功"
        assert column(model, resends_left) == ["1"]  # the list was read again

        click(qtbot, resend)  # at once again: refused, with the reason and when
        await idle()
        assert view.answer.text() == "两次发送间隔不足，请于2026-11-23 10:08:00后再申请重发。"
        assert column(model, resends_left) == ["1"]

        phone_box.clear()
        qtbot.keyClicks(phone_box, phone(9999))  # nobody by this number is pending
        click(qtbot, look_up)
        await idle()
        assert model.rowCount() == 0
        assert view.summary.text() == "No request verifies with 138****9999."
        assert view.answer.text() == ""  # the previous caller's answer went with them
        click(qtbot, resend)
        await idle()
        assert view.answer.text() == "暂无待短信核验的备案申请，无需重发短信"

    qt_loop.run_until_complete(body())
    app.tick()  # the resend goes out
    assert outbox_count(app, caller.mobile) == 2


# -- c. a supervisor reads why a filing came back ----------------------------------------------
def test_supervisor_sees_an_expired_filing_returned_with_its_verifiers_and_timeline(
    app, clock, qt_loop, people, qtbot
):
    f = filing(serial=1)
    request_id = submitted(app, f)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=24, minutes=1))  # nobody verified within the round
    app.tick()
    assert request_state(app, request_id) == RequestState.RETURNED
    view = ReturnedView(people(UserRole.SUPERVISOR, "zhuguan.liu", "刘洋"))
    qtbot.addWidget(view)
    view.show()

    async def body() -> None:
        await view.refresh()
        assert column(view.model, 0) == [str(request_id)]
        reason = return_reason_label(ReturnReason.EXPIRED)
        assert column(view.model, 1) == [reason] and reason != "expired"
        assert column(view.model, 4) == [f.subject.holder_name]
        assert view.count_label.text() == "1 request(s) returned now, 1 not yet reviewed"

        await view._on_open(view.model.index(0, 0))  # a double-click opens the request
        dialog = view.detail_dialog
        assert isinstance(dialog, RequestDetailDialog) and dialog.isVisible()
        shown = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
        assert shown["summary_State"] == request_state_label("returned")
        assert shown["summary_Returned because"].startswith(reason)
        names = column(dialog.verifiers, 0)
        assert names == [f.subject.principal.name, f.websites[0].principal.name]
        state_col = header_index(dialog.verifiers, "State")
        assert column(dialog.verifiers, state_col) == [verifier_state_label("expired")] * 2
        for left in ("Tries left", "Resends left"):  # nothing left to use once expired
            assert column(dialog.verifiers, header_index(dialog.verifiers, left)) == ["", ""]
        said = column(dialog.timeline, header_index(dialog.timeline, "What happened"))
        submitted_ = said.index("接入商 isp 提交申请")  # sentences, not events as stored
        everyone = "、".join(names)  # an expiry is everyone still pending, not the first
        returned_ = said.index(
            f"第 1 轮短信核验未通过（{everyone}：未在期限内完成核验），申请退回接入商"
        )
        assert returned_ > submitted_
        dialog.close()
        await settle()
        assert view.detail_dialog is None

    qt_loop.run_until_complete(body())


# -- d. signing in, what each role sees, nothing in clear ----------------------------------------
ADMIN_PASSWORD = "Chief-Passw0rd-1"  # the rules refuse one containing the username
ISP_PASSWORD = "Isp-Staff-Passw0rd"


def test_login_refuses_a_wrong_password_then_each_role_gets_its_own_pages(
    app, qt_loop, runner, qtbot
):
    app.users.create_first_admin(username="admin", display_name="管理员", password=ADMIN_PASSWORD)
    admin = app.sign_in.sign_in(username="admin", password=ADMIN_PASSWORD)
    app.users.create_user(
        username="isp.wang",
        display_name="王芳",
        role=UserRole.ISP_STAFF,
        password=ISP_PASSWORD,
        must_change_password=False,  # signed in with it below
        session=admin.token,
    )
    ops = runner  # a runner before anyone signs in
    dialog = LoginDialog(app, ops)
    qtbot.addWidget(dialog)
    sign_in = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    windows: list[MainWindow] = []

    async def body() -> None:
        dialog.open()
        qtbot.keyClicks(dialog.findChild(QLineEdit, "username"), "isp.wang")
        qtbot.keyClicks(dialog.findChild(QLineEdit, "password"), "not-the-password")
        click(qtbot, sign_in)
        await idle()
        error = dialog.findChild(QLabel, "error")
        assert error.text() and error.isVisible()
        assert dialog.isVisible() and dialog.signed_in is None  # it stays open
        assert dialog.password.text() == ""

        qtbot.keyClicks(dialog.password, ISP_PASSWORD)
        click(qtbot, sign_in)
        await idle()
        assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
        assert dialog.signed_in is not None
        user = dialog.signed_in.user
        assert user.username == "isp.wang" and user.role == "isp_staff"

        for who in (dialog.signed_in, admin):
            window = MainWindow(ViewContext(app, ops, who), run_scheduler=False, idle_lock=None)
            qtbot.addWidget(window)
            windows.append(window)
            await window.start()
            await idle()

    qt_loop.run_until_complete(body())
    staff, administrator = windows
    nav = [staff.nav.item(i).text() for i in range(staff.nav.count())]
    assert set(staff.pages) == {"filings", "pending"}  # no VIEW_OUTBOX: not the outbox
    assert "Settings" not in nav and "Bureau review" not in nav
    assert not staff.findChildren(QWidget, "settingsView")
    assert not staff.findChildren(QWidget, "bureauView")
    assert staff.user_label.text() == "王芳（ISP staff）"
    assert set(administrator.pages) == {
        "filings",
        "pending",
        "help_desk",
        "returned",
        "bureau",
        "outbox",
        "settings",
    }
    admin_nav = [administrator.nav.item(i).text() for i in range(administrator.nav.count())]
    assert "Settings" in admin_nav and "Bureau review" in admin_nav


def test_no_clear_phone_or_id_number_in_any_list_detail_or_outbox(
    app, clock, qt_loop, people, qtbot
):
    first, second = filing(serial=1), filing(serial=2, website_phones=[phone(7, "unicom")])
    first_id, second_id = submitted(app, first), submitted(app, second)
    send_first_sms(app, clock)
    codes = latest_codes(app)
    subject_person = first.subject.principal
    app.verification.check_code(
        code=codes[subject_person.mobile],
        phone=subject_person.mobile,
        id_last6=last6(subject_person.doc_number),
        session=session_for(app, "person"),
    )
    clock.advance(timedelta(minutes=2))
    site_person = second.websites[0].principal
    sent = app.verification.resend_code(
        phone=site_person.mobile,
        id_last6=last6(site_person.doc_number),
        session=session_for(app, "kefu"),
        on_behalf=True,
    )
    assert sent.sent
    app.tick()
    clear = set()
    for f in (first, second):
        people_in_it = [f.subject.principal, *(w.principal for w in f.websites)]
        clear |= {p.mobile for p in people_in_it} | {p.doc_number for p in people_in_it}
        clear.add(f.subject.doc_number)
    clear |= {last6(p) for p in clear if len(p) == 18}  # not even the last six of an ID
    clear.discard(None)

    ctx = people(UserRole.ISP_STAFF, "isp.wang", "王芳")
    desk = people(UserRole.HELP_DESK, "kefu.chen", "陈静")  # the outbox is the help desk's
    filings, pending, outbox = FilingsView(ctx), PendingView(ctx), OutboxView(desk)
    for widget in (filings, pending, outbox):
        qtbot.addWidget(widget)
    details = [RequestDetailDialog(ctx, rid) for rid in (first_id, second_id)]
    for dialog in details:
        qtbot.addWidget(dialog)
    shown: list[str] = []

    async def body() -> None:
        await filings.refresh()
        await pending.refresh()
        await outbox.refresh()
        for dialog in details:
            await dialog.load()
        assert filings.model.rowCount() == 2
        assert pending.model.rowCount() == 3  # four verifiers, one verified
        assert outbox.model.rowCount() == outbox_count(app) == 5  # four first SMS, a resend
        for widget in (filings, pending, outbox, *details):
            shown.extend(everything_shown(widget))
        for dialog in details:
            shown.append(dialog.websites_label.text())

    qt_loop.run_until_complete(body())
    text = "\n".join(shown)
    assert "138****0100" in text  # the masked number is there: the scan reads real data
    leaked = sorted(value for value in clear if value in text)
    assert not leaked, f"shown in clear: {leaked}"
    assert not any(code in text for code in codes.values())


def secret_labels(dialog: QWidget, field: RevealField) -> list[SecretLabel]:
    return [s for s in dialog.findChildren(SecretLabel) if s.secret.field == field]


def test_a_bureau_reviewer_reveals_an_id_number_in_place_and_it_is_audited(
    app, qt_loop, people, qtbot
):
    f = filing(serial=1)
    request_id = submitted(app, f)
    person = f.subject.principal
    bureau = people(UserRole.BUREAU_REVIEWER, "bureau.zhao", "赵敏")
    dialog = RequestDetailDialog(bureau, request_id)
    qtbot.addWidget(dialog)
    dialog.show()

    async def body() -> None:
        await dialog.load()
        dialog.tabs.setCurrentWidget(dialog.principals_area)
        await settle()
        ids = secret_labels(dialog.principals_area, RevealField.PRINCIPAL_ID_NUMBER)
        assert [s.text() for s in ids] == [
            mask_document_number(p.doc_number) for p in (person, *(w.principal for w in f.websites))
        ]
        subject_person = ids[0]
        click(qtbot, subject_person.button)
        await idle()
        assert subject_person.text() == person.doc_number  # in place, in full
        assert not subject_person.button.isVisible()
        assert ids[1].text() == mask_document_number(f.websites[0].principal.doc_number)
        for phone_label in secret_labels(dialog, RevealField.PRINCIPAL_PHONE):
            assert person.mobile not in phone_label.text()  # only what was asked for
            assert phone_label.button.isVisibleTo(dialog)

        # The timeline says who saw whose number, readably, without the number.
        said = header_index(dialog.timeline, "What happened")
        what = column(dialog.timeline, said)
        details = tooltips(dialog.timeline, said)  # the events as recorded
        assert what[-1] == f"管局审核员 赵敏 查看了 {person.name} 的完整证件号码"
        assert details[-1].startswith('revealed {"field": "principal.id_number"')
        assert all(person.doc_number not in text for text in what + details)

        # A new dialog for the same request starts masked: nothing is kept.
        again = RequestDetailDialog(bureau, request_id)
        qtbot.addWidget(again)
        await again.load()
        first = secret_labels(again.principals_area, RevealField.PRINCIPAL_ID_NUMBER)[0]
        assert first.text() == mask_document_number(person.doc_number)
        again.close()

    qt_loop.run_until_complete(body())
    with app.ctx.unit_of_work() as session:
        events = [e for e in audit.timeline(session, request_id) if "reveal" in e.action]
    assert [(e.actor, e.action, e.details["field"]) for e in events] == [
        ("bureau.zhao", "revealed", "principal.id_number")
    ]


def test_the_help_desk_sees_no_show_button_and_a_supervisor_only_for_phones(
    app, qt_loop, people, qtbot
):
    request_id = submitted(app, filing(serial=1))
    desk = people(UserRole.HELP_DESK, "kefu.chen", "陈静")
    supervisor = people(UserRole.SUPERVISOR, "zhuguan.liu", "刘洋")
    dialogs = {ctx.user.role: RequestDetailDialog(ctx, request_id) for ctx in (desk, supervisor)}
    pages = {ctx.user.role: PendingView(ctx) for ctx in (desk, supervisor)}
    for widget in (*dialogs.values(), *pages.values()):
        qtbot.addWidget(widget)
        widget.show()

    def offered(dialog: RequestDetailDialog) -> set[str]:
        labels = dialog.findChildren(SecretLabel)
        shown = {s.secret.field.value for s in labels if s.button.isVisibleTo(dialog)}
        mobile = header_index(dialog.verifiers, "Mobile")
        for row in range(dialog.verifiers.rowCount()):  # the verifiers' context menu
            secret = dialog.revealer.secret_at(dialog.verifiers, row, mobile)
            if secret is not None:
                shown.add(secret.field.value)
        return shown

    async def body() -> None:
        for dialog in dialogs.values():
            await dialog.load()
        for page in pages.values():
            await page.refresh()
        assert offered(dialogs["help_desk"]) == set()
        assert offered(dialogs["supervisor"]) == {"principal.phone", "verifier.phone"}
        assert not pages["help_desk"].reveal_button.isVisible()
        assert pages["help_desk"].revealer.secret_at(pages["help_desk"].model, 0, 2) is None

        # The context menu of a verifier's mobile cell: offered to the supervisor only.
        for role, dialog in dialogs.items():
            mobile = header_index(dialog.verifiers, "Mobile")
            cell = dialog.verifier_table.visualRect(dialog.verifiers.index(0, mobile))
            dialog.verifier_table.customContextMenuRequested.emit(cell.center())
            menu = dialog.revealer.menu
            if role == "help_desk":
                assert menu is None
                continue
            assert menu is not None and [a.text() for a in menu.actions()] == ["Show in full"]
            masked = dialog.verifiers.index(0, mobile).data()
            menu.actions()[0].trigger()
            menu.close()
            await idle()
            full = dialog.verifiers.index(0, mobile).data()
            assert "*" in masked and "*" not in full and full.endswith(masked[-4:])

        # The supervisor shows a pending verifier's number; a reload masks it again.
        page = pages["supervisor"]
        mobile = header_index(page.model, "Mobile")
        masked = page.model.index(0, mobile).data()
        page.table.selectRow(0)
        click(qtbot, page.reveal_button)
        await idle()
        full = page.model.index(0, mobile).data()
        assert "*" in masked and "*" not in full and full.endswith(masked[-4:])
        await page.refresh()
        assert page.model.index(0, mobile).data() == masked

    qt_loop.run_until_complete(body())
    with app.ctx.unit_of_work() as session:
        events = [e for e in audit.timeline(session, request_id) if "reveal" in e.action]
    assert [(e.actor, e.action, e.details["field"]) for e in events] == [
        ("zhuguan.liu", "revealed", "verifier.phone"),  # the detail's verifiers table
        ("zhuguan.liu", "revealed", "verifier.phone"),  # the pending verifiers page
    ]


def test_a_reveal_refused_by_the_service_stays_masked_and_is_in_the_timeline(
    app, qt_loop, people, qtbot
):
    """The account was disabled after the dialog opened: the button was there, the
    service refuses, the person reads why, and the refusal is recorded."""
    f = filing(serial=1)
    request_id = submitted(app, f)
    bureau = people(UserRole.BUREAU_REVIEWER, "bureau.zhao", "赵敏")
    dialog = RequestDetailDialog(bureau, request_id)
    qtbot.addWidget(dialog)
    dialog.show()

    async def body() -> None:
        await dialog.load()
        await settle()
        app.users.set_active(
            session=session_for(app, "admin"), user_id=bureau.user.id, active=False
        )
        [document] = secret_labels(dialog, RevealField.SUBJECT_ID_NUMBER)
        bureau.ops.interactive = True
        ended: list[str] = []
        bureau.ops.sign_in_ended.connect(ended.append)
        click(qtbot, document.button)
        await idle()
        assert document.text() == mask_document_number(f.subject.doc_number)
        # Disabling the account revoked its sessions (zh_CN, the default): no message
        # box over the screen, the main window goes back to the sign-in, which says so
        # (tests/gui/test_account_menu.py).
        assert not dialog.findChildren(QMessageBox)
        assert ended and all(m.startswith("登录已被撤销") for m in ended)  # and its reload

        # The refusal is recorded in the request's timeline. This dialog's session may
        # read nothing now: an administrator's dialog shows it.
        with app.ctx.unit_of_work() as session:
            last = audit.timeline(session, request_id)[-1]
            assert (last.actor, last.action) == ("bureau.zhao", "permission_denied")
            assert (
                last.details["operation"],
                last.details["reason"],
                last.details["permission"],
            ) == ("secrets.reveal", "revoked", "reveal_id_numbers")
        admin = RequestDetailDialog(people(UserRole.ADMINISTRATOR, "admin", "管理员"), request_id)
        qtbot.addWidget(admin)
        await admin.load()
        said = header_index(admin.timeline, "What happened")
        what, details = column(admin.timeline, said), tooltips(admin.timeline, said)
        admin.close()
        assert all(f.subject.doc_number not in text for text in what + details)
        assert what[-1] == "管局审核员 赵敏 的操作被拒绝：查看完整证件号码（登录已被撤销）"

    qt_loop.run_until_complete(body())


# -- e. the filings list over a few hundred requests ---------------------------------------------
FILINGS = 260
SUBMITTED = 12


def test_filings_list_pages_searches_and_filters_a_few_hundred_requests(
    app, qt_loop, people, qtbot
):
    ids = []
    for serial in range(1, FILINGS + 1):
        f = one_person_filing(serial)
        ids.append(app.filings.save_new_filing(filing=f, session=session_for(app, "isp")))
    verifying = ids[: SUBMITTED * 10 : 10]  # spread over the pages
    for request_id in verifying:
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
    view = FilingsView(people(UserRole.ISP_STAFF, "isp.wang", "王芳"))
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    model = view.model
    newest_first = sorted(ids, reverse=True)

    def shown_ids() -> list[int]:
        return [int(i) for i in column(model, FilingTableModel.COL_ID)]

    async def body() -> None:
        await view.load_provinces()
        await view.refresh()
        assert model.rowCount() == PAGE_SIZE and model.canFetchMore()
        assert shown_ids() == newest_first[:PAGE_SIZE]
        assert view.status.text() == f"{FILINGS} request(s)"
        model.fetchMore()
        assert model.rowCount() == 2 * PAGE_SIZE and model.canFetchMore()
        model.fetchMore()
        assert model.rowCount() == FILINGS and not model.canFetchMore()
        assert shown_ids() == newest_first

        # by phone: the one request whose principal has that number
        target = 137
        view.search.setFocus()
        qtbot.keyClicks(view.search, phone(target, "telecom"))
        await until(lambda: model.rowCount() == 1, "the search by phone")
        await idle()
        assert shown_ids() == [ids[target - 1]]
        assert column(model, FilingTableModel.COL_SUBJECT) == [f"杭州测试科技有限公司{target}"]
        assert not model.canFetchMore()

        # by domain
        view.search.clear()
        qtbot.keyClicks(view.search, f"site{42 * 100 + 1}.cn")
        await until(lambda: shown_ids() == [ids[41]], "the search by domain")
        await idle()

        # a state
        view.search.clear()
        await until(lambda: model.rowCount() == PAGE_SIZE, "the whole list again")
        await idle()
        view.state.setCurrentIndex(view.state.findData("verifying"))
        await until(lambda: model.rowCount() == SUBMITTED, "the state filter")
        await idle()
        assert shown_ids() == sorted(verifying, reverse=True)
        assert set(column(model, FilingTableModel.COL_STATE)) == {request_state_label("verifying")}
        assert view.status.text() == f"{SUBMITTED} request(s)"
        view.state.setCurrentIndex(view.state.findData("draft"))
        await until(lambda: model.rowCount() == PAGE_SIZE, "the drafts")
        await idle()
        assert view.status.text() == f"{FILINGS - SUBMITTED} request(s)"

    qt_loop.run_until_complete(body())
