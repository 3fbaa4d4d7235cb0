"""Screenshots of every main view, taken from the real window, for docs/screenshots.

Run it through `scripts/screenshots`, which starts an X server (Xvfb, $SCREEN, 1366x768
by default) for it.
It builds a temporary database, fills it with the demo data set
(`demo/demo_data.fill_demo_data`, seed 7, on a fixed clock so that every run shows
the same filings and the same times; it makes the demo accounts too), signs in as the
demo's administrator through the sign-in dialog, and opens the main window in the
chosen language (the interface words come from
resources/translations; the data is Chinese either way). Each page is then shown and
the top-level window is grabbed (`QWidget.grab()`: what the window paints, without a
window manager's frame); the request detail and the entry dialog are top-level windows
of their own and are grabbed as such. Nothing outside the temporary directory is
touched but the output directory.

    scripts/screenshots                       # docs/screenshots/*.png, zh_CN, 1366x768
    scripts/screenshots --language en --out docs/screenshots/en
    SCREEN=1024x700 scripts/screenshots --screen 1024x700 --out /tmp/shots-1024
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = datetime.fromisoformat("2026-11-09T08:30:00+08:00")  # a Monday, Asia/Shanghai
WINDOW_FRAME = 40  # what a window manager's title bar would take of the screen


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    parser.add_argument("--size", type=int, default=60, help="first filings in the demo data")
    parser.add_argument(
        "--screen",
        default="1366x768",
        help="the screen to fit, WIDTHxHEIGHT (the window takes it less a title bar)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print("no X display: run scripts/screenshots (it starts Xvfb)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="beian-screenshots-"))
    os.environ["BEIAN_DATA_DIR"] = str(work)  # nothing of the user's data dir is read
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")  # nor their saved settings

    from beian_desktop.demo.accounts import DEMO_ACCOUNTS, QUICK_HASHER
    from beian_desktop.demo.demo_data import fill_demo_data
    from beian_desktop.rules.clock import ManualClock
    from beian_desktop.services.beian import Beian
    from beian_desktop.services.secret_keys import SecretKeys

    clock = ManualClock(START)
    app = Beian.open(
        database_url=f"sqlite:///{work / 'beian.sqlite3'}",
        keys=SecretKeys.load_or_create(work / "secret.key"),
        clock=clock,
        hasher=QUICK_HASHER,  # the demo's many sign-ins; a throwaway database
    )
    try:
        summary = fill_demo_data(app, clock, size=args.size)  # before the Qt loop runs
        print(f"demo data: {summary.requests} requests, {dict(summary.by_state)}", flush=True)
        admin = next(a for a in DEMO_ACCOUNTS if a.username == "admin")  # sees every page
        width, height = (int(n) for n in args.screen.lower().split("x"))
        window_size = (width, height - WINDOW_FRAME)
        return _shoot(app, args.out, args.language, (admin.username, admin.password), window_size)
    finally:
        app.close()
        shutil.rmtree(work, ignore_errors=True)


def _shoot(
    app, out: Path, language: str, account: tuple[str, str], window_size: tuple[int, int]
) -> int:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    from beian_desktop.views.resources import install_translators

    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    qt_app.setApplicationName("beian-desktop")
    qt_app.setOrganizationName("beian-desktop")
    qt_app.setQuitOnLastWindowClosed(False)
    QLocale.setDefault(QLocale(language))
    install_translators(qt_app, language)
    out.mkdir(parents=True, exist_ok=True)
    loop = QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    with loop:
        saved = loop.run_until_complete(
            Photographer(app, out, language, account, window_size).run()
        )
    for path in saved:
        print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


async def _until(condition: Callable[[], object], what: str, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def _idle() -> None:
    """Until every other task (the refreshes a change started) is done."""
    current = asyncio.current_task()
    for _ in range(50):
        pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
        if not pending:
            return
        await asyncio.wait(pending, timeout=30)


class Photographer:
    def __init__(
        self,
        app,
        out: Path,
        language: str,
        account: tuple[str, str],
        window_size: tuple[int, int],
    ) -> None:
        """`account`: the username and password typed into the sign-in dialog."""
        self.window_size = window_size
        self.app = app
        self.out = out
        self.language = language
        self.account = account
        self.saved: list[Path] = []

    # -- the pieces ------------------------------------------------------------------------
    async def settle(self, seconds: float = 0.4, *, tasks: bool = True) -> None:
        """Lets the window lay itself out and paint (the loop delivers the events);
        first lets the other tasks finish, unless one of them awaits an open dialog."""
        if tasks:
            await _idle()
        await asyncio.sleep(seconds)

    def save(self, window, name: str) -> None:
        path = self.out / f"{name}.png"
        if not window.grab().save(str(path)):
            raise RuntimeError(f"could not save {path}")
        self.saved.append(path)

    def clear_phone_and_last6(self, verifier_id: int) -> tuple[str, str]:
        """What the caller tells the help desk: their number and the last six of their ID
        (read from the database: the screens never show them in clear)."""
        from sqlalchemy import select

        from beian_desktop.models import Principal, Verifier, VerifierRole

        with self.app.ctx.unit_of_work() as session:
            verifier = session.get(Verifier, verifier_id)
            principal_id = session.scalar(
                select(VerifierRole.principal_id).where(VerifierRole.verifier_id == verifier_id)
            )
            principal = session.get(Principal, principal_id)
            return verifier.phone, self.app.ctx.keys.decrypt(principal.doc_number_enc)[-6:]

    # -- the walk ----------------------------------------------------------------------------
    async def run(self) -> list[Path]:
        from beian_desktop.views.operations import OperationRunner

        ops = OperationRunner(self.language)
        ops.interactive = False  # a modal box would stop the walk; errors raise instead
        try:
            signed_in = await self.sign_in(ops)
            await self.main_window(ops, signed_in)
        finally:
            await self.app.aclose_sender()
            ops.shutdown()
        return self.saved

    async def sign_in(self, ops):
        from PySide6.QtWidgets import QDialogButtonBox

        from beian_desktop.views.async_dialogs import run_dialog
        from beian_desktop.views.login_dialog import LoginDialog

        dialog = LoginDialog(self.app, ops)
        dialog.resize(380, dialog.sizeHint().height())
        finished = asyncio.ensure_future(run_dialog(dialog))
        username, password = self.account
        dialog.username.setText(username)
        dialog.password.setText(password)
        await self.settle(0.2, tasks=False)  # `finished` awaits the dialog
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        if not await finished or dialog.signed_in is None:
            raise RuntimeError(f"sign-in failed: {dialog.error.text()}")
        dialog.deleteLater()
        return dialog.signed_in

    async def main_window(self, ops, signed_in) -> None:
        from beian_desktop.views.main_window import MainWindow
        from beian_desktop.views.view_context import ViewContext

        ctx = ViewContext(self.app, ops, signed_in, self.language)
        window = MainWindow(ctx, run_scheduler=False)  # the clock is fixed: nothing is due
        window.resize(*self.window_size)
        window.move(0, 0)
        window.show()
        await window.start()
        await self.settle()
        try:
            steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
                ("filings", lambda: self.filings(window)),
                ("request_detail", lambda: self.request_detail(window)),
                ("pending", lambda: self.page(window, "pending")),
                ("help_desk", lambda: self.help_desk(window)),
                ("returned", lambda: self.returned(window)),
                ("bureau", lambda: self.bureau(window)),
                ("outbox", lambda: self.page(window, "outbox")),
                ("settings", lambda: self.page(window, "settings")),
                ("filing_entry", lambda: self.filing_entry(window)),
                ("delete_draft", lambda: self.delete_draft(window)),
            ]
            for name, step in steps:
                print(f"shooting {name}", flush=True)
                await step()
        finally:
            window.close()
            window.deleteLater()

    async def page(self, window, key: str, name: str | None = None) -> None:
        window.show_page(key)
        await self.settle()
        self.save(window, name or key)

    async def filings(self, window) -> None:
        view = window.show_page("filings")
        await _until(lambda: view.model.rowCount() > 0, "the filings list")
        view.table.selectRow(0)
        await self.page(window, "filings")

    async def delete_draft(self, window) -> None:
        """The question 删除草稿 asks, over the list of drafts; answered 取消."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        view = window.show_page("filings")
        view.state.setCurrentIndex(view.state.findData("draft"))
        await self.settle()  # the list reloaded with the filter (which clears a selection)
        await _until(
            lambda: view.model.rowCount() > 0 and view.model.row_at(0).state == "draft",
            "the drafts",
        )
        named = [r for r in range(view.model.rowCount()) if view.model.row_at(r).subject_name]
        view.table.selectRow(named[0] if named else 0)
        await self.settle()
        self.save(window, "delete_draft_button")
        view.delete_button.click()
        await _until(lambda: view.delete_question is not None, "the confirmation")
        await self.settle(tasks=False)
        box = view.delete_question
        self.save(box, "delete_draft_question")
        # The box over the window, as the screen shows it (the box is a window of its own).
        path = self.out / "delete_draft.png"
        QApplication.primaryScreen().grabWindow(0).save(str(path))
        self.saved.append(path)
        box.button(QMessageBox.StandardButton.Cancel).click()
        await self.settle()
        view.state.setCurrentIndex(0)
        await self.settle()

    async def request_detail(self, window) -> None:
        """A request being verified, one person done and one still to verify."""
        from beian_desktop.rules.read_models import FilingFilter
        from beian_desktop.views.request_detail_dialog import RequestDetailDialog

        queries, read = self.app.queries, window.ctx.read  # with the window's session
        verifying = FilingFilter(states=frozenset({"verifying"}))
        page = await read(queries.list_filings, filter=verifying)
        chosen, best = None, -1
        for row in page.rows:
            rnd = (await read(queries.request_detail, request_id=row.request_id)).rounds[-1]
            states = {v.state for v in rnd.verifiers}
            score = len(rnd.verifiers) + 10 * ("verified" in states and "pending" in states)
            score += 5 * any(s.kind != "initial" for s in rnd.sms)  # a resend in the history
            if score > best:
                chosen, best = row.request_id, score
        if chosen is None:
            raise RuntimeError("the demo data has no request being verified")
        view = window.show_page("filings")
        dialog = RequestDetailDialog(window.ctx, chosen, view)
        await dialog.load()
        width, height = self.window_size
        dialog.resize(min(1180, width), min(700, height))
        dialog.show()
        await self.settle()
        self.save(dialog, "request_detail")
        dialog.close()
        dialog.deleteLater()

    async def help_desk(self, window) -> None:
        """A caller whose code has not come: looked up, and a resend that went out."""
        from PySide6.QtWidgets import QLineEdit, QPushButton

        rows = await window.ctx.read(self.app.queries.pending_verifiers)
        callers = [
            r
            for r in rows
            if r.deadline is not None and r.next_resend_at is None and r.manual_resends_left > 0
        ]
        if not callers:
            raise RuntimeError("no pending verifier may be resent to")
        phone, last6 = await window.ctx.ops.read(self.clear_phone_and_last6, callers[0].verifier_id)
        view = window.show_page("help_desk")
        view.findChild(QLineEdit, "callerPhone").setText(phone)
        view.findChild(QLineEdit, "callerLast6").setText(last6)
        view.findChild(QPushButton, "lookUp").click()
        await _until(lambda: view.model.rowCount() > 0, "the caller's pending verifications")
        view.findChild(QPushButton, "resend").click()
        went = ("您的短信已发送成功", "Your SMS has been sent.")  # in the window's language
        await _until(lambda: view.answer.text() in went, "the resend's answer")
        view.table.selectRow(0)
        await self.page(window, "help_desk")

    async def returned(self, window) -> None:
        view = window.show_page("returned")
        await _until(lambda: view.model.rowCount() > 0, "the returned filings")
        view.table.selectRow(0)
        await self.page(window, "returned")

    async def bureau(self, window) -> None:
        view = window.show_page("bureau")
        await _until(lambda: view.model.rowCount() > 0, "the bureau queue")
        view.table.selectRow(0)  # the reviewer's buttons come alive
        await self.page(window, "bureau")

    async def filing_entry(self, window) -> None:
        """A new filing half entered; the subject principal's mobile number is short."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QInputMethodEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication, QLineEdit

        from beian_desktop.rules.documents import resident_id_check_char
        from beian_desktop.views.filing_entry_dialog import FilingEntryDialog

        first17 = "33010619850612031"

        view = window.show_page("filings")
        view.open_entry("new_filing")  # the New… menu's first entry (Ctrl+N)
        await _until(lambda: view.findChild(FilingEntryDialog) is not None, "the entry dialog")
        dialog = view.findChild(FilingEntryDialog)
        await _until(lambda: dialog.province.count() > 0, "the provinces")
        await self.settle(0.2, tasks=False)  # the view's task awaits the dialog

        def type_into(path: str, text: str) -> QLineEdit:
            edit = dialog.findChild(QLineEdit, path)
            edit.setFocus()
            if text.isascii():
                QTest.keyClicks(edit, text)
            else:  # Chinese comes from an input method
                event = QInputMethodEvent()
                event.setCommitString(text)
                QApplication.sendEvent(edit, event)
            return edit

        dialog.province.setCurrentIndex(dialog.province.findData("33"))
        type_into("subject.city", "杭州市")
        type_into("subject.holder_name", "杭州青禾网络科技有限公司")
        type_into("subject.doc_number", "91330106MA2H3K4L5X")  # a wrong check character
        QTest.keyClick(dialog.findChild(QLineEdit, "subject.doc_number"), Qt.Key.Key_Tab)
        type_into("subject.document_address", "浙江省杭州市西湖区文三路90号")
        type_into("subject.principal.name", "王建国")
        type_into("subject.principal.doc_number", first17 + resident_id_check_char(first17))
        mobile = type_into("subject.principal.mobile", "1380013")
        QTest.keyClick(mobile, Qt.Key.Key_Tab)  # leaving the field checks it
        type_into("websites[0].name", "青禾官网")
        type_into("websites[0].home_url", "https://www.qinghe-net.cn")
        await self.settle(tasks=False)
        self.save(dialog, "filing_entry")
        dialog.reject()  # a changed form asks first: the question is a picture too
        await _until(lambda: dialog.closing_question is not None, "the unsaved-changes question")
        await self.settle(0.2, tasks=False)
        question = dialog.closing_question
        self.save(question, "entry_unsaved")
        for button in question.buttons():
            if question.buttonRole(button) == question.ButtonRole.DestructiveRole:
                button.click()  # Discard
        await _until(lambda: view.entry_dialog is None, "the entry dialog to close")
        await _idle()


if __name__ == "__main__":
    sys.exit(main())
